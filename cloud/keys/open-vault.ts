/** The key vault of a cloud configuration: pki.dir, keys.kek, keys.algorithm, keys.require_kek. */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../../common/log.js';
import { YiwangError } from '../../common/errors.js';
import type { CloudConfig } from '../config.js';
import { resolveAlgorithm, type AlgorithmSetting } from './algorithms.js';
import { loadKek, type LoadKekOptions } from './kek.js';
import { KeyVault } from './vault.js';

export const pkiDirOf = (config: CloudConfig): string => config.pki.dir || join(dirname(config.store.path), 'pki');

/** Directories a KEK file may not lie in. */
export const forbiddenKekDirs = (config: CloudConfig): string[] => [pkiDirOf(config), dirname(config.store.path)];

export function openKeyVault(config: CloudConfig, log?: Logger, kekOptions: Partial<LoadKekOptions> = {}): KeyVault {
  const dir = pkiDirOf(config);
  const algorithm = resolveAlgorithm(config.keys.algorithm as AlgorithmSetting);
  const kek = loadKek(config.keys.kek, { forbiddenDirs: forbiddenKekDirs(config), ...kekOptions });
  if (!kek && config.keys.require_kek)
    throw new YiwangError(
      'CLOUD_ERR_KEK_MISSING',
      'keys.require_kek is on but keys.kek is empty: the cloud does not start with its private keys in clear',
    );
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return new KeyVault(dir, kek, algorithm, log);
}
