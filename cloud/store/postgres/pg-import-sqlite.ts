/**
 * `yiwang-cloud db import-sqlite <file>`: moves everything a SQLite cloud store holds (cloud.db:
 * registry, batch keys, readings, quarantine, health, events, counters, and the control plane's
 * claims, identities, revocations, API keys, configuration and rollouts; the audit log) into an empty PostgreSQL
 * database, so an operator can switch store.backend to "postgres" and lose nothing.
 *
 * - The SQLite file is opened read-only, under the process lock the cloud takes (a running cloud on
 *   it is refused with CLOUD_ERR_ALREADY_RUNNING; nothing writes it meanwhile), in one read
 *   transaction (a consistent snapshot).
 * - The PostgreSQL schema is migrated when the database is empty; a database with any data row is
 *   refused (CLOUD_ERR_IMPORT), one whose schema is behind or ahead (CLOUD_ERR_SCHEMA) too.
 * - Every table is copied with COPY FROM STDIN in ONE PostgreSQL transaction (all or nothing), rows
 *   streamed from SQLite (readings in chunks of lines), so the file's size does not matter for
 *   memory. Ids are kept (readings' arrival order, event and quarantine ids the API shows), and the
 *   sequences are set past them; config_layer_heads and config_version_seq follow from the rows.
 * - Before COMMIT the row count of every table is compared with the source's; a difference rolls
 *   everything back (CLOUD_ERR_IMPORT).
 * - An old file lacking later-added columns (CLOUD_COLUMNS, HEALTH_COLUMNS) or whole later tables
 *   imports with the defaults those migrations give.
 *
 * The day partitions of `readings` are made with pg-readings-partitions.ts before the transaction
 * (as ingest does); days outside its window go to readings_old.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import type pg from 'pg';
import pgCopy from 'pg-copy-streams';
import { YiwangError } from '../../../common/errors.js';
import { lockStore } from '../../../common/process-lock.js';
import type { PgDatabase } from './pg-database.js';
import { migrate, schemaState } from './pg-migrations.js';
import { copyText, KIND_STRING, KIND_STRING_ESCAPED } from './pg-readings-copy.js';
import { DAY_MS, PgReadingsPartitions } from './pg-readings-partitions.js';

/** How a SQLite value becomes COPY text. */
type ColType = 'int' | 'real' | 'text' | 'bool' | 'bytea';

interface Col {
  name: string;
  type: ColType;
  /** SQLite expression used when an older file lacks the column (undefined: the column is required). */
  missing?: string;
}

interface TableSpec {
  name: string;
  cols: Col[];
  /** A GENERATED ALWAYS identity column whose sequence is set past the imported ids. */
  identity?: string;
}

const c = (name: string, type: ColType, missing?: string): Col =>
  missing === undefined ? { name, type } : { name, type, missing };

/**
 * Every table of the SQLite store but readings (copied on its own) and config_seq (a sequence in
 * PostgreSQL), in the PostgreSQL schema's column order. `missing` mirrors CLOUD_COLUMNS and
 * HEALTH_COLUMNS (sqlite-cloud-schema.ts, sqlite-health-schema.ts).
 */
const TABLES: TableSpec[] = [
  {
    name: 'gateways',
    cols: [
      c('id', 'text'),
      c('secret_hash', 'text'),
      c('created_ms', 'int'),
      c('online', 'bool', '0'),
      c('last_seen_ms', 'int', 'NULL'),
      c('last_batch_ms', 'int', 'NULL'),
      c('batches', 'int', '0'),
      c('readings', 'int', '0'),
      c('revoked_ms', 'int', 'NULL'),
      c('district', 'text', "''"),
      c('site', 'text', "''"),
      c('grp', 'text', "''"),
    ],
  },
  {
    name: 'batches',
    cols: [
      c('gateway_id', 'text'),
      c('epoch', 'int'),
      c('seq', 'int'),
      c('received_ms', 'int'),
      c('readings', 'int'),
      c('quarantined', 'int', '0'),
    ],
  },
  {
    name: 'devices',
    cols: [
      c('id', 'text'),
      c('gateway_id', 'text'),
      c('first_seen_ms', 'int'),
      c('last_seen_ms', 'int'),
      c('last_reading_ts', 'int'),
      c('readings', 'int', '0'),
      c('type', 'text', "''"),
      c('interval_s', 'int', '0'),
      c('online', 'bool', '0'),
      c('deadline_ms', 'int', '0'),
    ],
  },
  { name: 'counters', cols: [c('name', 'text'), c('value', 'int')] },
  {
    name: 'quarantine',
    identity: 'id',
    cols: [
      c('id', 'int'),
      c('gateway_id', 'text'),
      c('epoch', 'int'),
      c('seq', 'int'),
      c('received_ms', 'int'),
      c('device_id', 'text'),
      c('metric', 'text'),
      c('code', 'text'),
      c('detail', 'text'),
      c('readings', 'int'),
      c('events', 'int'),
    ],
  },
  {
    name: 'quarantine_totals',
    cols: [c('gateway_id', 'text'), c('code', 'text'), c('readings', 'int'), c('events', 'int')],
  },
  {
    name: 'gateway_health',
    cols: [
      c('gateway_id', 'text'),
      c('status', 'text'),
      c('reasons', 'text'),
      c('since_ms', 'int'),
      c('session_up', 'bool'),
      c('last_heard_ms', 'int', 'NULL'),
      c('health', 'text', 'NULL'),
    ],
  },
  { name: 'fleet_counters', cols: [c('scope', 'text'), c('key', 'text'), c('metric', 'text'), c('value', 'int')] },
  {
    name: 'events',
    identity: 'id',
    cols: [
      c('id', 'int'),
      c('gateway_id', 'text'),
      c('source_id', 'text'),
      c('device_id', 'text'),
      c('type', 'text'),
      c('severity', 'text'),
      c('ts_ms', 'int'),
      c('received_ms', 'int'),
      c('message', 'text'),
      c('attributes', 'text'),
      c('active', 'bool'),
      c('alarm', 'bool'),
      c('acked_ms', 'int', 'NULL'),
      c('acked_by', 'text', 'NULL'),
      c('cleared_ms', 'int', 'NULL'),
    ],
  },
  {
    name: 'gateway_backlog',
    cols: [
      c('gateway_id', 'text'),
      c('ts_ms', 'int'),
      c('rows_n', 'int'),
      c('bytes', 'int'),
      c('oldest_age_ms', 'int'),
    ],
  },
  {
    name: 'claims',
    cols: [
      c('id', 'text'),
      c('secret_hash', 'text'),
      c('grp', 'text'),
      c('site', 'text'),
      c('district', 'text'),
      c('created_ms', 'int'),
      c('expires_ms', 'int'),
      c('max_uses', 'int'),
      c('uses', 'int', '0'),
      c('revoked_ms', 'int', 'NULL'),
      c('note', 'text', "''"),
    ],
  },
  {
    name: 'identities',
    cols: [
      c('gateway_id', 'text'),
      c('claim_id', 'text'),
      c('public_key', 'bytea'),
      c('grp', 'text'),
      c('site', 'text'),
      c('district', 'text'),
      c('provisioned_ms', 'int'),
      c('revoked_ms', 'int', 'NULL'),
    ],
  },
  { name: 'revoked_gateways', cols: [c('gateway_id', 'text'), c('revoked_ms', 'int')] },
  {
    name: 'api_keys',
    cols: [
      c('id', 'text'),
      c('hash', 'text'),
      c('name', 'text'),
      c('scope', 'text'),
      c('created_ms', 'int'),
      c('revoked_ms', 'int', 'NULL'),
      c('owner', 'text', 'NULL'),
    ],
  },
  // operator accounts (issue 22); their sign-in sessions are not copied: operators sign in again
  {
    name: 'users',
    cols: [
      c('name', 'text'),
      c('display_name', 'text'),
      c('role', 'text'),
      c('districts', 'text'),
      c('groups', 'text'),
      c('password_hash', 'text'),
      c('totp_sealed', 'text'),
      c('totp_last_step', 'int'),
      c('disabled', 'bool'),
      c('created_ms', 'int'),
      c('password_changed_ms', 'int'),
      c('last_login_ms', 'int'),
    ],
  },
  // incidents and dispatch (issue 23): cloud/store/incident-schema.ts, the same columns in both
  {
    name: 'incident_departments',
    cols: ['id', 'name', 'webhook_url', 'secret_sealed']
      .map((n) => c(n, 'text'))
      .concat([c('created_ms', 'int'), c('updated_ms', 'int')]),
  },
  {
    name: 'incident_rules',
    cols: [
      c('id', 'text'),
      c('position', 'int'),
      c('event_type', 'text'),
      c('min_severity', 'text'),
      c('district', 'text'),
      c('grp', 'text'),
      c('department_id', 'text'),
      c('sla_minutes', 'int'),
      c('priority', 'int'),
      c('created_ms', 'int'),
      c('updated_ms', 'int'),
    ],
  },
  {
    name: 'incidents',
    identity: 'id',
    cols: [
      c('id', 'int'),
      ...['title', 'state', 'department_id', 'assignee'].map((n) => c(n, 'text')),
      c('priority', 'int'),
      ...['district', 'grp', 'gateway_id', 'device_id', 'event_type', 'severity', 'rule_id', 'opened_by'].map((n) =>
        c(n, 'text'),
      ),
      ...['sla_minutes', 'deadline_ms', 'escalation_level', 'linked_alarms', 'alarm_count', 'note_count'].map((n) =>
        c(n, 'int'),
      ),
      c('resolution', 'text'),
      c('created_ms', 'int'),
      c('updated_ms', 'int'),
      c('acked_ms', 'int'),
      c('acked_by', 'text'),
      c('resolved_ms', 'int'),
      c('resolved_by', 'text'),
      c('closed_ms', 'int'),
      c('closed_by', 'text'),
      c('version', 'int'),
    ],
  },
  { name: 'incident_alarms', cols: [c('event_id', 'int'), c('incident_id', 'int'), c('linked_ms', 'int')] },
  {
    name: 'incident_notes',
    cols: [c('incident_id', 'int'), c('seq', 'int'), c('at_ms', 'int'), c('author', 'text'), c('text', 'text')],
  },
  { name: 'incident_cursors', cols: [c('name', 'text'), c('value', 'int')] },
  {
    name: 'config_layers',
    cols: [c('scope', 'text'), c('key', 'text'), c('revision', 'int'), c('toml', 'text'), c('created_ms', 'int')],
  },
  { name: 'config_group_active', cols: [c('grp', 'text'), c('revision', 'int')] },
  { name: 'config_pins', cols: [c('gateway_id', 'text'), c('revision', 'int')] },
  {
    name: 'config_issued',
    cols: [
      c('gateway_id', 'text'),
      c('version', 'int'),
      c('envelope', 'bytea'),
      c('label', 'text'),
      c('toml', 'text'),
      c('issued_ms', 'int'),
    ],
  },
  {
    name: 'config_reported',
    cols: [
      c('gateway_id', 'text'),
      c('version', 'int'),
      c('state', 'text'),
      c('error_code', 'text'),
      c('detail', 'text'),
      c('running_version', 'int'),
      c('ts_ms', 'int'),
    ],
  },
  { name: 'rollouts', cols: [c('id', 'text'), c('state', 'text'), c('started_ms', 'int'), c('body', 'text')] },
  // the audit log, verbatim: its hash chain and signed checkpoints verify the same in PostgreSQL
  {
    name: 'audit_log',
    cols: [
      c('seq', 'int'),
      c('ts_ms', 'int'),
      c('actor_kind', 'text'),
      c('actor_id', 'text'),
      c('actor_name', 'text'),
      c('actor_role', 'text'),
      c('source', 'text'),
      c('action', 'text'),
      c('target', 'text'),
      c('result', 'text'),
      c('status', 'int'),
      c('code', 'text'),
      c('details', 'text'),
      c('prev_hash', 'text'),
      c('hash', 'text'),
    ],
  },
  {
    name: 'audit_checkpoints',
    cols: [
      c('seq', 'int'),
      c('kind', 'text'),
      c('hash', 'text'),
      c('ts_ms', 'int'),
      c('key_id', 'text'),
      c('public_key', 'text'),
      c('signature', 'text'),
    ],
  },
];

/**
 * Tables a cloud started on the empty database may have written without any fleet data (counters
 * rebuilt at start, the config-layer heads): emptied inside the import's transaction rather than
 * counted as data. Every other table must be empty.
 */
const DERIVED = new Set(['counters', 'fleet_counters', 'gateway_health', 'gateway_backlog']);

/** Lines per chunk written to a COPY stream. */
const LINES_PER_CHUNK = 2000;

export interface ImportSqliteOptions {
  /** The SQLite cloud store (store.path of the SQLite configuration). */
  sqlitePath: string;
  /** Readings older than this (ms, reading time) are not imported (default: all). */
  readingsSinceMs?: number;
  /** store.readings_keep_days of the PostgreSQL configuration (partition window; 0: forever). */
  readingsKeepDays?: number;
  /** store.batch_keys_keep_days (passed to the partition manager; nothing is pruned here). */
  batchKeysKeepDays?: number;
  /** ingest.max_future_ms (partition window). */
  maxFutureMs?: number;
  /** Clock of the partition window (tests). */
  nowMs?: number;
}

export interface ImportTableCount {
  table: string;
  /** Rows in the SQLite file (readings: those selected by readingsSinceMs). */
  source: number;
  /** Rows in PostgreSQL after the copy (before commit). */
  imported: number;
}

export interface ImportSqliteResult {
  /** Schema versions the import applied first (empty when the database had the schema already). */
  migrated: number[];
  tables: ImportTableCount[];
  /** Readings left out by readingsSinceMs. */
  readingsSkipped: number;
  /** Day partitions of readings created. */
  partitionsCreated: number;
  durationMs: number;
}

const importError = (msg: string): YiwangError => new YiwangError('CLOUD_ERR_IMPORT', msg);

/** A SQLite value as COPY text. */
function cell(v: unknown, type: ColType): string {
  if (v === null || v === undefined) return '\\N';
  switch (type) {
    case 'bool':
      return v === 0 || v === 0n || v === false ? 'f' : 't';
    case 'bytea': {
      const b = Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8');
      return `\\\\x${b.toString('hex')}`; // \\x… in COPY text: bytea's hex form
    }
    case 'int':
    case 'real':
      return String(v);
    default:
      return copyText(String(v));
  }
}

/** Streams `lines` (one COPY text line per row) into `sql` on the transaction's client. */
async function copyInto(client: pg.PoolClient, sql: string, lines: Iterable<string>): Promise<void> {
  function* chunks(): Generator<string> {
    let buf: string[] = [];
    for (const l of lines) {
      buf.push(l);
      if (buf.length >= LINES_PER_CHUNK) {
        yield buf.join('');
        buf = [];
      }
    }
    if (buf.length) yield buf.join('');
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), client.query(pgCopy.from(sql)));
}

/** The SQLite source: table and column discovery on the read-only connection. */
class Source {
  private readonly columns = new Map<string, Set<string>>();

  constructor(readonly db: Database.Database) {}

  has(table: string): boolean {
    return this.cols(table).size > 0;
  }

  cols(table: string): Set<string> {
    let s = this.columns.get(table);
    if (!s) {
      const rows = this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      s = new Set(rows.map((r) => r.name));
      this.columns.set(table, s);
    }
    return s;
  }

  count(table: string, where = '', params: unknown[] = []): number {
    if (!this.has(table)) return 0;
    return (this.db.prepare(`SELECT count(*) AS n FROM ${table} ${where}`).get(...params) as { n: number }).n;
  }

  /** The SELECT list of a table spec: its columns, or the defaults of those an older file lacks. */
  selectList(t: TableSpec): string {
    const have = this.cols(t.name);
    return t.cols
      .map((col) => {
        if (have.has(col.name)) return col.name;
        if (col.missing === undefined)
          throw importError(`the SQLite table ${t.name} has no column ${col.name}: not a Yiwang cloud store`);
        return `${col.missing} AS ${col.name}`;
      })
      .join(', ');
  }
}

/** COPY lines of readings (id kept); a string holding U+0000 becomes kind 3 as pg-readings-copy.ts stores it. */
function* readingLines(src: Source, sinceMs: number | undefined): Generator<string> {
  const stmt = src.db
    .prepare(
      `SELECT id, device_id, metric, ts, unit, kind, num, str, clock, priority, gateway_id FROM readings${sinceMs === undefined ? '' : ' WHERE ts >= ?'} ORDER BY id`,
    )
    .raw(true);
  const it = (sinceMs === undefined ? stmt.iterate() : stmt.iterate(sinceMs)) as IterableIterator<unknown[]>;
  for (const r of it) {
    let kind = r[5] as number;
    let str = r[7] as string | null;
    if (kind === KIND_STRING && str !== null && str.includes('\u0000')) {
      kind = KIND_STRING_ESCAPED;
      str = str.replace(/\\/g, '\\\\').replace(/\u0000/g, '\\0');
    }
    yield `${r[0]}\t${copyText(String(r[1]))}\t${copyText(String(r[2]))}\t${r[3]}\t${copyText(String(r[4]))}\t${kind}\t${cell(r[6], 'real')}\t${str === null ? '\\N' : copyText(str)}\t${r[8]}\t${r[9]}\t${copyText(String(r[10]))}\n`;
  }
}

function* tableLines(src: Source, t: TableSpec): Generator<string> {
  const it = src.db
    .prepare(`SELECT ${src.selectList(t)} FROM ${t.name}`)
    .raw(true)
    .iterate() as IterableIterator<unknown[]>;
  for (const row of it) yield `${t.cols.map((col, i) => cell(row[i], col.type)).join('\t')}\n`;
}

/** Day numbers that readings (since `sinceMs`) fall on, from the SQLite file. */
function readingDays(src: Source, sinceMs: number | undefined): number[] {
  if (!src.has('readings')) return [];
  const day = `(CASE WHEN ts >= 0 THEN ts / ${DAY_MS} ELSE (ts - ${DAY_MS - 1}) / ${DAY_MS} END)`;
  const rows = src.db
    .prepare(`SELECT DISTINCT ${day} AS d FROM readings${sinceMs === undefined ? '' : ' WHERE ts >= ?'}`)
    .all(...(sinceMs === undefined ? [] : [sinceMs])) as { d: number }[];
  return rows.map((r) => r.d).sort((a, b) => a - b);
}

/** Tables of the target holding rows that are fleet data (any one makes the database "not empty"). */
async function nonEmptyTables(q: Pick<pg.PoolClient, 'query'>): Promise<string[]> {
  const names = ['readings', ...TABLES.map((t) => t.name), 'config_layer_heads'].filter((n) => !DERIVED.has(n));
  const r = await q.query<Record<string, boolean>>(
    `SELECT ${names.map((n) => `EXISTS (SELECT 1 FROM ${n}) AS "${n}"`).join(', ')}`,
  );
  const row = r.rows[0] ?? {};
  return names.filter((n) => row[n]);
}

/** Opens the SQLite store read-only (under the cloud's lock) and checks it is one. */
function openSource(path: string): { src: Source; close: () => void } {
  const lock = lockStore(path, { code: 'CLOUD_ERR_ALREADY_RUNNING', ioCode: 'CLOUD_ERR_STORE', what: 'cloud' });
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const src = new Source(db);
    if (!src.has('gateways') || !src.has('devices') || !src.has('readings'))
      throw importError(`${path} is not a Yiwang cloud SQLite store (no gateways, devices or readings table)`);
    db.exec('BEGIN'); // one read transaction: a consistent snapshot for copy and counts
    const opened = db;
    return {
      src,
      close: () => {
        try {
          if (opened.inTransaction) opened.exec('COMMIT');
          opened.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (err) {
    try {
      db?.close();
    } finally {
      lock.release();
    }
    if (err instanceof YiwangError) throw err;
    throw new YiwangError('CLOUD_ERR_IMPORT', `cannot open the SQLite store ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** Brings an empty database to the schema; refuses one behind, ahead or changed. */
async function prepareSchema(db: PgDatabase): Promise<number[]> {
  const s = await schemaState(db);
  if (s.current > s.latest)
    throw new YiwangError(
      'CLOUD_ERR_SCHEMA',
      `database schema is at version ${s.current}, this release knows up to ${s.latest}: run the newer release`,
    );
  if (s.changed.length)
    throw new YiwangError('CLOUD_ERR_SCHEMA', `applied migrations ${s.changed.join(', ')} differ from this release's`);
  if (s.current === 0) return migrate(db);
  if (s.pending.length)
    throw new YiwangError(
      'CLOUD_ERR_SCHEMA',
      `database schema is at version ${s.current}, this release needs ${s.latest}: run \`yiwang-cloud db migrate\` first`,
    );
  return [];
}

/** Imports the SQLite store into the (empty) PostgreSQL database `db`: see the file comment. */
export async function importSqlite(db: PgDatabase, o: ImportSqliteOptions): Promise<ImportSqliteResult> {
  const started = Date.now();
  const since = o.readingsSinceMs;
  const { src, close } = openSource(o.sqlitePath);
  try {
    const migrated = await prepareSchema(db);
    const full = await nonEmptyTables(db.pool);
    if (full.length) throw importError(`the target database is not empty (rows in ${full.join(', ')})`);

    const partitions = new PgReadingsPartitions(db, {
      readingsKeepDays: o.readingsKeepDays ?? 0,
      batchKeysKeepDays: o.batchKeysKeepDays ?? 0,
      maxFutureMs: o.maxFutureMs ?? 0,
    });
    // outside the transaction, as ingest does (a partition made for nothing stays empty: harmless)
    await partitions.ensure(
      readingDays(src, since).map((d) => d * DAY_MS),
      o.nowMs ?? Date.now(),
    );

    const sourceCounts = new Map<string, number>();
    for (const t of TABLES) sourceCounts.set(t.name, src.count(t.name));
    const allReadings = src.count('readings');
    const readings = since === undefined ? allReadings : src.count('readings', 'WHERE ts >= ?', [since]);
    sourceCounts.set('readings', readings);
    const configSeq = src.has('config_seq')
      ? ((src.db.prepare('SELECT value FROM config_seq WHERE id = 1').get() as { value: number } | undefined)?.value ??
        0)
      : 0;
    const hasBatchesCounter =
      src.has('counters') && src.db.prepare("SELECT 1 FROM counters WHERE name = 'batches'").get() !== undefined;

    const tables = await db.tx(async (client) => {
      // nothing else writes these tables until the import commits (a cloud started meanwhile waits)
      await client.query('LOCK TABLE gateways, devices, readings, batches IN EXCLUSIVE MODE');
      const now = await nonEmptyTables(client);
      if (now.length) throw importError(`the target database is not empty (rows in ${now.join(', ')})`);
      for (const d of DERIVED) await client.query(`DELETE FROM ${d}`);

      for (const t of TABLES) {
        if (!src.has(t.name)) continue; // a table of a later release: none to copy
        await copyInto(
          client,
          `COPY ${t.name} (${t.cols.map((x) => x.name).join(', ')}) FROM STDIN`,
          tableLines(src, t),
        );
      }
      await copyInto(
        client,
        'COPY readings (id, device_id, metric, ts, unit, kind, num, str, clock, priority, gateway_id) FROM STDIN',
        readingLines(src, since),
      );

      // what PostgreSQL keeps apart from the rows
      if (!hasBatchesCounter)
        await client.query("INSERT INTO counters (name, value) VALUES ('batches', $1)", [
          sourceCounts.get('batches') ?? 0,
        ]);
      await client.query(
        'INSERT INTO config_layer_heads (scope, key, revision) SELECT scope, key, max(revision) FROM config_layers GROUP BY scope, key',
      );
      const maxVersion = await client.query<{ v: number | null }>(
        'SELECT greatest((SELECT max(version) FROM config_issued), (SELECT max(version) FROM config_reported), (SELECT max(running_version) FROM config_reported), $1::bigint) AS v',
        [configSeq],
      );
      const v = Number(maxVersion.rows[0]?.v ?? 0);
      if (v > 0) await client.query("SELECT setval('config_version_seq', $1)", [v]);
      for (const t of TABLES)
        if (t.identity)
          await client.query(
            `SELECT setval(pg_get_serial_sequence('${t.name}', '${t.identity}'), m) FROM (SELECT max(${t.identity}) AS m FROM ${t.name}) x WHERE m IS NOT NULL`,
          );
      await client.query(
        "SELECT setval('readings_id_seq', m) FROM (SELECT max(id) AS m FROM readings) x WHERE m IS NOT NULL",
      );

      // verify before commit: every table holds what the file held
      const out: ImportTableCount[] = [];
      for (const name of [...TABLES.map((t) => t.name), 'readings']) {
        const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
        let imported = Number(r.rows[0]?.n ?? 0);
        if (name === 'counters' && !hasBatchesCounter) imported--; // the 'batches' row added above
        const source = sourceCounts.get(name) ?? 0;
        out.push({ table: name, source, imported });
      }
      const bad = out.filter((x) => x.source !== x.imported);
      if (bad.length)
        throw importError(
          `row counts differ after the copy (rolled back): ${bad.map((x) => `${x.table} ${x.source} → ${x.imported}`).join(', ')}`,
        );
      return out;
    });
    return {
      migrated,
      tables,
      readingsSkipped: allReadings - readings,
      partitionsCreated: partitions.created,
      durationMs: Date.now() - started,
    };
  } catch (err) {
    if (err instanceof YiwangError) throw err;
    // PostgreSQL names the COPY and its line ("COPY api_keys, line 3"): say which table failed
    const where = (err as { where?: string }).where;
    throw new YiwangError(
      'CLOUD_ERR_IMPORT',
      `import of ${o.sqlitePath} failed (rolled back): ${(err as Error).message}${where ? ` (${where.split('\n')[0]})` : ''}`,
      { cause: err },
    );
  } finally {
    close();
  }
}
