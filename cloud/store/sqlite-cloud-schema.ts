/** SQLite schema of the cloud store. */
import type Database from 'better-sqlite3';

export const CLOUD_DDL = `
CREATE TABLE IF NOT EXISTS gateways (
  id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  online INTEGER NOT NULL DEFAULT 0,
  last_seen_ms INTEGER,
  last_batch_ms INTEGER,
  batches INTEGER NOT NULL DEFAULT 0,
  readings INTEGER NOT NULL DEFAULT 0,
  revoked_ms INTEGER               -- credentials revoked by an operator (added later: CLOUD_COLUMNS)
);
-- idempotency keys of stored batches
CREATE TABLE IF NOT EXISTS batches (
  gateway_id TEXT NOT NULL,
  epoch INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  received_ms INTEGER NOT NULL,
  readings INTEGER NOT NULL,
  quarantined INTEGER NOT NULL DEFAULT 0, -- readings quarantined (added later: CLOUD_COLUMNS)
  PRIMARY KEY (gateway_id, epoch, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS devices (
  id TEXT PRIMARY KEY,
  gateway_id TEXT NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  last_reading_ts INTEGER NOT NULL,
  readings INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS readings (
  id INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL,
  metric TEXT NOT NULL,
  ts INTEGER NOT NULL,
  unit TEXT NOT NULL,
  kind INTEGER NOT NULL,   -- 0 number, 1 boolean, 2 string
  num REAL,
  str TEXT,
  clock INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  gateway_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS readings_device_ts ON readings (device_id, ts, id);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
-- readings and events quarantined from stored batches: the last ingest.quarantine_keep groups per gateway
CREATE TABLE IF NOT EXISTS quarantine (
  id INTEGER PRIMARY KEY,
  gateway_id TEXT NOT NULL,
  epoch INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  received_ms INTEGER NOT NULL,
  device_id TEXT NOT NULL,
  metric TEXT NOT NULL,
  code TEXT NOT NULL,
  detail TEXT NOT NULL,
  readings INTEGER NOT NULL,
  events INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS quarantine_gateway ON quarantine (gateway_id, id);
-- and their totals per gateway and code, never pruned
CREATE TABLE IF NOT EXISTS quarantine_totals (
  gateway_id TEXT NOT NULL,
  code TEXT NOT NULL,
  readings INTEGER NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (gateway_id, code)
) WITHOUT ROWID;
`;

/** Columns added to existing tables since their first release: [table, column, definition]. */
export const CLOUD_COLUMNS: [string, string, string][] = [
  ['batches', 'quarantined', 'INTEGER NOT NULL DEFAULT 0'],
  ['gateways', 'revoked_ms', 'INTEGER'],
];

/** Indexes over added columns (created after the migration). */
export const CLOUD_INDEXES =
  'CREATE INDEX IF NOT EXISTS gateways_revoked ON gateways (revoked_ms) WHERE revoked_ms IS NOT NULL;';

/**
 * Adds the columns of `columns` ([table, column, definition]) that an older database lacks, before
 * statements that use them are prepared. True when one was added.
 */
export function addMissingColumns(db: Database.Database, columns: readonly [string, string, string][]): boolean {
  let added = false;
  for (const [table, col, def] of columns) {
    const cols = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    if (!cols.some((c) => c.name === col)) {
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${col} ${def}`);
      added = true;
    }
  }
  return added;
}
