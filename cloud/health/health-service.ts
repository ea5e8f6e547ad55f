/**
 * Fleet health: the status of every gateway from its MQTT session and Health messages, device
 * timeouts, cloud-raised alarms (gateway_offline) and fleet summaries. Status changes are kept in
 * memory and written with their counter deltas once per flush window; device states and events
 * from batches are counted by the store inside the ingest transaction.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../../common/log.js';
import type { Health } from '../../proto/index.js';
import type { CloudStore } from '../store/store.js';
import { CounterDeltas, gatewayContribution, gatewayScopes, type Metric } from './counters.js';
import { judge, snapshotOf, type StatusPolicy } from './status.js';
import { buildSummary, type FleetSummary } from './summary.js';
import { queryTable, type GatewayTableQuery, type GatewayRow } from './gateway-table.js';
import type { BacklogPoint, GatewayHealthRecord, GatewayStatus, GatewayTags, HealthSnapshot } from './types.js';

export interface HealthServiceOptions {
  store: CloudStore;
  log: Logger;
  policy: StatusPolicy;
  flushMs: number;
  sweepMs: number;
  historyPointMs: number;
  historyKeepMs: number;
  now?: () => number;
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
  backlog?: BacklogPoint;
  lastPointMs: number;
}

export interface StatusChange { gatewayId: string; from: GatewayStatus; to: GatewayStatus; reasons: string[]; atMs: number; offlineForMs?: number }

export class HealthService extends EventEmitter<{ status: [StatusChange]; flushed: [] }> {
  private readonly gateways = new Map<string, GatewayState>();
  private readonly log: Logger;
  private readonly now: () => number;
  private timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> = Promise.resolve();
  /** Gateways created since this time are looked for on each sweep (created by the API or another node). */
  private loadedMs = 0;
  readonly counters = { healthMessages: 0, disconnects: 0, devicesExpired: 0, flushes: 0 };

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
      setInterval(() => void this.sweep(), this.o.sweepMs),
      setInterval(() => void this.o.store.pruneBacklog(this.now() - this.o.historyKeepMs).catch(() => {}), Math.min(this.o.historyKeepMs, 3_600_000)),
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
    const st: GatewayState = { rec, previous: null, connectedMs: null, counted: gatewayContribution(rec.status, rec.health), dirty: false, heard: rec.lastHeardMs !== null, lastPointMs: 0 };
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
    const st = await this.state(id);
    if (!st) return;
    const now = this.now();
    st.connectedMs = now;
    st.rec.sessionUp = true;
    st.rec.lastHeardMs = now;
    this.evaluate(st, now);
  }

  async sessionDown(id: string): Promise<void> {
    const st = await this.state(id);
    if (!st) return;
    const now = this.now();
    st.connectedMs = null;
    st.rec.sessionUp = false;
    st.rec.lastHeardMs = now;
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
    if (!st.rec.sessionUp || st.connectedMs === null) { st.rec.sessionUp = true; st.connectedMs ??= now; }
    if (now - st.lastPointMs >= this.o.historyPointMs) {
      st.lastPointMs = now;
      st.backlog = { tsMs: now, rows: st.rec.health.storeRows, bytes: st.rec.health.storeBytes, oldestAgeMs: st.rec.health.oldestAgeMs };
    }
    st.dirty = true;
    this.evaluate(st, now);
  }

  private evaluate(st: GatewayState, now: number): void {
    const { status, reasons } = judge({ sessionUp: st.rec.sessionUp, lastHeardMs: st.rec.lastHeardMs, connectedMs: st.connectedMs, health: st.rec.health, previous: st.previous, nowMs: now }, this.o.policy);
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

  private alarmOnChange(c: StatusChange): void {
    const ev = { gatewayId: c.gatewayId, deviceId: '', type: 'gateway_offline', tsMs: c.atMs, attributes: {}, sourceId: '' };
    if (c.to === 'offline') void this.o.store.addEvents([{ ...ev, severity: 'warning', message: `gateway ${c.gatewayId} went offline`, active: true }], c.atMs).catch((err: Error) => this.log.error({ code: 'CLOUD_ERR_STORE', err: err.message }, 'alarm not stored'));
    else if (c.offlineForMs !== undefined) void this.o.store.addEvents([{ ...ev, severity: 'info', message: `gateway ${c.gatewayId} is back after ${Math.round((c.offlineForMs ?? 0) / 1000)} s`, active: false }], c.atMs).catch((err: Error) => this.log.error({ code: 'CLOUD_ERR_STORE', err: err.message }, 'alarm clear not stored'));
  }

  /** Writes changed gateways and their counter deltas in one transaction. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const writes = [];
      const deltas = new CounterDeltas();
      const done: [GatewayState, Partial<Record<Metric, number>>][] = [];
      for (const st of this.gateways.values()) {
        if (!st.dirty) continue;
        const now = gatewayContribution(st.rec.status, st.rec.health);
        const scopes = gatewayScopes(st.rec.gatewayId, st.rec.tags);
        deltas.addContribution(scopes, st.counted, -1);
        deltas.addContribution(scopes, now, 1);
        writes.push({ record: { ...st.rec, reasons: [...st.rec.reasons] }, backlog: st.backlog });
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
    });
    return this.flushing;
  }

  /** Times out silent gateways and devices past their deadline. */
  async sweep(): Promise<void> {
    const now = this.now();
    for (const rec of await this.o.store.loadGatewayHealth(this.loadedMs - 60_000)) if (!this.gateways.has(rec.gatewayId)) this.track(rec);
    this.loadedMs = now;
    for (const st of this.gateways.values()) this.evaluate(st, now);
    for (let round = 0; round < 20; round++) {
      const n = await this.o.store.expireDevices(now, 10_000);
      this.counters.devicesExpired += n;
      if (n < 10_000) break;
    }
  }

  async setTags(id: string, tags: GatewayTags): Promise<void> {
    await this.state(id);
    await this.flush();
    await this.o.store.setGatewayTags(id, tags);
    const st = this.gateways.get(id);
    if (st) st.rec.tags = { ...tags };
  }

  gateway(id: string): GatewayHealthRecord | undefined {
    return this.gateways.get(id)?.rec;
  }

  table(q: GatewayTableQuery): { total: number; offset: number; items: GatewayRow[] } {
    return queryTable([...this.gateways.values()].map((s) => s.rec), q);
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
