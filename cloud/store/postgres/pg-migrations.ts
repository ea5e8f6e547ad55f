/**
 * Versioned schema migrations of the PostgreSQL store. Each migration runs in its own transaction
 * under an advisory lock (several nodes starting at once apply it once) and is recorded with a
 * checksum in `yiwang_schema`. At start (`checkSchema`) an empty database is initialised; a
 * database behind the code is refused until `yiwang-cloud db migrate` applies what is pending, one
 * ahead of the code (a newer release wrote it) or with a changed migration is refused always.
 * Migrations are append-only: a released one is never edited, a change is a new version.
 */
import { createHash } from 'node:crypto';
import { YiwangError } from '../../../common/errors.js';
import type { PgDatabase } from './pg-database.js';
import { PG_CLOUD_DDL } from './pg-cloud-schema.js';
import { PG_HEALTH_DDL } from './pg-health-schema.js';
import { PG_CONTROL_PLANE_DDL } from './pg-control-plane-schema.js';
import { PG_AUDIT_DDL } from './pg-audit-schema.js';
import { PG_USER_DDL } from './pg-user-schema.js';
import { incidentDdl } from '../incident-schema.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: PG_CLOUD_DDL + PG_HEALTH_DDL + PG_CONTROL_PLANE_DDL },
  { version: 2, name: 'audit log', sql: PG_AUDIT_DDL },
  { version: 3, name: 'operator accounts', sql: PG_USER_DDL },
  { version: 4, name: 'incidents and dispatch', sql: incidentDdl('postgres') },
];

/** Advisory-lock key of schema changes (any fixed 64-bit number, distinct from the leader lock's). */
const MIGRATE_LOCK = 0x79_77_6d_69_67; // 'ywmig'

const checksum = (m: Migration): string => createHash('sha256').update(m.sql).digest('hex').slice(0, 16);

export interface SchemaState {
  /** Highest applied version (0 = empty database). */
  current: number;
  /** Highest version this code knows. */
  latest: number;
  pending: Migration[];
  /** Applied versions whose recorded checksum differs from this code's. */
  changed: number[];
}

async function ensureTable(db: PgDatabase): Promise<void> {
  // under the lock: nodes starting at once would collide creating it (pg_type's unique index)
  await db.tx(async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
    await c.query(
      'CREATE TABLE IF NOT EXISTS yiwang_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_ms BIGINT NOT NULL)',
    );
  });
}

export async function schemaState(db: PgDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<SchemaState> {
  const exists = await db.query<{ t: string | null }>("SELECT to_regclass('yiwang_schema')::text AS t");
  const rows = exists[0]?.t
    ? await db.query<{ version: number; checksum: string }>(
        'SELECT version, checksum FROM yiwang_schema ORDER BY version',
      )
    : [];
  const applied = new Map(rows.map((r) => [r.version, r.checksum]));
  const latest = migrations.at(-1)?.version ?? 0;
  return {
    current: rows.at(-1)?.version ?? 0,
    latest,
    pending: migrations.filter((m) => !applied.has(m.version)),
    changed: migrations
      .filter((m) => applied.has(m.version) && applied.get(m.version) !== checksum(m))
      .map((m) => m.version),
  };
}

/** Applies the pending migrations in order; returns the versions applied (none when up to date). */
export async function migrate(db: PgDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await ensureTable(db);
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
      const had = await c.query('SELECT 1 FROM yiwang_schema WHERE version = $1', [m.version]);
      if (had.rowCount) return false; // another node applied it meanwhile
      await c.query(m.sql);
      await c.query('INSERT INTO yiwang_schema (version, name, checksum, applied_ms) VALUES ($1, $2, $3, $4)', [
        m.version,
        m.name,
        checksum(m),
        Date.now(),
      ]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

/**
 * The check at start: initialises an empty database, refuses (CLOUD_ERR_SCHEMA) one with pending
 * migrations, one written by a newer release or one whose applied migrations were changed.
 */
export async function checkSchema(db: PgDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<SchemaState> {
  let s = await schemaState(db, migrations);
  if (s.current === 0 && s.pending.length === migrations.length) {
    await migrate(db, migrations);
    s = await schemaState(db, migrations);
  }
  if (s.current > s.latest)
    throw new YiwangError(
      'CLOUD_ERR_SCHEMA',
      `database schema is at version ${s.current}, this release knows up to ${s.latest}: run the newer release`,
    );
  if (s.changed.length)
    throw new YiwangError('CLOUD_ERR_SCHEMA', `applied migrations ${s.changed.join(', ')} differ from this release's`);
  if (s.pending.length)
    throw new YiwangError(
      'CLOUD_ERR_SCHEMA',
      `database schema is at version ${s.current}, this release needs ${s.latest}: run \`yiwang-cloud db migrate\``,
    );
  return s;
}
