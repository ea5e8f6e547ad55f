/**
 * Bounds of the outbox: a byte cap with eviction by priority (bulk first, then normal, alarms
 * last and only when nothing else is left; oldest first within a class) and an age limit measured
 * on the store's monotonic clock. Every dropped reading is counted by reason and priority.
 * Only pending rows are evicted: rows sealed into an unacknowledged batch are in flight.
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { Priority } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';
import type { Counters } from './counters.js';
import type { MonoClock } from './mono-clock.js';

export const PRIORITIES: readonly [Priority, 'alarm' | 'normal' | 'bulk'][] = [
  [Priority.PRIORITY_ALARM, 'alarm'],
  [Priority.PRIORITY_NORMAL, 'normal'],
  [Priority.PRIORITY_BULK, 'bulk'],
];
const EVICTION_ORDER = [Priority.PRIORITY_BULK, Priority.PRIORITY_NORMAL, Priority.PRIORITY_ALARM];
const NAME = new Map(PRIORITIES);
/** Counter names per priority, built once (added() runs for every stored reading). */
const ROWS = new Map(PRIORITIES.map(([p, n]) => [p, `rows_${n}`]));
const BYTES = new Map(PRIORITIES.map(([p, n]) => [p, `bytes_${n}`]));
const MIN_AUTO_CAP = 64 * 2 ** 20;
/** After eviction the store is brought this far under the cap, so eviction does not run on every commit. */
const HEADROOM = 0.95;

/** Bytes a reading is accounted for: its text, its value and a fixed row overhead. */
export function readingSize(r: Reading): number {
  return 48 + r.deviceId.length + r.metric.length + r.unit.length + (typeof r.value === 'string' ? r.value.length : 8);
}

export interface RetentionOptions {
  path: string;
  maxBytes: number;
  maxAgeMs: number;
}

export class Retention {
  readonly capBytes: number;
  private readonly oldestOf: Database.Statement<[number, number], { id: number; size: number }>;
  private readonly evict: Database.Statement;
  private readonly ttlBoundary: Database.Statement<[number], { id: number }>;
  private readonly ttlTotals: Database.Statement<[number], { priority: number; n: number; b: number }>;
  private readonly ttlDelete: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly counters: Counters,
    private readonly mono: MonoClock,
    private readonly o: RetentionOptions,
  ) {
    this.capBytes = o.maxBytes > 0 ? o.maxBytes : autoCap(o.path);
    this.oldestOf = db.prepare(
      'SELECT id, size FROM readings WHERE batch IS NULL AND priority = ? ORDER BY id LIMIT ?',
    );
    this.evict = db.prepare('DELETE FROM readings WHERE batch IS NULL AND priority = ? AND id <= ?');
    // mono grows with id, so the expired rows are a prefix of the table: find its end by walking ids
    this.ttlBoundary = db.prepare('SELECT id FROM readings WHERE mono >= ? ORDER BY id LIMIT 1');
    this.ttlTotals = db.prepare(
      'SELECT priority, count(*) AS n, sum(size) AS b FROM readings WHERE id < ? AND batch IS NULL GROUP BY priority',
    );
    this.ttlDelete = db.prepare('DELETE FROM readings WHERE id < ? AND batch IS NULL');
  }

  held(p: Priority): { rows: number; bytes: number } {
    return { rows: this.counters.get(ROWS.get(p)!), bytes: this.counters.get(BYTES.get(p)!) };
  }

  totalRows(): number {
    return PRIORITIES.reduce((s, [p]) => s + this.held(p).rows, 0);
  }

  totalBytes(): number {
    return PRIORITIES.reduce((s, [p]) => s + this.held(p).bytes, 0);
  }

  dropped(reason: 'cap' | 'ttl'): number {
    return PRIORITIES.reduce((s, [, name]) => s + this.counters.get(`dropped_${reason}_${name}`), 0);
  }

  /** In the inserting transaction. */
  added(p: Priority, size: number): void {
    this.counters.bump(ROWS.get(p)!, 1);
    this.counters.bump(BYTES.get(p)!, size);
  }

  /** In the deleting transaction. */
  removed(p: Priority, rows: number, bytes: number, dropReason?: 'cap' | 'ttl'): void {
    this.counters.bump(ROWS.get(p)!, -rows);
    this.counters.bump(BYTES.get(p)!, -bytes);
    if (dropReason) this.counters.bump(`dropped_${dropReason}_${NAME.get(p)}`, rows);
  }

  /** In the inserting transaction: evicts pending rows until the store is under the cap again. */
  enforceCap(): void {
    if (this.totalBytes() <= this.capBytes) return;
    const target = this.capBytes * HEADROOM;
    for (const p of EVICTION_ORDER) {
      while (this.totalBytes() > target) {
        const victims = this.oldestOf.all(p, 2000);
        if (victims.length === 0) break;
        let rows = 0,
          bytes = 0,
          lastId = 0;
        for (const v of victims) {
          rows++;
          bytes += v.size;
          lastId = v.id;
          if (this.totalBytes() - bytes <= target) break;
        }
        this.evict.run(p, lastId);
        this.removed(p, rows, bytes, 'cap');
      }
    }
  }

  /** In a maintenance transaction: drops pending rows older than the age limit. */
  expire(): void {
    if (this.o.maxAgeMs <= 0) return;
    const boundary = this.ttlBoundary.get(this.mono.now() - this.o.maxAgeMs)?.id ?? Number.MAX_SAFE_INTEGER;
    const totals = this.ttlTotals.all(boundary);
    if (totals.length === 0) return;
    this.ttlDelete.run(boundary);
    for (const t of totals) this.removed(t.priority, t.n, t.b, 'ttl');
  }
}

function autoCap(path: string): number {
  if (path === ':memory:') return MIN_AUTO_CAP;
  try {
    const s = statfsSync(dirname(path));
    return Math.max(MIN_AUTO_CAP, Math.floor(s.bavail * s.bsize * 0.2));
  } catch {
    return MIN_AUTO_CAP;
  }
}
