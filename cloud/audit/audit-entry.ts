/**
 * Audit entries and checkpoints (docs/reference/security.md, "Audit"): what one entry holds, its
 * canonical encoding and its hash. Every entry carries the hash of the one before (`prevHash`;
 * the first entry's is GENESIS_HASH), and its own `hash` is SHA-256 over the canonical encoding
 * of all its other fields, `prevHash` included: editing, deleting or reordering an entry breaks
 * the chain from there on. A checkpoint is a signed (seq, hash) pair that anchors the chain.
 * Nothing here does I/O.
 */
import { createHash } from 'node:crypto';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Who acted. Today: the http.api_token (`token`), an API key (`api_key`, id and name, role = its
 * scope), no token on a loopback listener (`loopback`), or someone who was not authenticated
 * (`anonymous`; `id` is `sha256:` and 12 hex digits of the credential they presented, if any).
 * User accounts with roles slot in as kind `user`.
 */
export interface AuditActor {
  kind: 'token' | 'api_key' | 'loopback' | 'anonymous' | 'user' | 'system';
  id: string;
  name: string;
  role: string;
}

export type AuditResult = 'ok' | 'refused' | 'error';

/** An entry before the log numbers and chains it. */
export interface AuditDraft {
  actor: AuditActor;
  /** Client address ('' for the cloud itself). */
  source: string;
  /** What was done: `gateway.revoke`, `auth.refused`, … (cloud/audit/audit-actions.ts). */
  action: string;
  /** What it was done to: `gateway:gw-0001`, `key:k-1a2b3c4d`, '' when nothing in particular. */
  target: string;
  result: AuditResult;
  /** The HTTP status answered (0 when not an HTTP request). */
  status: number;
  /** The error code when refused or failed, else ''. */
  code: string;
  /** Small, secret-free details: a digest of the request body, a small after-image. */
  details: Record<string, unknown>;
}

export interface AuditEntry extends AuditDraft {
  seq: number;
  tsMs: number;
  prevHash: string;
  hash: string;
}

/**
 * A signed anchor of the chain: entry `seq` has hash `hash`. `kind` is `periodic` (every
 * audit.checkpoint_every entries or audit.checkpoint_interval_s) or `prune` (the last entry a
 * retention prune removed: the remaining chain starts from it).
 */
export interface AuditCheckpoint {
  seq: number;
  kind: 'periodic' | 'prune';
  hash: string;
  tsMs: number;
  /** First 16 hex digits of SHA-256 of the raw Ed25519 public key. */
  keyId: string;
  /** The raw 32-byte Ed25519 public key, base64: verify needs nothing else. */
  publicKey: string;
  /** Ed25519 signature over checkpointMessage(), base64. */
  signature: string;
}

/** JSON with object keys sorted at every level (the canonical form of `details`). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** The bytes an entry's hash covers: a JSON array of every field but `hash`, in a fixed order. */
export function canonicalEntry(e: Omit<AuditEntry, 'hash'>): string {
  return JSON.stringify([
    'yiwang-audit-v1',
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
  ]);
}

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalEntry(e)).digest('hex');
}

/** Numbers and chains a draft after the entry (seq, hash) before it. */
export function chainEntry(d: AuditDraft, prev: { seq: number; hash: string }, tsMs: number): AuditEntry {
  const e = { ...d, details: JSON.parse(canonicalJson(d.details)) as Record<string, unknown> };
  const unhashed = { ...e, seq: prev.seq + 1, tsMs, prevHash: prev.hash };
  return { ...unhashed, hash: entryHash(unhashed) };
}

/** What a checkpoint's signature covers. */
export function checkpointMessage(c: Pick<AuditCheckpoint, 'seq' | 'kind' | 'hash' | 'tsMs'>): Buffer {
  return Buffer.from(`yiwang-audit-checkpoint-v1\n${c.seq}\n${c.kind}\n${c.hash}\n${c.tsMs}\n`);
}
