/**
 * CoAP uplink server (node-coap). Sensors POST readings; the response to a CON request (and so
 * its piggybacked ACK) leaves only after the readings are durably committed.
 *   POST /senml[/{deviceId}]        SenML JSON (Content-Format 110, or 50) or SenML CBOR (112)
 *   POST /raw/{layout}/{deviceId}   bytes decoded by a built-in binary layout (42)
 * The device's errors answer 4.xx with a diagnostic payload `CODE: detail`; 5.xx are the agent's
 * own (5.03 when the store cannot commit or the Block1 budget is full, 5.00 for a bug). Datagrams
 * pass intake.ts first (malformed messages, options, Block1 reassembly under a budget), and
 * refusals are counted by code and logged rate-limited (common/log-limiter.ts).
 */
import coap from 'coap';
import type { IncomingMessage, OutgoingMessage } from 'coap';
import type { Logger } from '../../../common/log.js';
import { YiwangError, isYiwangError } from '../../../common/errors.js';
import { LogLimiter } from '../../../common/log-limiter.js';
import { ClockQuality } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import type { SouthboundAdapter, UplinkSink } from '../types.js';
import { DEVICE_ID_RE, parseSenml } from './senml.js';
import { refusalSummary, screenReadings, type Refusal } from '../../store/reading-check.js';
import { decodeRawUplink, type RawProfileDecoder } from './raw.js';
import { slimExchangeCache } from './exchange-cache.js';
import { responseEnded, serverSocket } from './node-coap-internals.js';
import { Block1Assembler, type Block1Limits, type Block1Stats } from './block1.js';
import { CoapIntake, diagnostic, type RefusalCode } from './intake.js';

export interface CoapUplinkOptions {
  host: string;
  port: number;
  /** node-coap's response cache (duplicate detection), in bytes of response packets. */
  exchangeCacheBytes: number;
  /** Largest uplink payload, in one datagram or assembled from Block1 blocks (4.13 above it). */
  maxPayloadBytes: number;
  /** Block1 reassembly limits besides maxPayloadBytes (block1.ts); defaults as in edge/config.ts. */
  block1?: Partial<Omit<Block1Limits, 'maxPayloadBytes'>>;
  /** Log lines per refusal code and minute before they are only counted (default 10). */
  logPerMinute?: number;
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
  /**
   * Whether the peer at `address` may post for `deviceId` (identity binding, coap.nosec:
   * dtls/identity-policy.ts): a coded error refuses the whole uplink with 4.03.
   */
  admit?: (deviceId: string, address: string) => YiwangError | undefined;
}

const ROUTE_CACHE_MAX = 4096;

/** `address:port` of the device that sent `req`. */
const peerOf = (req: IncomingMessage): string => `${req.rsinfo.address}:${req.rsinfo.port}`;

/** A handler for every request whose first Uri-Path segment is its resource (e.g. 'rd' for LwM2M). */
export type CoapResourceHandler = (req: IncomingMessage, res: OutgoingMessage) => void;

/** Uplink counters (GET /v1/status `coap`, metrics). */
export interface CoapCounters {
  uplinks: number;
  readings: number;
  rejected: number;
  storeErrors: number;
  duplicates: number;
  /** Refused requests and datagrams by error code (client errors, EDGE_ERR_COAP_BUSY, EDGE_ERR_COAP_INTERNAL). */
  rejectedBy: Record<string, number>;
  /** Log lines of refusals left out by the rate limit (each window's total is logged once). */
  logSuppressed: number;
  block1: Block1Stats;
}

/** Distinct codes counted one by one in `rejectedBy`; further ones as `other`. */
const MAX_CODES_COUNTED = 64;
/** Codes that are no fault of the device: not counted in `rejected` (invalid uplinks). */
const NOT_INVALID = new Set(['EDGE_ERR_COAP_BUSY', 'EDGE_ERR_COAP_INTERNAL']);
/** HTTP-like answer of each refusal code raised while parsing an uplink. */
const ANSWER: Record<string, string> = {
  EDGE_ERR_CONTENT_FORMAT: '4.15',
  EDGE_ERR_UNKNOWN_LAYOUT: '4.04',
  EDGE_ERR_COAP_NOT_FOUND: '4.04',
  EDGE_ERR_COAP_TOO_LARGE: '4.13',
};

export class CoapUplinkServer implements SouthboundAdapter {
  readonly name = 'coap';
  private server: coap.Server | undefined;
  private readonly resources = new Map<string, CoapResourceHandler>();
  /** CON exchanges whose commit is still running: a retransmission is dropped, not stored twice. */
  private readonly inProgress = new Set<string>();
  private readonly routes = new Map<string, readonly string[]>();
  private readonly log: Logger;
  private readonly limited: LogLimiter;
  private readonly intake: CoapIntake;
  readonly counters: CoapCounters;

  constructor(private readonly opts: CoapUplinkOptions) {
    this.log = opts.log.child({ component: 'coap' });
    this.limited = new LogLimiter(this.log, {
      what: 'coap requests refused',
      perWindow: opts.logPerMinute ?? 10,
      windowMs: 60_000,
    });
    const block1 = new Block1Assembler({
      maxPayloadBytes: opts.maxPayloadBytes,
      budgetBytes: 4 * 1024 * 1024,
      maxTransfers: 1024,
      maxPerAddress: 16,
      idleMs: 60_000,
      ...opts.block1,
    });
    if ((opts.block1?.budgetBytes ?? Infinity) < opts.maxPayloadBytes)
      this.log.warn(
        { budgetBytes: opts.block1?.budgetBytes, maxPayloadBytes: opts.maxPayloadBytes },
        'coap.block1_budget_bytes is below coap.max_payload_bytes: the largest uploads can never complete',
      );
    this.counters = {
      uplinks: 0,
      readings: 0,
      rejected: 0,
      storeErrors: 0,
      duplicates: 0,
      rejectedBy: {},
      logSuppressed: 0,
      block1: block1.stats,
    };
    this.intake = new CoapIntake(
      {
        isExtraResource: (segment) => this.resources.has(segment),
        refused: (code, peer, detail) => this.refused(code, peer, detail),
      },
      block1,
      opts.maxPayloadBytes,
    );
  }

  /**
   * Lets another adapter serve a top-level resource on this endpoint (one UDP port for all of
   * CoAP, as NB-IoT devices are provisioned with one server address). Register before start().
   */
  addResource(segment: string, handler: CoapResourceHandler): void {
    if (segment === 'senml' || segment === 'raw' || this.resources.has(segment))
      throw new Error(`CoAP resource /${segment} is taken`);
    this.resources.set(segment, handler);
  }

  /** The UDP socket, for server-initiated requests that must leave from the port devices talk to (NAT). */
  get socket(): unknown {
    return serverSocket(this.server);
  }

  get port(): number {
    const sock = serverSocket(this.server);
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
      // node-coap binds with SO_REUSEADDR by default: a second agent (or any process) could then
      // bind the same UDP port and split the devices' datagrams with this one (issue 17).
      reuseAddr: false,
    });
    if (!slimExchangeCache(server, this.onResponseError))
      this.log.warn('node-coap exchange cache not slimmed (its internals changed): more GC under floods');
    // Not fatal, as the agent still works; but then node-coap reassembles Block1 in its unbounded cache
    if (!this.intake.install(server))
      this.log.error(
        'node-coap request intake not installed (its internals changed): Block1 uploads are not bounded, malformed requests get 5.00',
      );
    server.on('request', (req: IncomingMessage, res: OutgoingMessage) => this.handle(req, res));
    server.on('error', (err: Error) => this.log.error({ err }, 'coap server error'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, (err?: Error) => (err ? reject(err) : resolve()));
    });
    this.server = server;
    this.intake.block1.start();
    if (this.opts.recvBufferBytes) {
      try {
        const sock = serverSocket(server);
        if (!sock) throw new Error('node-coap keeps no UDP socket in _sock');
        sock.setRecvBufferSize(this.opts.recvBufferBytes);
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'could not set the UDP receive buffer');
      }
    }
    this.log.info({ port: this.port, host: this.opts.host }, 'coap uplink server listening');
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    this.intake.block1.stop();
    this.limited.close();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private reply(res: OutgoingMessage, code: string, body?: string): void {
    // node-coap can end a response itself (e.g. its exchange cache answering a retransmission);
    // a second end() would emit an unhandled 'error' and take the agent down.
    if (responseEnded(res)) {
      // Should never happen (nothing in node-coap ends a request's response before us); if it does, a
      // device may have an ACK for an uplink we did not store, so it is logged as an error.
      this.log.error({ code, body }, 'coap response was already ended before our reply');
      return;
    }
    res.code = code;
    try {
      res.end(body === undefined ? undefined : diagnostic(body));
    } catch (err) {
      // the socket closed under a commit that was still running (agent stopping): the device retransmits
      this.log.debug({ code, err: (err as Error).message }, 'coap reply not sent');
    }
  }

  /** The uplink's readings and the ones refused one by one; throws (→ 4.xx) when none is valid. */
  private parse(
    req: IncomingMessage,
    path: readonly string[],
    now: number,
  ): { readings: Reading[]; refused: Refusal[] } {
    const cf = req.headers['Content-Format'] as string | number | undefined;
    if (req.payload.length > this.opts.maxPayloadBytes)
      throw new YiwangError(
        'EDGE_ERR_COAP_TOO_LARGE',
        `payload of ${req.payload.length} bytes exceeds ${this.opts.maxPayloadBytes}`,
      );
    const deviceId = (s: string | undefined): string | undefined => {
      if (s !== undefined && !DEVICE_ID_RE.test(s))
        throw new YiwangError('EDGE_ERR_PAYLOAD', `bad device id ${JSON.stringify(s)}`);
      return s;
    };
    const clock = this.opts.gatewayClock?.() ?? ClockQuality.CLOCK_GATEWAY_SYNCED;
    if (path[0] === 'senml' && path.length <= 2) {
      if (
        cf !== undefined &&
        cf !== 'application/senml+json' &&
        cf !== 'application/json' &&
        cf !== 'application/senml+cbor'
      )
        throw new YiwangError('EDGE_ERR_CONTENT_FORMAT', `/senml takes SenML JSON or CBOR, not ${cf}`);
      return parseSenml(req.payload, cf === 'application/senml+cbor' ? 'cbor' : 'json', {
        deviceId: deviceId(path[1]),
        now,
        gatewayClock: clock,
      });
    }
    if (path[0] === 'raw' && path.length === 3) {
      if (cf !== undefined && cf !== 'application/octet-stream')
        throw new YiwangError('EDGE_ERR_CONTENT_FORMAT', `/raw takes application/octet-stream, not ${cf}`);
      // the store's reading check, here too: an uplink none of whose readings is valid is answered 4.00
      const screened = screenReadings(
        decodeRawUplink(path[1]!, deviceId(path[2]) as string, req.payload, now, clock, this.opts.rawProfiles),
        { now, clockSynced: clock !== ClockQuality.CLOCK_GATEWAY_UNSYNCED },
      );
      if (screened.valid.length === 0)
        throw new YiwangError(screened.refused[0]!.code, refusalSummary(screened.refused));
      return { readings: screened.valid, refused: screened.refused };
    }
    throw new YiwangError('EDGE_ERR_COAP_NOT_FOUND', `no uplink resource at /${path.join('/')}`);
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
    const packet = req._packet;
    // A retransmission repeats the message id and the token; a device that rebooted and restarted
    // its message ids almost surely draws a new token, so its new uplink is not taken for an old one.
    const key = `${peerOf(req)}#${packet.messageId}#${packet.token?.toString('hex') ?? ''}`;
    if (this.inProgress.has(key)) return; // retransmission while its commit runs: the first answer covers it
    const notes = this.intake.notesOf(packet);
    if (notes?.block1Echo) res.setOption('Block1', notes.block1Echo);
    if (notes?.block1Unknown !== undefined) {
      this.counters.block1.incomplete++;
      return this.rejected(req, res, new YiwangError('EDGE_ERR_COAP_BLOCK', notes.block1Unknown), '4.08');
    }
    let path: readonly string[];
    try {
      path = this.route(req.url);
    } catch {
      return this.rejected(
        req,
        res,
        new YiwangError('EDGE_ERR_COAP_OPTION', 'malformed Uri-Path (a bad %-escape)'),
        '4.02',
      );
    }
    const extra = this.resources.get(path[0] ?? '');
    if (extra) return extra(req, res);
    if (req.method !== 'POST')
      return this.rejected(req, res, new YiwangError('EDGE_ERR_COAP_METHOD', 'POST only'), '4.05');
    let readings: Reading[], refused: Refusal[];
    try {
      ({ readings, refused } = this.parse(req, path, Date.now()));
    } catch (err) {
      return this.rejected(req, res, err);
    }
    if (this.opts.admit) {
      let last: string | undefined;
      for (const r of readings) {
        if (r.deviceId === last) continue;
        last = r.deviceId;
        const denied = this.opts.admit(r.deviceId, req.rsinfo.address);
        if (denied) return this.rejected(req, res, denied, '4.03');
      }
    }
    this.inProgress.add(key);
    // A CON's message id and token are its exchange identity: a retransmission after a lost ACK
    // (or after an agent restart) is acknowledged again without storing it twice.
    let accepted: Promise<'stored' | 'duplicate'>;
    try {
      accepted = this.opts.sink.accept(
        readings,
        packet.confirmable ? `coap:${key}` : undefined,
        refused.length ? refused : undefined,
      );
    } catch (err) {
      accepted = Promise.reject(err);
    }
    accepted.then(
      (result) => {
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
      },
      (err: unknown) => {
        this.inProgress.delete(key);
        this.storeFailed(req, res, err);
      },
    );
  }

  /**
   * Answers an uplink the device got wrong with 4.xx (`answer`, or by its code: 4.15, 4.04, 4.13,
   * else 4.00). An exception that is no coded error is the agent's own failure: 5.00.
   */
  private rejected(req: IncomingMessage, res: OutgoingMessage, err: unknown, answer?: string): void {
    const e = isYiwangError(err)
      ? err
      : new YiwangError('EDGE_ERR_COAP_INTERNAL', (err as Error)?.message ?? String(err), { cause: err });
    const code = e.code === 'EDGE_ERR_COAP_INTERNAL' ? '5.00' : (answer ?? ANSWER[e.code] ?? '4.00');
    this.refused(e.code, peerOf(req), e.message, req.url);
    if (code === '4.13') res.setOption('Size1', this.opts.maxPayloadBytes);
    this.reply(res, code, `${e.code}: ${e.message}`);
  }

  /** Counts a refusal by code and logs it, rate-limited (warn; error for the agent's own failures). */
  private refused(code: RefusalCode | string, peer: string, detail: string, url?: string): void {
    if (!NOT_INVALID.has(code)) this.counters.rejected++;
    const by = this.counters.rejectedBy;
    // codes of profile decoders included, the set is finite; still bounded, as every map a peer can grow
    const key = by[code] !== undefined || Object.keys(by).length < MAX_CODES_COUNTED ? code : 'other';
    by[key] = (by[key] ?? 0) + 1;
    const internal = code === 'EDGE_ERR_COAP_INTERNAL';
    if (
      !this.limited.log(
        internal ? 'error' : 'warn',
        code,
        { code, peer, url, err: detail },
        internal ? 'coap request failed in the agent' : 'uplink rejected',
      )
    )
      this.counters.logSuppressed++;
  }

  private storeFailed(req: IncomingMessage, res: OutgoingMessage, err: unknown): void {
    this.counters.storeErrors++;
    const code = isYiwangError(err) ? err.code : 'EDGE_ERR_STORE';
    this.log.error({ code, peer: peerOf(req), err: (err as Error).message }, 'uplink not stored');
    res.setOption('Max-Age', 30);
    this.reply(res, '5.03', `${code}: not stored, retry later`);
  }
}
