/**
 * SQLite schema of health: gateway status, health counters (table `fleet_counters`, a persisted
 * name: it holds every scope, not only the fleet's), events/alarms, backlog history,
 * plus the columns health adds to `gateways` and `devices` (added by migration on old files).
 * Everything here has a direct PostgreSQL equivalent (partial indexes, ON CONFLICT upserts).
 */
export const HEALTH_DDL = `
CREATE TABLE IF NOT EXISTS gateway_health (
  gateway_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,            -- online | degraded | offline
  reasons TEXT NOT NULL,           -- JSON array
  since_ms INTEGER NOT NULL,
  session_up INTEGER NOT NULL,
  last_heard_ms INTEGER,
  health TEXT                      -- JSON HealthSnapshot, NULL before the first Health
);
CREATE TABLE IF NOT EXISTS fleet_counters (
  scope TEXT NOT NULL,             -- fleet | district | site | group | type | gateway
  key TEXT NOT NULL,
  metric TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (scope, key, metric)
);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  gateway_id TEXT NOT NULL,
  source_id TEXT NOT NULL,         -- edge-assigned id, '' when raised by the cloud
  device_id TEXT NOT NULL,
  type TEXT NOT NULL,
  severity TEXT NOT NULL,
  ts_ms INTEGER NOT NULL,
  received_ms INTEGER NOT NULL,
  message TEXT NOT NULL,
  attributes TEXT NOT NULL,        -- JSON object
  active INTEGER NOT NULL,
  alarm INTEGER NOT NULL,
  acked_ms INTEGER,
  acked_by TEXT,
  cleared_ms INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS events_source ON events (gateway_id, source_id) WHERE source_id <> '';
CREATE INDEX IF NOT EXISTS events_gateway ON events (gateway_id, id);
CREATE INDEX IF NOT EXISTS events_device ON events (device_id, id);
CREATE INDEX IF NOT EXISTS events_open ON events (id) WHERE alarm = 1 AND acked_ms IS NULL;
CREATE INDEX IF NOT EXISTS events_active ON events (gateway_id, device_id, type) WHERE alarm = 1 AND active = 1;
CREATE TABLE IF NOT EXISTS gateway_backlog (
  gateway_id TEXT NOT NULL,
  ts_ms INTEGER NOT NULL,
  rows_n INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  oldest_age_ms INTEGER NOT NULL,
  PRIMARY KEY (gateway_id, ts_ms)
);
CREATE INDEX IF NOT EXISTS gateway_backlog_ts ON gateway_backlog (ts_ms);
`;

/** Columns health adds to the registry tables: [table, column, definition]. */
export const HEALTH_COLUMNS: [string, string, string][] = [
  ['gateways', 'district', "TEXT NOT NULL DEFAULT ''"],
  ['gateways', 'site', "TEXT NOT NULL DEFAULT ''"],
  ['gateways', 'grp', "TEXT NOT NULL DEFAULT ''"],
  ['devices', 'type', "TEXT NOT NULL DEFAULT ''"],
  ['devices', 'interval_s', 'INTEGER NOT NULL DEFAULT 0'],
  ['devices', 'online', 'INTEGER NOT NULL DEFAULT 0'],
  ['devices', 'deadline_ms', 'INTEGER NOT NULL DEFAULT 0'],
];

/** Indexes over the added columns (created after the migration). */
export const HEALTH_INDEXES = `
CREATE INDEX IF NOT EXISTS devices_gateway ON devices (gateway_id, id);
CREATE INDEX IF NOT EXISTS devices_online_deadline ON devices (deadline_ms) WHERE online = 1;
`;
