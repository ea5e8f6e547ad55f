/** Durable small-file operations of keys at rest: atomic replace, bounded read, overwrite-and-remove. */
import {
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { YiwangError } from '../../common/errors.js';
import { SEALED_MAX_BYTES } from './envelope.js';

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `path` atomically (0600): temp file, fsync, rename, directory fsync. */
export function writeAtomic(path: string, data: Buffer | string): void {
  const tmp = `${path}.tmp`;
  if (existsSync(tmp)) unlinkSync(tmp);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

/** A key file's bytes, refused (CLOUD_ERR_KEY_UNSEAL) past SEALED_MAX_BYTES before reading. */
export function readBounded(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > SEALED_MAX_BYTES)
      throw new YiwangError('CLOUD_ERR_KEY_UNSEAL', `${path} is ${size} bytes, over ${SEALED_MAX_BYTES}: not a key`);
    const buf = Buffer.alloc(size);
    let n = 0;
    while (n < size) {
      const r = readSync(fd, buf, n, size - n, n);
      if (r === 0) break;
      n += r;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Overwrites a clear key file with zeros (fsync) and removes it. On journaling or copy-on-write
 * file systems and SSDs the old blocks may survive: docs/reference/security.md says so.
 */
export function wipe(path: string): void {
  chmodSync(path, 0o600); // a 0400 key file is ours to overwrite
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    writeSync(fd, Buffer.alloc(size), 0, size, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  unlinkSync(path);
  fsyncDir(dirname(path));
}
