/**
 * Seals account secrets at rest (TOTP secrets, issue 22): AES-256-GCM (common/seal.ts) under a
 * key kept in the key vault as `account-secrets.key` — sealed under the KEK when one is set,
 * like the fleet CA and the signing keys (cloud/keys/). Made on first use.
 */
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../common/seal.js';
import type { KeyVault } from '../keys/vault.js';
import type { Sealer } from './accounts.js';

export const ACCOUNT_SECRETS_KEY = 'account-secrets.key';

export function accountSealer(vault: Pick<KeyVault, 'read' | 'write'>): Sealer {
  let key = vault.read(ACCOUNT_SECRETS_KEY);
  if (!key) {
    key = randomBytes(32);
    vault.write(ACCOUNT_SECRETS_KEY, key);
  }
  return new SecretBox(key.toString('hex'), 'yiwang-accounts', 'account-secrets-v1');
}
