/**
 * Bisection of a batch the cloud rejected whole (an older cloud that refuses a batch for one bad
 * reading, or a batch it could not decode): its items — events first, then readings — are split
 * into two halves, each re-sealed as a new batch with a new sequence number (so a new idempotency
 * key) and sent again. Halves that are stored release their readings as usual; a half that is
 * rejected again is split again, until the bad item is alone: only a rejected batch of a single
 * reading or event becomes a dead letter. A batch of n items costs at most 2n − 1 sends.
 */
import type Database from 'better-sqlite3';
import { encodeBatch } from '../../proto/batch-codec.js';
import { pb, type Priority } from '../../proto/index.js';
import type { EventInput } from '../../proto/reading.js';
import { ROW_COLUMNS, fromRow, type RowArray } from './rows.js';

export interface ResealedBatch {
  seq: number;
  payload: Uint8Array;
  readings: number;
  eventBytes: number;
}

/** What became of a batch the cloud rejected whole: split in two new batches (to send), or a dead letter. */
export type RejectOutcome =
  | { kind: 'split'; batches: ResealedBatch[]; readings: number }
  | { kind: 'dead-letter'; readings: number; events: number }
  | { kind: 'unknown' };

type Item = { event: { id: number; body: Buffer } } | { row: RowArray };

export class BatchSplitter {
  private readonly segmentRows: Database.Statement<[number, number, number, number], RowArray>;
  private readonly eventsOf: Database.Statement<[number], { id: number; body: Buffer }>;
  private readonly moveRow: Database.Statement;
  private readonly moveEvent: Database.Statement;
  private readonly insertBatch: Database.Statement;
  private readonly deleteBatch: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly epoch: number,
    private readonly allocSeq: () => number,
  ) {
    this.segmentRows = db
      .prepare<[number, number, number, number], RowArray>(
        `SELECT ${ROW_COLUMNS} FROM readings WHERE id >= ? AND id <= ? AND priority = ? AND batch = ? ORDER BY id`,
      )
      .raw(true);
    this.eventsOf = db.prepare('SELECT id, body FROM events WHERE batch = ? ORDER BY id');
    this.moveRow = db.prepare('UPDATE readings SET batch = ? WHERE id = ?');
    this.moveEvent = db.prepare('UPDATE events SET batch = ? WHERE id = ?');
    this.insertBatch = db.prepare(
      'INSERT INTO batches (seq, payload, readings, sealed_ms, segments) VALUES (?, ?, ?, ?, ?)',
    );
    this.deleteBatch = db.prepare('DELETE FROM batches WHERE seq = ?');
  }

  /**
   * Inside a transaction: replaces batch `seq` by two new batches holding half of its items each.
   * Returns undefined (and changes nothing) when the batch holds a single item.
   */
  split(seq: number, segmentsJson: string, gatewayId: string): ResealedBatch[] | undefined {
    const items: Item[] = this.eventsOf.all(seq).map((event) => ({ event }));
    for (const [p, lo, hi] of JSON.parse(segmentsJson) as [Priority, number, number][]) {
      for (const row of this.segmentRows.all(lo, hi, p, seq)) items.push({ row });
    }
    if (items.length <= 1) return undefined;
    const half = Math.ceil(items.length / 2);
    const out = [items.slice(0, half), items.slice(half)].map((part) => this.reseal(part, gatewayId));
    this.deleteBatch.run(seq);
    return out;
  }

  private reseal(part: Item[], gatewayId: string): ResealedBatch {
    const seq = this.allocSeq();
    const rows: RowArray[] = [],
      events: EventInput[] = [];
    let eventBytes = 0;
    const range = new Map<Priority, [number, number]>();
    for (const it of part) {
      if ('event' in it) {
        this.moveEvent.run(seq, it.event.id);
        events.push(pb.Event.decode(it.event.body));
        eventBytes += it.event.body.length;
        continue;
      }
      const row = it.row;
      this.moveRow.run(seq, row[0]);
      rows.push(row);
      const p = row[9] as Priority,
        r = range.get(p);
      range.set(p, r ? [Math.min(r[0], row[0]), Math.max(r[1], row[0])] : [row[0], row[0]]);
    }
    // a segment per priority spanning its rows; release() deletes only rows whose batch is this seq
    const segments = [...range].map(([p, [lo, hi]]) => [p, lo, hi]);
    const payload = encodeBatch({ gatewayId, epoch: this.epoch, seq }, rows.map(fromRow), events);
    this.insertBatch.run(seq, payload, rows.length, Date.now(), JSON.stringify(segments));
    return { seq, payload, readings: rows.length, eventBytes };
  }
}
