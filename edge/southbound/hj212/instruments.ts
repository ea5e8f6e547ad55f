/**
 * The HJ 212 instrument file (TOML, `hj212.devices_file`): the instruments allowed to connect,
 * by MN, with their password, device id and binding.
 *
 *   [[instrument]]
 *   mn = "88888880000001"
 *   pw = "123456"                          # overrides the binding's and hj212.default_pw
 *   id = "wastewater-outlet-1"             # device id of its readings; default "hj212:<MN>"
 *   profile = "vendor/model"          # its [transport.hj212] slot (the instrument is bound to that
 *                                     # profile: its metric checks and alarms apply), or inline:
 *   [instrument.hj212]
 *   factors = { w01018 = "cod" }
 *
 * Profiles are found through a ProfileSource: the agent's loaded profiles, or a directory.
 */
import { readFileSync } from 'node:fs';
import { parseToml, tomlErrorText } from '../../../common/toml-read.js';
import { YiwangError } from '../../../common/errors.js';
import { directorySource, profileSlot, type ProfileSource } from '../serial/profile-source.js';
import { validateHj212Binding, type Hj212Binding } from './binding.js';

export interface Hj212Instrument {
  mn: string;
  id: string;
  /** Expected PW; undefined = not checked. */
  pw?: string;
  binding?: Hj212Binding;
  /** The firmware profile its binding comes from ("vendor/model"). */
  profile?: string;
}

/** A value from the file, for messages: TOML integers beyond 2^53 are bigints, which JSON.stringify refuses. */
const shown = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);

function fail(where: string, detail: string): never {
  throw new YiwangError('HJ212_ERR_CONFIG', `${where}: ${detail}`);
}

/** Parses an instrument file already read as TOML; `profiles` finds the profiles it names (a directory path or a source). */
export function parseInstruments(
  doc: Record<string, unknown>,
  source: string,
  profiles: string | ProfileSource,
): Map<string, Hj212Instrument> {
  const found = typeof profiles === 'string' ? directorySource(profiles) : profiles;
  for (const k of Object.keys(doc))
    if (k !== 'instrument') fail(source, `unknown table [${k}] (known: [[instrument]])`);
  const list = doc.instrument ?? [];
  if (!Array.isArray(list)) fail(source, 'instrument must be an array of tables ([[instrument]])');
  const out = new Map<string, Hj212Instrument>();
  const ids = new Set<string>();
  (list as Record<string, unknown>[]).forEach((t, i) => {
    const where = `${source}: instrument[${i}]`;
    const known = ['mn', 'pw', 'id', 'profile', 'hj212'];
    for (const k of Object.keys(t))
      if (!known.includes(k)) fail(where, `unknown key ${k} (known: ${known.join(', ')})`);
    if (typeof t.mn !== 'string' || !/^[\x21-\x7e]{1,32}$/.test(t.mn))
      fail(where, `mn must be 1..32 printable ASCII characters (got ${shown(t.mn)})`);
    if (out.has(t.mn)) fail(where, `MN ${t.mn} is listed twice`);
    if (t.hj212 !== undefined && t.profile !== undefined) fail(where, 'takes profile or [instrument.hj212], not both');
    const named =
      t.profile === undefined
        ? undefined
        : profileSlot(found, String(t.profile), 'hj212', (detail) => fail(where, detail));
    const src = t.hj212 ?? named?.spec;
    const binding =
      src === undefined
        ? undefined
        : validateHj212Binding(src, named ? `${where} (profile ${named.profile.id})` : where);
    if (binding?.mn !== undefined && binding.mn !== t.mn) fail(where, `binding expects MN ${binding.mn}`);
    if (t.pw !== undefined && typeof t.pw !== 'string') fail(where, 'pw must be a string');
    if (t.id !== undefined && (typeof t.id !== 'string' || !t.id)) fail(where, 'id must be a non-empty string');
    const id = (t.id as string | undefined) ?? `hj212:${t.mn}`;
    if (ids.has(id)) fail(where, `device id ${id} is used twice`);
    ids.add(id);
    const inst: Hj212Instrument = { mn: t.mn, id };
    const pw = (t.pw as string | undefined) ?? binding?.pw;
    if (pw !== undefined) inst.pw = pw;
    if (binding) inst.binding = binding;
    if (named) inst.profile = named.profile.id;
    out.set(t.mn, inst);
  });
  return out;
}

export function loadInstruments(path: string, profiles: string | ProfileSource): Map<string, Hj212Instrument> {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(readFileSync(path, 'utf8'), path);
  } catch (e) {
    fail(path, tomlErrorText(e));
  }
  return parseInstruments(doc, path, profiles);
}
