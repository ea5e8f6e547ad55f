/**
 * Events in the outbox: durable when raise() returns, sealed into the next batch ahead of any
 * reading, deleted when that batch is acknowledged. Events are never evicted by the byte cap
 * (they are alarms and rare); they count in `events_*` counters. Each is also written to the
 * local history (event-history.ts) in the same transaction, where it stays after the ack.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { pb, type Event } from '../../proto/index.js';
import type { Counters } from './counters.js';
import { EventHistory } from './event-history.js';

/** At most this many events ride in one batch (a storm drains over several batches). */
const MAX_EVENTS_PER_BATCH = 500;

export class OutboxEvents {
  private readonly insert: Database.Statement;
  private readonly pendingStmt: Database.Statement<[number], { id: number; body: Buffer }>;
  private readonly mark: Database.Statement;
  private readonly countBatch: Database.Statement<[number], { n: number }>;
  private readonly deleteBatch: Database.Statement;
  private readonly pendingCount: Database.Statement<[], { n: number }>;
  private readonly batchedCount: Database.Statement<[], { n: number }>;
  private pending: number;
  private batched: number;
  /** Every event raised, kept after the ack (bounded): `yiwang-edge events`. */
  readonly history: EventHistory;

  constructor(
    db: Database.Database,
    private readonly counters: Counters,
  ) {
    this.insert = db.prepare('INSERT INTO events (body) VALUES (?)');
    this.pendingStmt = db.prepare('SELECT id, body FROM events WHERE batch IS NULL ORDER BY id LIMIT ?');
    this.mark = db.prepare('UPDATE events SET batch = ? WHERE id = ?');
    this.countBatch = db.prepare('SELECT count(*) AS n FROM events WHERE batch = ?');
    this.deleteBatch = db.prepare('DELETE FROM events WHERE batch = ?');
    this.pendingCount = db.prepare('SELECT count(*) AS n FROM events WHERE batch IS NULL');
    this.batchedCount = db.prepare('SELECT count(*) AS n FROM events WHERE batch IS NOT NULL');
    this.pending = this.pendingCount.get()!.n;
    this.batched = this.batchedCount.get()!.n;
    this.history = new EventHistory(db, counters);
  }

  /** Inside a transaction. Fills in an id and a timestamp when missing. */
  add(e: Event, nowMs: number): void {
    const event = pb.Event.create({ ...e, id: e.id || randomUUID(), tsMs: Number(e.tsMs) || nowMs });
    this.insert.run(Buffer.from(pb.Event.encode(event).finish()));
    this.history.add(event, nowMs);
    this.counters.bump('events_raised', 1);
    this.pending++;
  }

  /** Inside the sealing transaction: the pending events for batch `seq`. */
  seal(seq: number): { events: Event[]; bytes: number } {
    const rows = this.pendingStmt.all(MAX_EVENTS_PER_BATCH);
    for (const r of rows) this.mark.run(seq, r.id);
    this.pending -= rows.length;
    this.batched += rows.length;
    return { events: rows.map((r) => pb.Event.decode(r.body)), bytes: rows.reduce((n, r) => n + r.body.length, 0) };
  }

  /** Inside the ack/reject transaction. */
  release(seq: number, acked: boolean): number {
    const n = this.countBatch.get(seq)!.n;
    this.deleteBatch.run(seq);
    this.batched -= n;
    this.counters.bump(acked ? 'events_acked' : 'events_rejected', n);
    return n;
  }

  /** Events not sealed into a batch yet. */
  get pendingEvents(): number {
    return this.pending;
  }

  /** Events sealed into batches the cloud has not acknowledged yet. */
  get batchedEvents(): number {
    return this.batched;
  }

  /** After a failed transaction. */
  reload(): void {
    this.pending = this.pendingCount.get()!.n;
    this.batched = this.batchedCount.get()!.n;
    this.history.reload();
  }
}
