/**
 * Reading DDF XML files from directories (the I/O half of the object model; the parser is the
 * pure core/objects/ddf.ts). Used at agent start for `lwm2m.object_dirs` (vendors' own objects)
 * and by scripts/gen-lwm2m-objects.ts for the vendored OMA registry.
 *
 * Rules (docs/reference/lwm2m-server.md, "Object model"): the `*.xml` files of each directory are
 * read in name order; a file is refused as a whole (LWM2M_ERR_MODEL, naming it) when it is too
 * large, unreadable or invalid, and the agent then does not start. Of several definitions of one
 * object id the highest ObjectVersion wins (equal versions: the file read last). A vendor object
 * replaces the built-in definition of the same id, with a warning in the log.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../common/log.js';
import { lwm2mError, quote } from './core/errors.js';
import { MAX_DDF_BYTES, newestPerId, parseDdf, type DdfObject } from './core/objects/ddf.js';
import { createDefaultRegistry, type ObjectRegistry } from './core/objects/index.js';

/** Reads one DDF file: the size is checked on the open file before any byte is read. */
export function readDdfFile(path: string, maxBytes = MAX_DDF_BYTES): DdfObject[] {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw lwm2mError('LWM2M_ERR_MODEL', `DDF file ${quote(path, 200)} cannot be read: ${(e as Error).message}`, e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw lwm2mError('LWM2M_ERR_MODEL', `DDF file ${quote(path, 200)} is not a regular file`);
    if (st.size > maxBytes) {
      throw lwm2mError(
        'LWM2M_ERR_MODEL',
        `DDF file ${quote(path, 200)} refused: ${st.size} bytes exceed the limit of ${maxBytes}`,
      );
    }
    // read at most maxBytes + 1: a file that grew after fstat is still caught by parseDdf's limit
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (let got = -1; n < buf.length && got !== 0; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    return parseDdf(buf.subarray(0, n), path, maxBytes).map((model) => ({ model, source: path }));
  } finally {
    closeSync(fd);
  }
}

/** The `*.xml` files of one directory in name order, each parsed (all or an error). */
export function readDdfDir(dir: string, maxBytes = MAX_DDF_BYTES): DdfObject[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((d) => !d.isDirectory() && /\.xml$/i.test(d.name))
      .map((d) => d.name)
      .sort();
  } catch (e) {
    throw lwm2mError('LWM2M_ERR_MODEL', `DDF directory ${quote(dir, 200)} cannot be read: ${(e as Error).message}`, e);
  }
  return names.flatMap((name) => readDdfFile(join(dir, name), maxBytes));
}

/**
 * The agent's object model: the built-in registry (OMA registry + corrections) with the objects
 * of `dirs` on top. Throws LWM2M_ERR_MODEL for the first bad directory or file.
 */
export function loadObjectModel(dirs: readonly string[], log?: Logger): ObjectRegistry {
  const registry = createDefaultRegistry();
  if (dirs.length === 0) return registry;
  const vendor = newestPerId(dirs.flatMap((d) => readDdfDir(d)));
  for (const { model, source } of vendor) {
    const builtin = registry.object(model.id);
    if (builtin) {
      log?.warn(
        { objectId: model.id, file: source, version: model.version, builtinVersion: builtin.version },
        'vendor DDF file replaces the built-in definition of this object',
      );
    }
    registry.add(model);
  }
  log?.info({ dirs, objects: vendor.length }, 'vendor LwM2M objects loaded');
  return registry;
}
