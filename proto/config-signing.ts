/**
 * Signed desired configuration: ConfigEnvelope.document is an encoded ConfigDocument and
 * ConfigEnvelope.signature is Ed25519 over CONTEXT ‖ document (docs/reference/config-rollout.md).
 * After config-signing key rotations the envelope also carries the transitions (each signed by
 * the key it retires), so a gateway pinned to an older key can follow them to the signing one.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { pb, type ConfigDocumentMsg } from './index.js';

export const CONFIG_SIGNING_CONTEXT = Buffer.from('yiwang-config-v1\n');
export const KEY_TRANSITION_CONTEXT = Buffer.from('yiwang-key-transition-v1\n');
/** Most key transitions an envelope may carry (the cloud keeps the latest ones); more: undecodable. */
export const MAX_KEY_TRANSITIONS = 8;
/**
 * Largest ConfigEnvelope read (checked before decoding): the merged TOML of three layers of at most
 * 1 MiB each (the HTTP API's limit for a layer), its signature and key id.
 */
export const MAX_CONFIG_ENVELOPE_BYTES = 4 * 1024 * 1024;
const ED25519_SIGNATURE_BYTES = 64;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export const ed25519PublicFromRaw = (raw: Buffer): KeyObject =>
  createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });

/** First 16 hex digits of SHA-256 of a raw public key (ConfigEnvelope.key_id). */
export const configKeyIdOf = (raw: Buffer | Uint8Array): string =>
  createHash('sha256').update(raw).digest('hex').slice(0, 16);

export function signConfig(
  doc: ConfigDocumentMsg,
  key: KeyObject,
  keyId: string,
  transitions: pb.IKeyTransition[] = [],
): Buffer {
  const document = Buffer.from(pb.ConfigDocument.encode(doc).finish());
  const signature = sign(null, Buffer.concat([CONFIG_SIGNING_CONTEXT, document]), key);
  return Buffer.from(pb.ConfigEnvelope.encode({ document, signature, keyId, transitions }).finish());
}

/** A key transition from `oldKey` (signing it) to the raw public key `newRaw`. */
export function signKeyTransition(
  oldKey: KeyObject,
  oldRaw: Buffer,
  newRaw: Buffer,
  issuedMs: number,
): pb.IKeyTransition {
  const statement = Buffer.from(
    pb.KeyTransitionStatement.encode({
      newPublicKey: newRaw,
      oldKeyId: configKeyIdOf(oldRaw),
      newKeyId: configKeyIdOf(newRaw),
      issuedMs,
    }).finish(),
  );
  return { statement, signature: sign(null, Buffer.concat([KEY_TRANSITION_CONTEXT, statement]), oldKey) };
}

const verifies = (data: Buffer, raw: Buffer, signature: Uint8Array): boolean => {
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    return verify(null, data, ed25519PublicFromRaw(raw), Buffer.from(signature));
  } catch {
    return false;
  }
};

/**
 * The key the transitions lead to from `pinned`: each one taken in order when it is signed by the
 * key reached so far (others are skipped: they start from a key this gateway never had).
 */
function followTransitions(pinned: Buffer, transitions: pb.IKeyTransition[]): Buffer {
  let key = pinned;
  for (const t of transitions) {
    const statement = Buffer.from(t.statement ?? []);
    if (!verifies(Buffer.concat([KEY_TRANSITION_CONTEXT, statement]), key, t.signature ?? new Uint8Array())) continue;
    let s: pb.KeyTransitionStatement;
    try {
      s = pb.KeyTransitionStatement.decode(statement);
    } catch {
      continue;
    }
    if (s.newPublicKey.length === 32) key = Buffer.from(s.newPublicKey);
  }
  return key;
}

export type VerifyResult =
  | {
      ok: true;
      doc: yiwangConfigDocument;
      /** Set when the document was signed by a newer key reached through key transitions from the pinned one. */
      newKey?: Buffer;
    }
  | { ok: false; reason: 'undecodable' | 'unsigned' | 'bad_signature' };
type yiwangConfigDocument = ReturnType<typeof pb.ConfigDocument.decode>;

/**
 * Checks the signature with the pinned raw public key, or with the key that key transitions
 * signed by the pinned key lead to (`newKey` then); decodes the document only when it holds.
 */
export function verifyConfig(envelope: Buffer, publicRaw: Buffer): VerifyResult {
  if (envelope.length > MAX_CONFIG_ENVELOPE_BYTES) return { ok: false, reason: 'undecodable' };
  let env: pb.ConfigEnvelope;
  try {
    env = pb.ConfigEnvelope.decode(envelope);
  } catch {
    return { ok: false, reason: 'undecodable' };
  }
  if (!env.signature || env.signature.length === 0) return { ok: false, reason: 'unsigned' };
  if (env.signature.length !== ED25519_SIGNATURE_BYTES) return { ok: false, reason: 'bad_signature' };
  if (env.transitions.length > MAX_KEY_TRANSITIONS) return { ok: false, reason: 'undecodable' };
  const document = Buffer.from(env.document);
  const signed = Buffer.concat([CONFIG_SIGNING_CONTEXT, document]);
  let newKey: Buffer | undefined;
  if (!verifies(signed, publicRaw, env.signature)) {
    const reached = env.transitions.length ? followTransitions(publicRaw, env.transitions) : publicRaw;
    if (reached === publicRaw || !verifies(signed, reached, env.signature))
      return { ok: false, reason: 'bad_signature' };
    newKey = reached;
  }
  try {
    return { ok: true, doc: pb.ConfigDocument.decode(document), ...(newKey ? { newKey } : {}) };
  } catch {
    return { ok: false, reason: 'undecodable' };
  }
}
