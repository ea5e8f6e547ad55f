/**
 * PostgreSQL implementation of AuditStore (schema: pg-audit-schema.ts). Every append takes a
 * transaction-level advisory lock (AUDIT_LOCK) before it reads the head, so appends from every
 * pool, process and cloud node sharing the database form one chain; the lock goes with the
 * transaction (a node that dies mid-append releases it). The prune takes the same lock.
 */
import type pg from 'pg';
import {
  type AuditCheckpoint,
  type AuditDraft,
  type AuditEntry,
  GENESIS_HASH,
  chainEntry,
} from '../../audit/audit-entry.js';
import type {
  AuditAppendOptions,
  AuditHead,
  AuditQuery,
  AuditStore,
  CheckpointSigner,
  PruneOutcome,
} from '../audit-store.js';
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
} from '../audit-rows.js';
import { type PgDatabase, type PgQueryable, storeError } from './pg-database.js';

/** Advisory-lock key of audit appends and prunes (distinct from the leader, migration and mutex locks). */
export const AUDIT_LOCK = 0x79_77_61_75_64; // 'ywaud'

const INSERT_ENTRY = `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (${Array.from({ length: 15 }, (_, i) => `$${i + 1}`).join(',')})`;
const INSERT_CHECKPOINT = `INSERT INTO audit_checkpoints (${CHECKPOINT_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`;

async function headOf(q: PgQueryable): Promise<AuditHead> {
  type R = { seq: number; hash: string; ts_ms: number };
  const last = (await q.query<R>('SELECT seq, hash, ts_ms FROM audit_log ORDER BY seq DESC LIMIT 1')).rows[0];
  // the latest checkpoint of any kind: past the last entry when the log was pruned whole or entries were cut off its end
  const cp = (await q.query<R>('SELECT seq, hash, ts_ms FROM audit_checkpoints ORDER BY seq DESC LIMIT 1')).rows[0];
  const r = last && !(cp && Number(cp.seq) > Number(last.seq)) ? last : cp;
  return r ? { seq: Number(r.seq), hash: r.hash, tsMs: Number(r.ts_ms) } : { seq: 0, hash: GENESIS_HASH, tsMs: 0 };
}

export class PgAuditStore implements AuditStore {
  constructor(private readonly db: PgDatabase) {}

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw storeError(`audit ${what}`, err);
    }
  }

  append(d: AuditDraft, o: AuditAppendOptions): Promise<AuditEntry> {
    return this.run('append', () =>
      this.db.tx(async (c: pg.PoolClient) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
        const head = await headOf(c);
        const e = chainEntry(d, head, Math.max(o.nowMs, head.tsMs));
        await c.query(INSERT_ENTRY, entryValues(e));
        if (o.checkpointEvery > 0 && e.seq % o.checkpointEvery === 0)
          await c.query(
            INSERT_CHECKPOINT,
            checkpointValues(o.sign({ seq: e.seq, kind: 'periodic', hash: e.hash, tsMs: e.tsMs })),
          );
        return e;
      }),
    );
  }

  head(): Promise<AuditHead> {
    return this.run('head', () => headOf(this.db.pool));
  }

  addCheckpoint(c: AuditCheckpoint): Promise<boolean> {
    return this.run(
      'checkpoint',
      async () => (await this.db.pool.query(INSERT_CHECKPOINT, checkpointValues(c))).rowCount === 1,
    );
  }

  checkpoints(): Promise<AuditCheckpoint[]> {
    return this.run('checkpoints', async () =>
      (
        await this.db.query<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY seq, kind`)
      ).map(checkpointOf),
    );
  }

  query(q: AuditQuery): Promise<AuditEntry[]> {
    const { sql, params } = auditQuerySql(q, (i) => `$${i}`);
    return this.run('query', async () => (await this.db.query<AuditRow>(sql, params)).map(entryOf));
  }

  range(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    return this.query({ afterSeq, limit });
  }

  prune(beforeMs: number, sign: CheckpointSigner, nowMs: number): Promise<PruneOutcome> {
    return this.run('prune', () =>
      this.db.tx(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
        const young = await c.query<{ s: number | null }>('SELECT min(seq) AS s FROM audit_log WHERE ts_ms >= $1', [
          beforeMs,
        ]);
        const cut =
          young.rows[0]?.s != null
            ? Number(young.rows[0].s) - 1
            : Number((await c.query<{ s: number | null }>('SELECT max(seq) AS s FROM audit_log')).rows[0]?.s ?? 0);
        const last = (
          await c.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log WHERE seq = $1', [cut])
        ).rows[0];
        if (!last) return { removed: 0, throughSeq: 0 };
        await c.query(
          INSERT_CHECKPOINT,
          checkpointValues(sign({ seq: Number(last.seq), kind: 'prune', hash: last.hash, tsMs: nowMs })),
        );
        await c.query("SET LOCAL yiwang.audit_prune = 'on'");
        const removed = (await c.query('DELETE FROM audit_log WHERE seq <= $1', [cut])).rowCount ?? 0;
        return { removed, throughSeq: cut };
      }),
    );
  }

  async close(): Promise<void> {}
}
