/** Gateway secrets: generated with 192 random bits, stored only as a salted scrypt hash. */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: { N: number; r: number; p: number },
) => Promise<Buffer>;
const N = 16384,
  R = 8,
  P = 1,
  LEN = 32;

export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, LEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/**
 * Salted SHA-256, for secrets the cloud generated itself (192 random bits, so no dictionary or
 * brute-force attack applies and a slow KDF buys nothing): provisioning issues these, which keeps
 * claims and authenticated connects cheap (docs/reference/provisioning.md).
 */
export function hashGeneratedSecret(secret: string): string {
  const salt = randomBytes(16);
  return `sha256$${salt.toString('base64')}$${createHash('sha256').update(salt).update(secret).digest('base64')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  if (stored.startsWith('sha256$')) {
    const [, salt, hash] = stored.split('$');
    const want = Buffer.from(hash ?? '', 'base64');
    const got = createHash('sha256')
      .update(Buffer.from(salt ?? '', 'base64'))
      .update(secret)
      .digest();
    return want.length === got.length && timingSafeEqual(got, want);
  }
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || salt === undefined || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = await scryptAsync(secret, Buffer.from(salt, 'base64'), want.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(got, want);
}
