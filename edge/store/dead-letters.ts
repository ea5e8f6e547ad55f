/**
 * Dead letters: batches the cloud rejected whole once bisection (batch-split.ts) had isolated them —
 * a single reading or event each. Never resent, never silent: counted (dead_lettered_batches,
 * dead_lettered_readings), shown by `yiwang-edge status`, /metrics and Health, and listed with their
 * content by `yiwang-edge dead-letters`. The table is bounded in rows and bytes (payload + detail):
 * past either cap the oldest are evicted and counted (dead_letters_evicted).
 */
import type Database from 'better-sqlite3';
import { decodeBatch } from '../../proto/batch-codec.js';
import type { Counters } from './counters.js';
import { printable } from './reading-check.js';

export const DEAD_LETTER_DEFAULTS = { maxRows: 10_000, maxBytes: 16 * 2 ** 20 };

export interface DeadLetterEntry {
  seq: number;
  atMs: number;
  readings: number;
  errorCode: string;
  detail: string;
  payloadBytes: number;
  /** What the batch held, decoded again here; `decodeError` when even that fails. */
  content: { deviceId: string; metric: string; ts: number; value: number | boolean | string }[];
  events: number;
  /** Readings this agent's decoder refuses in it (device, metric, why), when it quarantines per reading. */
  refused: { deviceId: string; metric: string; code: string; detail: string }[];
  decodeError?: string;
}

export interface DeadLetterStats {
  held: number;
  bytes: number;
  batches: number;
  readings: number;
  evicted: number;
  capRows: number;
  capBytes: number;
}

export class DeadLetters {
  private readonly insert: Database.Statement;
  private readonly totals: Database.Statement<[], { n: number; b: number | null }>;
  private readonly oldest: Database.Statement<[number], { seq: number; size: number }>;
  private readonly drop: Database.Statement;
  private readonly page: Database.Statement<
    [number, number],
    { seq: number; payload: Buffer; readings: number; error_code: string; detail: string; at_ms: number }
  >;
  private held: { n: number; b: number };

  constructor(
    db: Database.Database,
    private readonly counters: Counters,
    private readonly caps = DEAD_LETTER_DEFAULTS,
  ) {
    this.insert = db.prepare(
      'INSERT OR REPLACE INTO dead_letters (seq, payload, readings, error_code, detail, at_ms) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.totals = db.prepare('SELECT count(*) AS n, sum(length(payload) + length(detail)) AS b FROM dead_letters');
    this.oldest = db.prepare(
      'SELECT seq, length(payload) + length(detail) AS size FROM dead_letters ORDER BY seq LIMIT ?',
    );
    this.drop = db.prepare('DELETE FROM dead_letters WHERE seq <= ?');
    this.page = db.prepare(
      'SELECT seq, payload, readings, error_code, detail, at_ms FROM dead_letters WHERE seq < ? ORDER BY seq DESC LIMIT ?',
    );
    const t = this.totals.get()!;
    this.held = { n: t.n, b: t.b ?? 0 };
  }

  /** Inside the rejecting transaction. */
  add(seq: number, payload: Uint8Array, readings: number, errorCode: string, detail: string, nowMs = Date.now()): void {
    const code = printable(errorCode, 64),
      text = printable(detail, 512);
    this.insert.run(seq, Buffer.from(payload), readings, code, text, nowMs);
    this.counters.bump('dead_lettered_batches', 1);
    this.counters.bump('dead_lettered_readings', readings);
    const t = this.totals.get()!;
    let n = t.n,
      b = t.b ?? 0;
    if (n > this.caps.maxRows || b > this.caps.maxBytes) {
      let last = -1,
        evicted = 0;
      for (const e of this.oldest.all(n)) {
        // rare: at most the table's rows, oldest first
        if (n <= this.caps.maxRows * 0.9 && b <= this.caps.maxBytes * 0.9) break;
        if (e.seq === seq) break; // the newest stays
        last = e.seq;
        n--;
        b -= e.size;
        evicted++;
      }
      if (last >= 0) this.drop.run(last);
      this.counters.bump('dead_letters_evicted', evicted);
    }
    this.held = { n, b };
  }

  /** After a failed transaction. */
  reload(): void {
    const t = this.totals.get()!;
    this.held = { n: t.n, b: t.b ?? 0 };
  }

  /** Newest first; `before` = a seq to page from (exclusive). */
  list(limit: number, before = Number.MAX_SAFE_INTEGER): DeadLetterEntry[] {
    return this.page.all(before, Math.max(0, Math.min(limit, 1000))).map((d) => {
      const e: DeadLetterEntry = {
        seq: d.seq,
        atMs: d.at_ms,
        readings: d.readings,
        errorCode: d.error_code,
        detail: d.detail,
        payloadBytes: d.payload.length,
        content: [],
        events: 0,
        refused: [],
      };
      try {
        const b = decodeBatch(d.payload);
        e.content = b.readings.slice(0, 100).map((r) => ({
          deviceId: printable(r.deviceId, 128),
          metric: printable(r.metric, 128),
          ts: r.ts,
          value: typeof r.value === 'string' ? printable(r.value, 256) : r.value,
        }));
        e.events = b.events.length;
        // a decoder that quarantines per reading (issue 16) says which reading it refuses
        const refused =
          (b as { quarantined?: { deviceId: string; metric: string; code: string; detail: string }[] }).quarantined ??
          [];
        e.refused = refused.slice(0, 100).map((q) => ({
          deviceId: printable(q.deviceId, 128),
          metric: printable(q.metric, 128),
          code: printable(q.code, 64),
          detail: printable(q.detail, 256),
        }));
      } catch (err) {
        e.decodeError = printable((err as Error).message, 256);
      }
      return e;
    });
  }

  stats(): DeadLetterStats {
    return {
      held: this.held.n,
      bytes: this.held.b,
      batches: this.counters.get('dead_lettered_batches'),
      readings: this.counters.get('dead_lettered_readings'),
      evicted: this.counters.get('dead_letters_evicted'),
      capRows: this.caps.maxRows,
      capBytes: this.caps.maxBytes,
    };
  }
}
