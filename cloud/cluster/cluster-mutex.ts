/**
 * A cluster-wide mutex: one node at a time runs a named section. Rollouts need it: the leader's
 * tick and an operator's abort (through any node's API) both read a rollout, act on gateways and
 * write the rollout back; unguarded, a tick that read the rollout before the abort wrote it put
 * it back to `running` and went on with the next wave.
 *
 * With PostgreSQL it is a session-level advisory lock (pg_advisory_lock(class, hashtext(name)))
 * held on a connection of its own (never a pooled one: the section uses the pool meanwhile): a
 * node that dies releases it with its connection. Waiting is bounded (lock_timeout, 10 s): a stuck
 * holder makes the step fail with CLOUD_ERR_STORE rather than queue forever. With SQLite there is
 * one node, and the caller's own in-process queue is the whole story.
 */
import pg from 'pg';
import { YiwangError } from '../../common/errors.js';

export interface ClusterMutex {
  /** Runs `fn` while holding the mutex `name` (cluster-wide). */
  run<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** One node: nothing to exclude. */
export const SOLE_MUTEX: ClusterMutex = {
  run: (_name, fn) => fn(),
  close: async () => {},
};

/** Advisory-lock class of the mutexes (the leader lock and the migration lock use other keys). */
export const MUTEX_CLASS = 0x7977_6d78; // 'ywmx'
const WAIT_MS = 10_000;

export class PgMutex implements ClusterMutex {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private closed = false;
  private tail: Promise<void> = Promise.resolve();
  readonly counters = { mutexWaitsFailed: 0 };

  constructor(
    private readonly url: string,
    private readonly name: string,
    private readonly waitMs = WAIT_MS,
  ) {}

  private conn(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const c = new pg.Client({ connectionString: this.url, application_name: this.name });
      // a lost connection is noticed at the next query; its lock went with it
      c.on('error', () => {
        if (this.client === c) this.client = undefined;
      });
      try {
        await c.connect();
        await c.query(`SET lock_timeout = ${Math.max(1, Math.floor(this.waitMs))}`);
      } catch (err) {
        c.end().catch(() => {});
        throw err;
      }
      this.client = c;
      return c;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /**
   * Runs one section at a time in this process: a second lock request on the same session would
   * be granted at once (advisory locks nest per session), and would hold up the first's unlock.
   */
  run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const p = this.tail.then(() => this.runNow(name, fn));
    this.tail = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  private async runNow<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw new YiwangError('CLOUD_ERR_STORE', `cluster mutex ${name}: closed`);
    let c: pg.Client;
    try {
      c = await this.conn();
      await c.query('SELECT pg_advisory_lock($1, hashtext($2))', [MUTEX_CLASS, name]);
    } catch (err) {
      this.counters.mutexWaitsFailed++;
      this.drop();
      throw new YiwangError(
        'CLOUD_ERR_STORE',
        `cluster mutex ${name}: not taken (${(err as Error).message}); the step is retried`,
      );
    }
    try {
      return await fn();
    } finally {
      await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MUTEX_CLASS, name]).catch(() => this.drop());
    }
  }

  /** Ends the connection (and any lock on it): the next run connects again. */
  private drop(): void {
    const c = this.client;
    this.client = undefined;
    c?.end().catch(() => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting?.catch(() => {});
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }
}
