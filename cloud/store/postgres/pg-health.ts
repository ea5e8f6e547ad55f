/**
 * PostgreSQL implementation of the health tables (HealthStore, cloud/store/health-store.ts), the
 * port of cloud/store/sqlite-health.ts. Every change applies its counter deltas in the transaction
 * that makes it. Several cloud nodes write the same rows, so every transaction takes its locks in
 * one order — gateways (sorted ids), devices (sorted ids), events, fleet_counters (sorted keys) —
 * and PgDatabase.tx runs a transaction again after a deadlock or a serialization failure.
 * Gateway tags are read inside each transaction (locked FOR SHARE, or FOR UPDATE by ingest), never
 * cached: another node may retag a gateway at any time, and its counters move with the tags.
 */
import { CounterDeltas, gatewayContribution, gatewayScopes } from '../../health/counters.js';
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
} from '../../health/types.js';
import type { DeviceRecord } from '../cloud-store.js';
import type { DevicePolicy, DeviceQuery, GatewayHealthWrite } from '../health-store.js';
import type { PgDatabase, PgQueryable } from './pg-database.js';

/** A device's state as the health counters need it (what ingest and registration lock). */
export interface PgDevState {
  id: string;
  gateway_id: string;
  type: string;
  online: boolean;
  interval_s: number;
  deadline_ms: number;
  last_reading_ts: number;
}

export interface PgDeviceRow {
  id: string;
  gateway_id: string;
  first_seen_ms: number;
  last_seen_ms: number;
  last_reading_ts: number;
  readings: number;
  type: string;
  interval_s: number;
  online: boolean;
  deadline_ms: number;
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
  active: boolean;
  alarm: boolean;
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
  session_up: boolean | null;
  last_heard_ms: number | null;
  health: string | null;
}

/** A transaction error that PgDatabase.tx runs again (a concurrent writer changed what this one locked on). */
export function retryTx(why: string): Error {
  return Object.assign(new Error(`concurrent change, transaction retried: ${why}`), { code: '40001' });
}

export const NO_TAGS: GatewayTags = Object.freeze({ district: '', site: '', group: '' });

export const pgDeviceRecord = (r: PgDeviceRow, p: DevicePolicy): DeviceRecord => ({
  id: r.id,
  gatewayId: r.gateway_id,
  firstSeenMs: r.first_seen_ms,
  lastSeenMs: r.last_seen_ms,
  lastReadingTs: r.last_reading_ts,
  readings: r.readings,
  type: r.type,
  intervalS: r.interval_s || p.defaultIntervalS,
  online: r.online,
  offlineAtMs: r.online ? r.deadline_ms : null,
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
  active: r.active,
  alarm: r.alarm,
  ackedMs: r.acked_ms,
  ackedBy: r.acked_by,
  clearedMs: r.cleared_ms,
});

const healthRecord = (r: HealthRow): GatewayHealthRecord => ({
  gatewayId: r.id,
  status: (r.status ?? 'offline') as GatewayStatus,
  reasons: r.reasons ? (JSON.parse(r.reasons) as GatewayHealthRecord['reasons']) : [],
  sinceMs: r.since_ms ?? r.created_ms,
  sessionUp: r.session_up === true,
  lastHeardMs: r.last_heard_ms,
  tags: { district: r.district, site: r.site, group: r.grp },
  health: r.health ? (JSON.parse(r.health) as GatewayHealthRecord['health']) : null,
});

/** Code-point order (what COLLATE "C" sorts by): every node sorts lock keys the same way. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort(byCodePoint);

/** PostgreSQL text cannot hold U+0000: an event's message keeps the rest (U+FFFD in its place). */
const pgText = (s: string): string => (s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s);

const HEALTH_SELECT =
  'SELECT g.id, g.created_ms, g.district, g.site, g.grp, h.status, h.reasons, h.since_ms, h.session_up, h.last_heard_ms, h.health FROM gateways g LEFT JOIN gateway_health h ON h.gateway_id = g.id';
const DEV_STATE = 'id, gateway_id, type, online, interval_s, deadline_ms, last_reading_ts';

export class PgHealth {
  constructor(
    readonly db: PgDatabase,
    readonly policy: DevicePolicy,
  ) {}

  deadline(lastMs: number, intervalS: number): number {
    return lastMs + (intervalS || this.policy.defaultIntervalS) * 1000 * this.policy.missedReports;
  }

  /** Tags of gateways (unknown ones: none), their rows locked in id order. */
  async tagsOf(
    c: PgQueryable,
    ids: Iterable<string>,
    lock: 'share' | 'update' | 'none' = 'share',
  ): Promise<Map<string, GatewayTags>> {
    const list = sortedUnique(ids);
    const m = new Map<string, GatewayTags>(list.map((id) => [id, NO_TAGS]));
    if (list.length === 0) return m;
    const suffix = lock === 'share' ? ' FOR SHARE' : lock === 'update' ? ' FOR UPDATE' : '';
    const r = await c.query<{ id: string; district: string; site: string; grp: string }>(
      `SELECT id, district, site, grp FROM gateways WHERE id = ANY($1::text[]) ORDER BY id${suffix}`,
      [list],
    );
    for (const x of r.rows) m.set(x.id, { district: x.district, site: x.site, group: x.grp });
    return m;
  }

  /** Device states, their rows locked FOR UPDATE in id order (absent devices: not in the map). */
  async lockDevices(c: PgQueryable, ids: Iterable<string>): Promise<Map<string, PgDevState>> {
    const list = sortedUnique(ids);
    if (list.length === 0) return new Map();
    const r = await c.query<PgDevState>(
      `SELECT ${DEV_STATE} FROM devices WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [list],
    );
    return new Map(r.rows.map((x) => [x.id, x]));
  }

  deviceScopes(gatewayId: string, tags: GatewayTags, type: string): [CounterScope, string][] {
    return [...gatewayScopes(gatewayId, tags), ['type', type]];
  }

  /** Adds the deltas to fleet_counters, keys in code-point order (the lock order of every node). */
  async apply(c: PgQueryable, d: CounterDeltas): Promise<void> {
    const rows = [...d.entries()].sort(
      (x, y) => byCodePoint(x[0], y[0]) || byCodePoint(x[1], y[1]) || byCodePoint(x[2], y[2]),
    );
    if (rows.length === 0) return;
    await c.query(
      `INSERT INTO fleet_counters (scope, key, metric, value)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
       ON CONFLICT (scope, key, metric) DO UPDATE SET value = fleet_counters.value + excluded.value`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
    );
  }

  /** Moves one device's counted figures: remove `prev` (if any), add the new state. */
  recount(
    d: CounterDeltas,
    tags: Map<string, GatewayTags>,
    prev: { gateway_id: string; type: string; online: boolean } | undefined,
    next: { gateway_id: string; type: string; online: boolean },
  ): void {
    const on = (x: { online: boolean }): number => (x.online ? 1 : 0);
    const scopes = (gw: string, type: string) => this.deviceScopes(gw, tags.get(gw) ?? NO_TAGS, type);
    if (prev && prev.gateway_id === next.gateway_id && prev.type === next.type) {
      d.addAll(scopes(next.gateway_id, next.type), 'devices_online', on(next) - on(prev));
      return;
    }
    if (prev) {
      const old = scopes(prev.gateway_id, prev.type);
      d.addAll(old, 'devices_total', -1);
      d.addAll(old, 'devices_online', -on(prev));
    }
    const now = scopes(next.gateway_id, next.type);
    d.addAll(now, 'devices_total', 1);
    d.addAll(now, 'devices_online', on(next));
  }

  /** Inside a transaction holding the gateway's row: clears matching alarms, inserts the event; its id (undefined: a resent event). */
  async insertEvent(
    c: PgQueryable,
    d: CounterDeltas,
    e: NewEvent,
    nowMs: number,
    tags: GatewayTags,
  ): Promise<number | undefined> {
    if (!e.active && e.type)
      await c.query(
        'UPDATE events SET active = false, cleared_ms = $1 WHERE gateway_id = $2 AND device_id = $3 AND type = $4 AND alarm AND active',
        [nowMs, e.gatewayId, e.deviceId, e.type],
      );
    const alarm = e.active && e.severity !== 'info';
    const r = await c.query<{ id: number }>(
      `INSERT INTO events (gateway_id, source_id, device_id, type, severity, ts_ms, received_ms, message, attributes, active, alarm)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING id`,
      [
        e.gatewayId,
        e.sourceId,
        e.deviceId,
        e.type,
        e.severity,
        e.tsMs,
        nowMs,
        pgText(e.message),
        JSON.stringify(e.attributes),
        e.active,
        alarm,
      ],
    );
    const id = r.rows[0]?.id;
    if (id === undefined) return undefined; // a resent event
    if (alarm) d.addAll(gatewayScopes(e.gatewayId, tags), 'alarms_open', 1);
    return id;
  }

  async addEvents(events: NewEvent[], nowMs: number): Promise<EventRecord[]> {
    return this.db.tx(async (c) => {
      const tags = await this.tagsOf(
        c,
        events.map((e) => e.gatewayId),
      );
      const d = new CounterDeltas();
      const ids: number[] = [];
      for (const e of events) {
        const id = await this.insertEvent(c, d, e, nowMs, tags.get(e.gatewayId) ?? NO_TAGS);
        if (id !== undefined) ids.push(id);
      }
      await this.apply(c, d);
      if (ids.length === 0) return [];
      const r = await c.query<EventRow>('SELECT * FROM events WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]);
      return r.rows.map(eventRecord);
    });
  }

  async getEvent(id: number): Promise<EventRecord | undefined> {
    const [r] = await this.db.query<EventRow>('SELECT * FROM events WHERE id = $1', [id]);
    return r && eventRecord(r);
  }

  async listEvents(q: EventQuery): Promise<EventRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown): string => {
      args.push(v);
      return `$${args.length}`;
    };
    if (q.gatewayId !== undefined) where.push(`gateway_id = ${arg(q.gatewayId)}`);
    if (q.deviceId !== undefined) where.push(`device_id = ${arg(q.deviceId)}`);
    if (q.type !== undefined) where.push(`type = ${arg(q.type)}`);
    if (q.sinceMs !== undefined) where.push(`ts_ms >= ${arg(q.sinceMs)}`);
    if (q.open) where.push('alarm AND acked_ms IS NULL');
    else if (q.alarmsOnly) where.push('alarm');
    if (q.beforeId !== undefined) where.push(`id < ${arg(q.beforeId)}`);
    if (q.afterId !== undefined) where.push(`id > ${arg(q.afterId)}`);
    const order = q.afterId !== undefined && q.beforeId === undefined ? 'ASC' : 'DESC';
    const limit = arg(Math.min(Math.max(q.limit ?? 100, 1), 1000));
    const rows = await this.db.query<EventRow>(
      `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${order} LIMIT ${limit}`,
      args,
    );
    return rows.map(eventRecord);
  }

  async ackEvent(id: number, by: string, atMs: number): Promise<EventRecord | undefined> {
    return this.db.tx(async (c) => {
      const [peek] = (await c.query<{ gateway_id: string }>('SELECT gateway_id FROM events WHERE id = $1', [id])).rows;
      if (!peek) return undefined;
      const tags = await this.tagsOf(c, [peek.gateway_id]); // gateway before event: the lock order of ingest
      const r = await c.query<EventRow>(
        'UPDATE events SET acked_ms = $1, acked_by = $2 WHERE id = $3 AND alarm AND acked_ms IS NULL RETURNING *',
        [atMs, by, id],
      );
      const done = r.rows[0];
      if (done) {
        const d = new CounterDeltas();
        d.addAll(gatewayScopes(done.gateway_id, tags.get(done.gateway_id) ?? NO_TAGS), 'alarms_open', -1);
        await this.apply(c, d);
        return eventRecord(done);
      }
      const [now] = (await c.query<EventRow>('SELECT * FROM events WHERE id = $1', [id])).rows;
      return now && eventRecord(now);
    });
  }

  /** Counts a newly created gateway (inside the transaction that inserted it, under the tags it was inserted with). */
  async onGatewayCreated(c: PgQueryable, id: string, tags: GatewayTags, nowMs: number): Promise<void> {
    const d = new CounterDeltas();
    d.addContribution(gatewayScopes(id, tags), gatewayContribution('offline', null), 1);
    await this.apply(c, d);
    await c.query(
      `INSERT INTO gateway_health (gateway_id, status, reasons, since_ms, session_up, last_heard_ms, health)
       VALUES ($1, 'offline', '[]', $2, false, NULL, NULL)
       ON CONFLICT (gateway_id) DO UPDATE SET status = excluded.status, reasons = excluded.reasons, since_ms = excluded.since_ms,
         session_up = excluded.session_up, last_heard_ms = excluded.last_heard_ms, health = excluded.health`,
      [id, nowMs],
    );
  }

  async loadGatewayHealth(createdSinceMs = -8.64e15, c: PgQueryable = this.db.pool): Promise<GatewayHealthRecord[]> {
    const r = await c.query<HealthRow>(`${HEALTH_SELECT} WHERE g.created_ms >= $1 ORDER BY g.id`, [createdSinceMs]);
    return r.rows.map(healthRecord);
  }

  async getGatewayHealth(id: string): Promise<GatewayHealthRecord | undefined> {
    const [r] = await this.db.query<HealthRow>(`${HEALTH_SELECT} WHERE g.id = $1`, [id]);
    return r && healthRecord(r);
  }

  /** One statement per 1,000 ids. */
  async getGatewayHealthMany(ids: readonly string[]): Promise<Map<string, GatewayHealthRecord>> {
    const out = new Map<string, GatewayHealthRecord>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await this.db.query<HealthRow>(`${HEALTH_SELECT} WHERE g.id = ANY($1::text[])`, [
        ids.slice(i, i + 1000),
      ]);
      for (const r of rows) out.set(r.id, healthRecord(r));
    }
    return out;
  }

  /**
   * Gateway records, backlog points, the registry's session state and the caller's counter deltas
   * in one transaction, set-wise (a whole fleet's flush is a handful of statements). A gateway
   * written twice keeps its last record.
   */
  async saveGatewayHealth(writes: GatewayHealthWrite[], deltas: CounterDeltas): Promise<void> {
    const last = new Map<string, GatewayHealthWrite['record']>();
    for (const w of writes) last.set(w.record.gatewayId, w.record);
    const recs = [...last.values()].sort((a, b) => byCodePoint(a.gatewayId, b.gatewayId));
    const backlog = writes.flatMap((w) => (w.backlog ? [{ id: w.record.gatewayId, b: w.backlog }] : []));
    await this.db.tx(async (c) => {
      if (recs.length) {
        await c.query('SELECT 1 FROM gateways WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [
          recs.map((g) => g.gatewayId),
        ]);
        // the registry's session state rides along (the broker leaves it to the health flush); gateway rows first
        await c.query(
          `UPDATE gateways g SET online = u.online, last_seen_ms = coalesce(u.last, g.last_seen_ms)
           FROM unnest($1::text[], $2::boolean[], $3::bigint[]) AS u(id, online, last) WHERE g.id = u.id`,
          [recs.map((g) => g.gatewayId), recs.map((g) => g.sessionUp), recs.map((g) => g.lastHeardMs)],
        );
        await c.query(
          `INSERT INTO gateway_health (gateway_id, status, reasons, since_ms, session_up, last_heard_ms, health)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::boolean[], $6::bigint[], $7::text[])
           ON CONFLICT (gateway_id) DO UPDATE SET status = excluded.status, reasons = excluded.reasons, since_ms = excluded.since_ms,
             session_up = excluded.session_up, last_heard_ms = excluded.last_heard_ms, health = excluded.health`,
          [
            recs.map((g) => g.gatewayId),
            recs.map((g) => g.status),
            recs.map((g) => JSON.stringify(g.reasons)),
            recs.map((g) => g.sinceMs),
            recs.map((g) => g.sessionUp),
            recs.map((g) => g.lastHeardMs),
            recs.map((g) => (g.health ? JSON.stringify(g.health) : null)),
          ],
        );
      }
      if (backlog.length)
        await c.query(
          `INSERT INTO gateway_backlog (gateway_id, ts_ms, rows_n, bytes, oldest_age_ms)
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) ON CONFLICT DO NOTHING`,
          [
            backlog.map((x) => x.id),
            backlog.map((x) => x.b.tsMs),
            backlog.map((x) => x.b.rows),
            backlog.map((x) => x.b.bytes),
            backlog.map((x) => x.b.oldestAgeMs),
          ],
        );
      await this.apply(c, deltas);
    });
  }

  /** Changes the tags given (the others stay); the gateway's tags after, undefined when there is no such gateway. */
  async setGatewayTags(id: string, patch: Partial<GatewayTags>): Promise<GatewayTags | undefined> {
    return this.db.tx(async (c) => {
      const [row] = (
        await c.query<{ district: string; site: string; grp: string }>(
          'SELECT district, site, grp FROM gateways WHERE id = $1 FOR UPDATE',
          [id],
        )
      ).rows;
      if (!row) return undefined;
      const old: GatewayTags = { district: row.district, site: row.site, group: row.grp };
      const tags: GatewayTags = {
        district: patch.district ?? old.district,
        site: patch.site ?? old.site,
        group: patch.group ?? old.group,
      };
      await c.query('UPDATE gateways SET district = $1, site = $2, grp = $3 WHERE id = $4', [
        tags.district,
        tags.site,
        tags.group,
        id,
      ]);
      // read after the row lock: every transaction that counted under the old tags has committed
      const mine = await this.counters('gateway', id, c);
      const drop = (s: GatewayTags): [CounterScope, string][] =>
        gatewayScopes(id, s).filter(([scope]) => scope !== 'fleet' && scope !== 'gateway');
      const d = new CounterDeltas();
      for (const x of mine) {
        d.addAll(drop(old), x.metric, -x.value);
        d.addAll(drop(tags), x.metric, x.value);
      }
      await this.apply(c, d);
      return tags;
    });
  }

  /**
   * Inside the caller's transaction: deletes a gateway's row, status and backlog history, takes
   * its figures out of every scope they count in and closes its open alarms (acknowledged by
   * `gateway removed`; events stay as history). Its devices are deleted with `withDevices`; a
   * gateway with devices is otherwise left as it is.
   */
  async removeGateway(
    c: PgQueryable,
    id: string,
    withDevices: boolean,
    nowMs: number,
  ): Promise<{ removed: boolean; devices: number }> {
    const [row] = (
      await c.query<{ district: string; site: string; grp: string }>(
        'SELECT district, site, grp FROM gateways WHERE id = $1 FOR UPDATE',
        [id],
      )
    ).rows;
    const exists: GatewayTags | undefined = row && { district: row.district, site: row.site, group: row.grp };
    const [{ n: devices } = { n: 0 }] = (
      await c.query<{ n: number }>('SELECT count(*)::int AS n FROM devices WHERE gateway_id = $1', [id])
    ).rows;
    if (!exists || (devices > 0 && !withDevices)) return { removed: false, devices };
    const others = gatewayScopes(id, exists).filter(([scope]) => scope !== 'gateway');
    const d = new CounterDeltas();
    for (const x of await this.counters('gateway', id, c)) d.addAll(others, x.metric, -x.value);
    const types = (
      await c.query<{ type: string; n: number; online: number }>(
        'SELECT type, count(*)::int AS n, count(*) FILTER (WHERE online)::int AS online FROM devices WHERE gateway_id = $1 GROUP BY type',
        [id],
      )
    ).rows;
    for (const x of types) {
      d.add('type', x.type, 'devices_total', -x.n);
      d.add('type', x.type, 'devices_online', -x.online);
    }
    // the lock order of ingest: devices, events, then the counters
    for (const table of ['devices', 'gateway_health', 'gateway_backlog'])
      await c.query(`DELETE FROM ${table} WHERE gateway_id = $1`, [id]);
    await c.query(
      'UPDATE events SET acked_ms = $1, acked_by = $2 WHERE gateway_id = $3 AND alarm AND acked_ms IS NULL',
      [nowMs, 'gateway removed', id],
    );
    await this.apply(c, d);
    await c.query("DELETE FROM fleet_counters WHERE scope = 'gateway' AND key = $1", [id]);
    await c.query('DELETE FROM gateways WHERE id = $1', [id]);
    return { removed: true, devices };
  }

  async registerDevices(list: DeviceRegistration[], nowMs: number): Promise<void> {
    await this.db.tx((c) => this.registerIn(c, list, nowMs));
  }

  /** registerDevices inside the caller's transaction. */
  async registerIn(c: PgQueryable, list: DeviceRegistration[], nowMs: number): Promise<void> {
    if (list.length === 0) return;
    // lock order: gateways, then devices; the gateways devices move away from are peeked first
    const peek = await c.query<{ gateway_id: string }>(
      'SELECT DISTINCT gateway_id FROM devices WHERE id = ANY($1::text[])',
      [sortedUnique(list.map((x) => x.id))],
    );
    const tags = await this.tagsOf(c, [...list.map((x) => x.gatewayId), ...peek.rows.map((r) => r.gateway_id)]);
    const states = await this.lockDevices(
      c,
      list.map((x) => x.id),
    );
    const moreGateways = [...states.values()].map((s) => s.gateway_id).filter((g) => !tags.has(g));
    if (moreGateways.length) for (const [g, t] of await this.tagsOf(c, moreGateways)) tags.set(g, t);

    const d = new CounterDeltas();
    interface Out {
      isNew: boolean;
      first: number;
      gateway_id: string;
      type: string;
      interval_s: number;
      online: boolean;
      deadline_ms: number;
    }
    const out = new Map<string, Out>();
    const cur = new Map<string, PgDevState>(states);
    for (const x of list) {
      const prev = cur.get(x.id);
      // a field left out keeps what the registry has (a new device: none, the default interval)
      const type = x.type ?? prev?.type ?? '';
      const intervalS = x.intervalS ?? prev?.interval_s ?? 0;
      const last = Math.max(prev?.last_reading_ts ?? 0, Math.min(x.lastSeenMs ?? 0, nowMs));
      // reported offline by the edge (presence.ts): stays so until it is heard again
      const deadline = prev && prev.deadline_ms < 0 ? prev.deadline_ms : last > 0 ? this.deadline(last, intervalS) : 0;
      const online = deadline > nowMs;
      const o = out.get(x.id);
      out.set(x.id, {
        isNew: o ? o.isNew : !prev,
        first: o ? o.first : last,
        gateway_id: x.gatewayId,
        type,
        interval_s: intervalS,
        online,
        deadline_ms: deadline,
      });
      this.recount(d, tags, prev, { gateway_id: x.gatewayId, type, online });
      cur.set(x.id, {
        id: x.id,
        gateway_id: x.gatewayId,
        type,
        online,
        interval_s: intervalS,
        deadline_ms: deadline,
        last_reading_ts: prev ? prev.last_reading_ts : last,
      });
    }
    const rows = [...out].sort((a, b) => byCodePoint(a[0], b[0]));
    const col = <K extends keyof Out>(xs: [string, Out][], k: K) => xs.map(([, o]) => o[k]);
    const upd = rows.filter(([, o]) => !o.isNew);
    if (upd.length)
      await c.query(
        `UPDATE devices d SET gateway_id = u.gw, type = u.type, interval_s = u.iv, online = u.online, deadline_ms = u.dl
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::boolean[], $6::bigint[]) AS u(id, gw, type, iv, online, dl)
         WHERE d.id = u.id`,
        [
          upd.map(([id]) => id),
          col(upd, 'gateway_id'),
          col(upd, 'type'),
          col(upd, 'interval_s'),
          col(upd, 'online'),
          col(upd, 'deadline_ms'),
        ],
      );
    const ins = rows.filter(([, o]) => o.isNew);
    if (ins.length) {
      const r = await c.query(
        `INSERT INTO devices (id, gateway_id, first_seen_ms, last_seen_ms, last_reading_ts, readings, type, interval_s, online, deadline_ms)
         SELECT u.id, u.gw, u.f, u.f, u.f, 0, u.type, u.iv, u.online, u.dl
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::boolean[], $7::bigint[]) AS u(id, gw, f, type, iv, online, dl)
         ON CONFLICT (id) DO NOTHING`,
        [
          ins.map(([id]) => id),
          col(ins, 'gateway_id'),
          col(ins, 'first'),
          col(ins, 'type'),
          col(ins, 'interval_s'),
          col(ins, 'online'),
          col(ins, 'deadline_ms'),
        ],
      );
      if (r.rowCount !== ins.length) throw retryTx('a device registered was created meanwhile');
    }
    await this.apply(c, d);
  }

  async expireDevices(nowMs: number, limit: number): Promise<number> {
    return this.db.tx(async (c) => {
      // candidates first, then gateways, then the devices again (locked, skipping those another node holds)
      const cand = (
        await c.query<{ id: string; gateway_id: string }>(
          'SELECT id, gateway_id FROM devices WHERE online AND deadline_ms <= $1 ORDER BY deadline_ms LIMIT $2',
          [nowMs, limit],
        )
      ).rows;
      if (cand.length === 0) return 0;
      const tags = await this.tagsOf(
        c,
        cand.map((x) => x.gateway_id),
      );
      const rows = (
        await c.query<{ id: string; gateway_id: string; type: string }>(
          `SELECT id, gateway_id, type FROM devices WHERE id = ANY($1::text[]) AND online AND deadline_ms <= $2
           ORDER BY id FOR UPDATE SKIP LOCKED`,
          [sortedUnique(cand.map((x) => x.id)), nowMs],
        )
      ).rows.filter((r) => tags.has(r.gateway_id)); // moved meanwhile to a gateway not locked here: next round
      if (rows.length === 0) return 0;
      await c.query('UPDATE devices SET online = false WHERE id = ANY($1::text[])', [rows.map((r) => r.id)]);
      const d = new CounterDeltas();
      for (const r of rows)
        d.addAll(this.deviceScopes(r.gateway_id, tags.get(r.gateway_id) ?? NO_TAGS, r.type), 'devices_online', -1);
      await this.apply(c, d);
      return rows.length;
    });
  }

  async queryDevices(q: DeviceQuery): Promise<PgDeviceRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown): string => {
      args.push(v);
      return `$${args.length}`;
    };
    if (q.gatewayId !== undefined) where.push(`gateway_id = ${arg(q.gatewayId)}`);
    if (q.afterId !== undefined) where.push(`id > ${arg(q.afterId)}`);
    if (q.online !== undefined) where.push(`online = ${arg(q.online)}`);
    if (q.type !== undefined) where.push(`type = ${arg(q.type)}`);
    const limit = arg(Math.min(Math.max(q.limit ?? 1000, 1), 100_000));
    return this.db.query<PgDeviceRow>(
      `SELECT * FROM devices ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ${limit}`,
      args,
    );
  }

  async counters(scope: CounterScope, key?: string, c: PgQueryable = this.db.pool): Promise<CounterRow[]> {
    const r =
      key === undefined
        ? await c.query<CounterRow>(
            'SELECT scope, key, metric, value FROM fleet_counters WHERE scope = $1 ORDER BY key, metric',
            [scope],
          )
        : await c.query<CounterRow>(
            'SELECT scope, key, metric, value FROM fleet_counters WHERE scope = $1 AND key = $2 ORDER BY metric',
            [scope, key],
          );
    return r.rows;
  }

  async backlogHistory(gatewayId: string, sinceMs: number): Promise<BacklogPoint[]> {
    return this.db.query<BacklogPoint & Record<string, unknown>>(
      'SELECT ts_ms AS "tsMs", rows_n AS rows, bytes, oldest_age_ms AS "oldestAgeMs" FROM gateway_backlog WHERE gateway_id = $1 AND ts_ms >= $2 ORDER BY ts_ms',
      [gatewayId, sinceMs],
    );
  }

  async pruneEvents(keep: number, limit: number): Promise<number> {
    // ids only grow (the oldest are the ones deleted), so the newest `keep` are those above max - keep
    const [{ m } = { m: null }] = await this.db.query<{ m: number | null }>('SELECT max(id) AS m FROM events');
    if (m === null || m <= keep) return 0;
    const r = await this.db.pool.query(
      'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE id <= $1 AND (NOT alarm OR acked_ms IS NOT NULL) ORDER BY id LIMIT $2)',
      [m - keep, limit],
    );
    return r.rowCount ?? 0;
  }

  async pruneBacklog(beforeMs: number): Promise<number> {
    return (await this.db.pool.query('DELETE FROM gateway_backlog WHERE ts_ms < $1', [beforeMs])).rowCount ?? 0;
  }

  /**
   * Recomputes every counter from the rows (scans everything: migration and repair only). The
   * counters table is locked for the transaction: writers that changed rows before wait with their
   * deltas until the recount committed, and then apply them on top of it.
   */
  async rebuild(nowMs: number): Promise<void> {
    await this.db.tx(async (c) => {
      await c.query('LOCK TABLE fleet_counters IN EXCLUSIVE MODE');
      await c.query('DELETE FROM fleet_counters');
      const d = new CounterDeltas();
      const all = await this.loadGatewayHealth(undefined, c);
      const tags = new Map(all.map((g) => [g.gatewayId, g.tags]));
      for (const g of all)
        d.addContribution(gatewayScopes(g.gatewayId, g.tags), gatewayContribution(g.status, g.health), 1);
      await c.query('UPDATE devices SET online = false WHERE online AND deadline_ms <= $1', [nowMs]);
      const groups = (
        await c.query<{ gateway_id: string; type: string; n: number; online: number }>(
          'SELECT gateway_id, type, count(*)::int AS n, count(*) FILTER (WHERE online)::int AS online FROM devices GROUP BY gateway_id, type',
        )
      ).rows;
      for (const g of groups) {
        const sc = this.deviceScopes(g.gateway_id, tags.get(g.gateway_id) ?? NO_TAGS, g.type);
        d.addAll(sc, 'devices_total', g.n);
        d.addAll(sc, 'devices_online', g.online);
      }
      const alarms = (
        await c.query<{ gateway_id: string; n: number }>(
          'SELECT gateway_id, count(*)::int AS n FROM events WHERE alarm AND acked_ms IS NULL GROUP BY gateway_id',
        )
      ).rows;
      for (const a of alarms)
        d.addAll(gatewayScopes(a.gateway_id, tags.get(a.gateway_id) ?? NO_TAGS), 'alarms_open', a.n);
      await this.apply(c, d);
    });
  }
}
