/**
 * Setup of the cluster bench (bench/cluster.bench.ts): the bench database on PostgreSQL and its
 * gateways, the reset between runs, the checks after a drain, the raw-COPY baseline, the SQLite
 * registry, the cloud nodes' TOML, Redis clean-up and CPU time of the PostgreSQL processes.
 */
import { createReadStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import pgCopy from 'pg-copy-streams';
import { Redis } from 'ioredis';
import type Database from 'better-sqlite3';
import { hashGeneratedSecret, newSecret } from '../cloud/registry/secrets.js';
import { PgDatabase } from '../cloud/store/postgres/pg-database.js';
import { checkSchema } from '../cloud/store/postgres/pg-migrations.js';
import { PgCloudStore } from '../cloud/store/postgres/pg-cloud-store.js';
import { PgReadingsPartitions } from '../cloud/store/postgres/pg-readings-partitions.js';
import { COPY_READINGS } from '../cloud/store/postgres/pg-readings-copy.js';
import { SqliteCloudStore } from '../cloud/store/sqlite-cloud-store.js';
import { createPgDatabase, dropPgDatabase, pgUrlOf } from '../scripts/harness/pg.js';

export const PG_ADMIN_URL = process.env.YW_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const dbUrl = (name: string): string => pgUrlOf(PG_ADMIN_URL, name);

export async function createDatabase(name: string): Promise<void> {
  await createPgDatabase(PG_ADMIN_URL, name);
}
export async function dropDatabase(name: string): Promise<void> {
  await dropPgDatabase(PG_ADMIN_URL, name);
}

export const gwName = (i: number): string => `gw-${String(i).padStart(5, '0')}`;

/**
 * Creates the schema (as a node would on an empty database) and registers `n` gateways with
 * generated secrets through the store's gateway insert; returns [id, secret] pairs.
 */
export async function registerPgGateways(url: string, n: number): Promise<[string, string][]> {
  const db = new PgDatabase(url, { max: 8, name: 'yw-bench-register' });
  try {
    await checkSchema(db);
    const store = await PgCloudStore.open(db);
    const creds: [string, string][] = Array.from({ length: n }, (_, i) => [gwName(i), newSecret()]);
    // through the store's insert (gateway row and its health counters), 500 gateways per transaction
    for (let i = 0; i < n; i += 500)
      await db.tx(async (c) => {
        for (const [id, s] of creds.slice(i, i + 500))
          if (!(await store.insertGateway(c, id, hashGeneratedSecret(s), undefined, Date.now())))
            throw new Error(`gateway ${id} exists`);
      });
    await store.close();
    return creds;
  } finally {
    await db.close();
  }
}

/** Empties what a drain wrote (readings, batch keys, devices, counters, quarantine, events) and checkpoints. */
export async function resetPg(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      'TRUNCATE readings, batches, devices, counters, quarantine, quarantine_totals, events, gateway_backlog',
    );
    await c.query(
      'UPDATE gateways SET online = false, last_seen_ms = NULL, last_batch_ms = NULL, batches = 0, readings = 0',
    );
    await c.query('VACUUM ANALYZE gateways');
    await c.query('CHECKPOINT');
  } finally {
    await c.end();
  }
}

/** Rows in `readings`, and how many distinct (device, metric, ts) they hold (equal = no duplicates). */
export async function countPg(url: string): Promise<{ rows: number; distinct: number; counter: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ rows: string; distinct: string; counter: string | null }>(
      `SELECT count(*) AS rows, count(DISTINCT (device_id, metric, ts)) AS distinct,
         (SELECT value FROM counters WHERE name = 'readings') AS counter FROM readings`,
    );
    return {
      rows: Number(r.rows[0]!.rows),
      distinct: Number(r.rows[0]!.distinct),
      counter: Number(r.rows[0]!.counter ?? 0),
    };
  } finally {
    await c.end();
  }
}

/** Creates the day partitions the timestamps need (as a node does before it writes). */
export async function ensurePartitions(url: string, ts: number[]): Promise<void> {
  const db = new PgDatabase(url, { max: 1, name: 'yw-bench-partitions' });
  try {
    await new PgReadingsPartitions(db, { readingsKeepDays: 0, batchKeysKeepDays: 30, maxFutureMs: 86_400_000 }).ensure(
      ts,
      Date.now(),
    );
  } finally {
    await db.close();
  }
}

/**
 * The baseline: the COPY text files in `dir` (copy-*.txt, the same rows in the node's own COPY
 * encoding) streamed by one client into `readings`, one COPY (and commit) per file. Returns seconds.
 */
export async function copyBaseline(
  url: string,
  dir: string,
  db: string,
): Promise<{ seconds: number; rows: number; pgCpuS: number }> {
  const files = readdirSync(dir)
    .filter((f) => /^copy-\d+\.txt$/.test(f))
    .sort();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    let rows = 0;
    await c.query('SELECT 1'); // the backend is up before the CPU count starts
    const pg0 = pgCpuSeconds(db);
    const t0 = performance.now();
    for (const f of files) {
      const s = c.query(pgCopy.from(COPY_READINGS));
      await pipeline(createReadStream(join(dir, f), { highWaterMark: 1 << 20 }), s);
      rows += Number(s.rowCount);
    }
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, rows, pgCpuS: pgCpuSeconds(db) - pg0 };
  } finally {
    await c.end();
  }
}

/** An SQLite cloud file with the gateways registered (their secrets hashed as the registry stores them). */
export async function sqliteRegistry(path: string, creds: [string, string][]): Promise<void> {
  const store = new SqliteCloudStore(path, 0);
  const raw = (store as unknown as { db: Database.Database }).db;
  raw.pragma('synchronous = OFF'); // build time only
  for (const [id, s] of creds) await store.createGateway(id, hashGeneratedSecret(s));
  raw.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();
}

export interface NodeToml {
  dir: string;
  postgresUrl?: string;
  pool?: number;
  redisUrl?: string;
  redisPrefix?: string;
  nodeId?: string;
}

/** cloud.toml of one node in `dir` (every port free, log warn; PostgreSQL and Redis when given). */
export function writeNodeToml(o: NodeToml): string {
  const lines = [
    '[mqtt]',
    'host = "127.0.0.1"',
    'port = 0',
    '[tls]',
    'host = "127.0.0.1"',
    'port = 0',
    '[http]',
    'port = 0',
    '[store]',
    `path = "${join(o.dir, 'cloud.db')}"`,
    ...(o.postgresUrl
      ? ['backend = "postgres"', `postgres_url = "${o.postgresUrl}"`, `postgres_pool = ${o.pool ?? 10}`]
      : []),
    '[pki]',
    `dir = "${join(o.dir, 'pki')}"`,
    '[log]',
    'level = "warn"',
  ];
  if (o.redisUrl)
    lines.push(
      '[cluster]',
      `redis_url = "${o.redisUrl}"`,
      `redis_prefix = "${o.redisPrefix}"`,
      `node_id = "${o.nodeId}"`,
    );
  const f = join(o.dir, 'cloud.toml');
  writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

/** Deletes every Redis key under `prefix`; returns how many. */
export async function cleanRedis(url: string, prefix: string): Promise<number> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    let n = 0,
      cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) n += await r.del(...keys);
    } while (cursor !== '0');
    return n;
  } finally {
    r.disconnect();
  }
}

/**
 * CPU seconds (user + system) so far of the PostgreSQL processes that work for database `db`: its
 * backends (and autovacuum workers) and the server's shared writers (WAL writer, checkpointer,
 * background writer), which also write for the other databases of this shared server.
 */
export function pgCpuSeconds(db: string, ticksPerS = 100): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(` ${db} `) && !/: (walwriter|checkpointer|background writer)/.test(cmd)) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) / ticksPerS;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
