/**
 * Sealing a message to a recipient's X25519 public key (used to hand a gateway its identity):
 * an ephemeral X25519 key, ECDH, HKDF-SHA256 → AES-256-GCM key; output = iv(12) ‖ tag(16) ‖ ciphertext.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

const INFO = Buffer.from('yiwang-seal-v1');

// JWK, not SPKI DER: node's DER decoder costs ~0.3 ms per key, JWK ~0.03 ms (a claim handles four keys)
export const x25519PublicFromRaw = (raw: Buffer): KeyObject =>
  createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
/** Raw 32-byte public key of an X25519 key (a private key's JWK carries its public part). */
export const rawX25519Public = (k: KeyObject): Buffer => Buffer.from(k.export({ format: 'jwk' }).x ?? '', 'base64url');

export function newX25519(): { privateKey: KeyObject; publicRaw: Buffer } {
  const { privateKey } = generateKeyPairSync('x25519');
  return { privateKey, publicRaw: rawX25519Public(privateKey) };
}

function key(priv: KeyObject, pubRaw: Buffer, senderRaw: Buffer, recipientRaw: Buffer): Buffer {
  const shared = diffieHellman({ privateKey: priv, publicKey: x25519PublicFromRaw(pubRaw) });
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([senderRaw, recipientRaw]), INFO, 32));
}

export function seal(recipientRaw: Buffer, plaintext: Buffer): { sealed: Buffer; senderRaw: Buffer } {
  if (recipientRaw.length !== 32) throw new Error('recipient key must be a raw 32-byte X25519 key');
  const eph = newX25519();
  const k = key(eph.privateKey, recipientRaw, eph.publicRaw, recipientRaw);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', k, iv);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return { sealed: Buffer.concat([iv, c.getAuthTag(), body]), senderRaw: eph.publicRaw };
}

export function open(recipient: KeyObject, senderRaw: Buffer, sealed: Buffer): Buffer {
  const k = key(recipient, senderRaw, senderRaw, rawX25519Public(recipient));
  const d = createDecipheriv('aes-256-gcm', k, sealed.subarray(0, 12));
  d.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
}

export const privateFromPem = (pem: string): KeyObject => createPrivateKey(pem);

/**
 * Small secrets at rest (camera passwords in cameras.json, device keys in edge.db): AES-256-GCM
 * under a key derived with HKDF-SHA256 from the gateway secret, one key per purpose (salt, info).
 * Form: `v1:` base64(iv(12) ‖ tag(16) ‖ ciphertext). After the gateway is re-keyed (a new
 * gateway.secret) an old value no longer opens: `open` throws and the caller flags that one item
 * for re-entry (issue 16, finding 11).
 */
export class SecretBox {
  private readonly key: Buffer;
  constructor(secret: string, salt: string, info: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, salt, info, 32));
  }

  static isSealed(value: string): boolean {
    return value.startsWith('v1:');
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
  }

  /** The clear text; throws when the value is not sealed, is damaged or was sealed under another secret. */
  open(sealed: string): string {
    if (!SecretBox.isSealed(sealed)) throw new Error('not a sealed value (v1:…)');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    if (raw.length < 28) throw new Error('sealed value too short');
    const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch {
      throw new Error('sealed under another gateway secret (or damaged)');
    }
  }
}
