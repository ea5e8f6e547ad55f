/**
 * SQLite implementation of the health tables (HealthStore, health-store.ts). Every change applies its counter deltas in
 * the transaction that makes it; `onBatch` runs inside the ingest transaction of a batch.
 */
import type Database from 'better-sqlite3';
import type { EventInput } from '../../proto/reading.js';
import { CounterDeltas, gatewayContribution, gatewayScopes } from '../health/counters.js';
import { newEventOf } from '../health/event-of.js';
import { nextPresence, presenceEvent, type DeviceSeen } from '../health/presence.js';
import type {
  BacklogPoint,
  CounterRow,
  CounterScope,
  DeviceRegistration,
  EventQuery,
  EventRecord,
  GatewayHealthRecord,
  GatewayStatus,
  GatewayTags,
  NewEvent,
  Severity,
} from '../health/types.js';
import type { DevicePolicy, DeviceQuery, GatewayHealthWrite } from './health-store.js';
import type { DeviceRecord } from './cloud-store.js';
import { HEALTH_COLUMNS, HEALTH_DDL, HEALTH_INDEXES } from './sqlite-health-schema.js';
import { addMissingColumns } from './sqlite-cloud-schema.js';

interface DevState {
  gateway_id: string;
  type: string;
  online: number;
  interval_s: number;
  deadline_ms: number;
  last_reading_ts: number;
}
interface EventRow {
  id: number;
  gateway_id: string;
  device_id: string;
  type: string;
  severity: string;
  ts_ms: number;
  received_ms: number;
  message: string;
  attributes: string;
  active: number;
  alarm: number;
  acked_ms: number | null;
  acked_by: string | null;
  cleared_ms: number | null;
}
interface HealthRow {
  id: string;
  created_ms: number;
  district: string;
  site: string;
  grp: string;
  status: string | null;
  reasons: string | null;
  since_ms: number | null;
  session_up: number | null;
  last_heard_ms: number | null;
  health: string | null;
}
export interface DeviceRow {
  id: string;
  gateway_id: string;
  first_seen_ms: number;
  last_seen_ms: number;
  last_reading_ts: number;
  readings: number;
  type: string;
  interval_s: number;
  online: number;
  deadline_ms: number;
}

export const deviceRecord = (r: DeviceRow, p: DevicePolicy): DeviceRecord => ({
  id: r.id,
  gatewayId: r.gateway_id,
  firstSeenMs: r.first_seen_ms,
  lastSeenMs: r.last_seen_ms,
  lastReadingTs: r.last_reading_ts,
  readings: r.readings,
  type: r.type,
  intervalS: r.interval_s || p.defaultIntervalS,
  online: r.online === 1,
  offlineAtMs: r.online === 1 ? r.deadline_ms : null,
});

const eventRecord = (r: EventRow): EventRecord => ({
  id: r.id,
  gatewayId: r.gateway_id,
  deviceId: r.device_id,
  type: r.type,
  severity: r.severity as Severity,
  tsMs: r.ts_ms,
  receivedMs: r.received_ms,
  message: r.message,
  attributes: JSON.parse(r.attributes) as Record<string, string>,
  active: r.active === 1,
  alarm: r.alarm === 1,
  ackedMs: r.acked_ms,
  ackedBy: r.acked_by,
  clearedMs: r.cleared_ms,
});

const healthRecord = (r: HealthRow): GatewayHealthRecord => ({
  gatewayId: r.id,
  status: (r.status ?? 'offline') as GatewayStatus,
  reasons: r.reasons ? (JSON.parse(r.reasons) as GatewayHealthRecord['reasons']) : [],
  sinceMs: r.since_ms ?? r.created_ms,
  sessionUp: r.session_up === 1,
  lastHeardMs: r.last_heard_ms,
  tags: { district: r.district, site: r.site, group: r.grp },
  health: r.health ? (JSON.parse(r.health) as GatewayHealthRecord['health']) : null,
});

export class SqliteHealth {
  private readonly s;
  private readonly tagCache = new Map<string, GatewayTags>();

  constructor(
    private readonly db: Database.Database,
    readonly policy: DevicePolicy,
  ) {
    db.exec(HEALTH_DDL);
    const migrated = addMissingColumns(db, HEALTH_COLUMNS);
    db.exec(HEALTH_INDEXES);
    this.s = {
      tags: db.prepare('SELECT district, site, grp FROM gateways WHERE id = ?'),
      dev: db.prepare(
        'SELECT gateway_id, type, online, interval_s, deadline_ms, last_reading_ts FROM devices WHERE id = ?',
      ),
      devSeen: db.prepare('UPDATE devices SET online = ?, deadline_ms = ? WHERE id = ?'),
      devInsert: db.prepare(
        'INSERT INTO devices (id, gateway_id, first_seen_ms, last_seen_ms, last_reading_ts, readings, type, interval_s, online, deadline_ms) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)',
      ),
      devUpdate: db.prepare(
        'UPDATE devices SET gateway_id = ?, type = ?, interval_s = ?, online = ?, deadline_ms = ? WHERE id = ?',
      ),
      expired: db.prepare(
        'SELECT id, gateway_id, type FROM devices WHERE online = 1 AND deadline_ms <= ? ORDER BY deadline_ms LIMIT ?',
      ),
      devOff: db.prepare('UPDATE devices SET online = 0 WHERE id = ?'),
      count: db.prepare(
        'INSERT INTO fleet_counters (scope, key, metric, value) VALUES (?, ?, ?, ?) ON CONFLICT (scope, key, metric) DO UPDATE SET value = value + excluded.value',
      ),
      countersOf: db.prepare('SELECT scope, key, metric, value FROM fleet_counters WHERE scope = ?'),
      countersKey: db.prepare('SELECT scope, key, metric, value FROM fleet_counters WHERE scope = ? AND key = ?'),
      upsertHealth:
        db.prepare(`INSERT INTO gateway_health (gateway_id, status, reasons, since_ms, session_up, last_heard_ms, health) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (gateway_id) DO UPDATE SET status = excluded.status, reasons = excluded.reasons, since_ms = excluded.since_ms,
          session_up = excluded.session_up, last_heard_ms = excluded.last_heard_ms, health = excluded.health`),
      gatewaySession: db.prepare(
        'UPDATE gateways SET online = ?, last_seen_ms = coalesce(?, last_seen_ms) WHERE id = ?',
      ),
      backlog: db.prepare(
        'INSERT INTO gateway_backlog (gateway_id, ts_ms, rows_n, bytes, oldest_age_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      insertEvent:
        db.prepare(`INSERT INTO events (gateway_id, source_id, device_id, type, severity, ts_ms, received_ms, message, attributes, active, alarm)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      clearAlarms: db.prepare(
        'UPDATE events SET active = 0, cleared_ms = ? WHERE gateway_id = ? AND device_id = ? AND type = ? AND alarm = 1 AND active = 1',
      ),
      event: db.prepare('SELECT * FROM events WHERE id = ?'),
      maxEventId: db.prepare('SELECT max(id) AS m FROM events'),
      pruneEvents: db.prepare(
        'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE id <= ? AND (alarm = 0 OR acked_ms IS NOT NULL) ORDER BY id LIMIT ?)',
      ),
      ack: db.prepare('UPDATE events SET acked_ms = ?, acked_by = ? WHERE id = ? AND alarm = 1 AND acked_ms IS NULL'),
      loadHealth: db.prepare(
        'SELECT g.id, g.created_ms, g.district, g.site, g.grp, h.status, h.reasons, h.since_ms, h.session_up, h.last_heard_ms, h.health FROM gateways g LEFT JOIN gateway_health h ON h.gateway_id = g.id WHERE g.created_ms >= ? ORDER BY g.id',
      ),
      oneHealth: db.prepare(
        'SELECT g.id, g.created_ms, g.district, g.site, g.grp, h.status, h.reasons, h.since_ms, h.session_up, h.last_heard_ms, h.health FROM gateways g LEFT JOIN gateway_health h ON h.gateway_id = g.id WHERE g.id = ?',
      ),
    };
    if (migrated && (db.prepare('SELECT count(*) AS n FROM gateways').get() as { n: number }).n > 0)
      this.rebuild(Date.now());
  }

  private tagsOf(gatewayId: string): GatewayTags {
    let t = this.tagCache.get(gatewayId);
    if (!t) {
      const r = this.s.tags.get(gatewayId) as { district: string; site: string; grp: string } | undefined;
      t = { district: r?.district ?? '', site: r?.site ?? '', group: r?.grp ?? '' };
      this.tagCache.set(gatewayId, t);
    }
    return t;
  }

  private deviceScopes(gatewayId: string, type: string): [CounterScope, string][] {
    return [...gatewayScopes(gatewayId, this.tagsOf(gatewayId)), ['type', type]];
  }

  apply(d: CounterDeltas): void {
    for (const [scope, key, metric, v] of d.entries()) this.s.count.run(scope, key, metric, v);
  }

  private deadline(lastMs: number, intervalS: number): number {
    return lastMs + (intervalS || this.policy.defaultIntervalS) * 1000 * this.policy.missedReports;
  }

  /** Moves one device's counted figures: remove `prev` (if any), add the new state. */
  private recount(
    d: CounterDeltas,
    prev: { gateway_id: string; type: string; online: number } | undefined,
    next: { gateway_id: string; type: string; online: number },
  ): void {
    if (prev && prev.gateway_id === next.gateway_id && prev.type === next.type) {
      d.addAll(this.deviceScopes(next.gateway_id, next.type), 'devices_online', next.online - prev.online);
      return;
    }
    if (prev) {
      const old = this.deviceScopes(prev.gateway_id, prev.type);
      d.addAll(old, 'devices_total', -1);
      d.addAll(old, 'devices_online', -prev.online);
    }
    const now = this.deviceScopes(next.gateway_id, next.type);
    d.addAll(now, 'devices_total', 1);
    d.addAll(now, 'devices_online', next.online);
  }

  /** Device states before a batch's upsert (call, then upsert, then `onBatch`). */
  devicesBefore(ids: Iterable<string>): Map<string, DevState | undefined> {
    const m = new Map<string, DevState | undefined>();
    for (const id of ids) m.set(id, this.s.dev.get(id) as DevState | undefined);
    return m;
  }

  /**
   * Inside the ingest transaction: device online states (with the edge's presence reports,
   * cloud/health/presence.ts) and counters, events and alarms.
   */
  onBatch(
    gatewayId: string,
    before: Map<string, DevState | undefined>,
    seen: Map<string, DeviceSeen>,
    events: EventInput[],
    nowMs: number,
  ): void {
    const d = new CounterDeltas();
    const presence: NewEvent[] = [];
    for (const [id, prev] of before) {
      const s = seen.get(id) ?? { n: 0, last: nowMs, alive: nowMs };
      const p = nextPresence(prev && { ...prev, online: prev.online === 1 }, s, nowMs, (l, i) => this.deadline(l, i));
      const online = p.online ? 1 : 0;
      this.recount(d, prev, { gateway_id: gatewayId, type: prev?.type ?? '', online });
      this.s.devSeen.run(online, p.deadline, id);
      const e = presenceEvent(gatewayId, id, p);
      if (e) presence.push(e);
    }
    for (const e of events) this.insertEvent(d, newEventOf(gatewayId, e), nowMs);
    for (const e of presence) this.insertEvent(d, e, nowMs);
    this.apply(d);
  }

  private insertEvent(d: CounterDeltas, e: NewEvent, nowMs: number): number | undefined {
    if (!e.active && e.type) this.s.clearAlarms.run(nowMs, e.gatewayId, e.deviceId, e.type);
    const alarm = e.active && e.severity !== 'info' ? 1 : 0;
    const r = this.s.insertEvent.run(
      e.gatewayId,
      e.sourceId,
      e.deviceId,
      e.type,
      e.severity,
      e.tsMs,
      nowMs,
      e.message,
      JSON.stringify(e.attributes),
      e.active ? 1 : 0,
      alarm,
    );
    if (r.changes === 0) return undefined; // a resent event
    if (alarm) d.addAll(gatewayScopes(e.gatewayId, this.tagsOf(e.gatewayId)), 'alarms_open', 1);
    return Number(r.lastInsertRowid);
  }

  addEvents(events: NewEvent[], nowMs: number): EventRecord[] {
    return this.db.transaction(() => {
      const d = new CounterDeltas();
      const ids = events.map((e) => this.insertEvent(d, e, nowMs)).filter((id): id is number => id !== undefined);
      this.apply(d);
      return ids.map((id) => eventRecord(this.s.event.get(id) as EventRow));
    })();
  }

  getEvent(id: number): EventRecord | undefined {
    const r = this.s.event.get(id) as EventRow | undefined;
    return r && eventRecord(r);
  }

  listEvents(q: EventQuery): EventRecord[] {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: Math.min(Math.max(q.limit ?? 100, 1), 1000) };
    if (q.gatewayId !== undefined) {
      where.push('gateway_id = @gw');
      args.gw = q.gatewayId;
    }
    if (q.deviceId !== undefined) {
      where.push('device_id = @dev');
      args.dev = q.deviceId;
    }
    if (q.type !== undefined) {
      where.push('type = @type');
      args.type = q.type;
    }
    if (q.sinceMs !== undefined) {
      where.push('ts_ms >= @since');
      args.since = q.sinceMs;
    }
    if (q.open) where.push('alarm = 1 AND acked_ms IS NULL');
    else if (q.alarmsOnly) where.push('alarm = 1');
    if (q.beforeId !== undefined) {
      where.push('id < @before');
      args.before = q.beforeId;
    }
    if (q.afterId !== undefined) {
      where.push('id > @after');
      args.after = q.afterId;
    }
    const order = q.afterId !== undefined && q.beforeId === undefined ? 'ASC' : 'DESC';
    const rows = this.db
      .prepare(
        `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${order} LIMIT @limit`,
      )
      .all(args) as EventRow[];
    return rows.map(eventRecord);
  }

  ackEvent(id: number, by: string, atMs: number): EventRecord | undefined {
    return this.db.transaction(() => {
      const r = this.s.event.get(id) as EventRow | undefined;
      if (!r) return undefined;
      if (this.s.ack.run(atMs, by, id).changes === 1) {
        const d = new CounterDeltas();
        d.addAll(gatewayScopes(r.gateway_id, this.tagsOf(r.gateway_id)), 'alarms_open', -1);
        this.apply(d);
      }
      return eventRecord(this.s.event.get(id) as EventRow);
    })();
  }

  /** Counts a newly created gateway (inside createGateway's transaction). */
  onGatewayCreated(id: string, nowMs: number): void {
    this.tagCache.delete(id);
    const d = new CounterDeltas();
    d.addContribution(gatewayScopes(id, this.tagsOf(id)), gatewayContribution('offline', null), 1);
    this.apply(d);
    this.s.upsertHealth.run(id, 'offline', '[]', nowMs, 0, null, null);
  }

  loadGatewayHealth(createdSinceMs = -8.64e15): GatewayHealthRecord[] {
    return (this.s.loadHealth.all(createdSinceMs) as HealthRow[]).map(healthRecord);
  }

  getGatewayHealth(id: string): GatewayHealthRecord | undefined {
    const r = this.s.oneHealth.get(id) as HealthRow | undefined;
    return r && healthRecord(r);
  }

  /**
   * Gateway status is derived state (the next Health or session event restates it), so its
   * commits are not synced one by one (synchronous=NORMAL for this transaction only): in WAL mode
   * the commit stays atomic, and the next FULL commit (ingest, events, registry) syncs it with its
   * own. A power cut can lose the last flush windows — records and their counter deltas together.
   * A whole fleet's Health is thus written without a disk flush per window blocking the loop.
   */
  saveGatewayHealth(writes: GatewayHealthWrite[], deltas: CounterDeltas): void {
    const sync = this.db.pragma('synchronous', { simple: true }) as number;
    if (sync > 1) this.db.pragma('synchronous = NORMAL');
    try {
      this.writeGatewayHealth(writes, deltas);
    } finally {
      if (sync > 1) this.db.pragma(`synchronous = ${sync}`);
    }
  }

  private writeGatewayHealth(writes: GatewayHealthWrite[], deltas: CounterDeltas): void {
    this.db.transaction(() => {
      for (const { record: g, backlog: b } of writes) {
        this.s.upsertHealth.run(
          g.gatewayId,
          g.status,
          JSON.stringify(g.reasons),
          g.sinceMs,
          g.sessionUp ? 1 : 0,
          g.lastHeardMs,
          g.health ? JSON.stringify(g.health) : null,
        );
        if (b) this.s.backlog.run(g.gatewayId, b.tsMs, b.rows, b.bytes, b.oldestAgeMs);
        // the registry's session state rides along (the broker leaves it to the health flush)
        this.s.gatewaySession.run(g.sessionUp ? 1 : 0, g.lastHeardMs, g.gatewayId);
      }
      this.apply(deltas);
    })();
  }

  /** Changes the tags given (the others stay); the gateway's tags after, undefined when there is no such gateway. */
  setGatewayTags(id: string, patch: Partial<GatewayTags>): GatewayTags | undefined {
    return this.db.transaction(() => {
      this.tagCache.delete(id);
      const old = this.tagsOf(id);
      const tags: GatewayTags = {
        district: patch.district ?? old.district,
        site: patch.site ?? old.site,
        group: patch.group ?? old.group,
      };
      if (
        this.db
          .prepare('UPDATE gateways SET district = ?, site = ?, grp = ? WHERE id = ?')
          .run(tags.district, tags.site, tags.group, id).changes === 0
      ) {
        this.tagCache.delete(id);
        return undefined;
      }
      const d = new CounterDeltas();
      const mine = this.s.countersKey.all('gateway', id) as CounterRow[];
      const drop = (s: GatewayTags): [CounterScope, string][] =>
        gatewayScopes(id, s).filter(([scope]) => scope !== 'fleet' && scope !== 'gateway');
      for (const c of mine) {
        d.addAll(drop(old), c.metric, -c.value);
        d.addAll(drop(tags), c.metric, c.value);
      }
      this.apply(d);
      this.tagCache.set(id, { ...tags });
      return tags;
    })();
  }

  /**
   * Inside the caller's transaction: deletes a gateway's row, status and backlog history, takes
   * its figures out of every scope they count in (fleet, district, site, group, device types) and
   * closes its open alarms (acknowledged by `gateway removed`; events stay as history). Its devices
   * are deleted with `withDevices`; a gateway with devices is otherwise left as it is.
   */
  removeGateway(id: string, withDevices: boolean, nowMs: number): { removed: boolean; devices: number } {
    const { n: devices } = this.db.prepare('SELECT count(*) AS n FROM devices WHERE gateway_id = ?').get(id) as {
      n: number;
    };
    if (!this.s.tags.get(id) || (devices > 0 && !withDevices)) return { removed: false, devices };
    this.tagCache.delete(id);
    const others = gatewayScopes(id, this.tagsOf(id)).filter(([scope]) => scope !== 'gateway');
    const d = new CounterDeltas();
    for (const c of this.s.countersKey.all('gateway', id) as CounterRow[]) d.addAll(others, c.metric, -c.value);
    const types = this.db
      .prepare('SELECT type, count(*) AS n, sum(online) AS online FROM devices WHERE gateway_id = ? GROUP BY type')
      .all(id) as { type: string; n: number; online: number }[];
    for (const t of types) {
      d.add('type', t.type, 'devices_total', -t.n);
      d.add('type', t.type, 'devices_online', -t.online);
    }
    this.apply(d);
    this.db.prepare("DELETE FROM fleet_counters WHERE scope = 'gateway' AND key = ?").run(id);
    this.db
      .prepare('UPDATE events SET acked_ms = ?, acked_by = ? WHERE gateway_id = ? AND alarm = 1 AND acked_ms IS NULL')
      .run(nowMs, 'gateway removed', id);
    for (const table of ['devices', 'gateway_health', 'gateway_backlog'])
      this.db.prepare(`DELETE FROM ${table} WHERE gateway_id = ?`).run(id);
    this.db.prepare('DELETE FROM gateways WHERE id = ?').run(id);
    this.tagCache.delete(id);
    return { removed: true, devices };
  }

  registerDevices(list: DeviceRegistration[], nowMs: number): void {
    this.db.transaction(() => {
      const d = new CounterDeltas();
      for (const x of list) {
        const prev = this.s.dev.get(x.id) as DevState | undefined;
        // a field left out keeps what the registry has (a new device: none, the default interval)
        const type = x.type ?? prev?.type ?? '',
          intervalS = x.intervalS ?? prev?.interval_s ?? 0;
        const last = Math.max(prev?.last_reading_ts ?? 0, Math.min(x.lastSeenMs ?? 0, nowMs));
        // reported offline by the edge (presence.ts): stays so until it is heard again
        const deadline =
          prev && prev.deadline_ms < 0 ? prev.deadline_ms : last > 0 ? this.deadline(last, intervalS) : 0;
        const online = deadline > nowMs ? 1 : 0;
        if (prev) this.s.devUpdate.run(x.gatewayId, type, intervalS, online, deadline, x.id);
        else this.s.devInsert.run(x.id, x.gatewayId, last, last, last, type, intervalS, online, deadline);
        this.recount(d, prev, { gateway_id: x.gatewayId, type, online });
      }
      this.apply(d);
    })();
  }

  expireDevices(nowMs: number, limit: number): number {
    return this.db.transaction(() => {
      const rows = this.s.expired.all(nowMs, limit) as { id: string; gateway_id: string; type: string }[];
      const d = new CounterDeltas();
      for (const r of rows) {
        this.s.devOff.run(r.id);
        d.addAll(this.deviceScopes(r.gateway_id, r.type), 'devices_online', -1);
      }
      this.apply(d);
      return rows.length;
    })();
  }

  queryDevices(q: DeviceQuery): DeviceRow[] {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: Math.min(Math.max(q.limit ?? 1000, 1), 100_000) };
    if (q.gatewayId !== undefined) {
      where.push('gateway_id = @gw');
      args.gw = q.gatewayId;
    }
    if (q.afterId !== undefined) {
      where.push('id > @after');
      args.after = q.afterId;
    }
    if (q.online !== undefined) {
      where.push('online = @online');
      args.online = q.online ? 1 : 0;
    }
    if (q.type !== undefined) {
      where.push('type = @type');
      args.type = q.type;
    }
    return this.db
      .prepare(`SELECT * FROM devices ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT @limit`)
      .all(args) as DeviceRow[];
  }

  counters(scope: CounterScope, key?: string): CounterRow[] {
    return (key === undefined ? this.s.countersOf.all(scope) : this.s.countersKey.all(scope, key)) as CounterRow[];
  }

  backlogHistory(gatewayId: string, sinceMs: number): BacklogPoint[] {
    return this.db
      .prepare(
        'SELECT ts_ms AS tsMs, rows_n AS rows, bytes, oldest_age_ms AS oldestAgeMs FROM gateway_backlog WHERE gateway_id = ? AND ts_ms >= ? ORDER BY ts_ms',
      )
      .all(gatewayId, sinceMs) as BacklogPoint[];
  }

  pruneEvents(keep: number, limit: number): number {
    // ids only grow (the oldest are the ones deleted), so the newest `keep` are those above max - keep
    const max = (this.s.maxEventId.get() as { m: number | null }).m;
    if (max === null || max <= keep) return 0;
    return this.s.pruneEvents.run(max - keep, limit).changes;
  }

  pruneBacklog(beforeMs: number): number {
    return this.db.prepare('DELETE FROM gateway_backlog WHERE ts_ms < ?').run(beforeMs).changes;
  }

  /** Recomputes every counter from the rows (scans everything: migration and repair only). */
  rebuild(nowMs: number): void {
    this.db.transaction(() => {
      this.tagCache.clear();
      this.db.prepare('DELETE FROM fleet_counters').run();
      const d = new CounterDeltas();
      for (const g of this.loadGatewayHealth())
        d.addContribution(gatewayScopes(g.gatewayId, g.tags), gatewayContribution(g.status, g.health), 1);
      this.db.prepare('UPDATE devices SET online = 0 WHERE online = 1 AND deadline_ms <= ?').run(nowMs);
      const groups = this.db
        .prepare('SELECT gateway_id, type, count(*) AS n, sum(online) AS online FROM devices GROUP BY gateway_id, type')
        .all() as { gateway_id: string; type: string; n: number; online: number }[];
      for (const g of groups) {
        const sc = this.deviceScopes(g.gateway_id, g.type);
        d.addAll(sc, 'devices_total', g.n);
        d.addAll(sc, 'devices_online', g.online);
      }
      const alarms = this.db
        .prepare(
          'SELECT gateway_id, count(*) AS n FROM events WHERE alarm = 1 AND acked_ms IS NULL GROUP BY gateway_id',
        )
        .all() as { gateway_id: string; n: number }[];
      for (const a of alarms) d.addAll(gatewayScopes(a.gateway_id, this.tagsOf(a.gateway_id)), 'alarms_open', a.n);
      this.apply(d);
    })();
  }
}
