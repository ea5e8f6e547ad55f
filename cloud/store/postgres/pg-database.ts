/**
 * The PostgreSQL connection of the cloud stores: one `pg` pool per process, transactions with a
 * retry on serialization failures and deadlocks, and BIGINT columns read as JS numbers (every
 * BIGINT here is a millisecond time, a count or a sequence value, all below 2^53).
 */
import pg from 'pg';
import { YiwangError } from '../../../common/errors.js';

/** A pool or a client inside a transaction: what store methods query through. */
export type PgQueryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** SQLSTATEs after which a whole transaction may be run again. */
const RETRYABLE = new Set(['40001', '40P01']);

export interface PgDatabaseOptions {
  /** Connections in the pool. */
  max?: number;
  /** application_name shown in pg_stat_activity. */
  name?: string;
}

export class PgDatabase {
  readonly pool: pg.Pool;

  constructor(
    readonly url: string,
    o: PgDatabaseOptions = {},
  ) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: o.max ?? 10,
      application_name: o.name ?? 'yiwang-cloud',
      types,
      connectionTimeoutMillis: 10_000,
    });
    // an idle client's error (the server restarted) must not crash the process: the pool drops it
    this.pool.on('error', () => {});
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  /** Runs `fn` in one transaction (retried up to 3 times on a serialization failure or deadlock). */
  async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.pool.connect();
      let broken = false;
      // a connection lost between two statements (server restart, pg_terminate_backend) is reported
      // as an 'error' event of the checked-out client: without a listener it would crash the process
      const lost = (): void => {
        broken = true;
      };
      c.on('error', lost);
      try {
        await c.query('BEGIN');
        const out = await fn(c);
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => {
          broken = true;
        });
        const code = (err as { code?: string }).code;
        if (attempt < 3 && code !== undefined && RETRYABLE.has(code)) continue;
        throw err;
      } finally {
        c.off('error', lost);
        c.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** A coded store error for a failed database call (connection refused, server restarting, …). */
export function storeError(what: string, err: unknown): YiwangError {
  if (err instanceof YiwangError) return err;
  return new YiwangError('CLOUD_ERR_STORE', `${what}: ${(err as Error).message}`, { cause: err });
}
