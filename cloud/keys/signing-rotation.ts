/**
 * Config-signing key rotation (`yiwang-cloud signing-key rotate`): a new Ed25519 key replaces the
 * old one, and a key transition signed by the old key (proto KeyTransition) goes with every
 * configuration from then on, so gateways pinned to the old key verify the transition with it and
 * pin the new key (edge/remote-config/applier.ts). The latest MAX_KEY_TRANSITIONS transitions are
 * kept in pki.dir/config-signing.transitions.json (public data: statements and signatures), so a
 * gateway offline across several rotations follows the chain.
 *
 * Crash safety: the transitions file is written first, then the key file is replaced atomically
 * (the commit point). A transition to a key that never became the signing key (a crash between the
 * two) is dropped when the file is read: the chain is cut after the transition to the current key.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../common/log.js';
import { YiwangError } from '../../common/errors.js';
import type { pb } from '../../proto/index.js';
import { MAX_KEY_TRANSITIONS, configKeyIdOf, signKeyTransition } from '../../proto/config-signing.js';
import { readBounded, writeAtomic } from './files.js';
import type { KeyVault } from './vault.js';

export const TRANSITIONS_FILE = 'config-signing.transitions.json';
export const SIGNING_KEY_NAME = 'config-signing.key';

interface StoredTransition {
  statement: string;
  signature: string;
  oldKeyId: string;
  newKeyId: string;
  issuedMs: number;
}

export interface TransitionInfo {
  oldKeyId: string;
  newKeyId: string;
  issuedMs: number;
}

/** Raw 32-byte Ed25519 public key of a private key. */
function rawPublic(key: KeyObject): Buffer {
  const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

/**
 * The stored transitions that lead to the key `currentKeyId` (oldest first); those after the one
 * to the current key (a rotation cut short) are dropped, and none at all when no transition leads to it.
 */
export function loadTransitions(
  dir: string,
  currentKeyId: string,
  log?: Logger,
): { transitions: pb.IKeyTransition[]; info: TransitionInfo[] } {
  const path = join(dir, TRANSITIONS_FILE);
  if (!existsSync(path)) return { transitions: [], info: [] };
  let stored: StoredTransition[];
  try {
    stored = JSON.parse(readBounded(path).toString('utf8')) as StoredTransition[];
    if (!Array.isArray(stored)) throw new Error('not a list');
  } catch (err) {
    throw new YiwangError('CLOUD_ERR_KEY_UNSEAL', `${path}: not a list of key transitions (${(err as Error).message})`);
  }
  const end = stored.map((s) => s.newKeyId).lastIndexOf(currentKeyId);
  if (end < stored.length - 1)
    log?.warn(
      { file: path, dropped: stored.length - 1 - end },
      'config-signing key transitions to a key that is not the signing key were dropped (a rotation cut short)',
    );
  const kept = stored.slice(0, end + 1).slice(-MAX_KEY_TRANSITIONS);
  return {
    transitions: kept.map((s) => ({
      statement: Buffer.from(s.statement, 'base64'),
      signature: Buffer.from(s.signature, 'base64'),
    })),
    info: kept.map(({ oldKeyId, newKeyId, issuedMs }) => ({ oldKeyId, newKeyId, issuedMs })),
  };
}

export interface SigningRotation {
  oldKeyId: string;
  newKeyId: string;
  /** Transitions the envelopes now carry (this one last). */
  chain: TransitionInfo[];
}

/** Replaces the config-signing key in `vault` by a new one, with a transition signed by the old key. */
export function rotateSigningKey(vault: KeyVault, now = Date.now(), log?: Logger): SigningRotation {
  const pemOld = vault.read(SIGNING_KEY_NAME);
  if (!pemOld)
    throw new YiwangError(
      'CLOUD_ERR_NO_SIGNING_KEY',
      `no config-signing key in ${vault.dir} yet: it is made at the cloud's first start`,
    );
  const oldKey = createPrivateKey(pemOld.toString('utf8'));
  const oldRaw = rawPublic(oldKey);
  const oldKeyId = configKeyIdOf(oldRaw);
  const { privateKey } = generateKeyPairSync('ed25519');
  const newRaw = rawPublic(privateKey);
  const t = signKeyTransition(oldKey, oldRaw, newRaw, now);
  const path = join(vault.dir, TRANSITIONS_FILE);
  const stored = existsSync(path) ? (JSON.parse(readBounded(path).toString('utf8')) as StoredTransition[]) : [];
  // the chain up to the old key (a transition cut short after it is dropped)
  const prior = stored.slice(0, stored.map((s) => s.newKeyId).lastIndexOf(oldKeyId) + 1);
  const next: StoredTransition[] = [
    ...prior,
    {
      statement: Buffer.from(t.statement!).toString('base64'),
      signature: Buffer.from(t.signature!).toString('base64'),
      oldKeyId,
      newKeyId: configKeyIdOf(newRaw),
      issuedMs: now,
    },
  ].slice(-MAX_KEY_TRANSITIONS);
  writeAtomic(path, `${JSON.stringify(next, null, 1)}\n`);
  // the commit point: from here on the new key signs
  vault.write(SIGNING_KEY_NAME, Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string));
  log?.info({ oldKeyId, newKeyId: configKeyIdOf(newRaw) }, 'config-signing key rotated');
  return {
    oldKeyId,
    newKeyId: configKeyIdOf(newRaw),
    chain: next.map(({ oldKeyId: o, newKeyId: n, issuedMs }) => ({ oldKeyId: o, newKeyId: n, issuedMs })),
  };
}
