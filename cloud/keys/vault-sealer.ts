/**
 * A Sealer (AES-256-GCM, common/seal.ts) whose key is kept in the key vault under `keyName`
 * (sealed under the KEK when one is set), made on first use. Account secrets (TOTP) and incident
 * webhook secrets each have their own key.
 */
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../common/seal.js';
import type { KeyVault } from './vault.js';

export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** `salt` and `info`: the HKDF inputs that make each sealer's key its own. */
export function vaultSealer(
  vault: Pick<KeyVault, 'read' | 'write'>,
  keyName: string,
  salt: string,
  info: string,
): Sealer {
  let key = vault.read(keyName);
  if (!key) {
    key = randomBytes(32);
    vault.write(keyName, key);
  }
  return new SecretBox(key.toString('hex'), salt, info);
}
