/**
 * What the cloud quarantined from stored batches, in the SQLite store: the last `keep` groups per
 * gateway (device, metric, code, detail, counts; older ones deleted as new ones arrive) and the
 * totals per gateway and code (never deleted). Written inside the ingest transaction of the batch.
 */
import type Database from 'better-sqlite3';
import type { QuarantineGroup } from '../../proto/batch-codec.js';
import type { QuarantineSummary } from './cloud-store.js';
import { type QuarantineRow, quarantineRecord } from './quarantine-rows.js';

export class SqliteQuarantine {
  private readonly s;

  constructor(
    db: Database.Database,
    private readonly keep: number,
  ) {
    this.s = {
      insert: db.prepare(
        'INSERT INTO quarantine (gateway_id, epoch, seq, received_ms, device_id, metric, code, detail, readings, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      total: db.prepare(`INSERT INTO quarantine_totals (gateway_id, code, readings, events) VALUES (?, ?, ?, ?)
        ON CONFLICT (gateway_id, code) DO UPDATE SET readings = readings + excluded.readings, events = events + excluded.events`),
      prune: db.prepare(
        'DELETE FROM quarantine WHERE gateway_id = ? AND id <= (SELECT id FROM quarantine WHERE gateway_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)',
      ),
      ofBatch: db.prepare('SELECT * FROM quarantine WHERE gateway_id = ? AND epoch = ? AND seq = ? ORDER BY id'),
      batchCount: db.prepare('SELECT quarantined FROM batches WHERE gateway_id = ? AND epoch = ? AND seq = ?'),
      recent: db.prepare('SELECT * FROM quarantine WHERE gateway_id = ? ORDER BY id DESC LIMIT ?'),
      totals: db.prepare('SELECT code, readings, events FROM quarantine_totals WHERE gateway_id = ? ORDER BY code'),
      all: db.prepare('SELECT coalesce(sum(readings), 0) AS n FROM quarantine_totals'),
    };
  }

  /** Inside the batch's transaction. */
  add(gatewayId: string, epoch: number, seq: number, nowMs: number, groups: QuarantineGroup[]): void {
    if (groups.length === 0) return;
    const totals = new Map<string, { readings: number; events: number }>();
    for (const g of groups) {
      this.s.insert.run(gatewayId, epoch, seq, nowMs, g.deviceId, g.metric, g.code, g.detail, g.count, g.events ?? 0);
      const t = totals.get(g.code) ?? { readings: 0, events: 0 };
      t.readings += g.count;
      t.events += g.events ?? 0;
      totals.set(g.code, t);
    }
    for (const [code, t] of totals) this.s.total.run(gatewayId, code, t.readings, t.events);
    this.s.prune.run(gatewayId, gatewayId, this.keep);
  }

  /** The quarantine of a stored batch, for its DUPLICATE ack: the count always, the groups while kept. */
  ofBatch(
    gatewayId: string,
    epoch: number,
    seq: number,
  ): { quarantinedReadings: number; quarantined: QuarantineGroup[] } {
    const n = (this.s.batchCount.get(gatewayId, epoch, seq) as { quarantined: number } | undefined)?.quarantined ?? 0;
    if (n === 0) return { quarantinedReadings: 0, quarantined: [] };
    const quarantined = (this.s.ofBatch.all(gatewayId, epoch, seq) as QuarantineRow[]).map((r) => {
      const { gatewayId: _g, epoch: _e, seq: _s, receivedMs: _r, ...g } = quarantineRecord(r);
      return g;
    });
    return { quarantinedReadings: n, quarantined };
  }

  summary(gatewayId: string, limit: number): QuarantineSummary {
    return {
      totals: this.s.totals.all(gatewayId) as QuarantineSummary['totals'],
      recent: (this.s.recent.all(gatewayId, Math.min(Math.max(limit, 1), this.keep)) as QuarantineRow[]).map(
        quarantineRecord,
      ),
    };
  }

  /** Readings quarantined over all gateways since the store was created. */
  total(): number {
    return (this.s.all.get() as { n: number }).n;
  }
}
