/**
 * Shared definitions: `include = ["electricity-1p"]` in a profile merges the [metrics] and
 * [[alarms]] of `_shared/electricity-1p.toml` (next to the vendor folders of its directory, or of an
 * earlier profile directory) before the profile is validated. A shared set may include other sets.
 *
 * Precedence: a file's own definitions come after those it includes. Defining again a metric (by
 * name) or an alarm (by `name`) that an included set defines is refused (PROFILE_ERR_INCLUDE_CONFLICT,
 * naming both files) unless the definition says `override = true`: then its keys replace the set's,
 * and the set's other keys are kept. Two sets included side by side that define the same name
 * conflict too, unless the including file overrides it.
 *
 * Profiles and sets come from third parties: names cannot leave the _shared folder, a cycle is
 * refused (PROFILE_ERR_INCLUDE_CYCLE), a missing set too (PROFILE_ERR_INCLUDE_MISSING), and depth,
 * number and size of sets are bounded (PROFILE_ERR_LIMIT; sizes checked before reading).
 */
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { YiwangError } from '../../common/errors.js';
import { parseToml } from '../../common/toml-read.js';
import { isTable, lineOf, show, type Table } from './reader.js';
import { checkDefinitions } from './validate.js';

export const SHARED_DIR = '_shared';

export const INCLUDE_LIMITS = {
  /** Profile → set → set …: sets deeper than this are refused. */
  maxDepth: 4,
  /** Distinct sets one profile may pull in, all levels together. */
  maxSets: 16,
  /** Names in one `include` list. */
  maxNames: 8,
  /** Bytes of one shared set file. */
  maxSetBytes: 64 * 1024,
} as const;

/** Bytes of one profile file (checked before it is read). */
export const PROFILE_MAX_BYTES = 256 * 1024;

const SET_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const SET_KEYS = ['include', 'description', 'metrics', 'alarms'];

export interface IncludeContext {
  /** The `_shared` folders to look in, first match wins (the profile's own directory first). */
  sharedDirs: readonly string[];
  /** Names files in messages (relative to it). */
  root?: string;
}

interface Def {
  readonly table: Table;
  readonly file: string;
  /** The file's text and the key path: the line is found only when a message names it (scanning
   * the text per definition on every load would cost the square of the file's size). */
  readonly text: string;
  readonly path: string;
}
interface Defs {
  metrics: Map<string, Def>;
  alarms: { name?: string; def: Def }[];
}

function limit(message: string): never {
  throw new YiwangError('PROFILE_ERR_LIMIT', message);
}

/** The definitions a file contributes (its includes merged under its own), `override` keys removed. */
class Resolver {
  private readonly loaded = new Map<string, Defs>();
  /** Sets read for this profile, counted when started (the maxSets limit). */
  private readonly started = new Set<string>();
  constructor(private readonly ctx: IncludeContext) {}

  shown(file: string): string {
    return this.ctx.root ? relative(this.ctx.root, file) || file : file;
  }

  /** Merges the includes of `doc` (the file `file`, text `text`) under its own definitions. */
  defs(doc: Table, file: string, text: string, chain: readonly string[]): Defs {
    const shown = this.shown(file);
    const names = this.names(doc, file, text);
    const base: Defs = { metrics: new Map(), alarms: [] };
    const namedAlarms = new Map<string, Defs['alarms'][number]>(); // base's named alarms, by name
    for (const name of names) {
      const set = this.set(name, file, text, chain);
      for (const [k, d] of set.metrics) {
        const had = base.metrics.get(k);
        if (had && had !== d && !overrides(doc, 'metric', k))
          conflict(shown, `metric "${k}"`, d, had, 'two included sets');
        if (!had) base.metrics.set(k, d);
      }
      for (const a of set.alarms) {
        const had = a.name === undefined ? undefined : namedAlarms.get(a.name);
        if (had && had.def !== a.def && !overrides(doc, 'alarm', a.name!))
          conflict(shown, `alarm "${a.name}"`, a.def, had.def, 'two included sets');
        if (!had) {
          base.alarms.push(a);
          if (a.name !== undefined) namedAlarms.set(a.name, a);
        }
      }
    }
    return merge(shown, base, own(doc, shown, text, names.length > 0));
  }

  private names(doc: Table, file: string, text: string): string[] {
    const v = doc.include;
    if (v === undefined) return [];
    const line = lineOf(text, 'include');
    const at = line ? ` (line ${line})` : '';
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
      throw new YiwangError(
        'PROFILE_ERR_FORMAT',
        `${this.shown(file)}: include must be an array of shared set names (got ${show(v)})${at}`,
      );
    }
    if (list.length > INCLUDE_LIMITS.maxNames)
      limit(`${this.shown(file)}: include names ${list.length} sets; at most ${INCLUDE_LIMITS.maxNames}${at}`);
    for (const n of list as string[]) {
      if (!SET_NAME.test(n)) {
        const hint = n.endsWith('.toml') ? ` (write "${n.slice(0, -5)}", without .toml)` : '';
        throw new YiwangError(
          'PROFILE_ERR_FORMAT',
          `${this.shown(file)}: include "${n}" is not a shared set name: lower-case letters, digits, - and _, naming ${SHARED_DIR}/<name>.toml${hint}${at}`,
        );
      }
    }
    if (new Set(list).size !== list.length)
      throw new YiwangError('PROFILE_ERR_FORMAT', `${this.shown(file)}: include names a set twice${at}`);
    return list as string[];
  }

  private set(name: string, includer: string, includerText: string, chain: readonly string[]): Defs {
    const line = lineOf(includerText, 'include');
    const at = `${this.shown(includer)}: include "${name}"${line ? ` (line ${line})` : ''}`;
    const found = this.find(name);
    if (found === undefined) {
      throw new YiwangError(
        'PROFILE_ERR_INCLUDE_MISSING',
        `${at}: no shared set ${name}.toml in ${this.ctx.sharedDirs.map((d) => this.shown(d)).join(', ') || '(no _shared folder)'}`,
      );
    }
    const { file, size } = found;
    if (chain.includes(file)) {
      const loop = [...chain.slice(chain.indexOf(file)), file].map((f) => this.shown(f)).join(' → ');
      throw new YiwangError('PROFILE_ERR_INCLUDE_CYCLE', `${at}: includes itself: ${loop}`);
    }
    const cached = this.loaded.get(file);
    if (cached) return cached;
    if (chain.length > INCLUDE_LIMITS.maxDepth)
      limit(
        `${at}: sets nested more than ${INCLUDE_LIMITS.maxDepth} deep (${[...chain, file].map((f) => this.shown(f)).join(' → ')})`,
      );
    // counted when a set is started, not when done: sets still being resolved up the chain count too
    if (this.started.size >= INCLUDE_LIMITS.maxSets)
      limit(`${at}: more than ${INCLUDE_LIMITS.maxSets} shared sets for one profile`);
    this.started.add(file);
    if (size > INCLUDE_LIMITS.maxSetBytes)
      limit(`${at}: ${this.shown(file)} has ${size} bytes; a shared set has at most ${INCLUDE_LIMITS.maxSetBytes}`);
    const shown = this.shown(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new YiwangError('PROFILE_ERR_READ', `${shown}: ${(e as Error).message}`, { cause: e });
    }
    const doc = parseToml(text, shown, 'PROFILE_ERR_READ');
    if (!isTable(doc)) throw new YiwangError('PROFILE_ERR_FORMAT', `${shown}: not a TOML table`);
    for (const k of Object.keys(doc)) {
      if (!SET_KEYS.includes(k)) {
        const l = lineOf(text, k);
        throw new YiwangError(
          'PROFILE_ERR_FORMAT',
          `${shown}: unknown key ${k}: a shared set holds only ${SET_KEYS.join(', ')}${l ? ` (line ${l})` : ''}`,
        );
      }
    }
    const defs = this.defs(doc, file, text, [...chain, file]);
    checkDefinitions(shown, text, stripped(doc, true), true);
    this.loaded.set(file, defs);
    return defs;
  }

  private find(name: string): { file: string; size: number } | undefined {
    for (const dir of this.ctx.sharedDirs) {
      const file = join(dir, `${name}.toml`);
      const st = statSync(file, { throwIfNoEntry: false });
      if (st?.isFile()) return { file, size: st.size };
    }
    return undefined;
  }
}

/** Whether the file's own definition of that metric / alarm says override = true. */
function overrides(doc: Table, kind: 'metric' | 'alarm', name: string): boolean {
  if (kind === 'metric') {
    const m = isTable(doc.metrics) ? doc.metrics[name] : undefined;
    return isTable(m) && m.override === true;
  }
  return Array.isArray(doc.alarms) && doc.alarms.some((a) => isTable(a) && a.name === name && a.override === true);
}

function where(d: Def): string {
  const line = lineOf(d.text, d.path);
  return `${d.file}${line ? ` (line ${line})` : ''}`;
}

function conflict(file: string, what: string, mine: Def, theirs: Def, how: string): never {
  throw new YiwangError(
    'PROFILE_ERR_INCLUDE_CONFLICT',
    `${file}: ${what} is defined by ${where(mine)} and by ${where(theirs)} (${how}); give the definition in ${file} override = true to replace the included keys, or remove one`,
  );
}

/** A file's own [metrics] and [[alarms]], with where each is written. */
function own(doc: Table, shown: string, text: string, hasIncludes: boolean): Defs & { override: Set<string> } {
  const out: Defs & { override: Set<string> } = { metrics: new Map(), alarms: [], override: new Set() };
  if (isTable(doc.metrics)) {
    for (const [k, v] of Object.entries(doc.metrics)) {
      if (!isTable(v)) continue; // validation reports it
      const o = v.override;
      if (o !== undefined && typeof o !== 'boolean')
        throw new YiwangError(
          'PROFILE_ERR_FORMAT',
          `${shown}: metrics.${k}.override must be true or false (got ${show(o)})${lineAt(text, `metrics.${k}.override`)}`,
        );
      if (o === true) out.override.add(`metric:${k}`);
      out.metrics.set(k, { table: v, file: shown, text, path: `metrics.${k}` });
    }
  }
  if (Array.isArray(doc.alarms)) {
    doc.alarms.forEach((a, i) => {
      if (!isTable(a)) return;
      const o = a.override;
      if (o !== undefined && typeof o !== 'boolean')
        throw new YiwangError(
          'PROFILE_ERR_FORMAT',
          `${shown}: alarms[${i}].override must be true or false (got ${show(o)})${lineAt(text, `alarms[${i}].override`)}`,
        );
      if (o === true && typeof a.name !== 'string')
        throw new YiwangError(
          'PROFILE_ERR_FORMAT',
          `${shown}: alarms[${i}].override needs the name of the alarm it overrides${lineAt(text, `alarms[${i}]`)}`,
        );
      if (o === true) out.override.add(`alarm:${String(a.name)}`);
      out.alarms.push({
        ...(typeof a.name === 'string' ? { name: a.name } : {}),
        def: { table: a, file: shown, text, path: `alarms[${i}]` },
      });
    });
  }
  if (!hasIncludes && out.override.size > 0) {
    const [first] = out.override;
    const [kind, name] = first!.split(':'); // the set is not empty
    throw new YiwangError(
      'PROFILE_ERR_FORMAT',
      `${shown}: ${kind} "${name}" says override = true, but the file includes no shared set`,
    );
  }
  return out;
}

function lineAt(text: string, path: string): string {
  const l = lineOf(text, path);
  return l ? ` (line ${l})` : '';
}

function withoutOverride(t: Table): Table {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) if (k !== 'override') out[k] = v;
  return out;
}

/** The own definitions over the included ones. */
function merge(file: string, base: Defs, mine: Defs & { override: Set<string> }): Defs {
  const metrics = new Map(base.metrics);
  for (const [k, d] of mine.metrics) {
    const had = base.metrics.get(k);
    const over = mine.override.has(`metric:${k}`);
    if (had && !over) conflict(file, `metric "${k}"`, d, had, 'not marked override = true');
    if (!had && over)
      throw new YiwangError(
        'PROFILE_ERR_FORMAT',
        `${where(d)}: metric "${k}" says override = true, but no included set defines it`,
      );
    metrics.set(
      k,
      had ? { ...d, table: { ...had.table, ...withoutOverride(d.table) } } : { ...d, table: withoutOverride(d.table) },
    );
  }
  const alarms = [...base.alarms];
  const index = new Map<string, number>(); // named included alarms → their place in `alarms`
  alarms.forEach((b, i) => {
    if (b.name !== undefined && !index.has(b.name)) index.set(b.name, i);
  });
  for (const a of mine.alarms) {
    const i = a.name === undefined ? -1 : (index.get(a.name) ?? -1);
    const over = a.name !== undefined && mine.override.has(`alarm:${a.name}`);
    if (i >= 0 && !over) conflict(file, `alarm "${a.name}"`, a.def, alarms[i]!.def, 'not marked override = true');
    if (i < 0 && over)
      throw new YiwangError(
        'PROFILE_ERR_FORMAT',
        `${where(a.def)}: alarm "${a.name}" says override = true, but no included set defines it`,
      );
    if (i >= 0)
      alarms[i] = { ...a, def: { ...a.def, table: { ...alarms[i]!.def.table, ...withoutOverride(a.def.table) } } };
    else alarms.push({ ...a, def: { ...a.def, table: withoutOverride(a.def.table) } });
  }
  return { metrics, alarms };
}

/**
 * The file's [metrics] and [[alarms]] for checking them on their own: without `override` keys, and
 * without the overriding definitions themselves when `partial` (they hold only the keys they change;
 * the merged profile checks them).
 */
function stripped(doc: Table, partial = false): Table {
  const out: Record<string, unknown> = {};
  const keep = (v: unknown): boolean => !(partial && isTable(v) && v.override === true);
  if (isTable(doc.metrics))
    out.metrics = Object.fromEntries(
      Object.entries(doc.metrics)
        .filter(([, v]) => keep(v))
        .map(([k, v]) => [k, isTable(v) ? withoutOverride(v) : v]),
    );
  // an overriding alarm is kept as a name-only table, so the others keep their index (and line)
  if (Array.isArray(doc.alarms))
    out.alarms = doc.alarms.map((a) =>
      isTable(a) ? (keep(a) ? withoutOverride(a) : { metric: '-', name: a.name, on_change: true, event: '-' }) : a,
    );
  return out;
}

/** Where merged definitions not written in the profile come from: `metrics.<name>` / `alarms[<i>]` → set file. */
export type Origins = ReadonlyMap<string, string>;

/**
 * The profile document with its shared sets merged in (`include` removed), or the document itself
 * when it includes nothing, and where merged definitions came from. `file` is the profile's path,
 * `shown` its name in messages.
 */
export function resolveWithOrigins(
  doc: Table,
  file: string,
  shown: string,
  text: string,
  ctx: IncludeContext,
): { doc: Table; origins: Origins } {
  if (doc.include === undefined) return { doc, origins: new Map() };
  const r = new Resolver(ctx);
  // The profile's own definitions, checked on their own first: their messages then name the right line.
  checkDefinitions(shown, text, stripped(doc, true), false);
  const defs = r.defs(doc, file, text, [file]);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (k !== 'include' && k !== 'metrics' && k !== 'alarms') out[k] = v;
  if (defs.metrics.size > 0) out.metrics = Object.fromEntries([...defs.metrics].map(([k, d]) => [k, d.table]));
  if (defs.alarms.length > 0) out.alarms = defs.alarms.map((a) => a.def.table);
  const origins = new Map<string, string>();
  for (const [k, d] of defs.metrics) if (d.file !== shown) origins.set(`metrics.${k}`, d.file);
  defs.alarms.forEach((a, i) => {
    if (a.def.file !== shown) origins.set(`alarms[${i}]`, a.def.file);
  });
  return { doc: out, origins };
}

/**
 * A validation error of the merged profile about a definition that came from a shared set: its
 * line is not in the profile, so the message names the set instead. Other errors pass unchanged.
 */
export function attributeToSet(e: unknown, shown: string, origins: Origins): unknown {
  if (origins.size === 0 || !(e instanceof YiwangError) || !e.message.startsWith(`${shown}: `)) return e;
  const m = /^(metrics\.[A-Za-z0-9_.-]+?|alarms\[\d+\])(?:[. ]|$)/.exec(e.message.slice(shown.length + 2));
  const from = m ? origins.get(m[1]!) : undefined;
  if (from === undefined) return e;
  return new YiwangError(e.code, `${e.message.replace(/ \(line \d+\)$/, '')} (defined by ${from}, included)`, {
    cause: e,
  });
}
