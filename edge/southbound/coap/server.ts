/**
 * CoAP uplink server (node-coap). Sensors POST readings; the response to a CON request (and so
 * its piggybacked ACK) leaves only after the readings are durably committed.
 *   POST /senml[/{deviceId}]        SenML JSON (Content-Format 110, or 50)
 *   POST /raw/{layout}/{deviceId}   bytes decoded by a built-in binary layout (42)
 * Errors answer 4.xx with a diagnostic payload `CODE: detail`; store failures answer 5.03.
 */
import coap from 'coap';
import type { IncomingMessage, OutgoingMessage } from 'coap';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../../common/log.js';
import { YiwangError, isYiwangError } from '../../../common/errors.js';
import { ClockQuality } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import type { SouthboundAdapter, UplinkSink } from '../types.js';
import { parseSenmlJson } from './senml.js';
import { decodeRawUplink, type RawProfileDecoder } from './raw.js';
import { slimExchangeCache } from './exchange-cache.js';

export interface CoapUplinkOptions {
  host: string;
  port: number;
  /** node-coap's response cache (duplicate detection), in bytes of response packets. */
  exchangeCacheBytes: number;
  maxPayloadBytes: number;
  /** SO_RCVBUF of the UDP socket (capped by the kernel's net.core.rmem_max). */
  recvBufferBytes?: number;
  sink: UplinkSink;
  log: Logger;
  /** Clock quality stamped on readings without a device time. */
  gatewayClock?: () => ClockQuality;
  /** Called for every successfully stored uplink (device presence). */
  onUplink?: (deviceId: string, readings: number) => void;
  /** Device profiles for /raw/{path}/{deviceId} when {path} is no built-in layout. */
  rawProfiles?: RawProfileDecoder;
}

const DEVICE_ID_RE = /^[A-Za-z0-9_.:@-]{1,128}$/;
const ROUTE_CACHE_MAX = 4096;

/** `address:port` of the device that sent `req`. */
const peerOf = (req: IncomingMessage): string => `${req.rsinfo.address}:${req.rsinfo.port}`;

/** A handler for every request whose first Uri-Path segment is its resource (e.g. 'rd' for LwM2M). */
export type CoapResourceHandler = (req: IncomingMessage, res: OutgoingMessage) => void;

export class CoapUplinkServer implements SouthboundAdapter {
  readonly name = 'coap';
  private server: coap.Server | undefined;
  private readonly resources = new Map<string, CoapResourceHandler>();
  /** CON exchanges whose commit is still running: a retransmission is dropped, not stored twice. */
  private readonly inProgress = new Set<string>();
  private readonly routes = new Map<string, readonly string[]>();
  private readonly log: Logger;
  counters = { uplinks: 0, readings: 0, rejected: 0, storeErrors: 0, duplicates: 0 };

  constructor(private readonly opts: CoapUplinkOptions) {
    this.log = opts.log.child({ component: 'coap' });
  }

  /**
   * Lets another adapter serve a top-level resource on this endpoint (one UDP port for all of
   * CoAP, as NB-IoT devices are provisioned with one server address). Register before start().
   */
  addResource(segment: string, handler: CoapResourceHandler): void {
    if (segment === 'senml' || segment === 'raw' || this.resources.has(segment)) throw new Error(`CoAP resource /${segment} is taken`);
    this.resources.set(segment, handler);
  }

  /** The UDP socket, for server-initiated requests that must leave from the port devices talk to (NAT). */
  get socket(): unknown {
    return this.server?._sock;
  }

  get port(): number {
    const sock = this.server?._sock as { address(): AddressInfo } | null | undefined;
    return sock ? sock.address().port : 0;
  }

  async start(): Promise<void> {
    const server = coap.createServer({
      cacheSize: this.opts.exchangeCacheBytes,
      // Never send an empty ACK before the commit: the ACK is the delivery promise.
      piggybackReplyMs: 60_000,
      // node-coap tests this flag against the *response*, and a piggybacked ACK is not
      // confirmable: false would silently drop every piggybacked response.
      sendAcksForNonConfirmablePackets: true,
    });
    if (!slimExchangeCache(server, this.onResponseError)) this.log.warn('node-coap exchange cache not slimmed (its internals changed): more GC under floods');
    server.on('request', (req: IncomingMessage, res: OutgoingMessage) => this.handle(req, res));
    server.on('error', (err: Error) => this.log.error({ err }, 'coap server error'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, (err?: Error) => (err ? reject(err) : resolve()));
    });
    this.server = server;
    if (this.opts.recvBufferBytes) {
      try {
        (server._sock as unknown as { setRecvBufferSize(n: number): void }).setRecvBufferSize(this.opts.recvBufferBytes);
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'could not set the UDP receive buffer');
      }
    }
    this.log.info({ port: this.port, host: this.opts.host }, 'coap uplink server listening');
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private reply(res: OutgoingMessage, code: string, body?: string): void {
    // node-coap can end a response itself (e.g. its exchange cache answering a retransmission);
    // a second end() would emit an unhandled 'error' and take the agent down.
    if ((res as unknown as { writableEnded?: boolean }).writableEnded) {
      // Should never happen (nothing in node-coap ends a request's response before us); if it does, a
      // device may have an ACK for an uplink we did not store, so it is logged as an error.
      this.log.error({ code, body }, 'coap response was already ended before our reply');
      return;
    }
    res.code = code;
    try {
      res.end(body === undefined ? undefined : Buffer.from(body));
    } catch (err) {
      // the socket closed under a commit that was still running (agent stopping): the device retransmits
      this.log.debug({ code, err: (err as Error).message }, 'coap reply not sent');
    }
  }

  private parse(req: IncomingMessage, path: readonly string[], now: number): Reading[] {
    const cf = req.headers['Content-Format'] as string | number | undefined;
    if (req.payload.length > this.opts.maxPayloadBytes) throw new YiwangError('EDGE_ERR_PAYLOAD', `payload of ${req.payload.length} bytes exceeds ${this.opts.maxPayloadBytes}`);
    const deviceId = (s: string | undefined): string | undefined => {
      if (s !== undefined && !DEVICE_ID_RE.test(s)) throw new YiwangError('EDGE_ERR_PAYLOAD', `bad device id ${JSON.stringify(s)}`);
      return s;
    };
    if (path[0] === 'senml' && path.length <= 2) {
      if (cf !== undefined && cf !== 'application/senml+json' && cf !== 'application/json') throw new YiwangError('EDGE_ERR_CONTENT_FORMAT', `/senml takes SenML JSON, not ${cf}`);
      return parseSenmlJson(req.payload, { deviceId: deviceId(path[1]), now, gatewayClock: this.opts.gatewayClock?.() ?? ClockQuality.CLOCK_GATEWAY_SYNCED });
    }
    if (path[0] === 'raw' && path.length === 3) {
      if (cf !== undefined && cf !== 'application/octet-stream') throw new YiwangError('EDGE_ERR_CONTENT_FORMAT', `/raw takes application/octet-stream, not ${cf}`);
      return decodeRawUplink(path[1]!, deviceId(path[2]) as string, req.payload, now, this.opts.gatewayClock?.() ?? ClockQuality.CLOCK_GATEWAY_SYNCED, this.opts.rawProfiles);
    }
    throw new YiwangError('EDGE_ERR_CONTENT_FORMAT', `no uplink resource at /${path.join('/')}`);
  }

  /**
   * Uri-Path segments of a request URL. Devices post to the same few URLs again and again, so the
   * split is cached (bounded; cleared when full) instead of allocated per uplink.
   */
  private route(url: string): readonly string[] {
    let path = this.routes.get(url);
    if (path === undefined) {
      path = Object.freeze(url.split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent));
      if (this.routes.size >= ROUTE_CACHE_MAX) this.routes.clear();
      this.routes.set(url, path);
    }
    return path;
  }

  /** One 'error' listener for every response (no closure per uplink). */
  private readonly onResponseError = (err: Error): void => this.log.debug({ err: err.message }, 'coap response error');

  // Not async, and the store's promise continues in small closures: this runs for every uplink and
  // what it keeps alive until the commit is durable is copied by every young-generation GC meanwhile.
  private handle(req: IncomingMessage, res: OutgoingMessage): void {
    res.on('error', this.onResponseError);
    let path: readonly string[];
    try {
      path = this.route(req.url);
    } catch {
      return this.reply(res, '4.00', 'EDGE_ERR_PAYLOAD: malformed Uri-Path');
    }
    const extra = this.resources.get(path[0] ?? '');
    if (extra) return extra(req, res);
    if (req.method !== 'POST') return this.reply(res, '4.05', 'POST only');
    // A retransmission repeats the message id and the token; a device that rebooted and restarted
    // its message ids almost surely draws a new token, so its new uplink is not taken for an old one.
    const packet = req._packet;
    const key = `${peerOf(req)}#${packet.messageId}#${packet.token?.toString('hex') ?? ''}`;
    if (this.inProgress.has(key)) return; // retransmission while its commit runs: the first answer covers it
    let readings: Reading[];
    try {
      readings = this.parse(req, path, Date.now());
    } catch (err) {
      return this.rejected(req, res, err);
    }
    this.inProgress.add(key);
    // A CON's message id and token are its exchange identity: a retransmission after a lost ACK
    // (or after an agent restart) is acknowledged again without storing it twice.
    let accepted: Promise<'stored' | 'duplicate'>;
    try {
      accepted = this.opts.sink.accept(readings, packet.confirmable ? `coap:${key}` : undefined);
    } catch (err) {
      accepted = Promise.reject(err);
    }
    accepted.then((result) => {
      this.inProgress.delete(key);
      if (result === 'stored') {
        this.counters.uplinks++;
        this.counters.readings += readings.length;
        try {
          this.opts.onUplink?.(readings[0]!.deviceId, readings.length);
        } catch (err) {
          this.log.error({ err: (err as Error).message }, 'uplink presence not recorded');
        }
      } else this.counters.duplicates++;
      this.reply(res, '2.04');
    }, (err: unknown) => {
      this.inProgress.delete(key);
      this.storeFailed(req, res, err);
    });
  }

  private rejected(req: IncomingMessage, res: OutgoingMessage, err: unknown): void {
    this.counters.rejected++;
    const e = isYiwangError(err) ? err : new YiwangError('EDGE_ERR_PAYLOAD', String(err));
    this.log.warn({ code: e.code, peer: peerOf(req), url: req.url, err: e.message }, 'uplink rejected');
    const notFound = e.code === 'EDGE_ERR_CONTENT_FORMAT' && e.message.startsWith('no uplink');
    this.reply(res, notFound ? '4.04' : e.code === 'EDGE_ERR_CONTENT_FORMAT' ? '4.15' : e.code === 'EDGE_ERR_UNKNOWN_LAYOUT' ? '4.04' : '4.00', `${e.code}: ${e.message}`);
  }

  private storeFailed(req: IncomingMessage, res: OutgoingMessage, err: unknown): void {
    this.counters.storeErrors++;
    const code = isYiwangError(err) ? err.code : 'EDGE_ERR_STORE';
    this.log.error({ code, peer: peerOf(req), err: (err as Error).message }, 'uplink not stored');
    res.setOption('Max-Age', 30);
    this.reply(res, '5.03', `${code}: not stored, retry later`);
  }
}
