/**
 * The store's monotonic clock: milliseconds of agent running time, carried across restarts and
 * reboots (boot counter + uptime), never affected by the wall clock. Ages (TTL), "fresh" data and
 * clock correction use it. It is persisted every few seconds and at close; after a crash it resumes
 * from the newest row, so it never runs backwards.
 */
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';

export class MonoClock {
  readonly boot: number;
  private readonly base: number;
  private readonly perfAtStart = performance.now();
  private readonly save: Database.Statement;

  constructor(db: Database.Database) {
    const get = (k: string): number =>
      Number((db.prepare('SELECT value FROM meta WHERE key = ?').get(k) as { value: string } | undefined)?.value ?? 0);
    const newest =
      (db.prepare('SELECT mono FROM readings ORDER BY id DESC LIMIT 1').get() as { mono: number } | undefined)?.mono ??
      0;
    this.base = Math.max(get('mono_ms'), newest) + 1;
    this.boot = get('boots') + 1;
    this.save = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.save.run('boots', String(this.boot));
    this.persist();
  }

  now(): number {
    return Math.floor(this.base + performance.now() - this.perfAtStart);
  }

  persist(): void {
    this.save.run('mono_ms', String(this.now()));
  }
}
