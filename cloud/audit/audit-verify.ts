/**
 * `audit verify`: checks the chain and the checkpoints of an audit log, from its store or through
 * the API, page by page (memory bounded by the page size and the checkpoints). Findings:
 * - an entry whose hash does not match its content (edited) → that entry;
 * - a gap in the sequence numbers (deleted) → the first missing one;
 * - an entry whose prev_hash is not the hash of the one before (the one before was edited and
 *   re-hashed) → the one before;
 * - a checkpoint with a bad signature, or signed by a key not in `trustedKeyIds` when given;
 * - a checkpoint whose hash is not the hash of the entry it names (the chain was rewritten and
 *   re-hashed since) → the entry after the last checkpoint that still matched;
 * - a checkpoint past the last entry (entries removed from the end) → the first missing one.
 * The first broken sequence number is the smallest of them.
 */
import { type AuditCheckpoint, type AuditEntry, GENESIS_HASH, entryHash } from './audit-entry.js';
import { checkpointSignatureOk } from './audit-key.js';

export interface AuditSource {
  range(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  checkpoints(): Promise<AuditCheckpoint[]>;
}

export interface AuditProblem {
  seq: number;
  reason: string;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  firstSeq: number;
  lastSeq: number;
  checkpoints: number;
  /** Key ids that signed the checkpoints. */
  keyIds: string[];
  /** The last seq anchored by a good checkpoint that matched. */
  anchoredThrough: number;
  /** Entries after it (appended since the last checkpoint: chained, not yet signed). */
  unanchored: number;
  /** The first broken sequence number (undefined when ok). */
  firstBroken?: number;
  problems: AuditProblem[];
}

const MAX_PROBLEMS = 100;

export async function verifyAudit(
  src: AuditSource,
  o: { trustedKeyIds?: readonly string[]; pageSize?: number } = {},
): Promise<VerifyReport> {
  const problems: AuditProblem[] = [];
  const problem = (seq: number, reason: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push({ seq, reason });
  };
  const cps = await src.checkpoints();
  const good: AuditCheckpoint[] = [];
  for (const c of cps) {
    if (!checkpointSignatureOk(c)) problem(c.seq, `checkpoint ${c.kind} at ${c.seq}: bad signature`);
    else if (o.trustedKeyIds && !o.trustedKeyIds.includes(c.keyId))
      problem(c.seq, `checkpoint ${c.kind} at ${c.seq}: signed by key ${c.keyId}, not a trusted one`);
    else good.push(c);
  }
  const bySeq = new Map<number, AuditCheckpoint[]>();
  for (const c of good) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
  const pageSize = o.pageSize ?? 1000;
  let prev: { seq: number; hash: string } | undefined;
  let firstSeq = 0,
    entries = 0,
    anchoredThrough = 0;
  for (let after = 0; ; ) {
    const page = await src.range(after, pageSize);
    for (const e of page) {
      if (!prev) {
        firstSeq = e.seq;
        // the chain starts at 1, or right after a prune checkpoint
        const anchor = good
          .filter((c) => c.kind === 'prune' && c.seq < e.seq)
          .reduce<AuditCheckpoint | undefined>((a, c) => (!a || c.seq > a.seq ? c : a), undefined);
        const from = anchor ? { seq: anchor.seq, hash: anchor.hash } : { seq: 0, hash: GENESIS_HASH };
        if (e.seq !== from.seq + 1)
          problem(from.seq + 1, `entries ${from.seq + 1}..${e.seq - 1} are missing (the log starts at ${e.seq})`);
        else if (e.prevHash !== from.hash)
          problem(
            e.seq,
            `entry ${e.seq}: prev_hash is not the hash ${anchor ? 'its prune checkpoint' : 'of the start'} records`,
          );
        prev = { seq: e.seq - 1, hash: e.prevHash };
        anchoredThrough = anchor?.seq ?? 0;
      } else if (e.seq !== prev.seq + 1) {
        problem(prev.seq + 1, `entries ${prev.seq + 1}..${e.seq - 1} are missing`);
      } else if (e.prevHash !== prev.hash) {
        problem(prev.seq, `entry ${prev.seq} does not match the hash entry ${e.seq} recorded for it`);
      }
      if (entryHash(e) !== e.hash) problem(e.seq, `entry ${e.seq}: its content does not match its hash`);
      for (const c of bySeq.get(e.seq) ?? []) {
        if (c.hash === e.hash) anchoredThrough = e.seq;
        else
          problem(
            anchoredThrough + 1,
            `checkpoint ${c.kind} at ${c.seq} does not match entry ${e.seq}: entries after ${anchoredThrough} were rewritten`,
          );
      }
      prev = { seq: e.seq, hash: e.hash };
      entries++;
      after = e.seq;
    }
    if (page.length < pageSize) break;
  }
  // everything pruned: the chain ends at the last prune checkpoint
  const pruned = good.filter((c) => c.kind === 'prune').reduce((m, c) => Math.max(m, c.seq), 0);
  const lastSeq = prev?.seq ?? pruned;
  if (!prev) anchoredThrough = pruned;
  for (const c of good)
    if (c.seq > lastSeq)
      problem(
        lastSeq + 1,
        `checkpoint ${c.kind} at ${c.seq} is past the last entry ${lastSeq}: entries were removed from the end`,
      );
  const firstBroken = problems.length ? Math.min(...problems.map((p) => p.seq)) : undefined;
  return {
    ok: problems.length === 0,
    entries,
    firstSeq,
    lastSeq,
    checkpoints: cps.length,
    keyIds: [...new Set(cps.map((c) => c.keyId))],
    anchoredThrough,
    unanchored: lastSeq - anchoredThrough,
    ...(firstBroken !== undefined ? { firstBroken } : {}),
    problems: problems.sort((a, b) => a.seq - b.seq),
  };
}
