/**
 * What the cloud quarantined from stored batches, in PostgreSQL (the port of
 * cloud/store/sqlite-quarantine.ts): the last `keep` groups per gateway and the totals per gateway
 * and code (never deleted). Written set-wise inside the ingest transaction of a group of batches.
 */
import type { QuarantineGroup } from '../../../proto/batch-codec.js';
import type { QuarantineSummary } from '../cloud-store.js';
import type { PgDatabase, PgQueryable } from './pg-database.js';
import { byCodePoint } from './pg-health.js';
import { type QuarantineRow, quarantineRecord } from '../quarantine-rows.js';

/** One stored batch's quarantine. */
export interface QuarantineWrite {
  gatewayId: string;
  epoch: number;
  seq: number;
  groups: QuarantineGroup[];
}

export interface BatchQuarantine {
  quarantinedReadings: number;
  quarantined: QuarantineGroup[];
}

const keyOf = (g: string, e: number, s: number): string => `${g}\u0000${e}\u0000${s}`;

export class PgQuarantine {
  constructor(
    private readonly db: PgDatabase,
    private readonly keep: number,
  ) {}

  /** Inside the ingest transaction: the groups of the batches stored, in order, their totals and the pruning per gateway. */
  async add(c: PgQueryable, writes: QuarantineWrite[], nowMs: number): Promise<void> {
    const rows = writes.flatMap((w) => w.groups.map((g) => ({ w, g })));
    if (rows.length === 0) return;
    await c.query(
      `INSERT INTO quarantine (gateway_id, epoch, seq, received_ms, device_id, metric, code, detail, readings, events)
       SELECT u.g, u.e, u.s, $1, u.d, u.m, u.c, u.t, u.r, u.v
       FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::int[])
         WITH ORDINALITY AS u(g, e, s, d, m, c, t, r, v, o)
       ORDER BY u.o`,
      [
        nowMs,
        rows.map((x) => x.w.gatewayId),
        rows.map((x) => x.w.epoch),
        rows.map((x) => x.w.seq),
        rows.map((x) => x.g.deviceId),
        rows.map((x) => x.g.metric),
        rows.map((x) => x.g.code),
        rows.map((x) => x.g.detail),
        rows.map((x) => x.g.count),
        rows.map((x) => x.g.events ?? 0),
      ],
    );
    const totals = new Map<string, { gw: string; code: string; readings: number; events: number }>();
    for (const { w, g } of rows) {
      const k = `${w.gatewayId}\u0000${g.code}`;
      const t = totals.get(k) ?? { gw: w.gatewayId, code: g.code, readings: 0, events: 0 };
      t.readings += g.count;
      t.events += g.events ?? 0;
      totals.set(k, t);
    }
    const tl = [...totals.values()].sort((a, b) => byCodePoint(a.gw, b.gw) || byCodePoint(a.code, b.code));
    await c.query(
      `INSERT INTO quarantine_totals (gateway_id, code, readings, events)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
       ON CONFLICT (gateway_id, code) DO UPDATE SET readings = quarantine_totals.readings + excluded.readings,
         events = quarantine_totals.events + excluded.events`,
      [tl.map((t) => t.gw), tl.map((t) => t.code), tl.map((t) => t.readings), tl.map((t) => t.events)],
    );
    const gws = [...new Set(rows.map((x) => x.w.gatewayId))].sort(byCodePoint);
    await c.query(
      `DELETE FROM quarantine q USING unnest($1::text[]) AS g(id)
       WHERE q.gateway_id = g.id
         AND q.id <= (SELECT id FROM quarantine x WHERE x.gateway_id = g.id ORDER BY id DESC LIMIT 1 OFFSET $2)`,
      [gws, this.keep],
    );
  }

  /** The quarantine of stored batches, for their DUPLICATE acks: the count always, the groups while kept. */
  async ofBatches(
    c: PgQueryable,
    keys: { gatewayId: string; epoch: number; seq: number }[],
  ): Promise<Map<string, BatchQuarantine>> {
    const out = new Map<string, BatchQuarantine>();
    if (keys.length === 0) return out;
    const args = [keys.map((k) => k.gatewayId), keys.map((k) => k.epoch), keys.map((k) => k.seq)];
    const counts = await c.query<{ gateway_id: string; epoch: number; seq: number; quarantined: number }>(
      `SELECT b.gateway_id, b.epoch, b.seq, b.quarantined FROM batches b
       JOIN unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(g, e, s) ON b.gateway_id = u.g AND b.epoch = u.e AND b.seq = u.s`,
      args,
    );
    for (const r of counts.rows)
      out.set(keyOf(r.gateway_id, r.epoch, r.seq), { quarantinedReadings: r.quarantined, quarantined: [] });
    if (counts.rows.some((r) => r.quarantined > 0)) {
      const groups = await c.query<QuarantineRow>(
        `SELECT q.* FROM quarantine q
         JOIN unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(g, e, s) ON q.gateway_id = u.g AND q.epoch = u.e AND q.seq = u.s
         ORDER BY q.id`,
        args,
      );
      for (const r of groups.rows) {
        const { gatewayId: _g, epoch: _e, seq: _s, receivedMs: _r, ...g } = quarantineRecord(r);
        const b = out.get(keyOf(r.gateway_id, r.epoch, r.seq));
        if (b && b.quarantinedReadings > 0) b.quarantined.push(g);
      }
    }
    return out;
  }

  static key(gatewayId: string, epoch: number, seq: number): string {
    return keyOf(gatewayId, epoch, seq);
  }

  async summary(gatewayId: string, limit: number): Promise<QuarantineSummary> {
    const totals = await this.db.query<QuarantineSummary['totals'][number] & Record<string, unknown>>(
      'SELECT code, readings, events FROM quarantine_totals WHERE gateway_id = $1 ORDER BY code',
      [gatewayId],
    );
    const recent = await this.db.query<QuarantineRow>(
      'SELECT * FROM quarantine WHERE gateway_id = $1 ORDER BY id DESC LIMIT $2',
      [gatewayId, Math.min(Math.max(limit, 1), this.keep)],
    );
    return {
      totals: totals.map((t) => ({ code: t.code, readings: t.readings, events: t.events })),
      recent: recent.map(quarantineRecord),
    };
  }

  /** Readings quarantined over all gateways since the store was created (a row per gateway and code). */
  async total(): Promise<number> {
    const [r] = await this.db.query<{ n: number }>(
      'SELECT coalesce(sum(readings), 0)::bigint AS n FROM quarantine_totals',
    );
    return r?.n ?? 0;
  }
}
