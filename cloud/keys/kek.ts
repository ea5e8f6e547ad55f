/**
 * The key-encryption key (KEK), from outside the data directory (keys.kek):
 * - `file:/etc/yiwang/kek` — a file no group or other may read or write, not inside the store
 *   directory or pki.dir;
 * - `env:NAME` — an environment variable (removed from the process environment once read, so
 *   child processes do not inherit it);
 * - `systemd:NAME` — a systemd credential, $CREDENTIALS_DIRECTORY/NAME (LoadCredential= or
 *   LoadCredentialEncrypted=).
 * Its text is 32 or more bytes written as hex or base64 (at most 4 KiB).
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync, constants as fsc } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { YiwangError } from '../../common/errors.js';
import { kekIdFor, type SealAlgorithm } from './algorithms.js';

/** Longest KEK text read (file, variable or credential). */
export const KEK_MAX_BYTES = 4096;
/** Fewest bytes a KEK decodes to. */
export const KEK_MIN_BYTES = 32;

export type KekSource = 'file' | 'env' | 'systemd';

export interface Kek {
  source: KekSource;
  /** The file, variable or credential name (never the key). */
  where: string;
  material: Buffer;
}

export const kekId = (kek: Kek, alg: SealAlgorithm): string => kekIdFor(alg, kek.material);

/** `kind:ref` of keys.kek, or CLOUD_ERR_KEK_INVALID. */
export function parseKekSpec(spec: string): { source: KekSource; ref: string } {
  const m = /^(file|env|systemd):(.+)$/.exec(spec.trim());
  if (!m)
    throw new YiwangError(
      'CLOUD_ERR_KEK_INVALID',
      `keys.kek ${JSON.stringify(spec)}: write file:/path, env:NAME or systemd:NAME`,
    );
  const source = m[1] as KekSource;
  const ref = m[2]!;
  if (source === 'file' && !isAbsolute(ref))
    throw new YiwangError('CLOUD_ERR_KEK_INVALID', `keys.kek ${spec}: the file must be an absolute path`);
  if (source === 'env' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(ref))
    throw new YiwangError('CLOUD_ERR_KEK_INVALID', `keys.kek ${spec}: not an environment variable name`);
  if (source === 'systemd' && !/^[A-Za-z0-9_.:-]+$/.test(ref))
    throw new YiwangError('CLOUD_ERR_KEK_INVALID', `keys.kek ${spec}: not a credential name`);
  return { source, ref };
}

/** The key bytes of a KEK's text: hex or base64 (or base64url) of at least 32 bytes. */
export function decodeKekText(text: string, where: string): Buffer {
  const s = text.trim();
  let key: Buffer | undefined;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(s) && s.length >= 2 * KEK_MIN_BYTES) key = Buffer.from(s, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) key = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key || key.length < KEK_MIN_BYTES)
    throw new YiwangError(
      'CLOUD_ERR_KEK_INVALID',
      `${where}: a KEK is at least ${KEK_MIN_BYTES} bytes written as hex or base64 (got ${key ? `${key.length} bytes` : 'other text'})`,
    );
  return key;
}

/** A new KEK's text (base64 of 32 random bytes), for `yiwang-cloud kek generate`. */
export const newKekText = (): string => randomBytes(32).toString('base64');

function inside(path: string, dir: string): boolean {
  let d: string;
  try {
    d = realpathSync(dir);
  } catch {
    d = resolve(dir);
  }
  return path === d || path.startsWith(d.endsWith(sep) ? d : d + sep);
}

/** Reads a KEK file through one descriptor: its mode, type and size are checked on what is read. */
function readKekFile(path: string, forbiddenDirs: string[], checkMode: boolean): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    throw new YiwangError('CLOUD_ERR_KEK_MISSING', `KEK file ${path}: ${(err as Error).message}`, { cause: err });
  }
  for (const dir of forbiddenDirs)
    if (inside(real, dir))
      throw new YiwangError(
        'CLOUD_ERR_KEK_FILE_UNSAFE',
        `KEK file ${path} is inside ${dir}, next to the keys it protects: keep it outside the data directories`,
      );
  let fd: number;
  try {
    fd = openSync(real, fsc.O_RDONLY | (fsc.O_NOFOLLOW ?? 0));
  } catch (err) {
    throw new YiwangError('CLOUD_ERR_KEK_MISSING', `KEK file ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new YiwangError('CLOUD_ERR_KEK_FILE_UNSAFE', `KEK file ${path} is not a regular file`);
    if (checkMode && (st.mode & 0o066) !== 0)
      throw new YiwangError(
        'CLOUD_ERR_KEK_FILE_UNSAFE',
        `KEK file ${path} has mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}: group or others may read or write it (chmod 600 ${path})`,
      );
    if (st.size > KEK_MAX_BYTES)
      throw new YiwangError('CLOUD_ERR_KEK_INVALID', `KEK file ${path} is ${st.size} bytes, over ${KEK_MAX_BYTES}`);
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, n);
      if (r === 0) break;
      n += r;
    }
    const text = buf.subarray(0, n).toString('utf8');
    buf.fill(0);
    return text;
  } finally {
    closeSync(fd);
  }
}

export interface LoadKekOptions {
  /** Directories a KEK file may not be in (the store directory, pki.dir). */
  forbiddenDirs: string[];
  env?: NodeJS.ProcessEnv;
  /** Delete an env: variable once read (default true). */
  scrubEnv?: boolean;
}

/** The KEK keys.kek names; undefined when it is empty. */
export function loadKek(spec: string, o: LoadKekOptions): Kek | undefined {
  if (!spec.trim()) return undefined;
  const { source, ref } = parseKekSpec(spec);
  const env = o.env ?? process.env;
  if (source === 'env') {
    const v = env[ref];
    if (v === undefined || v === '')
      throw new YiwangError('CLOUD_ERR_KEK_MISSING', `keys.kek ${spec}: environment variable ${ref} is not set`);
    if (Buffer.byteLength(v) > KEK_MAX_BYTES)
      throw new YiwangError('CLOUD_ERR_KEK_INVALID', `environment variable ${ref} is over ${KEK_MAX_BYTES} bytes`);
    const material = decodeKekText(v, `environment variable ${ref}`);
    if (o.scrubEnv !== false) delete env[ref];
    return { source, where: ref, material };
  }
  if (source === 'systemd') {
    const dir = env.CREDENTIALS_DIRECTORY;
    if (!dir)
      throw new YiwangError(
        'CLOUD_ERR_KEK_MISSING',
        `keys.kek ${spec}: $CREDENTIALS_DIRECTORY is not set (give the unit LoadCredential=${ref}:… or LoadCredentialEncrypted=${ref}:…)`,
      );
    const path = join(dir, ref);
    // systemd makes the credential 0400 for the service's user on a private mount; the mode is checked all the same
    return { source, where: ref, material: decodeKekText(readKekFile(path, o.forbiddenDirs, true), path) };
  }
  return { source, where: ref, material: decodeKekText(readKekFile(ref, o.forbiddenDirs, true), ref) };
}
