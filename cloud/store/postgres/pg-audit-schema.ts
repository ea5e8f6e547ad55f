/**
 * PostgreSQL schema of the audit log (migration 2): entries, checkpoints, and a trigger that
 * refuses UPDATE, DELETE and TRUNCATE of both tables. The one exception is the retention prune
 * (pg-audit-store.ts), which deletes a prefix of audit_log in a transaction that has set
 * `yiwang.audit_prune` to 'on' (SET LOCAL: it ends with the transaction).
 */
export const PG_AUDIT_DDL = `
CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, ts_ms BIGINT NOT NULL, actor_kind TEXT NOT NULL, actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL, actor_role TEXT NOT NULL, source TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL,
  status INTEGER NOT NULL, code TEXT NOT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_log_ts ON audit_log (ts_ms);
CREATE INDEX audit_log_action ON audit_log (action);
CREATE TABLE audit_checkpoints (seq BIGINT NOT NULL, kind TEXT NOT NULL, hash TEXT NOT NULL, ts_ms BIGINT NOT NULL,
  key_id TEXT NOT NULL, public_key TEXT NOT NULL, signature TEXT NOT NULL, PRIMARY KEY (seq, kind));
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_log' AND current_setting('yiwang.audit_prune', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'YWA01';
END
$fn$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
`;
