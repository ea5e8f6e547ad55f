/**
 * The sealing algorithms of keys at rest, as this runtime's OpenSSL offers them:
 * - `aes-256-gcm` (the default): AES-256-GCM, 96-bit random nonce, 128-bit tag; keys from
 *   HKDF-SHA-256;
 * - `sm4-gcm`: SM4-GCM (GB/T 32907) where OpenSSL exposes it; keys from HKDF-SM3;
 * - `sm4-cbc-hmac-sm3`: SM4-CBC with a random IV, then HMAC-SM3 over the header, IV and
 *   ciphertext (encrypt-then-MAC; the tag is checked before anything is decrypted); keys from
 *   HKDF-SM3 (an SM4 key and a separate 256-bit MAC key).
 * `keys.algorithm = "sm4"` takes sm4-gcm when present, else sm4-cbc-hmac-sm3.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  getCiphers,
  getHashes,
  hkdfSync,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
  type CipherGCMTypes,
} from 'node:crypto';
import { YiwangError } from '../../common/errors.js';

export const SEAL_ALGORITHMS = ['aes-256-gcm', 'sm4-gcm', 'sm4-cbc-hmac-sm3'] as const;
export type SealAlgorithm = (typeof SEAL_ALGORITHMS)[number];
/** What keys.algorithm may say. */
export type AlgorithmSetting = 'aes-256-gcm' | 'sm4';

/** What this runtime offers of the national algorithms (GM/T): for status, docs and tests. */
export interface CryptoOffer {
  openssl: string;
  sm3: boolean;
  sm4Gcm: boolean;
  sm4Cbc: boolean;
  /**
   * SM2 (GB/T 32918) signatures with SM3: a key made by Node on the SM2 curve is a plain `ec` key
   * (sign() is then ECDSA, not SM2); the same key exported and imported again is OpenSSL's SM2 key
   * type, and sign()/verify() with it are SM2 — with an empty distinguishing ID (OpenSSL 3's
   * default), not GM/T 0009's 1234567812345678, which Node cannot set. Measured against the openssl
   * binary in test/cloud/keys/sm2-probe.test.ts. Not used: configuration is signed with Ed25519.
   */
  sm2: boolean;
  /** The sealing algorithms usable here. */
  sealing: SealAlgorithm[];
}

let offer: CryptoOffer | undefined;

export function cryptoOffer(): CryptoOffer {
  if (offer) return offer;
  const ciphers = new Set(getCiphers());
  const hashes = new Set(getHashes());
  const sm3 = hashes.has('sm3');
  const sm4Gcm = ciphers.has('sm4-gcm');
  const sm4Cbc = ciphers.has('sm4-cbc');
  let sm2 = false;
  try {
    const made = generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey;
    const key = createPrivateKey({ key: made.export({ type: 'pkcs8', format: 'der' }), format: 'der', type: 'pkcs8' });
    const msg = Buffer.from('y');
    sm2 = sm3 && key.asymmetricKeyType !== 'ec' && verify('sm3', msg, createPublicKey(key), sign('sm3', msg, key));
  } catch {
    sm2 = false;
  }
  const sealing: SealAlgorithm[] = ['aes-256-gcm'];
  if (sm4Gcm && sm3) sealing.push('sm4-gcm');
  if (sm4Cbc && sm3) sealing.push('sm4-cbc-hmac-sm3');
  offer = { openssl: process.versions.openssl ?? 'unknown', sm3, sm4Gcm, sm4Cbc, sm2, sealing };
  return offer;
}

/** The algorithm new seals use for a keys.algorithm setting, or CLOUD_ERR_KEYS_ALGORITHM_UNAVAILABLE. */
export function resolveAlgorithm(setting: AlgorithmSetting): SealAlgorithm {
  const o = cryptoOffer();
  if (setting === 'aes-256-gcm') return 'aes-256-gcm';
  if (o.sealing.includes('sm4-gcm')) return 'sm4-gcm';
  if (o.sealing.includes('sm4-cbc-hmac-sm3')) return 'sm4-cbc-hmac-sm3';
  throw unavailable('sm4');
}

function unavailable(what: string): YiwangError {
  const o = cryptoOffer();
  return new YiwangError(
    'CLOUD_ERR_KEYS_ALGORITHM_UNAVAILABLE',
    `${what} is not offered by this runtime (Node ${process.version}, OpenSSL ${o.openssl}: sm3 ${o.sm3 ? 'yes' : 'no'}, sm4-gcm ${o.sm4Gcm ? 'yes' : 'no'}, sm4-cbc ${o.sm4Cbc ? 'yes' : 'no'})`,
  );
}

export function checkAvailable(alg: SealAlgorithm): void {
  if (!cryptoOffer().sealing.includes(alg)) throw unavailable(alg);
}

/** The hash an algorithm derives its keys (and the KEK id) with. */
export const hashOf = (alg: SealAlgorithm): 'sha256' | 'sm3' => (alg === 'aes-256-gcm' ? 'sha256' : 'sm3');

interface Keys {
  enc: Buffer;
  mac?: Buffer;
}

function deriveKeys(alg: SealAlgorithm, material: Buffer): Keys {
  const info = `yiwang-kek-v1 ${alg}`;
  if (alg === 'aes-256-gcm') return { enc: Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), info, 32)) };
  if (alg === 'sm4-gcm') return { enc: Buffer.from(hkdfSync('sm3', material, Buffer.alloc(0), info, 16)) };
  const k = Buffer.from(hkdfSync('sm3', material, Buffer.alloc(0), info, 48));
  return { enc: k.subarray(0, 16), mac: k.subarray(16) };
}

/** A KEK's id for an algorithm: 16 hex digits derived with HKDF (reveals nothing of the KEK). */
export function kekIdFor(alg: SealAlgorithm, material: Buffer): string {
  return Buffer.from(hkdfSync(hashOf(alg), material, Buffer.alloc(0), 'yiwang-kek-v1 id', 8)).toString('hex');
}

export interface Sealed {
  nonce: Buffer;
  ct: Buffer;
  tag: Buffer;
}

export function sealWith(alg: SealAlgorithm, material: Buffer, aad: Buffer, plain: Buffer): Sealed {
  checkAvailable(alg);
  const k = deriveKeys(alg, material);
  if (alg === 'sm4-cbc-hmac-sm3') {
    const nonce = randomBytes(16);
    const c = createCipheriv('sm4-cbc', k.enc, nonce);
    const ct = Buffer.concat([c.update(plain), c.final()]);
    return { nonce, ct, tag: macOf(k.mac!, aad, nonce, ct) };
  }
  const nonce = randomBytes(12);
  const c = createCipheriv(alg as CipherGCMTypes, k.enc, nonce, { authTagLength: 16 });
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return { nonce, ct, tag: c.getAuthTag() };
}

/** The plaintext, or undefined when the tag does not verify (wrong KEK, changed file). */
export function openWith(alg: SealAlgorithm, material: Buffer, aad: Buffer, s: Sealed): Buffer | undefined {
  checkAvailable(alg);
  const k = deriveKeys(alg, material);
  try {
    if (alg === 'sm4-cbc-hmac-sm3') {
      const want = macOf(k.mac!, aad, s.nonce, s.ct);
      if (s.tag.length !== want.length || !timingSafeEqual(s.tag, want)) return undefined;
      const d = createDecipheriv('sm4-cbc', k.enc, s.nonce);
      return Buffer.concat([d.update(s.ct), d.final()]);
    }
    if (s.tag.length !== 16 || s.nonce.length !== 12) return undefined;
    const d = createDecipheriv(alg as CipherGCMTypes, k.enc, s.nonce, { authTagLength: 16 });
    d.setAAD(aad);
    d.setAuthTag(s.tag);
    return Buffer.concat([d.update(s.ct), d.final()]);
  } catch {
    return undefined;
  }
}

function macOf(key: Buffer, aad: Buffer, iv: Buffer, ct: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(aad.length);
  return createHmac('sm3', key).update(len).update(aad).update(iv).update(ct).digest();
}
