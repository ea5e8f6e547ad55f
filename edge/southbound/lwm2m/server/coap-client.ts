/**
 * Sends one server-initiated CoAP request to a device through node-coap's Agent, which lives on
 * the agent's CoAP socket (so it leaves from the port the device talks to: NAT). node-coap's
 * Agent handles CON retransmission and Block2 reassembly of large answers; we add a deadline.
 * FETCH and Observe GETs go blockwise through CoapWire.request() instead (see blockwise()). Part of the LwM2M server's
 * CoAP binding: the core sends through exchange.ts's DeviceRequester, which this implements.
 */
import { randomBytes } from 'node:crypto';
import type coap from 'coap';
import type { NamedOption, ParsedPacket } from 'coap-packet';
import { parseBlock, blockValue as blockBuffer } from '../../coap/block1.js';
import type { CoapWire } from './coap-dispatcher.js';
import {
  optionBuffer,
  optionUint,
  RESET_ANSWER,
  uintBuffer,
  type CoapAnswer,
  type DeviceRequester,
  type Peer,
} from './exchange.js';
import type { CoapCall } from './requests.js';
import { serverError } from './errors.js';
import { nextMessageId, packetOptionsOf } from '../../coap/node-coap-internals.js';
import { ResetAnswer } from './coap-con-requests.js';

/** node-coap turns Content-Format into media type names; back to numbers for the codecs. */
const FORMAT_NUMBERS: Record<string, number> = {
  'text/plain': 0,
  'application/link-format': 40,
  'application/octet-stream': 42,
  'application/json': 50,
  'application/cbor': 60,
  'application/senml+json': 110,
  'application/senml+cbor': 112,
  'application/vnd.oma.lwm2m+tlv': 11542,
  'application/vnd.oma.lwm2m+json': 11543,
  'application/vnd.oma.lwm2m+cbor': 11544,
};

function formatNumber(v: Buffer | string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return FORMAT_NUMBERS[v] ?? (/^[0-9]+$/.test(v) ? Number(v) : undefined);
  return [...v].reduce((a, b) => a * 256 + b, 0);
}

/** Largest answer joined from Block2 blocks of a FETCH or an Observe. */
const MAX_FETCH_BYTES = 1024 * 1024;

export class DeviceClient implements DeviceRequester {
  private readonly inflight = new Set<coap.OutgoingMessage>();
  /** `wire`: for FETCH (Read-/Observe-Composite) and Observe GETs, which go blockwise by hand (see blockwise()). */
  constructor(
    private readonly agent: coap.Agent,
    private readonly timeoutMs: number,
    private readonly wire?: CoapWire,
  ) {}

  /**
   * Sends `call` to `peer`; `rootPath` is the device's alternate root ('' normally); `token`
   * fixes the token (observations). Rejects with LWM2M_ERR_TIMEOUT when no answer comes in time.
   */
  send(peer: Peer, rootPath: string, call: CoapCall, token?: Buffer): Promise<CoapAnswer> {
    // FETCH, and Observe / cancel-Observe GETs, whose further blocks go without Observe (RFC 7959 §2.6):
    // node-coap's Agent repeats every option and the token on the blocks it fetches
    if ((call.method === 'FETCH' || call.observe !== undefined) && this.wire)
      return this.blockwise(peer, rootPath, call, token);
    const options: Record<string, Buffer> = {};
    if (call.contentFormat !== undefined) options['Content-Format'] = uintBuffer(call.contentFormat);
    if (call.accept !== undefined) options.Accept = uintBuffer(call.accept);
    if (call.observe !== undefined) options.Observe = uintBuffer(call.observe);
    if (call.block2 !== undefined) options.Block2 = call.block2;
    const pathname = `${rootPath}${call.path?.ids.length ? call.path.toString() : rootPath ? '' : '/'}`;
    return new Promise<CoapAnswer>((resolve, reject) => {
      let done = false;
      const req = this.agent.request({
        host: peer.address,
        port: peer.port,
        method: call.method,
        pathname,
        ...(call.query.length ? { query: call.query.join('&') } : {}),
        options,
        confirmable: true,
        ...(token ? { token } : {}),
      } as coap.CoapRequestParams);
      this.inflight.add(req);
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        this.inflight.delete(req);
        this.agent.abort(req);
        reject(
          serverError(
            'LWM2M_ERR_TIMEOUT',
            `no answer from ${peer.address}:${peer.port} to ${call.method} ${pathname} within ${this.timeoutMs} ms`,
          ),
        );
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
        const opts = packetOptionsOf(res);
        finish(undefined, {
          code: res.code,
          payload: res.payload,
          contentFormat: formatNumber(res.headers['Content-Format'] as string | number | undefined),
          locationPath: opts.filter((o) => o.name === 'Location-Path').map((o) => o.value.toString()),
          blockwise: opts.some((o) => o.name === 'Block2'),
        });
      });
      req.on('timeout', () =>
        finish(
          serverError('LWM2M_ERR_TIMEOUT', `no answer from ${peer.address}:${peer.port} to ${call.method} ${pathname}`),
        ),
      );
      req.on('error', (err: Error) =>
        finish(serverError('LWM2M_ERR_TIMEOUT', `request to ${peer.address}:${peer.port} failed: ${err.message}`, err)),
      );
      req.end(call.payload);
    });
  }

  /**
   * A FETCH, or a GET with Observe, joined from its Block2 blocks when the answer is large.
   * node-coap's Agent asks for the next block of a FETCH without the body (which the device needs
   * again to know what to send), and repeats Observe and the token on the next blocks of a GET;
   * so these go through our own requests on the same socket, one CON per block. A FETCH repeats
   * its body on every block (RFC 8132 §2.3.2 with RFC 7959). Observe goes only on the first block,
   * with the observation's token; the further blocks are plain requests with fresh tokens
   * (RFC 7959 §2.6, Figure 13 of §3.4): a block request carrying Observe would register or cancel
   * again. `call.block2` starts from a later block (the rest of a notification). Message ids come
   * from the Agent's counter, so the two never collide.
   */
  private async blockwise(peer: Peer, rootPath: string, call: CoapCall, token?: Buffer): Promise<CoapAnswer> {
    const wire = this.wire!;
    const deadline = Date.now() + this.timeoutMs;
    const start = call.block2 ? parseBlock(call.block2) : undefined;
    let szx = start?.szx;
    let num = start?.num ?? 0;
    const parts: Buffer[] = [];
    let bytes = 0;
    let first: ParsedPacket | undefined;
    let blockwise = false;
    const code = call.method === 'FETCH' ? '0.05' : call.method === 'GET' ? '0.01' : undefined;
    if (code === undefined) throw serverError('LWM2M_ERR_REQUEST', `no blockwise ${call.method} with Observe`);
    const uriPath = [...rootPath.split('/').filter(Boolean), ...(call.path?.ids ?? []).map(String)].map(
      (seg): NamedOption => ({ name: 'Uri-Path', value: Buffer.from(seg) }),
    );
    const uriQuery = call.query.map((q): NamedOption => ({ name: 'Uri-Query', value: Buffer.from(q) }));
    const what = `${call.method} ${rootPath}${call.path ? call.path.toString() : rootPath ? '' : '/'}`;
    for (;;) {
      // options in number order: Observe (6), Uri-Path (11), Content-Format (12), Uri-Query (15), Accept (17), Block2 (23)
      const options: NamedOption[] = [];
      if (call.observe !== undefined && first === undefined && num === 0)
        options.push({ name: 'Observe', value: uintBuffer(call.observe) });
      options.push(...uriPath);
      if (call.contentFormat !== undefined)
        options.push({ name: 'Content-Format', value: uintBuffer(call.contentFormat) });
      options.push(...uriQuery);
      if (call.accept !== undefined) options.push({ name: 'Accept', value: uintBuffer(call.accept) });
      if (szx !== undefined) options.push({ name: 'Block2', value: blockBuffer({ num, more: false, szx }) });
      const tok = first === undefined && token ? token : randomBytes(8);
      const left = deadline - Date.now();
      const res =
        left <= 0
          ? undefined
          : await wire
              .request(
                peer,
                { code, token: tok, options, payload: call.payload ?? Buffer.alloc(0) },
                nextMessageId(this.agent),
                left,
              )
              .catch((err: unknown) => (err instanceof ResetAnswer ? RESET_ANSWER : undefined));
      if (res === RESET_ANSWER)
        return { code: RESET_ANSWER, payload: Buffer.alloc(0), contentFormat: undefined, locationPath: [], blockwise };
      if (!res)
        throw serverError(
          'LWM2M_ERR_TIMEOUT',
          `no answer from ${peer.address}:${peer.port} to ${what}${num ? ` (block ${num})` : ''} within ${this.timeoutMs} ms`,
        );
      first ??= res;
      if (!res.code.startsWith('2.')) {
        parts.length = 0;
        parts.push(res.payload);
        first = res;
        break;
      }
      const b2 = optionBuffer(res, 'Block2');
      const block = b2 ? parseBlock(b2) : undefined;
      if (!block) {
        parts.push(res.payload);
        break;
      }
      if (block.num !== num)
        throw serverError(
          'LWM2M_ERR_BLOCK',
          `${peer.address}:${peer.port} sent block ${block.num} of the answer to ${what}, not ${num}`,
        );
      blockwise = true;
      parts.push(res.payload);
      bytes += res.payload.length;
      if (bytes > MAX_FETCH_BYTES)
        throw serverError(
          'LWM2M_ERR_BLOCK',
          `answer of ${peer.address}:${peer.port} to ${what} exceeds ${MAX_FETCH_BYTES} bytes`,
        );
      if (!block.more) break;
      // The device may choose a smaller block size than asked: the next block counts in its size.
      const offset = (start ? start.num * 2 ** (start.szx + 4) : 0) + bytes;
      szx = block.szx;
      num = offset / 2 ** (szx + 4);
      if (!Number.isInteger(num))
        throw serverError(
          'LWM2M_ERR_BLOCK',
          `${peer.address}:${peer.port} sent a block of the answer to ${what} that does not end on a block boundary`,
        );
    }
    const answer = first!;
    return {
      code: answer.code,
      payload: Buffer.concat(parts),
      contentFormat: optionUint(optionBuffer(answer, 'Content-Format')),
      locationPath: [],
      blockwise,
    };
  }

  /** Stops every request in flight (agent shutdown); their promises reject with LWM2M_ERR_TIMEOUT at the deadline, which is cleared here too. */
  abortAll(): void {
    for (const req of this.inflight) this.agent.abort(req);
    this.inflight.clear();
  }
}
