/** Claim tokens: `ywc_<claimId>.<secret>`; the cloud keeps the claim's scope and a SHA-256 of the secret. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ClaimRecord } from '../store/control-plane-store.js';

export const TOKEN_RE = /^ywc_([a-z0-9]{12})\.([A-Za-z0-9_-]{32})$/;

export interface NewToken {
  claimId: string;
  token: string;
  secretHash: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export function randomId(n: number): string {
  const b = randomBytes(n);
  let s = '';
  for (const x of b) s += ALPHABET[x % 36];
  return s;
}

export const hashTokenSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function newToken(): NewToken {
  const claimId = randomId(12);
  const secret = randomBytes(24).toString('base64url');
  return { claimId, token: `ywc_${claimId}.${secret}`, secretHash: hashTokenSecret(secret) };
}

export function parseToken(token: string): { claimId: string; secret: string } | undefined {
  const m = TOKEN_RE.exec(token.trim());
  return m ? { claimId: m[1]!, secret: m[2]! } : undefined;
}

export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashTokenSecret(secret), 'hex'),
    b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export type Refusal = 'CLOUD_ERR_CLAIM_REVOKED' | 'CLOUD_ERR_CLAIM_EXPIRED' | 'CLOUD_ERR_CLAIM_USED_UP';

/** Why a known claim cannot be used now (undefined: it can). */
export function refusal(c: ClaimRecord, nowMs: number): { code: Refusal; detail: string } | undefined {
  if (c.revokedMs !== null)
    return {
      code: 'CLOUD_ERR_CLAIM_REVOKED',
      detail: `claim ${c.id} was revoked at ${new Date(c.revokedMs).toISOString()}`,
    };
  if (nowMs >= c.expiresMs)
    return {
      code: 'CLOUD_ERR_CLAIM_EXPIRED',
      detail: `claim ${c.id} expired at ${new Date(c.expiresMs).toISOString()}`,
    };
  if (c.uses >= c.maxUses)
    return { code: 'CLOUD_ERR_CLAIM_USED_UP', detail: `claim ${c.id} has been used ${c.uses} of ${c.maxUses} times` };
  return undefined;
}
