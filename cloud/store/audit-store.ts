/**
 * The audit log's store (cloud/audit/, docs/reference/security.md "Audit"): append-only entries in
 * one hash chain and their signed checkpoints. Two implementations: sqlite-audit-store.ts and
 * postgres/pg-audit-store.ts. There is no method that changes or deletes an entry except `prune`,
 * which removes a whole prefix and records a signed checkpoint of its last entry first.
 */
import type { AuditCheckpoint, AuditDraft, AuditEntry } from '../audit/audit-entry.js';

/** Entries per page at most (API, CLI, verify's scan). */
export const AUDIT_PAGE_MAX = 1000;

export interface AuditQuery {
  /** ms since the epoch, inclusive. */
  fromMs?: number;
  toMs?: number;
  /** An actor id or name (exact). */
  actor?: string;
  /** Exact, or a prefix ending in `*` (`gateway.*`). */
  action?: string;
  /** Exact, or a prefix ending in `*` (`gateway:gw-00*`). */
  target?: string;
  result?: 'ok' | 'refused' | 'error';
  /** Paging: entries after this seq (oldest first) … */
  afterSeq?: number;
  /** … or before this seq (newest first, with newestFirst). */
  beforeSeq?: number;
  newestFirst?: boolean;
  /** 1..AUDIT_PAGE_MAX. */
  limit: number;
}

/** The chain's end: the last entry, else the last prune checkpoint, else seq 0 and GENESIS_HASH. */
export interface AuditHead {
  seq: number;
  hash: string;
  tsMs: number;
}

/** Makes the signed checkpoint of an entry (cloud/audit/audit-key.ts signCheckpoint, with the cloud's key). */
export type CheckpointSigner = (c: Pick<AuditCheckpoint, 'seq' | 'kind' | 'hash' | 'tsMs'>) => AuditCheckpoint;

export interface AuditAppendOptions {
  nowMs: number;
  /** A periodic checkpoint is written in the same transaction when the new seq is a multiple of this (0 = never). */
  checkpointEvery: number;
  sign: CheckpointSigner;
}

export interface PruneOutcome {
  /** Entries removed. */
  removed: number;
  /** The last removed entry's seq (its prune checkpoint anchors the rest); 0 when nothing was removed. */
  throughSeq: number;
}

export interface AuditStore {
  /**
   * Numbers, chains and stores one entry. Appends are serialized across every store instance on
   * the same database (one chain, also with several cloud nodes). The entry's time is
   * max(nowMs, the previous entry's), so time never goes back along the chain.
   */
  append(d: AuditDraft, o: AuditAppendOptions): Promise<AuditEntry>;
  head(): Promise<AuditHead>;
  /** Stores a checkpoint; false when one of that seq and kind exists already. */
  addCheckpoint(c: AuditCheckpoint): Promise<boolean>;
  /** Every checkpoint, by seq (one per audit.checkpoint_every entries: few). */
  checkpoints(): Promise<AuditCheckpoint[]>;
  query(q: AuditQuery): Promise<AuditEntry[]>;
  /** Entries with seq > afterSeq in seq order, at most `limit` (verify's scan). */
  range(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /**
   * Removes the entries older than `beforeMs` — always a whole prefix of the chain — after
   * recording a signed `prune` checkpoint of the last of them, in one transaction under the append lock.
   */
  prune(beforeMs: number, sign: CheckpointSigner, nowMs: number): Promise<PruneOutcome>;
  close(): Promise<void>;
}
