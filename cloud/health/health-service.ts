/**
 * Fleet health: the status of every gateway from its MQTT session and Health messages, device
 * timeouts, cloud-raised alarms (gateway_offline) and fleet summaries. Status changes are kept in
 * memory and written with their counter deltas once per flush window; device states and events
 * from batches are counted by the store inside the ingest transaction.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../../common/log.js';
import type { Health } from '../../proto/index.js';
import type { CloudStore } from '../store/cloud-store.js';
import { CounterDeltas, GATEWAY_METRICS, gatewayContribution, gatewayScopes, type Metric } from './counters.js';
import { judge, snapshotOf, type StatusPolicy } from './status.js';
import { buildSummary, type FleetSummary } from './summary.js';
import { queryTable, type GatewayTableQuery, type GatewayRow } from './gateway-table.js';
import type {
  BacklogPoint,
  GatewayHealthRecord,
  GatewayStatus,
  GatewayTags,
  HealthSnapshot,
  NewEvent,
} from './types.js';

/** Gateways written per flush transaction. */
const FLUSH_CHUNK = 250;
/** Devices timed out per sweep transaction (the sweep yields between them). */
const EXPIRE_CHUNK = 500;
/** Events deleted per retention transaction. */
const PRUNE_CHUNK = 5000;

export interface HealthServiceOptions {
  store: CloudStore;
  log: Logger;
  policy: StatusPolicy;
  flushMs: number;
  sweepMs: number;
  historyPointMs: number;
  historyKeepMs: number;
  /** Events kept in the store (newest; open alarms always); 0 = all. */
  eventsKeep?: number;
  now?: () => number;
  /** Whether this node runs the cluster-wide parts of the sweep (device timeouts, pruning); default: always. */
  isLeader?: () => boolean;
  /**
   * The store is shared with other cloud nodes (PostgreSQL). Then this node writes only the
   * gateways whose session it holds (and, as the leader, times out the silent ones no node holds);
   * every sweep refreshes the others from the store, so any node shows the whole fleet.
   */
  shared?: boolean;
}

interface GatewayState {
  rec: GatewayHealthRecord;
  previous: HealthSnapshot | null;
  /** When this node saw the session come up (null: not connected here). */
  connectedMs: number | null;
  /** What the store currently counts for this gateway. */
  counted: Partial<Record<Metric, number>>;
  dirty: boolean;
  /** Heard at least once (a never-connected gateway coming up is no return from an outage). */
  heard: boolean;
  backlog?: BacklogPoint | undefined;
  lastPointMs: number;
}

export interface StatusChange {
  gatewayId: string;
  from: GatewayStatus;
  to: GatewayStatus;
  reasons: string[];
  atMs: number;
  offlineForMs?: number;
}

export class HealthService extends EventEmitter<{ status: [StatusChange]; flushed: [] }> {
  private readonly gateways = new Map<string, GatewayState>();
  private readonly log: Logger;
  private readonly now: () => number;
  private timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private pendingEvents: NewEvent[] = [];
  /** Revoked gateways seen by this node: their session's end is no "offline" alarm (bounded by the fleet: removed on forget). */
  private readonly revokedIds = new Set<string>();
  /** Gateways created since this time are looked for on each sweep (created by the API or another node). */
  private loadedMs = 0;
  readonly counters = {
    healthMessages: 0,
    disconnects: 0,
    devicesExpired: 0,
    flushes: 0,
    eventsPruned: 0,
    sweepErrors: 0,
  };

  constructor(private readonly o: HealthServiceOptions) {
    super();
    this.log = o.log.child({ component: 'health' });
    this.now = o.now ?? Date.now;
  }

  async start(): Promise<void> {
    this.loadedMs = this.now();
    for (const rec of await this.o.store.loadGatewayHealth()) this.track(rec);
    this.timers = [
      setInterval(() => void this.flush(), this.o.flushMs),
      setInterval(
        () =>
          void this.sweep().catch((err: unknown) => {
            this.counters.sweepErrors++;
            this.log.error(
              { code: 'CLOUD_ERR_STORE', err: String((err as Error | undefined)?.message ?? err) },
              'health sweep failed; next one retries',
            );
          }),
        this.o.sweepMs,
      ),
      setInterval(
        () => void (this.leads() ? this.o.store.pruneBacklog(this.now() - this.o.historyKeepMs).catch(() => {}) : 0),
        Math.min(this.o.historyKeepMs, 3_600_000),
      ),
    ];
    for (const t of this.timers) t.unref();
    this.log.info({ gateways: this.gateways.size }, 'health service started');
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.flush();
  }

  private track(rec: GatewayHealthRecord): GatewayState {
    const st: GatewayState = {
      rec,
      previous: null,
      connectedMs: null,
      counted: gatewayContribution(rec.status, rec.health),
      dirty: false,
      heard: rec.lastHeardMs !== null,
      lastPointMs: 0,
    };
    this.gateways.set(rec.gatewayId, st);
    return st;
  }

  /** The state of a gateway, loaded from the store when it was created after start. */
  private async state(id: string): Promise<GatewayState | undefined> {
    const st = this.gateways.get(id);
    if (st) return st;
    const rec = await this.o.store.getGatewayHealth(id);
    return rec && (this.gateways.get(id) ?? this.track(rec));
  }

  async sessionUp(id: string): Promise<void> {
    let st = await this.state(id);
    if (!st) return;
    // taking a session over from another node: start from what the store holds (and counts) now
    if (this.o.shared && st.connectedMs === null && !st.dirty) {
      const rec = await this.o.store.getGatewayHealth(id);
      if (rec && this.gateways.get(id) === st) st = this.refresh(st, rec);
    }
    const now = this.now();
    st.connectedMs = now;
    st.rec.sessionUp = true;
    st.rec.lastHeardMs = now;
    st.dirty = true; // the session state goes to the registry with the next flush
    this.evaluate(st, now);
  }

  async sessionDown(id: string): Promise<void> {
    const st = await this.state(id);
    if (!st) return;
    const now = this.now();
    st.connectedMs = null;
    st.rec.sessionUp = false;
    st.rec.lastHeardMs = now;
    st.dirty = true;
    this.counters.disconnects++;
    this.evaluate(st, now);
  }

  async health(id: string, h: Health): Promise<void> {
    const st = await this.state(id);
    if (!st) return;
    const now = this.now();
    this.counters.healthMessages++;
    st.previous = st.rec.health;
    st.rec.health = snapshotOf(h, now);
    st.rec.lastHeardMs = now;
    // a Health proves a session even when this node missed its start (restart, other node)
    if (!st.rec.sessionUp || st.connectedMs === null) {
      st.rec.sessionUp = true;
      st.connectedMs ??= now;
    }
    if (now - st.lastPointMs >= this.o.historyPointMs) {
      st.lastPointMs = now;
      st.backlog = {
        tsMs: now,
        rows: st.rec.health.storeRows,
        bytes: st.rec.health.storeBytes,
        oldestAgeMs: st.rec.health.oldestAgeMs,
      };
    }
    st.dirty = true;
    this.evaluate(st, now);
  }

  private evaluate(st: GatewayState, now: number): void {
    if (this.gateways.get(st.rec.gatewayId) !== st) return; // removed meanwhile (forget): nothing of it is raised or written again
    const { status, reasons } = judge(
      {
        sessionUp: st.rec.sessionUp,
        lastHeardMs: st.rec.lastHeardMs,
        connectedMs: st.connectedMs,
        health: st.rec.health,
        previous: st.previous,
        nowMs: now,
      },
      this.o.policy,
    );
    const from = st.rec.status;
    if (status === from && reasons.join() === st.rec.reasons.join()) return;
    st.dirty = true;
    st.rec.reasons = reasons;
    if (status === from) return;
    const change: StatusChange = { gatewayId: st.rec.gatewayId, from, to: status, reasons, atMs: now };
    if (from === 'offline' && st.heard) change.offlineForMs = now - st.rec.sinceMs;
    st.heard = true;
    st.rec.status = status;
    st.rec.sinceMs = now;
    this.log.info({ gatewayId: change.gatewayId, from, to: status, reasons }, 'gateway status changed');
    this.alarmOnChange(change);
    this.emit('status', change);
  }

  /**
   * A gateway was revoked (before its session is closed): the session's end raises no
   * gateway_offline alarm, and the node that revoked it (`record`) stores a gateway_revoked event
   * instead, clearing an open offline alarm. Other nodes learn it from the store's revocations.
   */
  revoked(id: string, record: boolean, atMs = this.now()): void {
    if (this.revokedIds.has(id)) return;
    this.revokedIds.add(id);
    if (!record) return;
    if (this.gateways.get(id)?.rec.status === 'offline')
      this.pendingEvents.push({
        gatewayId: id,
        deviceId: '',
        type: 'gateway_offline',
        tsMs: atMs,
        attributes: {},
        sourceId: '',
        severity: 'info',
        message: `gateway ${id} revoked: its offline alarm is cleared`,
        active: false,
      });
    this.pendingEvents.push({
      gatewayId: id,
      deviceId: '',
      type: 'gateway_revoked',
      tsMs: atMs,
      attributes: {},
      sourceId: '',
      severity: 'info',
      message: `gateway ${id} revoked by an operator; it can no longer connect`,
      active: false,
    });
  }

  /** gateway_offline alarms and their clears, stored with the next flush (one transaction for all). */
  private alarmOnChange(c: StatusChange): void {
    if (this.revokedIds.has(c.gatewayId)) return; // a revoked gateway is not "offline"
    const ev = {
      gatewayId: c.gatewayId,
      deviceId: '',
      type: 'gateway_offline',
      tsMs: c.atMs,
      attributes: {},
      sourceId: '',
    };
    if (c.to === 'offline')
      this.pendingEvents.push({
        ...ev,
        severity: 'warning',
        message: `gateway ${c.gatewayId} went offline`,
        active: true,
      });
    else if (c.offlineForMs !== undefined)
      this.pendingEvents.push({
        ...ev,
        severity: 'info',
        message: `gateway ${c.gatewayId} is back after ${Math.round((c.offlineForMs ?? 0) / 1000)} s`,
        active: false,
      });
  }

  /**
   * Writes changed gateways with their counter deltas, FLUSH_CHUNK gateways per transaction
   * (each chunk's deltas match its records), yielding between chunks so that a flush of a whole
   * fleet's Health never holds the event loop for long; then the pending cloud-raised events.
   */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const dirty = [...this.gateways.values()].filter((st) => st.dirty);
      for (let i = 0; i < dirty.length; i += FLUSH_CHUNK) {
        if (i > 0) await new Promise((r) => setImmediate(r));
        await this.flushChunk(dirty.slice(i, i + FLUSH_CHUNK));
      }
      if (this.pendingEvents.length) {
        const events = this.pendingEvents;
        this.pendingEvents = [];
        try {
          await this.o.store.addEvents(events, this.now());
        } catch (err) {
          this.pendingEvents.unshift(...events);
          this.log.error(
            { code: 'CLOUD_ERR_STORE', err: (err as Error).message },
            'gateway alarms not stored; retrying',
          );
        }
      }
    });
    return this.flushing;
  }

  private async flushChunk(chunk: GatewayState[]): Promise<void> {
    const writes = [];
    const deltas = new CounterDeltas();
    const done: [GatewayState, Partial<Record<Metric, number>>][] = [];
    for (const st of chunk) {
      if (!st.dirty) continue;
      const now = gatewayContribution(st.rec.status, st.rec.health);
      // only the figures that moved (a Health usually moves the backlog and nothing else)
      let scopes: ReturnType<typeof gatewayScopes> | undefined;
      for (const m of GATEWAY_METRICS) {
        const d = (now[m] ?? 0) - (st.counted[m] ?? 0);
        if (d !== 0) {
          scopes ??= gatewayScopes(st.rec.gatewayId, st.rec.tags);
          deltas.addAll(scopes, m, d);
        }
      }
      writes.push({
        record: { ...st.rec, reasons: [...st.rec.reasons] },
        ...(st.backlog ? { backlog: st.backlog } : {}),
      });
      done.push([st, now]);
      st.dirty = false;
      st.backlog = undefined;
    }
    if (!writes.length) return;
    try {
      await this.o.store.saveGatewayHealth(writes, deltas);
      for (const [st, c] of done) st.counted = c;
      this.counters.flushes++;
      this.emit('flushed');
    } catch (err) {
      for (const [st] of done) st.dirty = true;
      this.log.error({ code: 'CLOUD_ERR_STORE', err: (err as Error).message }, 'health flush failed; retrying');
    }
  }

  /**
   * A gateway this node does not hold, as another node wrote it: the record and what the store
   * counts for it; a status change shows in the live feed (its alarm was raised by that node).
   */
  private refresh(st: GatewayState, rec: GatewayHealthRecord): GatewayState {
    const before = st.rec.status;
    st.rec = rec;
    st.counted = gatewayContribution(rec.status, rec.health);
    st.heard ||= rec.lastHeardMs !== null;
    if (rec.status !== before)
      this.emit('status', {
        gatewayId: rec.gatewayId,
        from: before,
        to: rec.status,
        reasons: rec.reasons,
        atMs: rec.sinceMs,
      });
    return st;
  }

  /** Times out silent gateways and devices past their deadline. */
  async sweep(): Promise<void> {
    const now = this.now();
    if (this.o.shared) {
      // the whole fleet as the other nodes wrote it (one query); ours are the sessions we hold
      for (const rec of await this.o.store.loadGatewayHealth()) {
        const st = this.gateways.get(rec.gatewayId);
        if (!st) this.track(rec);
        else if (st.connectedMs === null && !st.dirty) this.refresh(st, rec);
      }
    } else
      for (const rec of await this.o.store.loadGatewayHealth(this.loadedMs - 60_000))
        if (!this.gateways.has(rec.gatewayId)) this.track(rec);
    this.loadedMs = now;
    const leads = this.leads();
    // shared: a node judges the sessions it holds; the leader also times out those silent in the store
    // (a dead node's gateways), and leaves the rest to the nodes holding them
    for (const st of this.gateways.values())
      if (!this.o.shared || st.connectedMs !== null || (leads && this.silentInStore(st, now))) this.evaluate(st, now);
    if (!leads) return; // device timeouts and pruning: one node of a cluster does them
    // at most 200,000 per sweep, in short transactions: a mass timeout never holds the loop for long
    for (let round = 0; round < 400; round++) {
      if (round > 0) await new Promise((r) => setImmediate(r));
      const n = await this.o.store.expireDevices(now, EXPIRE_CHUNK);
      this.counters.devicesExpired += n;
      if (n < EXPIRE_CHUNK) break;
    }
    // events retention: the oldest beyond health.events_keep, in short transactions
    const keep = this.o.eventsKeep ?? 0;
    for (let round = 0; keep > 0 && round < 20; round++) {
      await new Promise((r) => setImmediate(r));
      const n = await this.o.store.pruneEvents(keep, PRUNE_CHUNK);
      this.counters.eventsPruned += n;
      if (n < PRUNE_CHUNK) break;
    }
  }

  private silentInStore(st: GatewayState, now: number): boolean {
    return st.rec.status !== 'offline' && now - (st.rec.lastHeardMs ?? st.rec.sinceMs) >= this.o.policy.silenceMs;
  }

  private leads(): boolean {
    return this.o.isLeader?.() ?? true;
  }

  /** Sets the tags given ('' clears one; one left out stays); returns the gateway's tags after. */
  async setTags(id: string, tags: Partial<GatewayTags>): Promise<GatewayTags> {
    await this.state(id);
    await this.flush();
    const after = await this.o.store.setGatewayTags(id, tags);
    const st = this.gateways.get(id);
    if (st) st.rec.tags = { ...after };
    return after;
  }

  /**
   * Removes a gateway: `remove` (the store's deletion) runs after the pending writes, in the flush
   * chain, and the gateway leaves memory with it (nothing of it is written again); when `remove`
   * fails the gateway stays.
   */
  forget<T>(id: string, remove: () => Promise<T>): Promise<T> {
    const done = this.flushing.then(async () => {
      const out = await remove();
      this.gateways.delete(id);
      this.revokedIds.delete(id);
      this.pendingEvents = this.pendingEvents.filter((e) => e.gatewayId !== id);
      return out;
    });
    this.flushing = done.then(
      () => {},
      () => {},
    );
    return done;
  }

  /**
   * Which of these gateways have a session: held by this node, or (shared store) by another as it
   * last wrote it — asked of the store (one statement per 1,000 ids), not of this node's copy,
   * which is as old as the last sweep. A rollout asks for its whole wave at once.
   */
  async onlineAmong(ids: readonly string[]): Promise<Set<string>> {
    const up = new Set<string>();
    const ask: string[] = [];
    for (const id of ids) {
      const st = this.gateways.get(id);
      if (st && st.connectedMs !== null) up.add(id);
      else if (this.o.shared) ask.push(id);
      else if (st ? st.rec.sessionUp : (await this.o.store.getGateway(id))?.online) up.add(id);
    }
    if (ask.length)
      for (const [id, rec] of await this.o.store.getGatewayHealthMany(ask))
        if (rec.sessionUp && rec.status !== 'offline') up.add(id);
    return up;
  }

  gateway(id: string): GatewayHealthRecord | undefined {
    return this.gateways.get(id)?.rec;
  }

  /** One page of the gateways table; `revoked` (id → when) shows those gateways as status `revoked`. */
  table(
    q: GatewayTableQuery,
    revoked?: ReadonlyMap<string, number>,
  ): { total: number; offset: number; items: GatewayRow[] } {
    return queryTable(
      [...this.gateways.values()].map((s) => s.rec),
      q,
      revoked,
    );
  }

  /** Gateways per status, from memory (for metrics). */
  statusCounts(): Record<GatewayStatus, number> {
    const c: Record<GatewayStatus, number> = { online: 0, degraded: 0, offline: 0 };
    for (const s of this.gateways.values()) c[s.rec.status]++;
    return c;
  }

  /** Longest oldest-unsent age over the fleet (ms). */
  maxBacklogAgeMs(): number {
    let m = 0;
    for (const s of this.gateways.values()) m = Math.max(m, s.rec.health?.oldestAgeMs ?? 0);
    return m;
  }

  summary(withSites = false): Promise<FleetSummary> {
    return buildSummary((scope) => this.o.store.counters(scope), withSites, this.now());
  }
}
