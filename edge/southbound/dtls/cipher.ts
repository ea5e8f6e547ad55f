/**
 * The AEAD record protection of the PSK suites: TLS_PSK_WITH_AES_128_CCM_8 (RFC 6655, 8-byte tag)
 * and TLS_PSK_WITH_AES_128_GCM_SHA256 (RFC 5487/5288). Nonce = 4-byte salt from the key block +
 * 8-byte explicit nonce (sent in clear before the ciphertext; this server sends epoch|seq).
 * Records with a connection ID use the RFC 9146 inner plaintext and additional data.
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import { ContentType } from './record.js';

export interface CipherSuiteInfo {
  readonly id: number;
  readonly name: string;
  readonly algorithm: 'aes-128-ccm' | 'aes-128-gcm';
  readonly tagLength: number;
}

export const TLS_PSK_WITH_AES_128_CCM_8: CipherSuiteInfo = {
  id: 0xc0a8,
  name: 'TLS_PSK_WITH_AES_128_CCM_8',
  algorithm: 'aes-128-ccm',
  tagLength: 8,
};
export const TLS_PSK_WITH_AES_128_GCM_SHA256: CipherSuiteInfo = {
  id: 0x00a8,
  name: 'TLS_PSK_WITH_AES_128_GCM_SHA256',
  algorithm: 'aes-128-gcm',
  tagLength: 16,
};
export const SUITES: readonly CipherSuiteInfo[] = [TLS_PSK_WITH_AES_128_CCM_8, TLS_PSK_WITH_AES_128_GCM_SHA256];
export const EXPLICIT_NONCE = 8;

/** The record header fields that enter the additional data. */
export interface RecordFields {
  readonly type: number;
  readonly version: number;
  readonly epoch: number;
  readonly seq: number;
  /** Set: a tls12_cid record with this CID (type is then the inner, real content type). */
  readonly cid?: Buffer | undefined;
}

function additionalData(f: RecordFields, plaintextLength: number): Buffer {
  if (f.cid === undefined) {
    const ad = Buffer.allocUnsafe(13);
    ad.writeUInt16BE(f.epoch, 0);
    ad.writeUIntBE(f.seq, 2, 6);
    ad[8] = f.type;
    ad.writeUInt16BE(f.version, 9);
    ad.writeUInt16BE(plaintextLength, 11);
    return ad;
  }
  // RFC 9146 §5: seq_num_placeholder, tls12_cid, cid_length, tls12_cid, version, epoch, seq, cid, length
  const n = f.cid.length;
  const ad = Buffer.allocUnsafe(23 + n);
  ad.fill(0xff, 0, 8);
  ad[8] = ContentType.tls12Cid;
  ad[9] = n;
  ad[10] = ContentType.tls12Cid;
  ad.writeUInt16BE(f.version, 11);
  ad.writeUInt16BE(f.epoch, 13);
  ad.writeUIntBE(f.seq, 15, 6);
  f.cid.copy(ad, 21);
  ad.writeUInt16BE(plaintextLength, 21 + n);
  return ad;
}

/** Nonce = 4-byte salt + the 8-byte explicit nonce. */
function nonceOf(salt: number, explicit: Buffer): Buffer {
  const n = Buffer.allocUnsafe(4 + EXPLICIT_NONCE);
  n.writeUInt32BE(salt, 0);
  explicit.copy(n, 4, 0, EXPLICIT_NONCE);
  return n;
}

/**
 * Protects `plaintext` with one direction's key (16 raw bytes or a KeyObject) and 4-byte salt;
 * returns explicit nonce + ciphertext + tag. The cipher is made per record: a session keeps only
 * the raw key bytes (in the server's slab), no cipher or KeyObject.
 */
export function sealRecord(
  suite: CipherSuiteInfo,
  key: Buffer | KeyObject,
  salt: number,
  f: RecordFields,
  plaintext: Buffer,
): Buffer {
  const inner = f.cid === undefined ? plaintext : Buffer.concat([plaintext, Buffer.of(f.type)]);
  const explicit = Buffer.allocUnsafe(EXPLICIT_NONCE);
  explicit.writeUInt16BE(f.epoch, 0);
  explicit.writeUIntBE(f.seq, 2, 6);
  const ad = additionalData(f, inner.length);
  const c = createCipheriv(suite.algorithm as 'aes-128-ccm', key, nonceOf(salt, explicit), {
    authTagLength: suite.tagLength,
  });
  c.setAAD(ad, { plaintextLength: inner.length });
  const body = c.update(inner);
  c.final();
  return Buffer.concat([explicit, body, c.getAuthTag()]);
}

/**
 * Opens a protected fragment; undefined when it does not authenticate. For a CID record returns
 * the real content type from the inner plaintext (undefined if it has none).
 */
export function openRecord(
  suite: CipherSuiteInfo,
  key: Buffer | KeyObject,
  salt: number,
  f: RecordFields,
  fragment: Buffer,
): { type: number; plaintext: Buffer } | undefined {
  const tag = suite.tagLength;
  if (fragment.length < EXPLICIT_NONCE + tag) return undefined;
  const nonce = nonceOf(salt, fragment);
  const body = fragment.subarray(EXPLICIT_NONCE, fragment.length - tag);
  const ad = additionalData(f, body.length);
  try {
    const d = createDecipheriv(suite.algorithm as 'aes-128-ccm', key, nonce, { authTagLength: tag });
    d.setAuthTag(fragment.subarray(fragment.length - tag));
    d.setAAD(ad, { plaintextLength: body.length });
    const plain = d.update(body);
    d.final();
    if (f.cid === undefined) return { type: f.type, plaintext: plain };
    // RFC 9146 §4: content, real type, zero padding; strip the padding from the end
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0) return undefined;
    return { type: plain[end]!, plaintext: plain.subarray(0, end) };
  } catch {
    return undefined;
  }
}

/** One direction's key and salt, as an object (the clients in scripts/ and bench/). */
export class AeadKey {
  private readonly key: KeyObject;
  private readonly salt: number;

  constructor(
    readonly suite: CipherSuiteInfo,
    key: Buffer,
    salt: Buffer,
  ) {
    this.key = createSecretKey(Buffer.from(key));
    this.salt = salt.readUInt32BE(0);
  }

  seal(f: RecordFields, plaintext: Buffer): Buffer {
    return sealRecord(this.suite, this.key, this.salt, f, plaintext);
  }

  open(f: RecordFields, fragment: Buffer): { type: number; plaintext: Buffer } | undefined {
    return openRecord(this.suite, this.key, this.salt, f, fragment);
  }
}
