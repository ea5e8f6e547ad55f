/**
 * The per-device downlink queue (queue mode). Every device management request is stored in
 * SQLite first, then sent in order, one at a time, while the device is reachable: always for
 * `U` devices, and for queue-mode devices only inside the awake window after they talked
 * (Register, Update, Notify, Send). Requests wait at most their TTL; a pending write to the same
 * resource is superseded by a newer one (coalescing). Results are stored with the request and
 * handed to whoever waits for them; the queue survives agent restarts.
 */
import type { Logger } from '../../../../common/log.js';
import { isYiwangError } from '../../../../common/errors.js';
import type { Lwm2mStore, QueueRow, RequestState } from './store.js';
import type { RequestResult, RequestSpec } from './requests.js';
import { serverError } from './errors.js';

export interface QueueOptions {
  store: Lwm2mStore;
  log: Logger;
  ttlMs: number;
  maxPerDevice: number;
  /** Attempts per request before it fails (a timeout while the device fell asleep counts one). */
  maxAttempts: number;
  /** Sends one request to the device and returns its result; rejects with LWM2M_ERR_TIMEOUT when the device does not answer. */
  execute(endpoint: string, id: number, spec: RequestSpec): Promise<RequestResult>;
  /** Whether requests may be sent to the device now. */
  reachable(endpoint: string): boolean;
}

export interface RequestView {
  id: number;
  op: string;
  path: string;
  state: RequestState;
  attempts: number;
  createdAt: string;
  expiresAt: string;
  result?: RequestResult;
}

export function requestView(r: QueueRow): RequestView {
  return {
    id: r.id, op: r.op, path: r.path, state: r.state, attempts: r.attempts,
    createdAt: new Date(r.created_ms).toISOString(), expiresAt: new Date(r.expires_ms).toISOString(),
    ...(r.result ? { result: JSON.parse(r.result) as RequestResult } : {}),
  };
}

const failure = (code: string, message: string): RequestResult => ({ ok: false, error: { code, message } });

export class DownlinkQueue {
  private readonly waiters = new Map<number, ((r: RequestResult) => void)[]>();
  /** Open (pending or in-flight) requests per device, kept in memory for the device list. */
  private readonly open: Map<string, number>;
  private readonly draining = new Set<string>();

  constructor(private readonly o: QueueOptions) {
    this.open = o.store.openCounts();
  }

  pending(endpoint: string): number {
    return this.open.get(endpoint) ?? 0;
  }

  /** Stores a request (durably) and starts sending if the device is reachable. */
  async submit(endpoint: string, spec: RequestSpec, key: string, coalesce: boolean): Promise<{ id: number; superseded: number[] }> {
    if (this.pending(endpoint) >= this.o.maxPerDevice) throw serverError('LWM2M_ERR_QUEUE_FULL', `${endpoint} has ${this.pending(endpoint)} open requests`);
    const now = Date.now();
    const ttl = spec.ttlMs ?? this.o.ttlMs;
    const { id, superseded } = await this.o.store.write(() => {
      const r = this.o.store.enqueue(endpoint, spec.op, key, JSON.stringify(spec), coalesce ? `${spec.op}:${key}` : null, now, now + ttl);
      for (const old of r.superseded) this.o.store.finish(old, 'superseded', failure('LWM2M_ERR_SUPERSEDED', `superseded by request ${r.id}`), now);
      return r;
    });
    this.open.set(endpoint, this.pending(endpoint) + 1 - superseded.length);
    for (const old of superseded) this.settle(old, failure('LWM2M_ERR_SUPERSEDED', `superseded by request ${id}`));
    this.o.log.debug({ deviceId: endpoint, id, op: spec.op, path: key, superseded }, 'lwm2m request queued');
    this.kick(endpoint);
    return { id, superseded };
  }

  /** Resolves with the request's result once it is final (at once when it already is). */
  result(id: number): Promise<RequestResult> {
    const row = this.o.store.request(id);
    if (!row) return Promise.resolve(failure('LWM2M_ERR_REQUEST', `no request ${id}`));
    if (row.state !== 'pending' && row.state !== 'sent') return Promise.resolve(JSON.parse(row.result ?? 'null') as RequestResult);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  list(endpoint: string, recent = 20): { open: RequestView[]; recent: RequestView[] } {
    return {
      open: this.o.store.openRequests(endpoint).map(requestView),
      recent: this.o.store.recentRequests(endpoint, recent).filter((r) => r.state !== 'pending' && r.state !== 'sent').map(requestView),
    };
  }

  private settle(id: number, result: RequestResult): void {
    const list = this.waiters.get(id);
    this.waiters.delete(id);
    for (const w of list ?? []) w(result);
  }

  private async finish(endpoint: string, id: number, state: RequestState, result: RequestResult): Promise<void> {
    await this.o.store.write(() => this.o.store.finish(id, state, result, Date.now()));
    this.open.set(endpoint, Math.max(0, this.pending(endpoint) - 1));
    if (this.pending(endpoint) === 0) this.open.delete(endpoint);
    this.settle(id, result);
  }

  /** Sends the device's open requests in order while it stays reachable. No-op if already running. */
  kick(endpoint: string): void {
    if (this.draining.has(endpoint) || this.pending(endpoint) === 0 || !this.o.reachable(endpoint)) return;
    this.draining.add(endpoint);
    void this.drain(endpoint).catch((err: unknown) => this.o.log.error({ deviceId: endpoint, err }, 'lwm2m queue drain failed')).finally(() => this.draining.delete(endpoint));
  }

  private async drain(endpoint: string): Promise<void> {
    for (;;) {
      if (!this.o.reachable(endpoint)) return;
      const row = this.o.store.openRequests(endpoint)[0];
      if (!row) return;
      const now = Date.now();
      if (row.expires_ms <= now) {
        await this.finish(endpoint, row.id, 'expired', failure('LWM2M_ERR_EXPIRED', `not delivered within its TTL (queued ${new Date(row.created_ms).toISOString()})`));
        continue;
      }
      await this.o.store.write(() => this.o.store.markSent(row.id));
      let result: RequestResult;
      try {
        result = await this.o.execute(endpoint, row.id, JSON.parse(row.spec) as RequestSpec);
      } catch (err) {
        const code = isYiwangError(err) ? err.code : 'LWM2M_ERR_DEVICE';
        const message = (err as Error).message;
        if (code === 'LWM2M_ERR_TIMEOUT' && row.attempts + 1 < this.o.maxAttempts) {
          // The device went to sleep (or the answer was lost): keep the request for its next wake.
          await this.o.store.write(() => this.o.store.markPending(row.id));
          this.o.log.info({ deviceId: endpoint, id: row.id, code }, 'lwm2m request kept for the next wake');
          return;
        }
        result = failure(code, message);
      }
      await this.finish(endpoint, row.id, result.ok ? 'done' : 'failed', result);
    }
  }

  /** Expires open requests whose TTL ran out while their device slept. */
  async sweep(now: number): Promise<void> {
    for (const endpoint of [...this.open.keys()]) {
      if (this.draining.has(endpoint)) continue;
      for (const row of this.o.store.openRequests(endpoint)) {
        if (row.expires_ms <= now) await this.finish(endpoint, row.id, 'expired', failure('LWM2M_ERR_EXPIRED', 'not delivered within its TTL'));
      }
    }
  }
}
