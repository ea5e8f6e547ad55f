/**
 * One process per store (issue 17, problem 3): `yiwang-edge run` and `yiwang-cloud serve` take an
 * exclusive lock on their SQLite store before opening it, so a second one on the same store (same
 * config, or another config naming the same file) is refused with a coded error naming the PID
 * of the one running.
 *
 * The lock is `<store>.lock`, a small SQLite database held with an open write transaction
 * (SQLite's RESERVED lock, a POSIX record lock underneath). The kernel drops it when its process
 * ends, however it ends: the lock of a killed agent is never stale, the next start takes it over.
 * Other processes can still read the file while it is held, so the holder records who it is in
 * it (PID, start time, command line) before it keeps the lock. Child processes do not inherit it.
 * As with any POSIX record lock, the holder must not open and close the lock file by other means
 * than SQLite (that would drop the lock); nothing in the agent or the cloud does.
 */
import Database from 'better-sqlite3';
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { YiwangError, type ErrorCode } from './errors.js';
import { preparePrivateDatabase } from './private-files.js';
import { describeOwner, fileOwner } from './file-owner.js';

export interface LockOwner {
  pid: number;
  startedAt: number;
  command: string;
}

export interface StoreLock {
  readonly path: string;
  release(): void;
}

export interface LockOptions {
  /** Coded error of a refusal (`EDGE_ERR_ALREADY_RUNNING`, `CLOUD_ERR_ALREADY_RUNNING`). */
  code: ErrorCode;
  /** What holds it, in messages: `edge agent`, `cloud`. */
  what: string;
  /** Coded error when the lock file cannot be opened at all (permissions, read-only disk). */
  ioCode: ErrorCode;
}

/** The lock file of a store: beside the real file (a symlinked store path locks its target). */
export function lockPathOf(storePath: string): string {
  const abs = resolve(storePath);
  if (existsSync(abs)) return `${realpathSync(abs)}.lock`;
  const dir = dirname(abs);
  return join(existsSync(dir) ? realpathSync(dir) : dir, `${basename(abs)}.lock`);
}

const busy = (err: unknown): boolean => /^SQLITE_(BUSY|LOCKED)/.test(String((err as { code?: unknown }).code ?? ''));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/** The recorded holder of a lock file, if it can be read (for messages and tests). */
export function lockOwner(lockPath: string): LockOwner | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(lockPath, { readonly: true, fileMustExist: true, timeout: 2000 });
    const row = db.prepare('SELECT pid, started_at AS startedAt, command FROM owner LIMIT 1').get() as
      | LockOwner
      | undefined;
    return row;
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

/** The live process recorded in `storePath`'s lock file, if any (diag: is an agent running?). */
export function liveHolder(storePath: string): LockOwner | undefined {
  if (storePath === ':memory:' || storePath === '' || storePath.startsWith('file:')) return undefined;
  const o = lockOwner(lockPathOf(storePath));
  return o && o.pid !== process.pid && alive(o.pid) ? o : undefined;
}

const sleepMs = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

function refusal(opts: LockOptions, storePath: string, lockPath: string): YiwangError {
  let o = lockOwner(lockPath);
  // our own row: another process took the lock between our commit and our re-take, and is about
  // to write its own (a start at the same moment)
  for (let i = 0; i < 20 && o?.pid === process.pid; i++) {
    sleepMs(50);
    o = lockOwner(lockPath);
  }
  const who =
    o && alive(o.pid)
      ? `PID ${o.pid}, started ${new Date(o.startedAt).toISOString()}: ${o.command}`
      : `a process whose PID is not known here${o ? ` (last recorded PID ${o.pid})` : ''}`;
  return new YiwangError(
    opts.code,
    `another ${opts.what} is running on the store ${storePath} (${who}); lock ${lockPath}`,
  );
}

/**
 * Takes the exclusive lock of `storePath` or throws `opts.code` naming the holder.
 * Nothing for ':memory:' or '' (temporary databases).
 */
export function lockStore(storePath: string, opts: LockOptions): StoreLock {
  if (storePath === ':memory:' || storePath === '' || storePath.startsWith('file:'))
    return { path: '', release: () => {} };
  const lockPath = lockPathOf(storePath);
  let db: Database.Database;
  try {
    preparePrivateDatabase(lockPath);
    db = new Database(lockPath, { timeout: 0 });
  } catch (err) {
    // most often a data directory of another user (the service's): say whose
    const own = fileOwner(lockPath);
    const whose =
      own && own.uid !== process.getuid?.()
        ? ` (${own.path} belongs to ${describeOwner(own)}: run as that user or root)`
        : '';
    throw new YiwangError(opts.ioCode, `cannot open the lock file ${lockPath}: ${(err as Error).message}${whose}`, {
      cause: err,
    });
  }
  const take = (): boolean => {
    try {
      db.exec('BEGIN IMMEDIATE');
      return true;
    } catch (err) {
      if (busy(err)) return false;
      throw err;
    }
  };
  try {
    for (let attempt = 1; ; attempt++) {
      // A creator that died before its first commit leaves an empty file: the table is made under the lock.
      if (!take()) throw refusal(opts, storePath, lockPath);
      db.exec(
        'CREATE TABLE IF NOT EXISTS owner (pid INTEGER NOT NULL, started_at INTEGER NOT NULL, command TEXT NOT NULL)',
      );
      db.exec('DELETE FROM owner');
      db.prepare('INSERT INTO owner (pid, started_at, command) VALUES (?, ?, ?)').run(
        process.pid,
        Date.now(),
        process.argv.slice(1).join(' ').slice(0, 500),
      );
      // Committed so that a refused process can read it; then held again at once. Whoever takes
      // it in between wins, and this one is refused like any other.
      db.exec('COMMIT');
      if (!take()) throw refusal(opts, storePath, lockPath);
      // held again; if another start wrote its row in between (and lost), write ours again
      if ((db.prepare('SELECT pid FROM owner LIMIT 1').get() as { pid: number } | undefined)?.pid === process.pid)
        break;
      db.exec('ROLLBACK');
      if (attempt >= 5) throw new Error('the owner record keeps changing');
    }
  } catch (err) {
    db.close();
    if (err instanceof YiwangError) throw err;
    throw new YiwangError(opts.ioCode, `cannot take the lock ${lockPath}: ${(err as Error).message}`, { cause: err });
  }
  let held = true;
  return {
    path: lockPath,
    release: () => {
      if (!held) return;
      held = false;
      try {
        db.exec('ROLLBACK');
      } catch {
        /* closed with it */
      }
      db.close();
    },
  };
}
