/**
 * Signed desired configuration: ConfigEnvelope.document is an encoded ConfigDocument and
 * ConfigEnvelope.signature is Ed25519 over CONTEXT ‖ document (docs/reference/config-rollout.md).
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { pb, type ConfigDocumentMsg } from './index.js';

export const CONFIG_SIGNING_CONTEXT = Buffer.from('yiwang-config-v1\n');
/**
 * Largest ConfigEnvelope read (checked before decoding): the merged TOML of three layers of at most
 * 1 MiB each (the HTTP API's limit for a layer), its signature and key id.
 */
export const MAX_CONFIG_ENVELOPE_BYTES = 4 * 1024 * 1024;
const ED25519_SIGNATURE_BYTES = 64;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export const ed25519PublicFromRaw = (raw: Buffer): KeyObject =>
  createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });

export function signConfig(doc: ConfigDocumentMsg, key: KeyObject, keyId: string): Buffer {
  const document = Buffer.from(pb.ConfigDocument.encode(doc).finish());
  const signature = sign(null, Buffer.concat([CONFIG_SIGNING_CONTEXT, document]), key);
  return Buffer.from(pb.ConfigEnvelope.encode({ document, signature, keyId }).finish());
}

export type VerifyResult =
  | { ok: true; doc: yiwangConfigDocument }
  | { ok: false; reason: 'undecodable' | 'unsigned' | 'bad_signature' };
type yiwangConfigDocument = ReturnType<typeof pb.ConfigDocument.decode>;

/** Checks the signature with the pinned raw public key; decodes the document only when it holds. */
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
  const document = Buffer.from(env.document);
  let good = false;
  try {
    good = verify(
      null,
      Buffer.concat([CONFIG_SIGNING_CONTEXT, document]),
      ed25519PublicFromRaw(publicRaw),
      Buffer.from(env.signature),
    );
  } catch {
    good = false;
  }
  if (!good) return { ok: false, reason: 'bad_signature' };
  try {
    return { ok: true, doc: pb.ConfigDocument.decode(document) };
  } catch {
    return { ok: false, reason: 'undecodable' };
  }
}
