/**
 * TOML configuration with a declared schema: every option has a type, a default and a line of
 * documentation (docs/reference/config.md is checked against the schemas by a test).
 * Errors name the file and the key: `edge.toml: sync.inflight must be an integer >= 1 (got "x")`.
 */
import { readFileSync } from 'node:fs';
import { defineErrors, YiwangError } from './errors.js';
import { parseToml } from './toml-read.js';

export const CONFIG_ERRORS = defineErrors({
  CONFIG_ERR_READ: {
    summary: 'The configuration file could not be read.',
    hint: 'Check the path given with --config and its permissions.',
  },
  CONFIG_ERR_SYNTAX: {
    summary: 'The configuration file is not valid TOML.',
    hint: 'Fix the line named in the message; TOML strings need quotes.',
  },
  CONFIG_ERR_INVALID: {
    summary: 'A configuration key has a wrong type or value, or is unknown.',
    hint: 'Correct the key named in the message; docs/reference/config.md lists every option.',
  },
});

type Kind = 'string' | 'integer' | 'number' | 'boolean' | 'string[]';
interface OptionBase<K extends Kind, T> {
  kind: K;
  default: T;
  doc: string;
  min?: number;
  max?: number;
  choices?: readonly string[];
}
export type Option =
  | OptionBase<'string', string>
  | OptionBase<'integer', number>
  | OptionBase<'number', number>
  | OptionBase<'boolean', boolean>
  | OptionBase<'string[]', string[]>;

/** A schema is sections of options: `{ sync: { inflight: opt } }` ↔ `[sync] inflight = 8`. */
export type Schema = Record<string, Record<string, Option>>;

type ValueOf<O> = O extends OptionBase<Kind, infer T> ? T : never;
export type ConfigOf<S extends Schema> = { [Sec in keyof S]: { [K in keyof S[Sec]]: ValueOf<S[Sec][K]> } };

/** Deep partial used by programmatic callers (tests, the demo) to override defaults. */
export type Overrides<S extends Schema> = { [Sec in keyof S]?: { [K in keyof S[Sec]]?: ValueOf<S[Sec][K]> } };

export const opt = {
  str: (def: string, doc: string, extra: Partial<OptionBase<'string', string>> = {}): OptionBase<'string', string> => ({
    ...extra,
    kind: 'string',
    default: def,
    doc,
  }),
  int: (
    def: number,
    doc: string,
    extra: Partial<OptionBase<'integer', number>> = {},
  ): OptionBase<'integer', number> => ({ ...extra, kind: 'integer', default: def, doc }),
  num: (def: number, doc: string, extra: Partial<OptionBase<'number', number>> = {}): OptionBase<'number', number> => ({
    ...extra,
    kind: 'number',
    default: def,
    doc,
  }),
  bool: (def: boolean, doc: string): OptionBase<'boolean', boolean> => ({ kind: 'boolean', default: def, doc }),
  strs: (def: string[], doc: string): OptionBase<'string[]', string[]> => ({ kind: 'string[]', default: def, doc }),
};

/** A value as written in the file, for messages (TOML integers beyond 2^53 are bigints, dates are Dates). */
function shown(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

function check(o: Option, v: unknown, where: string): unknown {
  const bad = (want: string): never => {
    throw new YiwangError('CONFIG_ERR_INVALID', `${where} must be ${want} (got ${shown(v)})`);
  };
  switch (o.kind) {
    case 'string':
      if (typeof v !== 'string') bad('a string');
      if (o.choices && !o.choices.includes(v as string)) bad(`one of ${o.choices.join(', ')}`);
      return v;
    case 'boolean':
      return typeof v === 'boolean' ? v : bad('true or false');
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : bad('an array of strings');
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v) || (o.kind === 'integer' && !Number.isInteger(v)))
        bad(o.kind === 'integer' ? 'an integer' : 'a number');
      const n = v as number;
      if (o.min !== undefined && n < o.min) bad(`${o.kind === 'integer' ? 'an integer' : 'a number'} >= ${o.min}`);
      if (o.max !== undefined && n > o.max) bad(`${o.kind === 'integer' ? 'an integer' : 'a number'} <= ${o.max}`);
      return n;
    }
  }
}

/** Validates a parsed document (or overrides) against the schema, filling defaults. */
export function resolveConfig<S extends Schema>(schema: S, doc: Record<string, unknown>, source: string): ConfigOf<S> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const key of Object.keys(doc)) {
    if (!Object.hasOwn(schema, key))
      throw new YiwangError(
        'CONFIG_ERR_INVALID',
        `${source}: unknown section [${key}] (known: ${Object.keys(schema).join(', ')})`,
      );
  }
  for (const [sec, opts] of Object.entries(schema)) {
    const given = doc[sec] ?? {};
    if (typeof given !== 'object' || given === null || Array.isArray(given)) {
      throw new YiwangError('CONFIG_ERR_INVALID', `${source}: ${sec} must be a table`);
    }
    const g = given as Record<string, unknown>;
    for (const key of Object.keys(g)) {
      if (!Object.hasOwn(opts, key))
        throw new YiwangError(
          'CONFIG_ERR_INVALID',
          `${source}: unknown key ${sec}.${key} (known: ${Object.keys(opts).join(', ')})`,
        );
    }
    out[sec] = {};
    for (const [key, o] of Object.entries(opts)) {
      out[sec][key] = g[key] === undefined ? structuredClone(o.default) : check(o, g[key], `${source}: ${sec}.${key}`);
    }
  }
  return out as ConfigOf<S>;
}

/** Reads and validates a TOML file; `undefined` path means defaults only. */
export function loadConfig<S extends Schema>(
  schema: S,
  path: string | undefined,
  overrides: Overrides<S> = {},
): ConfigOf<S> {
  let doc: Record<string, unknown> = {};
  const source = path ?? 'defaults';
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new YiwangError('CONFIG_ERR_READ', `${path}: ${(err as Error).message}`, { cause: err });
    }
    doc = parseToml(text, path, 'CONFIG_ERR_SYNTAX');
  }
  const merged: Record<string, unknown> = { ...doc };
  for (const [sec, vals] of Object.entries(overrides as Record<string, Record<string, unknown> | undefined>)) {
    if (vals) merged[sec] = { ...((doc[sec] as Record<string, unknown> | undefined) ?? {}), ...vals };
  }
  return resolveConfig(schema, merged, source);
}

/** Renders a schema as the Markdown table used in docs/reference/config.md. */
export function schemaToMarkdown(schema: Schema): string {
  const rows = ['| key | type | default | description |', '|---|---|---|---|'];
  for (const [sec, opts] of Object.entries(schema)) {
    for (const [key, o] of Object.entries(opts)) {
      rows.push(`| \`${sec}.${key}\` | ${o.kind} | \`${JSON.stringify(o.default)}\` | ${o.doc} |`);
    }
  }
  return rows.join('\n');
}
