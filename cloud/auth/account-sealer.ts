/**
 * Seals account secrets at rest (TOTP secrets, issue 22) under `account-secrets.key` of the key
 * vault (cloud/keys/vault-sealer.ts).
 */
import type { KeyVault } from '../keys/vault.js';
import { type Sealer, vaultSealer } from '../keys/vault-sealer.js';

export const ACCOUNT_SECRETS_KEY = 'account-secrets.key';

export const accountSealer = (vault: Pick<KeyVault, 'read' | 'write'>): Sealer =>
  vaultSealer(vault, ACCOUNT_SECRETS_KEY, 'yiwang-accounts', 'account-secrets-v1');
