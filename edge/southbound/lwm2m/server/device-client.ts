/**
 * Sends one server-initiated CoAP request to a device through node-coap's Agent, which lives on
 * the agent's CoAP socket (so it leaves from the port the device talks to: NAT). node-coap's
 * Agent handles CON retransmission and Block2 reassembly of large answers; we add a deadline.
 */
import coap from 'coap';
import type { Peer } from './coap-wire.js';
import type { CoapCall } from './requests.js';
import { serverError } from './errors.js';

export interface CoapAnswer {
  code: string;
  payload: Buffer;
  contentFormat: number | undefined;
  locationPath: string[];
}

function uintBuffer(v: number): Buffer {
  if (v === 0) return Buffer.alloc(0);
  const out: number[] = [];
  while (v > 0) { out.unshift(v & 0xff); v = Math.floor(v / 256); }
  return Buffer.from(out);
}

interface RawPacket { options?: { name: string | number; value: Buffer | string | number }[] }

/** node-coap turns Content-Format into media type names; back to numbers for the codecs. */
const FORMAT_NUMBERS: Record<string, number> = {
  'text/plain': 0, 'application/link-format': 40, 'application/octet-stream': 42, 'application/json': 50, 'application/cbor': 60,
  'application/senml+json': 110, 'application/senml+cbor': 112, 'application/vnd.oma.lwm2m+tlv': 11542,
  'application/vnd.oma.lwm2m+json': 11543, 'application/vnd.oma.lwm2m+cbor': 11544,
};

function formatNumber(v: Buffer | string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return FORMAT_NUMBERS[v] ?? (/^[0-9]+$/.test(v) ? Number(v) : undefined);
  return [...v].reduce((a, b) => a * 256 + b, 0);
}

export class DeviceClient {
  private readonly inflight = new Set<coap.OutgoingMessage>();
  constructor(private readonly agent: coap.Agent, private readonly timeoutMs: number) {}

  /**
   * Sends `call` to `peer`; `rootPath` is the device's alternate root ('' normally); `token`
   * fixes the token (observations). Rejects with LWM2M_ERR_TIMEOUT when no answer comes in time.
   */
  send(peer: Peer, rootPath: string, call: CoapCall, token?: Buffer): Promise<CoapAnswer> {
    const options: Record<string, Buffer> = {};
    if (call.contentFormat !== undefined) options['Content-Format'] = uintBuffer(call.contentFormat);
    if (call.accept !== undefined) options.Accept = uintBuffer(call.accept);
    if (call.observe !== undefined) options.Observe = uintBuffer(call.observe);
    const pathname = `${rootPath}${call.path && call.path.ids.length ? call.path.toString() : rootPath ? '' : '/'}`;
    return new Promise<CoapAnswer>((resolve, reject) => {
      let done = false;
      const req = this.agent.request({
        host: peer.address, port: peer.port, method: call.method, pathname,
        ...(call.query.length ? { query: call.query.join('&') } : {}),
        options, confirmable: true, ...(token ? { token } : {}),
      } as coap.CoapRequestParams);
      this.inflight.add(req);
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        this.inflight.delete(req);
        this.agent.abort(req);
        reject(serverError('LWM2M_ERR_TIMEOUT', `no answer from ${peer.address}:${peer.port} to ${call.method} ${pathname} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      timer.unref();
      const finish = (err: Error | undefined, answer?: CoapAnswer): void => {
        if (done) return;
        done = true;
        this.inflight.delete(req);
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(answer!);
      };
      req.on('response', (res: coap.IncomingMessage) => {
        const opts = (res as unknown as { _packet: RawPacket })._packet.options ?? [];
        finish(undefined, {
          code: res.code,
          payload: res.payload,
          contentFormat: formatNumber(res.headers['Content-Format'] as string | number | undefined),
          locationPath: opts.filter((o) => o.name === 'Location-Path').map((o) => o.value.toString()),
        });
      });
      req.on('timeout', () => finish(serverError('LWM2M_ERR_TIMEOUT', `no answer from ${peer.address}:${peer.port} to ${call.method} ${pathname}`)));
      req.on('error', (err: Error) => finish(serverError('LWM2M_ERR_TIMEOUT', `request to ${peer.address}:${peer.port} failed: ${err.message}`, err)));
      req.end(call.payload);
    });
  }

  /** Stops every request in flight (agent shutdown); their promises reject with LWM2M_ERR_TIMEOUT at the deadline, which is cleared here too. */
  abortAll(): void {
    for (const req of this.inflight) this.agent.abort(req);
    this.inflight.clear();
  }
}
