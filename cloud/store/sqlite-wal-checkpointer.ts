/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
 * crosses `wal_autocheckpoint` pages: it copies the WAL into the database file and flushes it to
 * disk while the cloud's only thread waits (hundreds of ms on a busy disk, with a fleet's Health
 * and ingest writing all the time). The store turns that off on its connection and a worker
 * thread with a connection of its own checkpoints instead (PASSIVE: it never blocks the writer).
 * Should the worker fail, the store's connection checkpoints again by itself.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export class SqliteWalCheckpointer {
  private worker: Worker | undefined;
  checkpoints = 0;
  /** WAL frames in the database file after the worker's last checkpoint. */
  lastCheckpointed = 0;
  lastError = '';

  constructor(
    private readonly db: Database.Database,
    path: string,
    everyMs = 1000,
    private readonly autocheckpoint = 1000,
  ) {
    db.pragma('wal_autocheckpoint = 0');
    // built: the .js beside this file; run from source (tests): the .ts through the same loader
    const js = new URL('./sqlite-wal-checkpoint-worker.js', import.meta.url);
    const w = new Worker(
      existsSync(fileURLToPath(js)) ? js : new URL('./sqlite-wal-checkpoint-worker.ts', import.meta.url),
      { workerData: { path, everyMs } },
    );
    w.unref();
    w.on('message', (m: { error?: string; checkpointed?: number }) => {
      if (m.error) this.lastError = m.error;
      else {
        this.checkpoints++;
        this.lastCheckpointed = m.checkpointed ?? 0;
      }
    });
    w.on('error', (err) => this.fallBack(err.message));
    w.on('exit', (code) => {
      if (this.worker === w && code !== 0) this.fallBack(`checkpoint worker exited ${code}`);
    });
    this.worker = w;
  }

  private fallBack(reason: string): void {
    this.lastError = reason;
    this.worker = undefined;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${this.autocheckpoint}`);
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    // terminate() stops it at once; its connection closes with the thread (it only ever checkpoints)
    await w.terminate();
  }
}
