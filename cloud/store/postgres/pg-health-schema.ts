/**
 * PostgreSQL schema of fleet health (migration 1): gateway status, health counters, events and
 * alarms, backlog history. The health columns of gateways and devices are in pg-cloud-schema.ts.
 */
export const PG_HEALTH_DDL = `
CREATE TABLE gateway_health (
  gateway_id TEXT COLLATE "C" PRIMARY KEY,
  status TEXT NOT NULL,
  reasons TEXT NOT NULL,           -- JSON array
  since_ms BIGINT NOT NULL,
  session_up BOOLEAN NOT NULL,
  last_heard_ms BIGINT,
  health TEXT                      -- JSON HealthSnapshot, NULL before the first Health
);
CREATE TABLE fleet_counters (
  scope TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  metric TEXT COLLATE "C" NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (scope, key, metric)
);
CREATE TABLE events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  gateway_id TEXT COLLATE "C" NOT NULL,
  source_id TEXT COLLATE "C" NOT NULL,
  device_id TEXT COLLATE "C" NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  severity TEXT NOT NULL,
  ts_ms BIGINT NOT NULL,
  received_ms BIGINT NOT NULL,
  message TEXT NOT NULL,
  attributes TEXT NOT NULL,        -- JSON object
  active BOOLEAN NOT NULL,
  alarm BOOLEAN NOT NULL,
  acked_ms BIGINT,
  acked_by TEXT,
  cleared_ms BIGINT
);
CREATE UNIQUE INDEX events_source ON events (gateway_id, source_id) WHERE source_id <> '';
CREATE INDEX events_gateway ON events (gateway_id, id);
CREATE INDEX events_device ON events (device_id, id);
CREATE INDEX events_open ON events (id) WHERE alarm AND acked_ms IS NULL;
CREATE INDEX events_active ON events (gateway_id, device_id, type) WHERE alarm AND active;
CREATE TABLE gateway_backlog (
  gateway_id TEXT COLLATE "C" NOT NULL,
  ts_ms BIGINT NOT NULL,
  rows_n BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  oldest_age_ms BIGINT NOT NULL,
  PRIMARY KEY (gateway_id, ts_ms)
);
CREATE INDEX gateway_backlog_ts ON gateway_backlog (ts_ms);
`;
