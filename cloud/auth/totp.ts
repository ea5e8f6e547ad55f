/**
 * TOTP second factor (RFC 6238 over RFC 4226 HOTP) and the RFC 4648 base32 its secrets are written
 * in. Defaults are what authenticator apps expect: HMAC-SHA1, 30 s steps from the Unix epoch,
 * 6 digits, 20-byte secrets. `verifyTotp` answers the matched time step so the caller can store it
 * and refuse the same step again (replay protection, RFC 6238 section 5.2). Pure: no I/O besides
 * the CSPRNG.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { YiwangError } from '../../common/errors.js';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpOptions {
  /** Digits of a code, 6 (default) to 8. */
  readonly digits?: number;
  /** Step length, default 30 000 ms. */
  readonly stepMs?: number;
  /** HMAC hash, default 'sha1' (the only one most authenticator apps support). */
  readonly algorithm?: TotpAlgorithm;
}

export interface VerifyTotpOptions extends TotpOptions {
  /** Steps accepted either side of the current one for clock drift, default 1, at most 10. */
  readonly window?: number;
  /** The step of the last code accepted for this user: that step and earlier ones are refused. */
  readonly lastUsedStep?: number;
}

/** Longest base32 text decoded (chars, padding included). */
export const BASE32_MAX_CHARS = 1024;
/** TOTP secret size bounds, bytes (RFC 4226: at least 128 bits; 160 recommended). */
export const TOTP_SECRET_MIN_BYTES = 10;
export const TOTP_SECRET_MAX_BYTES = 64;
export const TOTP_SECRET_BYTES = 20;
export const TOTP_MAX_WINDOW = 10;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Data chars in the last 8-char group for 1..5 trailing bytes (RFC 4648 section 6). */
const TAIL_CHARS = [0, 2, 4, 5, 7, 8] as const;

function badSecret(detail: string): YiwangError {
  return new YiwangError('CLOUD_ERR_TOTP_SECRET', detail);
}

/** RFC 4648 base32 (upper case); `padding` false leaves out the trailing '='. */
export function base32Encode(data: Uint8Array, options: { padding?: boolean } = {}): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of data) {
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  if (options.padding ?? true) out += '='.repeat((8 - (out.length % 8)) % 8);
  return out;
}

/**
 * RFC 4648 base32 to bytes: case-insensitive, padding optional (but exact when present); refuses
 * (CLOUD_ERR_TOTP_SECRET) other characters, impossible lengths, non-zero trailing bits and input
 * over BASE32_MAX_CHARS.
 */
export function base32Decode(text: string): Buffer {
  if (typeof text !== 'string') throw badSecret('base32 text is not a string');
  if (text.length > BASE32_MAX_CHARS) throw badSecret(`base32 text is over ${BASE32_MAX_CHARS} characters`);
  const unpadded = text.replace(/=+$/, '');
  const padded = text.length !== unpadded.length;
  const tail = unpadded.length % 8;
  if (padded && (text.length % 8 !== 0 || tail === 0))
    throw badSecret('base32 padding does not fill the last group of 8');
  const tailBytes = TAIL_CHARS.indexOf(tail as (typeof TAIL_CHARS)[number]);
  if (tailBytes < 0) throw badSecret(`base32 text of ${unpadded.length} characters is no encoding's length`);
  const out = Buffer.alloc(Math.floor(unpadded.length / 8) * 5 + tailBytes);
  let bits = 0;
  let value = 0;
  let n = 0;
  for (const ch of unpadded.toUpperCase()) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw badSecret(`base32 text has a character outside A-Z, 2-7: ${JSON.stringify(ch)}`);
    value = ((value << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out[n++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  if ((value & ((1 << bits) - 1)) !== 0) throw badSecret('base32 text has non-zero trailing bits');
  return out;
}

/** A new TOTP secret: 20 random bytes, base32 without padding (32 characters). */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(TOTP_SECRET_BYTES), { padding: false });
}

function secretBytes(secret: string | Uint8Array): Buffer {
  const key = typeof secret === 'string' ? base32Decode(secret) : Buffer.from(secret);
  if (key.length < TOTP_SECRET_MIN_BYTES || key.length > TOTP_SECRET_MAX_BYTES) {
    throw badSecret(`a TOTP secret of ${key.length} bytes (${TOTP_SECRET_MIN_BYTES} to ${TOTP_SECRET_MAX_BYTES})`);
  }
  return key;
}

function settings(options: TotpOptions): { digits: number; stepMs: number; algorithm: TotpAlgorithm } {
  const digits = options.digits ?? 6;
  const stepMs = options.stepMs ?? 30_000;
  const algorithm = options.algorithm ?? 'sha1';
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) throw new RangeError('digits must be 6, 7 or 8');
  if (!Number.isInteger(stepMs) || stepMs < 1000 || stepMs % 1000 !== 0) {
    throw new RangeError('stepMs must be a whole number of seconds');
  }
  if (algorithm !== 'sha1' && algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new RangeError('algorithm must be sha1, sha256 or sha512');
  }
  return { digits, stepMs, algorithm };
}

/** RFC 4226 HOTP value for one counter, as `digits` decimal digits. */
export function hotp(key: Uint8Array, counter: number, digits = 6, algorithm: TotpAlgorithm = 'sha1'): string {
  if (!Number.isSafeInteger(counter) || counter < 0) throw new RangeError('counter must be a non-negative integer');
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The time step of `nowMs` (steps of `stepMs` since the Unix epoch). */
export function totpStep(nowMs: number, stepMs = 30_000): number {
  return Math.floor(nowMs / stepMs);
}

/** The TOTP code at `nowMs` (secret in base32 or as bytes). */
export function totpCode(secret: string | Uint8Array, nowMs: number, options: TotpOptions = {}): string {
  const s = settings(options);
  return hotp(secretBytes(secret), totpStep(nowMs, s.stepMs), s.digits, s.algorithm);
}

/**
 * Checks a code typed by the user: exactly `digits` ASCII digits, equal (constant-time) to the code
 * of a step within `window` of the current one and after `lastUsedStep`. Answers the matched step
 * (store it as the next lastUsedStep) or undefined. A bad stored secret throws CLOUD_ERR_TOTP_SECRET.
 */
export function verifyTotp(
  secret: string | Uint8Array,
  code: string,
  nowMs: number,
  options: VerifyTotpOptions = {},
): number | undefined {
  const s = settings(options);
  const window = options.window ?? 1;
  if (!Number.isInteger(window) || window < 0 || window > TOTP_MAX_WINDOW) {
    throw new RangeError(`window must be 0 to ${TOTP_MAX_WINDOW}`);
  }
  const key = secretBytes(secret);
  if (typeof code !== 'string' || code.length !== s.digits || !/^[0-9]+$/.test(code)) return undefined;
  const typed = Buffer.from(code, 'ascii');
  const now = totpStep(nowMs, s.stepMs);
  let matched: number | undefined;
  // every candidate is computed and compared, so the time taken does not tell which one matched
  for (let step = now - window; step <= now + window; step++) {
    if (step < 0) continue;
    const fresh = options.lastUsedStep === undefined || step > options.lastUsedStep;
    const equal = timingSafeEqual(Buffer.from(hotp(key, step, s.digits, s.algorithm), 'ascii'), typed);
    if (equal && fresh && matched === undefined) matched = step;
  }
  return matched;
}

/**
 * The otpauth:// URI authenticator apps read from a QR code (Google Authenticator's "Key URI
 * Format"): label `issuer:account` and every value percent-encoded (spaces as %20).
 */
export function totpUri(secret: string, account: string, issuer: string, options: TotpOptions = {}): string {
  const s = settings(options);
  const normalized = base32Encode(secretBytes(secret), { padding: false });
  const enc = encodeURIComponent;
  const query = [
    `secret=${normalized}`,
    `issuer=${enc(issuer)}`,
    `algorithm=${s.algorithm.toUpperCase()}`,
    `digits=${s.digits}`,
    `period=${s.stepMs / 1000}`,
  ];
  return `otpauth://totp/${enc(issuer)}:${enc(account)}?${query.join('&')}`;
}
