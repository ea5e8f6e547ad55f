/**
 * Durability off the event loop. The store commits with `synchronous = NORMAL` in WAL mode: a
 * commit writes its WAL frames (safe against a process crash at once) but does not fsync. Before a
 * delivery promise goes out (a CoAP ACK, an HJ 212 reply, a batch published to the cloud) the
 * caller awaits `durable()`, which resolves once an fdatasync of the WAL that *started after* the
 * latest commit has finished. The fdatasync runs in libuv's thread pool, so the event loop keeps
 * parsing and committing while the disk works, and one fdatasync covers every commit made before it
 * started (group fsync). SQLite syncs the WAL before each checkpoint and the database after it, so
 * acknowledged frames are on disk either in the WAL or in the database file.
 */
import { closeSync, existsSync, fdatasync, fdatasyncSync, openSync, fsyncSync } from 'node:fs';
import { dirname } from 'node:path';

interface Waiter {
  gen: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class WalSync {
  private fd: number | undefined;
  private written = 0;
  private synced = 0;
  private inFlight = false;
  private waiters: Waiter[] = [];
  private failure: Error | undefined;
  private closed = false;
  /** fdatasyncs run so far (far fewer than commits under load: one covers a group). */
  syncs = 0;

  /** @param dbPath the database file (the WAL is `<dbPath>-wal`); ':memory:' makes every call a no-op */
  constructor(private readonly dbPath: string) {
    if (dbPath === ':memory:') return;
    // Whatever an earlier process committed without a sync is made durable before anything is resent.
    if (this.open()) fdatasyncSync(this.fd!);
    else this.syncDir(); // the database file's own directory entry
  }

  /** Opens the WAL (SQLite keeps the same file, never unlinked or replaced, while the database is open). */
  private open(): boolean {
    if (this.fd !== undefined) return true;
    if (this.closed) return false;
    const wal = `${this.dbPath}-wal`;
    if (!existsSync(wal)) return false;
    this.fd = openSync(wal, 'r');
    // The WAL's directory entry must be durable too: synced whenever the file is first opened here,
    // so also when it appears only after the constructor ran.
    this.syncDir();
    return true;
  }

  private syncDir(): void {
    const dir = openSync(dirname(this.dbPath), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }

  /** Call after every commit whose effects a later `durable()` must cover. */
  committed(): void {
    this.written++;
  }

  /** Resolves when every commit made so far is on disk. */
  durable(): Promise<void> {
    if (this.dbPath === ':memory:' || this.synced >= this.written) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('store closed'));
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ gen: this.written, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.inFlight || this.waiters.length === 0) return;
    if (!this.open()) {
      // No WAL file: nothing was written in WAL mode, so there is nothing to sync.
      this.settle(this.written);
      return;
    }
    const gen = this.written;
    this.inFlight = true;
    this.syncs++;
    fdatasync(this.fd!, (err) => {
      this.inFlight = false;
      if (this.closed) return;
      if (err) {
        // After a failed fsync the kernel may have dropped the dirty pages: nothing written so far
        // can be promised any more. Every later durable() fails; the store must be reopened.
        this.failure = new Error(`fdatasync of the WAL failed: ${err.message}`);
        for (const w of this.waiters) w.reject(this.failure);
        this.waiters = [];
        return;
      }
      this.settle(gen);
      this.kick();
    });
  }

  private settle(gen: number): void {
    this.synced = Math.max(this.synced, gen);
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.gen <= this.synced) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Before the database closes: whatever is still waiting is synced here, once. */
  close(): void {
    this.closed = true; // a sync still in the thread pool settles nothing and reopens nothing
    if (this.fd !== undefined && this.waiters.length > 0 && !this.failure) {
      fdatasyncSync(this.fd);
      this.settle(this.written);
    }
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    for (const w of this.waiters) w.reject(this.failure ?? new Error('store closed'));
    this.waiters = [];
  }
}
