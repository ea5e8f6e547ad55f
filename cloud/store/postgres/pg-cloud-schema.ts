/**
 * PostgreSQL schema of the cloud store's data plane (migration 1, cloud/store/postgres/pg-migrations.ts):
 * the registry (gateways, devices, with the columns health keeps on them), batch idempotency keys,
 * readings partitioned by reading time (one partition per UTC day, created on demand and dropped
 * whole by retention), store counters and quarantine. Times are epoch milliseconds (BIGINT).
 */
export const PG_CLOUD_DDL = `
CREATE TABLE gateways (
  id TEXT COLLATE "C" PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  online BOOLEAN NOT NULL DEFAULT false,
  last_seen_ms BIGINT,
  last_batch_ms BIGINT,
  batches BIGINT NOT NULL DEFAULT 0,
  readings BIGINT NOT NULL DEFAULT 0,
  revoked_ms BIGINT,
  district TEXT NOT NULL DEFAULT '',
  site TEXT NOT NULL DEFAULT '',
  grp TEXT NOT NULL DEFAULT ''
);
CREATE INDEX gateways_revoked ON gateways (revoked_ms) WHERE revoked_ms IS NOT NULL;
-- idempotency keys of stored batches (pruned after store.batch_keys_keep_days)
CREATE TABLE batches (
  gateway_id TEXT COLLATE "C" NOT NULL,
  epoch BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  received_ms BIGINT NOT NULL,
  readings INTEGER NOT NULL,
  quarantined INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (gateway_id, epoch, seq)
);
CREATE INDEX batches_received ON batches (received_ms);
CREATE TABLE devices (
  id TEXT COLLATE "C" PRIMARY KEY,
  gateway_id TEXT COLLATE "C" NOT NULL,
  first_seen_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL,
  last_reading_ts BIGINT NOT NULL,
  readings BIGINT NOT NULL DEFAULT 0,
  type TEXT COLLATE "C" NOT NULL DEFAULT '',
  interval_s INTEGER NOT NULL DEFAULT 0,
  online BOOLEAN NOT NULL DEFAULT false,
  deadline_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX devices_gateway ON devices (gateway_id, id);
CREATE INDEX devices_online_deadline ON devices (deadline_ms) WHERE online;
-- readings: partitioned by ts (reading time, ms), one partition per UTC day (readings_dYYYYMMDD)
-- no sequence cache: ids follow the order rows were written (ties in time are read in arrival order)
CREATE SEQUENCE readings_id_seq AS BIGINT;
CREATE TABLE readings (
  id BIGINT NOT NULL DEFAULT nextval('readings_id_seq'),
  device_id TEXT COLLATE "C" NOT NULL,
  metric TEXT COLLATE "C" NOT NULL,
  ts BIGINT NOT NULL,
  unit TEXT NOT NULL,
  kind SMALLINT NOT NULL,   -- 0 number, 1 boolean, 2 string, 3 string holding U+0000 (in str with \\0 and \\\\ escapes)
  num DOUBLE PRECISION,
  str TEXT,
  clock SMALLINT NOT NULL,
  priority SMALLINT NOT NULL,
  gateway_id TEXT NOT NULL
) PARTITION BY RANGE (ts);
CREATE INDEX readings_device_ts ON readings (device_id, ts, id);
-- rows of days without a partition of their own (outside the window of pg-readings-partitions.ts)
CREATE TABLE readings_old PARTITION OF readings DEFAULT;
CREATE INDEX readings_old_ts ON readings_old (ts);
CREATE TABLE counters (name TEXT COLLATE "C" PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE quarantine (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  gateway_id TEXT NOT NULL,
  epoch BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  received_ms BIGINT NOT NULL,
  device_id TEXT NOT NULL,
  metric TEXT NOT NULL,
  code TEXT NOT NULL,
  detail TEXT NOT NULL,
  readings INTEGER NOT NULL,
  events INTEGER NOT NULL
);
CREATE INDEX quarantine_gateway ON quarantine (gateway_id, id);
CREATE TABLE quarantine_totals (
  gateway_id TEXT COLLATE "C" NOT NULL,
  code TEXT COLLATE "C" NOT NULL,
  readings BIGINT NOT NULL,
  events BIGINT NOT NULL,
  PRIMARY KEY (gateway_id, code)
);
`;
