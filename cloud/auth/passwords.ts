/**
 * Operator passwords (issue 22, "Users and roles" and "Login"): scrypt hashes in a self-describing
 * string `scrypt$N$r$p$<salt b64url>$<hash b64url>`, verified in constant time with the parameters
 * read from the string (bounded, so a tampered row cannot make the cloud allocate gigabytes or spin
 * for minutes), and the password rules for a new password. Pure: no I/O besides the CSPRNG.
 *
 * Passwords are NFC-normalized before hashing, so the same text typed on different systems
 * (composed or decomposed accents) verifies. Over 256 UTF-8 bytes is refused before any hashing.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { YiwangError } from '../../common/errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelism (run sequentially by OpenSSL: multiplies time, not memory). */
  readonly p: number;
}

/** What new hashes use (OWASP's scrypt minimum is N = 2^17 with r = 8 — this is the issue's N = 2^15, ~100 ms). */
export const SCRYPT_CURRENT: ScryptParams = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });
/** Longest password accepted, in UTF-8 bytes (after NFC normalization). */
export const PASSWORD_MAX_BYTES = 256;
export const SALT_BYTES = 16;
export const KEY_BYTES = 32;

/** Bounds on parameters read from a stored hash: memory 128·N·r at most 128 MiB, work N·r·p at most 16× today's. */
export const SCRYPT_BOUNDS = Object.freeze({
  minN: 2 ** 10,
  maxN: 2 ** 20,
  maxR: 32,
  maxP: 16,
  maxMemBytes: 128 * 2 ** 20,
  maxWork: 2 ** 22,
  minSaltBytes: 8,
  maxSaltBytes: 64,
  minKeyBytes: 16,
  maxKeyBytes: 64,
});

export interface ParsedPasswordHash extends ScryptParams {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** Memory OpenSSL needs for these parameters, with headroom (Node refuses when it exceeds maxmem). */
function maxmemFor(params: ScryptParams): number {
  return 128 * params.N * params.r + 128 * params.r * params.p + 2 ** 20;
}

function checkParams(params: ScryptParams): string | undefined {
  const { N, r, p } = params;
  const b = SCRYPT_BOUNDS;
  if (!Number.isSafeInteger(N) || N < b.minN || N > b.maxN || (N & (N - 1)) !== 0) {
    return `N must be a power of two from ${b.minN} to ${b.maxN}`;
  }
  if (!Number.isSafeInteger(r) || r < 1 || r > b.maxR) return `r must be 1 to ${b.maxR}`;
  if (!Number.isSafeInteger(p) || p < 1 || p > b.maxP) return `p must be 1 to ${b.maxP}`;
  if (128 * N * r > b.maxMemBytes) return `128·N·r is over ${b.maxMemBytes} bytes`;
  if (N * r * p > b.maxWork) return `N·r·p is over ${b.maxWork}`;
  return undefined;
}

const B64URL = /^[A-Za-z0-9_-]+$/;
const DECIMAL = /^[1-9][0-9]{0,9}$/;

/** Parses and bounds-checks a stored hash; undefined when it is malformed or out of bounds. */
export function parsePasswordHash(encoded: string): ParsedPasswordHash | undefined {
  if (typeof encoded !== 'string' || encoded.length > 512) return undefined;
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt64, hash64] = parts as [string, string, string, string, string, string];
  if (!DECIMAL.test(n) || !DECIMAL.test(r) || !DECIMAL.test(p)) return undefined;
  if (!B64URL.test(salt64) || !B64URL.test(hash64)) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (checkParams(params) !== undefined) return undefined;
  const salt = Buffer.from(salt64, 'base64url');
  const hash = Buffer.from(hash64, 'base64url');
  const b = SCRYPT_BOUNDS;
  if (salt.length < b.minSaltBytes || salt.length > b.maxSaltBytes) return undefined;
  if (hash.length < b.minKeyBytes || hash.length > b.maxKeyBytes) return undefined;
  // canonical encoding only (no trailing bits that decode to the same bytes)
  if (salt.toString('base64url') !== salt64 || hash.toString('base64url') !== hash64) return undefined;
  return { ...params, salt, hash };
}

/** The password as hashed (NFC), or undefined when it is over PASSWORD_MAX_BYTES. */
function passwordBytes(password: string): Buffer | undefined {
  // UTF-8 never has fewer bytes than UTF-16 code units: a cheap bound before normalizing
  if (typeof password !== 'string' || password.length > PASSWORD_MAX_BYTES) return undefined;
  const bytes = Buffer.from(password.normalize('NFC'), 'utf8');
  return bytes.length > PASSWORD_MAX_BYTES ? undefined : bytes;
}

function derive(password: Buffer, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: maxmemFor(params) };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function tooLong(): YiwangError {
  return new YiwangError('CLOUD_ERR_PASSWORD_RULES', `the password is over ${PASSWORD_MAX_BYTES} bytes`);
}

/**
 * Hashes a password with scrypt (SCRYPT_CURRENT unless `params` says otherwise; params out of
 * SCRYPT_BOUNDS throw a RangeError) and a fresh 16-byte salt. A password over 256 bytes is
 * refused (CLOUD_ERR_PASSWORD_RULES) before any hashing.
 */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_CURRENT): Promise<string> {
  const bytes = passwordBytes(password);
  if (!bytes) throw tooLong();
  const bad = checkParams(params);
  if (bad) throw new RangeError(`scrypt parameters out of bounds: ${bad}`);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(bytes, salt, KEY_BYTES, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/**
 * True when `password` matches the stored hash. False for a malformed or out-of-bounds hash
 * (nothing is derived then; `parsePasswordHash` tells them apart) and for a password over 256 bytes.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parsePasswordHash(encoded);
  const bytes = passwordBytes(password);
  if (!parsed || !bytes) return false;
  const key = await derive(bytes, parsed.salt, parsed.hash.length, parsed);
  return timingSafeEqual(key, parsed.hash);
}

/** True when the stored hash should be replaced (at the next successful sign-in): weaker than SCRYPT_CURRENT, or unreadable. */
export function needsRehash(encoded: string, current: ScryptParams = SCRYPT_CURRENT): boolean {
  const parsed = parsePasswordHash(encoded);
  if (!parsed) return true;
  return (
    parsed.N < current.N ||
    parsed.r < current.r ||
    parsed.p < current.p ||
    parsed.salt.length < SALT_BYTES ||
    parsed.hash.length < KEY_BYTES
  );
}

/** One broken rule (the error's `problems`, in this order). */
export type PasswordProblem = 'too-short' | 'too-long' | 'classes' | 'contains-username' | 'repeated' | 'common';

/** CLOUD_ERR_PASSWORD_RULES with the broken rules as data (the API error body carries them as `problems`). */
export class PasswordRulesError extends YiwangError {
  constructor(
    readonly problems: PasswordProblem[],
    reasons: string[],
  ) {
    super(
      'CLOUD_ERR_PASSWORD_RULES',
      `the password breaks ${problems.length === 1 ? 'a rule' : `${problems.length} rules`}: ${reasons.join('; ')}`,
    );
  }

  override toJSON(): { code: string; message: string; hint: string; problems: PasswordProblem[] } {
    return { ...super.toJSON(), problems: this.problems };
  }
}

export interface PasswordRuleOptions {
  /** The account's user name; a password containing it (case-insensitive) is refused. Ignored under 3 characters. */
  readonly username?: string;
  /** Fewest characters (Unicode code points), default 12. */
  readonly minLength?: number;
}

const CLASSES: readonly [string, RegExp][] = [
  ['lower case', /\p{Ll}/u],
  ['upper case', /\p{Lu}/u],
  ['digits', /\p{Nd}/u],
  ['other characters', /[^\p{Ll}\p{Lu}\p{Nd}]/u],
];

/** The password rules for a new password: undefined when it passes, else a PasswordRulesError naming every broken rule. */
export function checkPasswordRules(
  password: string,
  options: PasswordRuleOptions = {},
): PasswordRulesError | undefined {
  const minLength = options.minLength ?? 12;
  const problems: PasswordProblem[] = [];
  const reasons: string[] = [];
  const add = (problem: PasswordProblem, reason: string): void => {
    problems.push(problem);
    reasons.push(reason);
  };
  if (passwordBytes(password) === undefined) {
    // nothing else is looked at in a huge input
    add('too-long', `it is over ${PASSWORD_MAX_BYTES} bytes`);
    return new PasswordRulesError(problems, reasons);
  }
  const text = password.normalize('NFC');
  const chars = [...text];
  if (chars.length < minLength) add('too-short', `it has ${chars.length} characters, at least ${minLength} are needed`);
  const classes = CLASSES.filter(([, re]) => re.test(text)).length;
  if (classes < 3) {
    add(
      'classes',
      `it uses ${classes} of the 4 character classes (lower case, upper case, digits, others), at least 3 are needed`,
    );
  }
  const lower = text.toLowerCase();
  const user = options.username?.normalize('NFC').toLowerCase() ?? '';
  if (user.length >= 3 && lower.includes(user)) add('contains-username', 'it contains the user name');
  if (chars.length > 0 && chars.every((c) => c === chars[0])) add('repeated', 'it is one character repeated');
  if (COMMON_PASSWORDS.has(lower)) add('common', 'it is one of the most common passwords');
  return problems.length === 0 ? undefined : new PasswordRulesError(problems, reasons);
}
