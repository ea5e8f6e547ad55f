/**
 * Persistent counters mirrored in memory. Every change is written in the transaction that causes
 * it, so the totals are exact after a crash, and reading them never scans the tables.
 */
import type Database from 'better-sqlite3';

export class Counters {
  private readonly values = new Map<string, number>();
  private readonly add: Database.Statement;

  constructor(db: Database.Database) {
    for (const r of db.prepare('SELECT name, value FROM counters').all() as { name: string; value: number }[]) this.values.set(r.name, r.value);
    this.add = db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value');
  }

  get(name: string): number {
    return this.values.get(name) ?? 0;
  }

  /** Must run inside the transaction that makes the change; `rollback()` undoes the mirror if it aborts. */
  bump(name: string, by: number): void {
    if (by === 0) return;
    this.add.run(name, by);
    this.values.set(name, this.get(name) + by);
  }

  /** Re-reads the table (after a failed transaction rolled the rows back). */
  reload(db: Database.Database): void {
    this.values.clear();
    for (const r of db.prepare('SELECT name, value FROM counters').all() as { name: string; value: number }[]) this.values.set(r.name, r.value);
  }

  all(): Record<string, number> {
    return Object.fromEntries([...this.values].sort(([a], [b]) => a.localeCompare(b)));
  }
}
