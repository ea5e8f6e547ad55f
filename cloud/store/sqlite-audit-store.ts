/**
 * SQLite implementation of AuditStore, on the cloud store's file (its connection, or a read-only
 * one of its own for `yiwang-cloud audit verify --store`). Appends are IMMEDIATE transactions:
 * one writer at a time on the file, so every connection appends to the same chain. Triggers
 * refuse UPDATE of entries and checkpoints and DELETE outside `prune` (which opens a gate row in
 * its own transaction; other connections never see it).
 */
import type Database from 'better-sqlite3';
import {
  type AuditCheckpoint,
  type AuditDraft,
  type AuditEntry,
  GENESIS_HASH,
  chainEntry,
} from '../audit/audit-entry.js';
import type {
  AuditAppendOptions,
  AuditHead,
  AuditQuery,
  AuditStore,
  CheckpointSigner,
  PruneOutcome,
} from './audit-store.js';
import {
  AUDIT_COLUMNS,
  type AuditRow,
  CHECKPOINT_COLUMNS,
  type CheckpointRow,
  auditQuerySql,
  checkpointOf,
  checkpointValues,
  entryOf,
  entryValues,
} from './audit-rows.js';

const DDL = `
CREATE TABLE IF NOT EXISTS audit_log (seq INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, actor_kind TEXT NOT NULL, actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL, actor_role TEXT NOT NULL, source TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL,
  status INTEGER NOT NULL, code TEXT NOT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_log_ts ON audit_log (ts_ms);
CREATE INDEX IF NOT EXISTS audit_log_action ON audit_log (action);
CREATE TABLE IF NOT EXISTS audit_checkpoints (seq INTEGER NOT NULL, kind TEXT NOT NULL, hash TEXT NOT NULL, ts_ms INTEGER NOT NULL,
  key_id TEXT NOT NULL, public_key TEXT NOT NULL, signature TEXT NOT NULL, PRIMARY KEY (seq, kind));
CREATE TABLE IF NOT EXISTS audit_prune_gate (id INTEGER PRIMARY KEY CHECK (id = 1));
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log WHEN NOT EXISTS (SELECT 1 FROM audit_prune_gate)
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused (only the retention prune removes entries)'); END;
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only: DELETE refused'); END;
`;

export class SqliteAuditStore implements AuditStore {
  private readonly present: boolean;

  /** `readonly`: a connection opened read-only (no schema is made; a store without audit tables reads as empty). */
  constructor(
    private readonly db: Database.Database,
    o: { readonly?: boolean } = {},
  ) {
    if (!o.readonly) db.exec(DDL);
    this.present =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() !== undefined;
  }

  private headNow(): AuditHead {
    const last = this.db.prepare('SELECT seq, hash, ts_ms FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
      | { seq: number; hash: string; ts_ms: number }
      | undefined;
    // the latest checkpoint of any kind: past the last entry when the log was pruned whole or entries were cut off its end
    const cp = this.db.prepare('SELECT seq, hash, ts_ms FROM audit_checkpoints ORDER BY seq DESC LIMIT 1').get() as
      | { seq: number; hash: string; ts_ms: number }
      | undefined;
    if (last && !(cp && cp.seq > last.seq)) return { seq: last.seq, hash: last.hash, tsMs: last.ts_ms };
    return cp ? { seq: cp.seq, hash: cp.hash, tsMs: cp.ts_ms } : { seq: 0, hash: GENESIS_HASH, tsMs: 0 };
  }

  async append(d: AuditDraft, o: AuditAppendOptions): Promise<AuditEntry> {
    return this.db
      .transaction(() => {
        const head = this.headNow();
        const e = chainEntry(d, head, Math.max(o.nowMs, head.tsMs));
        this.db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (${'?,'.repeat(14)}?)`).run(...entryValues(e));
        if (o.checkpointEvery > 0 && e.seq % o.checkpointEvery === 0)
          this.insertCheckpoint(o.sign({ seq: e.seq, kind: 'periodic', hash: e.hash, tsMs: e.tsMs }));
        return e;
      })
      .immediate();
  }

  async head(): Promise<AuditHead> {
    return this.present ? this.headNow() : { seq: 0, hash: GENESIS_HASH, tsMs: 0 };
  }

  private insertCheckpoint(c: AuditCheckpoint): boolean {
    return (
      this.db
        .prepare(`INSERT OR IGNORE INTO audit_checkpoints (${CHECKPOINT_COLUMNS}) VALUES (?,?,?,?,?,?,?)`)
        .run(...checkpointValues(c)).changes === 1
    );
  }

  async addCheckpoint(c: AuditCheckpoint): Promise<boolean> {
    return this.insertCheckpoint(c);
  }

  async checkpoints(): Promise<AuditCheckpoint[]> {
    if (!this.present) return [];
    const rows = this.db
      .prepare(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY seq, kind`)
      .all() as CheckpointRow[];
    return rows.map(checkpointOf);
  }

  async query(q: AuditQuery): Promise<AuditEntry[]> {
    if (!this.present) return [];
    const { sql, params } = auditQuerySql(q, () => '?');
    return (this.db.prepare(sql).all(...params) as AuditRow[]).map(entryOf);
  }

  async range(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    return this.query({ afterSeq, limit });
  }

  async prune(beforeMs: number, sign: CheckpointSigner, nowMs: number): Promise<PruneOutcome> {
    return this.db
      .transaction((): PruneOutcome => {
        const young = this.db.prepare('SELECT min(seq) AS s FROM audit_log WHERE ts_ms >= ?').get(beforeMs) as {
          s: number | null;
        };
        const cut =
          young.s !== null
            ? young.s - 1
            : ((this.db.prepare('SELECT max(seq) AS s FROM audit_log').get() as { s: number | null }).s ?? 0);
        const last = this.db.prepare('SELECT seq, hash FROM audit_log WHERE seq = ?').get(cut) as
          | { seq: number; hash: string }
          | undefined;
        if (!last) return { removed: 0, throughSeq: 0 };
        this.insertCheckpoint(sign({ seq: last.seq, kind: 'prune', hash: last.hash, tsMs: nowMs }));
        this.db.prepare('INSERT INTO audit_prune_gate (id) VALUES (1)').run();
        const removed = this.db.prepare('DELETE FROM audit_log WHERE seq <= ?').run(cut).changes;
        this.db.prepare('DELETE FROM audit_prune_gate').run();
        return { removed, throughSeq: cut };
      })
      .immediate();
  }

  async close(): Promise<void> {}
}
