/** SQLite schema of the edge store. `user_version` tracks it; an older store is refused, not guessed at. */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { preparePrivateDatabase } from '../../common/private-files.js';
import { YiwangError } from '../../common/errors.js';

export const EDGE_SCHEMA_VERSION = 5;

export const EDGE_DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- readings waiting for the cloud; batch is set when the row is sealed into a batch
CREATE TABLE IF NOT EXISTS readings (
  id INTEGER PRIMARY KEY,
  device TEXT NOT NULL,
  metric TEXT NOT NULL,
  unit TEXT NOT NULL,
  ts INTEGER NOT NULL,        -- wall-clock ms (corrected once the clock syncs, see clock)
  kind INTEGER NOT NULL,      -- 0 number, 1 boolean, 2 string
  num REAL,
  str TEXT,
  clock INTEGER NOT NULL,     -- ClockQuality
  priority INTEGER NOT NULL,  -- Priority
  size INTEGER NOT NULL,      -- accounted bytes (for the byte cap)
  boot INTEGER NOT NULL,      -- store boot counter at insert
  mono INTEGER NOT NULL,      -- store monotonic ms at insert (ages, clock correction)
  batch INTEGER
);
CREATE INDEX IF NOT EXISTS readings_pending ON readings (priority, id) WHERE batch IS NULL;
-- sealed batches not yet acknowledged; payload is resent byte for byte (same idempotency key)
CREATE TABLE IF NOT EXISTS batches (
  seq INTEGER PRIMARY KEY,
  payload BLOB NOT NULL,
  readings INTEGER NOT NULL,
  sealed_ms INTEGER NOT NULL,
  segments TEXT NOT NULL      -- JSON [[priority, firstId, lastId], …]: where its rows are (no index on batch needed)
);
-- events (alarms, state changes) waiting for the cloud; they travel in batches like readings
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  body BLOB NOT NULL,         -- the encoded yiwang.v1.Event
  batch INTEGER
);
CREATE INDEX IF NOT EXISTS events_pending ON events (id) WHERE batch IS NULL;
-- single-reading (or single-event) batches the cloud rejected whole, after bisection isolated them
-- (edge/store/dead-letters.ts): kept for inspection, never resent; bounded (oldest evicted, counted)
CREATE TABLE IF NOT EXISTS dead_letters (
  seq INTEGER PRIMARY KEY,
  payload BLOB NOT NULL,
  readings INTEGER NOT NULL,
  error_code TEXT NOT NULL,
  detail TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
-- readings refused one by one: at the edge where they entered (reading-check.ts, senml.ts) or by the
-- cloud within a stored batch (BatchAck.quarantined); grouped by device, metric and reason per
-- commit, bounded in rows and bytes (oldest evicted, counted); edge/store/quarantine.ts
CREATE TABLE IF NOT EXISTS quarantine (
  id INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,     -- wall clock when quarantined
  source TEXT NOT NULL,       -- edge | cloud
  device TEXT NOT NULL,       -- control characters escaped, cut (reading-check.ts printable)
  metric TEXT NOT NULL,
  code TEXT NOT NULL,         -- EDGE_ERR_READING_* … or the cloud's code
  detail TEXT NOT NULL,
  count INTEGER NOT NULL,     -- readings this entry stands for
  size INTEGER NOT NULL       -- accounted bytes (for the byte cap)
);
-- running totals kept in the same transactions as the rows they count (no scans at start)
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
-- uplinks already committed, by protocol exchange key (e.g. CoAP peer + message id + token), so that a
-- retransmission after a lost ACK or an agent restart is answered without storing it twice; an
-- append-only log (ids ascending, given by the store), looked up through an index in memory
-- (uplink-keys.ts); at_ms is the store's monotonic clock (mono-clock.ts)
CREATE TABLE IF NOT EXISTS uplink_keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL, at_ms INTEGER NOT NULL);
`;

/** Upgrades from older schema versions that can be migrated in place (others are refused). */
export const EDGE_MIGRATIONS: Record<number, string> = {
  // v4 kept uplink keys in a B-tree keyed by the key (random pages per commit); v5 appends them.
  4: `ALTER TABLE uplink_keys RENAME TO uplink_keys_v4;
CREATE TABLE uplink_keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL, at_ms INTEGER NOT NULL);
INSERT INTO uplink_keys (key, at_ms) SELECT key, at_ms FROM uplink_keys_v4 ORDER BY at_ms;
DROP TABLE uplink_keys_v4;`,
};

/** Opens (or creates) the store file: private modes, WAL, the schema migrated in place or refused. */
export function openEdgeDatabase(path: string): Database.Database {
  try {
    const fresh = path === ':memory:' || !existsSync(path) || statSync(path).size === 0;
    preparePrivateDatabase(path); // 0700 directory when created, 0600 file and sidecars (issue 16)
    const db = new Database(path);
    if (fresh) db.pragma('auto_vacuum = INCREMENTAL'); // only takes effect before the first table
    db.pragma('journal_mode = WAL');
    // Commits write the WAL without an fsync; delivery promises await durable() (see wal-sync.ts).
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (!fresh && version !== 0 && version !== EDGE_SCHEMA_VERSION) {
      const migration = EDGE_MIGRATIONS[version];
      if (migration === undefined)
        throw new Error(
          `store schema ${version}, this agent needs ${EDGE_SCHEMA_VERSION}: drain it with the previous agent or move it away`,
        );
      db.transaction(() => {
        db.exec(migration);
        db.pragma(`user_version = ${EDGE_SCHEMA_VERSION}`);
      })();
    }
    db.exec(EDGE_DDL);
    db.pragma(`user_version = ${EDGE_SCHEMA_VERSION}`);
    return db;
  } catch (err) {
    throw new YiwangError('EDGE_ERR_STORE', `cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
}
