/**
 * Loading profiles from directories: `<dir>/<vendor>/<model>.toml` (and scripts next to them).
 * Directories are read in order; a later directory (an overlay, Zigbee2MQTT-style) replaces a
 * profile of the same id ("vendor/model") from an earlier one. A bad file is reported with its
 * error and skipped; the others load.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isYiwangError, YiwangError } from '../../common/errors.js';
import { parseToml } from '../../common/toml-read.js';
import { attributeToSet, PROFILE_MAX_BYTES, resolveWithOrigins, SHARED_DIR } from './include.js';
import { isTable } from './reader.js';
import { validateProfile, type BindingValidators } from './validate.js';
import type { Profile } from './types.js';

export interface LoadedSet {
  profiles: Profile[];
  errors: YiwangError[];
  /** Ids replaced by an overlay, with the file that replaced them. */
  overridden: { id: string; by: string; was: string }[];
}

/** Every profile file under dir (two levels: vendor/model.toml), sorted. */
export function profileFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return dir.endsWith('.toml') ? [dir] : [];
  const out: string[] = [];
  for (const vendor of readdirSync(dir, { withFileTypes: true })) {
    if (vendor.isFile() && vendor.name.endsWith('.toml')) out.push(join(dir, vendor.name));
    // _shared holds sets that profiles include (include.ts), not profiles
    if (!vendor.isDirectory() || vendor.name.startsWith('.') || vendor.name.startsWith('_')) continue;
    for (const f of readdirSync(join(dir, vendor.name), { withFileTypes: true })) {
      if (f.isFile() && f.name.endsWith('.toml')) out.push(join(dir, vendor.name, f.name));
    }
  }
  return out.sort();
}

/** "vendor/model" from a file path (the last two parts, without .toml). */
export function profileId(file: string): string {
  return `${basename(dirname(file))}/${basename(file, '.toml')}`;
}

/**
 * Reads and validates one profile file; `root` makes the file name in messages relative. `bindings`
 * validate the sections owned by adapters (`PROFILE_BINDINGS`, edge/profile-bindings.ts, from the
 * composition roots).
 * `include`d sets are looked up in the `_shared` folder beside the file's vendor folder, then in
 * `sharedDirs` (earlier profile directories' `_shared`, nearest first).
 */
export function loadProfileFile(
  file: string,
  bindings: BindingValidators,
  root?: string,
  sharedDirs: readonly string[] = [],
): Profile {
  const shown = root ? relative(root, file) || file : file;
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > PROFILE_MAX_BYTES)
      throw new YiwangError(
        'PROFILE_ERR_LIMIT',
        `${shown}: has ${size} bytes; a profile has at most ${PROFILE_MAX_BYTES}`,
      );
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (isYiwangError(e)) throw e;
    throw new YiwangError('PROFILE_ERR_READ', `${shown}: ${(e as Error).message}`, { cause: e });
  }
  const parsed: unknown = parseToml(text, shown, 'PROFILE_ERR_READ');
  if (!isTable(parsed)) throw new YiwangError('PROFILE_ERR_FORMAT', `${shown}: not a TOML table`);
  const own = join(dirname(dirname(resolve(file))), SHARED_DIR);
  const { doc, origins } = resolveWithOrigins(parsed, resolve(file), shown, text, {
    sharedDirs: [...new Set([own, ...sharedDirs.map((d) => resolve(d))])],
    ...(root ? { root } : {}),
  });
  try {
    return validateProfile({
      id: profileId(file),
      file: shown,
      text,
      doc,
      bindings,
      readScript: (name) => readFileSync(join(dirname(file), name), 'utf8'),
    });
  } catch (e) {
    throw attributeToSet(e, shown, origins);
  }
}

/**
 * Loads every profile of the directories (later ones overlay earlier ones). A profile's `include`
 * finds sets in its own directory's `_shared`, then in earlier directories', then in `moreShared`.
 */
export async function loadProfileDirs(
  dirs: readonly string[],
  bindings: BindingValidators,
  moreShared: readonly string[] = [],
): Promise<LoadedSet> {
  const byId = new Map<string, Profile>();
  const errors: YiwangError[] = [];
  const overridden: LoadedSet['overridden'] = [];
  for (const [i, dir] of dirs.entries()) {
    const root = statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? dir : dirname(dir);
    const shared = [
      ...dirs
        .slice(0, i)
        .reverse()
        .map((d) => join(d, SHARED_DIR)),
      ...moreShared,
    ];
    for (const file of profileFiles(dir)) {
      try {
        const p = loadProfileFile(file, bindings, dirname(root), shared);
        const old = byId.get(p.id);
        if (old) overridden.push({ id: p.id, by: p.file, was: old.file });
        byId.set(p.id, p);
      } catch (e) {
        if (!isYiwangError(e)) throw e;
        errors.push(e);
      }
    }
  }
  return { profiles: [...byId.values()], errors, overridden };
}
