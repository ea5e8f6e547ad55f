/**
 * The audit checkpoint signing key (Ed25519) and checkpoint signing and checking. The key is a
 * PKCS#8 PEM kept in the cloud's key vault as audit-signing.key (sealed under the KEK when one is
 * set, else a 0600 file in the pki dir), created at the first start.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { YiwangError } from '../../common/errors.js';
import { type AuditCheckpoint, checkpointMessage } from './audit-entry.js';

export const AUDIT_KEY_FILE = 'audit-signing.key';

export interface AuditKey {
  privateKey: KeyObject;
  /** Raw 32-byte public key. */
  publicRaw: Buffer;
  keyId: string;
}

/** SPKI DER prefix of an Ed25519 public key (RFC 8410): followed by the 32 raw bytes. */
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

export const keyIdOf = (publicRaw: Buffer): string => createHash('sha256').update(publicRaw).digest('hex').slice(0, 16);

export function publicKeyOfRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI, raw]), format: 'der', type: 'spki' });
}

function fromPrivate(privateKey: KeyObject): AuditKey {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicRaw = Buffer.from(der.subarray(der.length - 32));
  return { privateKey, publicRaw, keyId: keyIdOf(publicRaw) };
}

/** Where the key is kept: the cloud's key vault (cloud/keys/vault.ts: sealed under the KEK when one is set). */
export interface AuditKeyStore {
  read(name: string): Buffer | undefined;
  write(name: string, data: Buffer): void;
}

/** Loads the key from the vault, creating it there when missing. */
export function loadAuditKey(vault: AuditKeyStore): AuditKey {
  const pem = vault.read(AUDIT_KEY_FILE);
  if (pem) {
    try {
      const k = createPrivateKey(pem.toString('utf8'));
      if (k.asymmetricKeyType !== 'ed25519') throw new Error(`an ${k.asymmetricKeyType} key, not Ed25519`);
      return fromPrivate(k);
    } catch (err) {
      throw new YiwangError('CLOUD_ERR_AUDIT_KEY', `${AUDIT_KEY_FILE}: ${(err as Error).message}`, { cause: err });
    }
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  vault.write(AUDIT_KEY_FILE, Buffer.from(privateKey.export({ format: 'pem', type: 'pkcs8' })));
  return fromPrivate(privateKey);
}

/** A signed checkpoint of entry `seq` with hash `hash`. */
export function signCheckpoint(
  key: AuditKey,
  c: Pick<AuditCheckpoint, 'seq' | 'kind' | 'hash' | 'tsMs'>,
): AuditCheckpoint {
  return {
    ...c,
    keyId: key.keyId,
    publicKey: key.publicRaw.toString('base64'),
    signature: sign(null, checkpointMessage(c), key.privateKey).toString('base64'),
  };
}

/** Whether a checkpoint's signature is good under the public key it carries (and its key id matches that key). */
export function checkpointSignatureOk(c: AuditCheckpoint): boolean {
  try {
    const raw = Buffer.from(c.publicKey, 'base64');
    if (raw.length !== 32 || keyIdOf(raw) !== c.keyId) return false;
    return verify(null, checkpointMessage(c), publicKeyOfRaw(raw), Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}
