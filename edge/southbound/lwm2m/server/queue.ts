/**
 * The per-device downlink queue (queue mode). Every device management request is stored in
 * SQLite first, then sent in order, one at a time, while the device is reachable: always for
 * `U` devices, and for queue-mode devices only inside the awake window after they talked
 * (Register, Update, Notify, Send). Requests wait at most their TTL; a pending write to the same
 * resource is superseded by a newer one (coalescing). Results are stored with the request and
 * handed to whoever waits for them; the queue survives agent restarts.
 *
 * Bounded: open requests per device and in all (count and bytes of their stored JSON) are
 * refused beyond their limits with a coded error, and at most `maxInflight` requests are out to
 * devices at once; a device ready while all slots are taken waits its turn (first come, first
 * served), so thousands of devices that never answer cannot hold thousands of CoAP exchanges.
 */
import type { Logger } from '../../../../common/log.js';
import { isYiwangError, YiwangError } from '../../../../common/errors.js';
import type { Lwm2mStore, QueueRow, RequestState } from './store.js';
import type { RequestResult, RequestSpec } from './requests.js';
import { serverError } from './errors.js';

export interface QueueLimits {
  /** Open requests of one device. */
  maxPerDevice: number;
  /** Bytes (characters of the stored JSON) of the open requests of one device. */
  maxBytesPerDevice: number;
  /** Open requests of all devices. */
  maxTotal: number;
  maxTotalBytes: number;
  /** Requests sent and not answered yet, all devices. */
  maxInflight: number;
}

export interface QueueOptions extends QueueLimits {
  store: Lwm2mStore;
  log: Logger;
  ttlMs: number;
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
    id: r.id,
    op: r.op,
    path: r.path,
    state: r.state,
    attempts: r.attempts,
    createdAt: new Date(r.created_ms).toISOString(),
    expiresAt: new Date(r.expires_ms).toISOString(),
    ...(r.result ? { result: JSON.parse(r.result) as RequestResult } : {}),
  };
}

/**
 * What `execute` throws when the device did not answer in time (LWM2M_ERR_TIMEOUT), with whether
 * the device is in queue mode: one that sleeps gets the request again on its next wake; one that
 * should always be reachable gets it again at once, until the request's attempts are used up.
 */
export class DeviceTimeout extends YiwangError {
  constructor(
    detail: string,
    readonly queueMode: boolean,
    cause?: unknown,
  ) {
    super('LWM2M_ERR_TIMEOUT', detail, cause === undefined ? undefined : { cause });
  }
}

const failure = (code: string, message: string): RequestResult => ({ ok: false, error: { code, message } });

interface Open {
  n: number;
  bytes: number;
}

export class DownlinkQueue {
  /** Results awaited, by request id: one promise per request however many wait for it (bounded by the open requests). */
  private readonly waiters = new Map<
    number,
    { promise: Promise<RequestResult>; resolve: (r: RequestResult) => void }
  >();
  /** Open (pending or in-flight) requests per device, kept in memory for the device list and the limits. */
  private readonly open: Map<string, Open>;
  private readonly draining = new Set<string>();
  /** Devices ready to be sent a request while every in-flight slot was taken, first come first served. */
  private readonly waiting = new Set<string>();
  private inflight = 0;
  private totals = { n: 0, bytes: 0 };
  counters = { refusedDevice: 0, refusedTotal: 0, slotWaits: 0 };

  constructor(private readonly o: QueueOptions) {
    this.open = o.store.openCounts();
    for (const v of this.open.values()) {
      this.totals.n += v.n;
      this.totals.bytes += v.bytes;
    }
  }

  pending(endpoint: string): number {
    return this.open.get(endpoint)?.n ?? 0;
  }

  /** Open requests and their bytes in all, requests out to devices now, devices waiting for a slot. */
  stats(): { open: number; openBytes: number; inflight: number; waitingForSlot: number } {
    return {
      open: this.totals.n,
      openBytes: this.totals.bytes,
      inflight: this.inflight,
      waitingForSlot: this.waiting.size,
    };
  }

  private account(endpoint: string, n: number, bytes: number): void {
    const cur = this.open.get(endpoint) ?? { n: 0, bytes: 0 };
    cur.n = Math.max(0, cur.n + n);
    cur.bytes = Math.max(0, cur.bytes + bytes);
    this.totals.n = Math.max(0, this.totals.n + n);
    this.totals.bytes = Math.max(0, this.totals.bytes + bytes);
    if (cur.n === 0) this.open.delete(endpoint);
    else this.open.set(endpoint, cur);
  }

  /**
   * Refuses a request of `bytes` that would take the device or all devices past their limits
   * (`replaces`: the pending requests it supersedes, which leave as it comes).
   */
  private checkRoom(endpoint: string, bytes: number, replaces = { n: 0, bytes: 0 }): void {
    const cur = this.open.get(endpoint) ?? { n: 0, bytes: 0 };
    if (cur.n + 1 - replaces.n > this.o.maxPerDevice || cur.bytes + bytes - replaces.bytes > this.o.maxBytesPerDevice) {
      this.counters.refusedDevice++;
      throw serverError(
        'LWM2M_ERR_QUEUE_FULL',
        `${endpoint} has ${cur.n} open requests of ${cur.bytes} bytes (limits ${this.o.maxPerDevice} requests, ${this.o.maxBytesPerDevice} bytes)`,
      );
    }
    if (
      this.totals.n + 1 - replaces.n > this.o.maxTotal ||
      this.totals.bytes + bytes - replaces.bytes > this.o.maxTotalBytes
    ) {
      this.counters.refusedTotal++;
      throw serverError(
        'LWM2M_ERR_QUEUE_TOTAL',
        `all devices have ${this.totals.n} open requests of ${this.totals.bytes} bytes (limits ${this.o.maxTotal} requests, ${this.o.maxTotalBytes} bytes)`,
      );
    }
  }

  /** Stores a request (durably) and starts sending if the device is reachable. */
  async submit(
    endpoint: string,
    spec: RequestSpec,
    key: string,
    coalesce: boolean,
  ): Promise<{ id: number; superseded: number[] }> {
    const json = JSON.stringify(spec);
    // a newer write to the same resource takes the place of the pending one: it always fits where that one was
    this.checkRoom(
      endpoint,
      json.length,
      coalesce ? this.o.store.pendingSame(endpoint, `${spec.op}:${key}`) : undefined,
    );
    this.account(endpoint, 1, json.length); // reserved now: submits waiting for the same commit count too
    const now = Date.now();
    const ttl = spec.ttlMs ?? this.o.ttlMs;
    let r: { id: number; superseded: { id: number; bytes: number }[] };
    try {
      r = await this.o.store.write(() => {
        const x = this.o.store.enqueue(
          endpoint,
          spec.op,
          key,
          json,
          coalesce ? `${spec.op}:${key}` : null,
          now,
          now + ttl,
        );
        for (const old of x.superseded)
          this.o.store.finish(
            old.id,
            'superseded',
            failure('LWM2M_ERR_SUPERSEDED', `superseded by request ${x.id}`),
            now,
          );
        return x;
      });
    } catch (err) {
      this.account(endpoint, -1, -json.length);
      throw err;
    }
    const { id } = r;
    const superseded = r.superseded.map((x) => x.id);
    for (const old of r.superseded) this.account(endpoint, -1, -old.bytes);
    for (const old of superseded) this.settle(old, failure('LWM2M_ERR_SUPERSEDED', `superseded by request ${id}`));
    this.o.log.debug({ deviceId: endpoint, id, op: spec.op, path: key, superseded }, 'lwm2m request queued');
    this.kick(endpoint);
    return { id, superseded };
  }

  /** Resolves with the request's result once it is final (at once when it already is). */
  result(id: number): Promise<RequestResult> {
    const row = this.o.store.request(id);
    if (!row) return Promise.resolve(failure('LWM2M_ERR_REQUEST', `no request ${id}`));
    if (row.state !== 'pending' && row.state !== 'sent')
      return Promise.resolve(JSON.parse(row.result ?? 'null') as RequestResult);
    let w = this.waiters.get(id);
    if (!w) {
      let resolve: (r: RequestResult) => void = () => undefined;
      const promise = new Promise<RequestResult>((r) => {
        resolve = r;
      });
      w = { promise, resolve };
      this.waiters.set(id, w);
    }
    return w.promise;
  }

  list(endpoint: string, recent = 20): { open: RequestView[]; recent: RequestView[] } {
    return {
      open: this.o.store.openRequests(endpoint).map(requestView),
      recent: this.o.store
        .recentRequests(endpoint, recent)
        .filter((r) => r.state !== 'pending' && r.state !== 'sent')
        .map(requestView),
    };
  }

  private settle(id: number, result: RequestResult): void {
    const w = this.waiters.get(id);
    this.waiters.delete(id);
    w?.resolve(result);
  }

  private async finish(
    endpoint: string,
    id: number,
    bytes: number,
    state: RequestState,
    result: RequestResult,
  ): Promise<void> {
    await this.o.store.write(() => this.o.store.finish(id, state, result, Date.now()));
    this.account(endpoint, -1, -bytes);
    this.settle(id, result);
  }

  /** Fails every open request of a device whose registration was removed. */
  async drop(endpoint: string, why: string): Promise<void> {
    this.waiting.delete(endpoint);
    for (const row of this.o.store.openRequests(endpoint)) {
      await this.finish(endpoint, row.id, row.spec.length, 'expired', failure('LWM2M_ERR_EXPIRED', why));
    }
  }

  /** Sends the device's open requests in order while it stays reachable. No-op if already running. */
  kick(endpoint: string): void {
    if (this.draining.has(endpoint) || this.pending(endpoint) === 0 || !this.o.reachable(endpoint)) return;
    this.draining.add(endpoint);
    void this.drain(endpoint)
      .catch((err: unknown) => this.o.log.error({ deviceId: endpoint, err }, 'lwm2m queue drain failed'))
      .finally(() => this.draining.delete(endpoint));
  }

  /** A slot came free: the devices that waited longest for one get it. */
  private nextWaiting(): void {
    for (const ep of this.waiting) {
      if (this.inflight >= this.o.maxInflight) return;
      this.waiting.delete(ep);
      this.kick(ep);
    }
  }

  private async drain(endpoint: string): Promise<void> {
    for (;;) {
      if (!this.o.reachable(endpoint)) return;
      const row = this.o.store.openRequests(endpoint)[0];
      if (!row) return;
      const now = Date.now();
      if (row.expires_ms <= now) {
        await this.finish(
          endpoint,
          row.id,
          row.spec.length,
          'expired',
          failure(
            'LWM2M_ERR_EXPIRED',
            `not delivered within its TTL (queued ${new Date(row.created_ms).toISOString()})`,
          ),
        );
        continue;
      }
      if (this.inflight >= this.o.maxInflight) {
        this.counters.slotWaits++;
        this.waiting.add(endpoint);
        return;
      }
      this.inflight++;
      let result: RequestResult | undefined;
      let next: 'wait' | 'again' | 'failed' | undefined;
      let code: string | undefined;
      try {
        await this.o.store.write(() => this.o.store.markSent(row.id));
        result = await this.o.execute(endpoint, row.id, JSON.parse(row.spec) as RequestSpec);
      } catch (err) {
        code = isYiwangError(err) ? err.code : 'LWM2M_ERR_DEVICE';
        const message = (err as Error).message;
        next = this.afterError(endpoint, row, err, code);
        if (next === 'failed') result = failure(code, message);
      } finally {
        this.inflight--;
        this.nextWaiting();
      }
      if (next === 'wait') {
        // Nothing was sent (address taken) or the device sleeps: the request waits for the device.
        await this.o.store.write(() => this.o.store.markPending(row.id, code === 'LWM2M_ERR_ADDRESS_TAKEN'));
        return;
      }
      if (next === 'again') {
        await this.o.store.write(() => this.o.store.markPending(row.id));
        continue;
      }
      if (!result!.ok && result!.error?.code === 'LWM2M_ERR_NOT_SUPPORTED' && result!.coapCode)
        this.o.log.info(
          { deviceId: endpoint, id: row.id, op: row.op, coapCode: result!.coapCode },
          'lwm2m device does not support composite operations: request failed, later ones fail without being sent until it registers again',
        );
      await this.finish(endpoint, row.id, row.spec.length, result!.ok ? 'done' : 'failed', result!);
    }
  }

  /**
   * What becomes of a request whose execution threw: 'wait' for the device (its address was taken,
   * or it is in queue mode and timed out: the next wake), 'again' at once (a device not in queue mode
   * timed out), or 'failed' (attempts used up, or another error). Logs which, with the attempts made.
   */
  private afterError(endpoint: string, row: QueueRow, err: unknown, code: string): 'wait' | 'again' | 'failed' {
    const log = { deviceId: endpoint, id: row.id, op: row.op, code };
    if (code === 'LWM2M_ERR_ADDRESS_TAKEN') {
      this.o.log.debug(
        { ...log, err: (err as Error).message },
        'lwm2m request not sent: the address of the device was taken over',
      );
      return 'wait';
    }
    if (code !== 'LWM2M_ERR_TIMEOUT') return 'failed';
    const attempt = row.attempts + 1;
    const queueMode = err instanceof DeviceTimeout ? err.queueMode : undefined;
    if (attempt >= this.o.maxAttempts) {
      this.o.log.warn(
        { ...log, attempts: attempt, queueMode },
        `lwm2m request failed after ${attempt} attempts: the device did not answer`,
      );
      return 'failed';
    }
    const at = { ...log, attempt, maxAttempts: this.o.maxAttempts };
    if (queueMode === false) {
      this.o.log.debug(at, `lwm2m request timed out (attempt ${attempt} of ${this.o.maxAttempts}): sent again now`);
      return 'again';
    }
    if (queueMode === true) {
      // The device went to sleep (or the answer was lost): keep the request for its next wake.
      this.o.log.debug(at, 'lwm2m request timed out: kept for the next wake of the queue-mode device');
      return 'wait';
    }
    this.o.log.debug(at, 'lwm2m request timed out: kept until the device talks again');
    return 'wait';
  }

  /** Expires open requests whose TTL ran out while their device slept (an index lookup, at most 1000 a sweep). */
  async sweep(now: number): Promise<void> {
    for (const row of this.o.store.expiredOpen(now, 1000)) {
      if (this.draining.has(row.endpoint)) continue;
      await this.finish(
        row.endpoint,
        row.id,
        row.bytes,
        'expired',
        failure('LWM2M_ERR_EXPIRED', 'not delivered within its TTL'),
      );
    }
  }
}
