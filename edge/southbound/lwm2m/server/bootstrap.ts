/**
 * The LwM2M Bootstrap-Server on the gateway (issue 21 item 3; OMA-TS-LightweightM2M_Core 1.1.1
 * §6.1 Bootstrap Interface, Transport §6.4.1): a factory-fresh device that holds only its
 * bootstrap key asks `POST /bs?ep=<name>[&pct=<format>]` (Bootstrap-Request); the gateway answers
 * 2.04 and then writes the device's account into it, one CON request at a time:
 *
 *   DELETE /0, DELETE /1         — every Security and Server instance but the bootstrap account
 *                                  (§6.1.7.5: the client keeps its Bootstrap-Server account);
 *   GET /0 (Bootstrap-Discover)  — which instance is the bootstrap account, to write beside it
 *                                  (a 1.0 client that cannot: instance 1, as Leshan does);
 *   PUT /0/<i>                   — Security: Server URI, Bootstrap-Server false, Security Mode
 *                                  (0 PSK, 3 NoSec), PSK identity and key, Short Server ID;
 *   PUT /1/0                     — Server: Short Server ID, Lifetime, Notification Storing, Binding;
 *   POST /bs (Bootstrap-Finish)  — the client checks its configuration and answers 2.04.
 *
 * What to write comes from the `plan` callback (the agent's bootstrap-plan.ts: who asks over
 * which DTLS identity, the device's registry keys, the lwm2m.bootstrap_* config); the payloads are
 * TLV (LwM2M 1.0) unless the request's `pct` names SenML CBOR or SenML JSON. Bootstraps in
 * progress are bounded before any work — in all (`maxConcurrent`) and per source address
 * (`maxPerSource`), 5.03 with Max-Age when full, counted — and one per endpoint: a repeated
 * Bootstrap-Request from the same peer joins it (2.04), one from another peer waits (5.03).
 */
import { isYiwangError, type YiwangError } from '../../../../common/errors.js';
import type { Logger } from '../../../../common/log.js';
import {
  CONTENT_FORMAT,
  encodeNode,
  Lwm2mPath,
  type Lwm2mValue,
  type ObjectInstanceNode,
  parseCoreLinks,
  quote,
  val,
} from '../core/index.js';
import type { CoapAnswer, DeviceRequester, Peer, WireReply, WireRequest } from './exchange.js';
import { Lwm2mRefusal, serverError } from './errors.js';
import type { CoapCall } from './requests.js';

/** What the gateway writes into a device that asks for its bootstrap. */
export interface BootstrapPlan {
  /** LwM2M Server URI (/0/x/0), e.g. coaps://10.0.0.1:5684. */
  serverUri: string;
  /** Security Mode and credentials of the account: PSK (0) or NoSec (3). */
  security: { mode: 'psk'; identity: string; key: Buffer } | { mode: 'nosec' };
  /** Short Server ID (1..65534), /0/x/10 and /1/0/0. */
  shortServerId: number;
  /** Registration lifetime (s), /1/0/1. */
  lifetimeS: number;
  /** Binding, /1/0/7 ("U", "UQ"). */
  binding: string;
}

export interface BootstrapOptions {
  /**
   * The account for `endpoint` asked from `peer`, or a coded error (the peer may not bootstrap
   * it: answered 4.03 for DTLS_ERR_* codes, else 4.00).
   */
  plan(endpoint: string, peer: Peer): Promise<BootstrapPlan>;
  client(): DeviceRequester;
  log: Logger;
  /** Bootstraps in progress at once (default 64). */
  maxConcurrent?: number;
  /**
   * Bootstraps in progress from one source address (default 4): spoofed plain requests (nosec
   * "open") cannot take every slot, nor make the gateway send its writes to many victims at once.
   */
  maxPerSource?: number;
  /** Seconds a refused device should wait (Max-Age of the 5.03 when full; default 30). */
  retryAfterS?: number;
  /** A device event (bootstrapped, bootstrap failed). */
  event?(endpoint: string, kind: string, detail: string): void;
}

export interface BootstrapCounters {
  requests: number;
  finished: number;
  failed: number;
  refused: number;
  /** Bootstrap-Requests answered 5.03: maxConcurrent bootstraps were in progress. */
  busy: number;
  inProgress: number;
}

const FORMATS = new Set<number>([CONTENT_FORMAT.TLV, CONTENT_FORMAT.SENML_CBOR, CONTENT_FORMAT.SENML_JSON]);
const ENDPOINT_MAX = 255;
const peerKey = (p: Peer): string => `${p.address}|${p.port}`;

/** The Security (object 0) instance of a plan's account. */
export function securityInstance(id: number, plan: BootstrapPlan): ObjectInstanceNode {
  const s = plan.security;
  const opaque = (b: Uint8Array): Lwm2mValue => val.opaque(b);
  const res = (rid: number, value: Lwm2mValue) => ({ kind: 'resource' as const, id: rid, value });
  return {
    kind: 'instance',
    id,
    resources: [
      res(0, val.string(plan.serverUri)),
      res(1, val.boolean(false)),
      res(2, val.integer(s.mode === 'psk' ? 0 : 3)),
      res(3, opaque(s.mode === 'psk' ? Buffer.from(s.identity, 'utf8') : new Uint8Array(0))),
      res(4, opaque(new Uint8Array(0))),
      res(5, opaque(s.mode === 'psk' ? s.key : new Uint8Array(0))),
      res(10, val.integer(plan.shortServerId)),
    ],
  };
}

/** The Server (object 1) instance of a plan. */
export function serverInstance(id: number, plan: BootstrapPlan): ObjectInstanceNode {
  const res = (rid: number, value: Lwm2mValue) => ({ kind: 'resource' as const, id: rid, value });
  return {
    kind: 'instance',
    id,
    resources: [
      res(0, val.integer(plan.shortServerId)),
      res(1, val.integer(plan.lifetimeS)),
      res(6, val.boolean(true)),
      res(7, val.string(plan.binding)),
    ],
  };
}

/**
 * The Security instance id to write the account to: the smallest one the Bootstrap-Discover of
 * /0 does not list (after Delete /0 only the bootstrap account is left); 1 without a Discover.
 */
export function freeSecurityInstance(links: string | undefined): number {
  if (links === undefined) return 1;
  const used = new Set<number>();
  for (const l of parseCoreLinks(links)) {
    const m = /^\/0\/(\d{1,5})$/.exec(l.target);
    if (m) used.add(Number(m[1]));
  }
  let id = 0;
  while (used.has(id)) id++;
  return id;
}

export class BootstrapServer {
  readonly counters: BootstrapCounters = { requests: 0, finished: 0, failed: 0, refused: 0, busy: 0, inProgress: 0 };
  /** Endpoint → the peer (address:port) whose bootstrap is in progress. */
  private readonly running = new Map<string, string>();
  /** Source address → bootstraps in progress from it. */
  private readonly bySource = new Map<string, number>();
  private readonly maxConcurrent: number;
  private readonly maxPerSource: number;

  constructor(private readonly o: BootstrapOptions) {
    this.maxConcurrent = o.maxConcurrent ?? 64;
    this.maxPerSource = o.maxPerSource ?? 4;
  }

  /** Answers a request to /bs: a Bootstrap-Request (POST /bs?ep=…), anything else 4.05/4.04. */
  async handle(req: WireRequest): Promise<WireReply> {
    if (req.path.length !== 1) return { code: '4.04', payload: `no ${quote(`/${req.path.join('/')}`, 60)}` };
    if (req.method !== '0.02') return { code: '4.05', payload: 'Bootstrap-Request is POST /bs?ep=…' };
    this.counters.requests++;
    const ep = req.query.find((q) => q.startsWith('ep='))?.slice(3);
    if (!ep || ep.length > ENDPOINT_MAX)
      throw new Lwm2mRefusal(
        'LWM2M_ERR_BOOTSTRAP',
        `a Bootstrap-Request needs ep=<endpoint name> (1–${ENDPOINT_MAX} characters)`,
        '4.00',
      );
    const pctText = req.query.find((q) => q.startsWith('pct='))?.slice(4);
    const pct = pctText !== undefined && /^\d{1,5}$/.test(pctText) ? Number(pctText) : undefined;
    const format = pct !== undefined && FORMATS.has(pct) ? pct : CONTENT_FORMAT.TLV;
    // bounds before any work (the plan may make and store a key): in progress in all, per source
    // address, and one per endpoint — joined only from the peer that started it
    const running = this.running.get(ep);
    if (running !== undefined) {
      if (running === peerKey(req.peer)) return { code: '2.04' }; // a retransmitted or repeated request: the run goes on
      this.counters.busy++;
      throw new Lwm2mRefusal(
        'LWM2M_ERR_BOOTSTRAP_BUSY',
        `a bootstrap of ${quote(ep, 60)} from another address is in progress: try again later`,
        '5.03',
        this.o.retryAfterS ?? 30,
      );
    }
    if (this.running.size >= this.maxConcurrent || (this.bySource.get(req.peer.address) ?? 0) >= this.maxPerSource) {
      this.counters.busy++;
      throw new Lwm2mRefusal(
        'LWM2M_ERR_BOOTSTRAP_BUSY',
        this.running.size >= this.maxConcurrent
          ? `${this.running.size} bootstraps are in progress (lwm2m.bootstrap_max_concurrent): try again later`
          : `${this.maxPerSource} bootstraps from ${req.peer.address} are in progress: try again later`,
        '5.03',
        this.o.retryAfterS ?? 30,
      );
    }
    // the slot is taken before the plan is awaited: the bounds hold across the await
    const source = req.peer.address;
    this.running.set(ep, peerKey(req.peer));
    this.bySource.set(source, (this.bySource.get(source) ?? 0) + 1);
    this.counters.inProgress = this.running.size;
    const release = (): void => {
      this.running.delete(ep);
      const n = (this.bySource.get(source) ?? 1) - 1;
      if (n <= 0) this.bySource.delete(source);
      else this.bySource.set(source, n);
      this.counters.inProgress = this.running.size;
    };
    let plan: BootstrapPlan;
    try {
      plan = await this.o.plan(ep, req.peer);
    } catch (err) {
      release();
      this.counters.refused++;
      if (isYiwangError(err))
        throw new Lwm2mRefusal(
          err.code as 'LWM2M_ERR_BOOTSTRAP',
          err.message,
          err.code.startsWith('DTLS_ERR_') ? '4.03' : '4.00',
        );
      throw err;
    }
    // the writes go after the 2.04 (which the caller is returning)
    setImmediate(() => {
      void this.run(ep, req.peer, plan, format).finally(release);
    });
    return { code: '2.04' };
  }

  private async run(ep: string, peer: Peer, plan: BootstrapPlan, format: number): Promise<void> {
    const client = this.o.client();
    const step = async (what: string, call: CoapCall, ok: readonly string[], root = ''): Promise<CoapAnswer> => {
      const a = await client.send(peer, root, call);
      if (!ok.includes(a.code))
        throw serverError(
          'LWM2M_ERR_BOOTSTRAP',
          `${what}: the device answered ${a.code}${a.payload.length ? ` (${quote(a.payload.toString('utf8'), 80)})` : ''}`,
        );
      return a;
    };
    const write = (path: Lwm2mPath, node: ObjectInstanceNode): CoapCall => ({
      method: 'PUT',
      path,
      query: [],
      contentFormat: format,
      payload: Buffer.from(encodeNode(format, node, path)),
    });
    try {
      // Delete of an object with no instances is 2.02 too; 4.04 from a client that had none is tolerated
      await step('Bootstrap-Delete /0', { method: 'DELETE', path: Lwm2mPath.of(0), query: [] }, ['2.02', '4.04']);
      await step('Bootstrap-Delete /1', { method: 'DELETE', path: Lwm2mPath.of(1), query: [] }, ['2.02', '4.04']);
      const d = await client.send(peer, '', {
        method: 'GET',
        path: Lwm2mPath.of(0),
        query: [],
        accept: CONTENT_FORMAT.LINK,
      });
      const sec = freeSecurityInstance(d.code === '2.05' ? d.payload.toString('utf8') : undefined);
      await step(`Bootstrap-Write /0/${sec}`, write(Lwm2mPath.of(0, sec), securityInstance(sec, plan)), ['2.04']);
      await step('Bootstrap-Write /1/0', write(Lwm2mPath.of(1, 0), serverInstance(0, plan)), ['2.04']);
      await step('Bootstrap-Finish', { method: 'POST', path: undefined, query: [] }, ['2.04'], '/bs');
      this.counters.finished++;
      this.o.log.info(
        { deviceId: ep, security: plan.security.mode, securityInstance: sec, serverUri: plan.serverUri },
        'lwm2m bootstrap finished',
      );
      this.o.event?.(
        ep,
        'bootstrapped',
        `account ${plan.serverUri} (${plan.security.mode}) written to /0/${sec}, /1/0`,
      );
    } catch (err) {
      this.counters.failed++;
      const e = err as YiwangError;
      this.o.log.warn({ deviceId: ep, code: e.code, err: e.message }, 'lwm2m bootstrap failed');
      this.o.event?.(ep, 'bootstrap_failed', `${e.code ?? 'ERROR'}: ${e.message}`);
    }
  }
}
