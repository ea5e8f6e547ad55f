/** Row shapes of the audit tables and the query filter both backends build (SQLite `?`, PostgreSQL `$n`). */
import { canonicalJson, type AuditActor, type AuditCheckpoint, type AuditEntry } from '../audit/audit-entry.js';
import type { AuditQuery } from './audit-store.js';

export interface AuditRow {
  seq: number;
  ts_ms: number;
  actor_kind: string;
  actor_id: string;
  actor_name: string;
  actor_role: string;
  source: string;
  action: string;
  target: string;
  result: string;
  status: number;
  code: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface CheckpointRow {
  seq: number;
  kind: string;
  hash: string;
  ts_ms: number;
  key_id: string;
  public_key: string;
  signature: string;
}

export const AUDIT_COLUMNS =
  'seq, ts_ms, actor_kind, actor_id, actor_name, actor_role, source, action, target, result, status, code, details, prev_hash, hash';
export const CHECKPOINT_COLUMNS = 'seq, kind, hash, ts_ms, key_id, public_key, signature';

export function entryOf(r: AuditRow): AuditEntry {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(r.details) as Record<string, unknown>;
  } catch {
    details = { unparsable: r.details }; // tampered: its hash no longer matches, verify says so
  }
  return {
    seq: Number(r.seq),
    tsMs: Number(r.ts_ms),
    actor: { kind: r.actor_kind as AuditActor['kind'], id: r.actor_id, name: r.actor_name, role: r.actor_role },
    source: r.source,
    action: r.action,
    target: r.target,
    result: r.result as AuditEntry['result'],
    status: Number(r.status),
    code: r.code,
    details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** The values of an INSERT with AUDIT_COLUMNS, in order. */
export function entryValues(e: AuditEntry): unknown[] {
  return [
    e.seq,
    e.tsMs,
    e.actor.kind,
    e.actor.id,
    e.actor.name,
    e.actor.role,
    e.source,
    e.action,
    e.target,
    e.result,
    e.status,
    e.code,
    canonicalJson(e.details),
    e.prevHash,
    e.hash,
  ];
}

export function checkpointOf(r: CheckpointRow): AuditCheckpoint {
  return {
    seq: Number(r.seq),
    kind: r.kind as AuditCheckpoint['kind'],
    hash: r.hash,
    tsMs: Number(r.ts_ms),
    keyId: r.key_id,
    publicKey: r.public_key,
    signature: r.signature,
  };
}

export function checkpointValues(c: AuditCheckpoint): unknown[] {
  return [c.seq, c.kind, c.hash, c.tsMs, c.keyId, c.publicKey, c.signature];
}

/** `gateway.*` → LIKE 'gateway.%' (with LIKE's own characters escaped by `\`). */
const likePrefix = (v: string): string => `${v.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** WHERE clause, ORDER BY and LIMIT of a query; `ph(i)` is the placeholder of the i-th (1-based) parameter. */
export function auditQuerySql(q: AuditQuery, ph: (i: number) => string): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return ph(params.length);
  };
  if (q.fromMs !== undefined) where.push(`ts_ms >= ${p(q.fromMs)}`);
  if (q.toMs !== undefined) where.push(`ts_ms <= ${p(q.toMs)}`);
  if (q.actor !== undefined) where.push(`(actor_id = ${p(q.actor)} OR actor_name = ${p(q.actor)})`);
  for (const [col, v] of [
    ['action', q.action],
    ['target', q.target],
  ] as const) {
    if (v === undefined) continue;
    where.push(v.endsWith('*') ? `${col} LIKE ${p(likePrefix(v))} ESCAPE '\\'` : `${col} = ${p(v)}`);
  }
  if (q.result !== undefined) where.push(`result = ${p(q.result)}`);
  if (q.afterSeq !== undefined) where.push(`seq > ${p(q.afterSeq)}`);
  if (q.beforeSeq !== undefined) where.push(`seq < ${p(q.beforeSeq)}`);
  const sql = `SELECT ${AUDIT_COLUMNS} FROM audit_log${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${q.newestFirst ? 'DESC' : 'ASC'} LIMIT ${p(q.limit)}`;
  return { sql, params };
}
