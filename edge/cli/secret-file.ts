/** Reads a secret the technician passes as a file (device key, camera password): never on the command line. */
import { readFileSync } from 'node:fs';
import { YiwangError } from '../../common/errors.js';

/** The file's text, trimmed; a file that cannot be read is one coded line naming the option. */
export function readSecretFile(file: string, option: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new YiwangError('EDGE_ERR_BAD_REQUEST', `${option} ${file} cannot be read: ${(err as Error).message}`);
  }
}
