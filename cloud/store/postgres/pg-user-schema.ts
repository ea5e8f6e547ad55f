/** Operator accounts and sign-in sessions (migration 3, issue 22); API keys gain an owner. */
export const PG_USER_DDL = `
CREATE TABLE users (name TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL, districts TEXT NOT NULL,
  groups TEXT NOT NULL, password_hash TEXT NOT NULL, totp_sealed TEXT NOT NULL, totp_last_step BIGINT NOT NULL, disabled BOOLEAN NOT NULL,
  created_ms BIGINT NOT NULL, password_changed_ms BIGINT NOT NULL, last_login_ms BIGINT);
CREATE TABLE user_sessions (id_hash TEXT PRIMARY KEY, user_name TEXT NOT NULL, created_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL, csrf TEXT NOT NULL, address TEXT NOT NULL);
CREATE INDEX user_sessions_user ON user_sessions (user_name, created_ms);
ALTER TABLE api_keys ADD COLUMN owner TEXT;
`;
