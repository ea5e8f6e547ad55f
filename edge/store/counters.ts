/**
 * Persistent counters mirrored in memory. Changes made during a transaction are summed and written
 * once per counter at its end (`write()`, called by the store's transaction wrapper), so the totals
 * are exact after a crash, a commit of thousands of readings costs a handful of statements, and
 * reading them never scans the tables.
 */
import type Database from 'better-sqlite3';

export class Counters {
  private readonly values = new Map<string, number>();
  private readonly pending = new Map<string, number>();
  private readonly add: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.load();
    this.add = db.prepare(
      'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value',
    );
  }

  private load(): void {
    this.values.clear();
    for (const r of this.db.prepare('SELECT name, value FROM counters').all() as { name: string; value: number }[])
      this.values.set(r.name, r.value);
  }

  get(name: string): number {
    return this.values.get(name) ?? 0;
  }

  /** Inside a transaction; takes effect in the table at `write()`. */
  bump(name: string, by: number): void {
    if (by === 0) return;
    this.pending.set(name, (this.pending.get(name) ?? 0) + by);
    this.values.set(name, this.get(name) + by);
  }

  /** At the end of the transaction that made the changes. */
  write(): void {
    for (const [name, by] of this.pending) if (by !== 0) this.add.run(name, by);
    this.pending.clear();
  }

  /** After a failed transaction: forget its changes and re-read the table. */
  reload(): void {
    this.pending.clear();
    this.load();
  }

  all(): Record<string, number> {
    return Object.fromEntries([...this.values].sort(([a], [b]) => a.localeCompare(b)));
  }
}
