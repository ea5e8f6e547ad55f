/**
 * Loading profiles from directories: `<dir>/<vendor>/<model>.toml` (and scripts next to them).
 * Directories are read in order; a later directory (an overlay, Zigbee2MQTT-style) replaces a
 * profile of the same id ("vendor/model") from an earlier one. A bad file is reported with its
 * error and skipped; the others load.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import TOML from '@iarna/toml';
import { isYiwangError, YiwangError } from '../../common/errors.js';
import { isTable } from './reader.js';
import { validateProfile, type BindingValidators } from './validate.js';
import type { Profile } from './types.js';
import './errors.js';

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
    if (!vendor.isDirectory() || vendor.name.startsWith('.')) continue;
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

let bindingValidators: Promise<BindingValidators> | undefined;

/**
 * The serial and HJ 212 binding validators, when their adapters provide them
 * (edge/southbound/{serial,hj212}/binding.ts); without them the tables are kept as written.
 */
export function loadBindingValidators(): Promise<BindingValidators> {
  bindingValidators ??= (async () => {
    const out: BindingValidators = {};
    const find = async (spec: string, fn: string): Promise<((s: unknown, w: string) => unknown) | undefined> => {
      try {
        const m = (await import(spec)) as Record<string, unknown>;
        return typeof m[fn] === 'function' ? (m[fn] as (s: unknown, w: string) => unknown) : undefined;
      } catch {
        return undefined;
      }
    };
    const serial = await find('../southbound/serial/binding.js', 'validateSerialBinding');
    const hj212 = await find('../southbound/hj212/binding.js', 'validateHj212Binding');
    if (serial) out.serial = serial;
    if (hj212) out.hj212 = hj212;
    const serialWire = await find('../southbound/serial/vector-frames.js', 'serialWireDecoder');
    const hj212Wire = await find('../southbound/hj212/vector-frames.js', 'hj212WireDecoder');
    if (serialWire) out.serialWire = serialWire as BindingValidators['serialWire'];
    if (hj212Wire) out.hj212Wire = hj212Wire as BindingValidators['hj212Wire'];
    return out;
  })();
  return bindingValidators;
}

/** Reads and validates one profile file; `root` makes the file name in messages relative. */
export function loadProfileFile(file: string, bindings: BindingValidators = {}, root?: string): Profile {
  const shown = root ? relative(root, file) || file : file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new YiwangError('PROFILE_ERR_READ', `${shown}: ${(e as Error).message}`, { cause: e });
  }
  let doc: unknown;
  try {
    doc = TOML.parse(text);
  } catch (e) {
    const err = e as Error & { line?: number; col?: number };
    const at = err.line !== undefined ? ` (line ${err.line + 1}, column ${(err.col ?? 0) + 1})` : '';
    throw new YiwangError('PROFILE_ERR_READ', `${shown}: not valid TOML: ${err.message.split('\n')[0].replace(/ at row \d+, col \d+, pos \d+:?$/, '')}${at}`, { cause: e });
  }
  if (!isTable(doc)) throw new YiwangError('PROFILE_ERR_FORMAT', `${shown}: not a TOML table`);
  return validateProfile({
    id: profileId(file), file: shown, text, doc, bindings,
    readScript: (name) => readFileSync(join(dirname(file), name), 'utf8'),
  });
}

/** Loads every profile of the directories (later ones overlay earlier ones). */
export async function loadProfileDirs(dirs: readonly string[]): Promise<LoadedSet> {
  const bindings = await loadBindingValidators();
  const byId = new Map<string, Profile>();
  const errors: YiwangError[] = [];
  const overridden: LoadedSet['overridden'] = [];
  for (const dir of dirs) {
    const root = statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? dir : dirname(dir);
    for (const file of profileFiles(dir)) {
      try {
        const p = loadProfileFile(file, bindings, dirname(root));
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
