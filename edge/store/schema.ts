/** SQLite schema of the edge store. `user_version` tracks it; an older store is refused, not guessed at. */
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
-- batches the cloud rejected as malformed: kept for inspection, never resent
CREATE TABLE IF NOT EXISTS dead_letters (
  seq INTEGER PRIMARY KEY,
  payload BLOB NOT NULL,
  readings INTEGER NOT NULL,
  error_code TEXT NOT NULL,
  detail TEXT NOT NULL,
  at_ms INTEGER NOT NULL
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
