/** PostgreSQL schema of the control plane (migration 1): claims, identities, revocations, API keys, configuration, rollouts. */
export const PG_CONTROL_PLANE_DDL = `
CREATE TABLE claims (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, grp TEXT NOT NULL, site TEXT NOT NULL, district TEXT NOT NULL,
  created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, max_uses INTEGER NOT NULL, uses INTEGER NOT NULL DEFAULT 0, revoked_ms BIGINT, note TEXT NOT NULL DEFAULT '');
CREATE TABLE identities (gateway_id TEXT PRIMARY KEY, claim_id TEXT NOT NULL, public_key BYTEA NOT NULL, grp TEXT NOT NULL, site TEXT NOT NULL,
  district TEXT NOT NULL, provisioned_ms BIGINT NOT NULL, revoked_ms BIGINT);
CREATE INDEX identities_grp ON identities (grp);
CREATE TABLE revoked_gateways (gateway_id TEXT PRIMARY KEY, revoked_ms BIGINT NOT NULL);
CREATE INDEX revoked_gateways_ms ON revoked_gateways (revoked_ms);
CREATE TABLE api_keys (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, scope TEXT NOT NULL, created_ms BIGINT NOT NULL, revoked_ms BIGINT);
CREATE TABLE config_layers (scope TEXT NOT NULL, key TEXT NOT NULL, revision INTEGER NOT NULL, toml TEXT NOT NULL, created_ms BIGINT NOT NULL,
  PRIMARY KEY (scope, key, revision));
-- the latest revision per (scope, key): its row lock hands out revisions to concurrent addLayer calls one at a time
CREATE TABLE config_layer_heads (scope TEXT NOT NULL, key TEXT NOT NULL, revision INTEGER NOT NULL, PRIMARY KEY (scope, key));
CREATE TABLE config_group_active (grp TEXT PRIMARY KEY, revision INTEGER NOT NULL);
CREATE TABLE config_pins (gateway_id TEXT PRIMARY KEY, revision INTEGER NOT NULL);
CREATE SEQUENCE config_version_seq AS BIGINT;
CREATE TABLE config_issued (gateway_id TEXT PRIMARY KEY, version BIGINT NOT NULL, envelope BYTEA NOT NULL, label TEXT NOT NULL, toml TEXT NOT NULL, issued_ms BIGINT NOT NULL);
CREATE TABLE config_reported (gateway_id TEXT PRIMARY KEY, version BIGINT NOT NULL, state TEXT NOT NULL, error_code TEXT NOT NULL, detail TEXT NOT NULL,
  running_version BIGINT NOT NULL, ts_ms BIGINT NOT NULL);
CREATE TABLE rollouts (id TEXT PRIMARY KEY, state TEXT NOT NULL, started_ms BIGINT NOT NULL, body TEXT NOT NULL);
`;
