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
    const w = new Worker(new URL('./sqlite-wal-checkpoint-worker.js', import.meta.url), {
      workerData: { path, everyMs },
    });
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
