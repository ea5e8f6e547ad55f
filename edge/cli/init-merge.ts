/**
 * Re-init merges into the previous file: only the settings given anew (flags or answers) are
 * set; every other key is kept as it was, including what `provision` wrote (identity, fleet CA,
 * config-signing key, group, TLS URL) and sections or keys this version does not know. A new
 * file gets init's settings with their defaults. Also: what changed, for the report.
 */
import { basename, dirname, join } from 'node:path';
import { EDGE_SCHEMA } from '../config.js';
import type { Answers } from './init-answers.js';

export type Doc = Record<string, unknown>;
type Table = Record<string, unknown>;

/** The agent's settings by section and key, each with its default (the schema of edge/config.ts, looked up by name). */
const SCHEMA: Readonly<Partial<Record<string, Readonly<Partial<Record<string, { readonly default: unknown }>>>>>> =
  EDGE_SCHEMA;

const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

const table = (doc: Doc, sec: string): Table => {
  if (!isTable(doc[sec])) doc[sec] = {};
  return doc[sec] as Table;
};

/** The value of `sec.key` in a parsed file, or undefined. */
export function get(doc: Doc | undefined, sec: string, key: string): unknown {
  const t = doc?.[sec];
  return isTable(t) ? t[key] : undefined;
}

/** The value the agent would use for `sec.key`: the file's, else the schema default. */
export function effective(doc: Doc | undefined, sec: string, key: string): unknown {
  const v = get(doc, sec, key);
  if (v !== undefined) return v;
  return SCHEMA[sec]?.[key]?.default;
}

/** A gateway with an identity: provisioned (its cloud.url is then kept unless --cloud-url is given). */
export const isProvisioned = (doc: Doc | undefined): boolean =>
  Boolean(get(doc, 'gateway', 'id')) && Boolean(get(doc, 'gateway', 'secret'));

/** The data directory of a file: the directory of its store. */
export const dataDirOf = (doc: Doc | undefined): string => dirname(String(effective(doc, 'store', 'path')));

/**
 * A copy of the tables and arrays of a parsed file; other values are kept as they are (not
 * structuredClone: it would turn the parser's local dates and times, TomlDates, into plain UTC Dates).
 */
function copy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copy) as T;
  if (isTable(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) as T;
  return v;
}

/** The config to write: `previous` (undefined for a new file) with the answers set. */
export function mergeConfig(previous: Doc | undefined, a: Answers): Doc {
  const doc = previous ? copy(previous) : {};
  const fresh = previous === undefined;
  const set = (sec: string, key: string, v: unknown): void => {
    if (v !== undefined) table(doc, sec)[key] = v;
    else if (fresh) table(doc, sec)[key] = effective(undefined, sec, key);
  };
  // identity: never touched by init; a new file shows where provision writes it
  if (fresh) Object.assign(table(doc, 'gateway'), { id: '', secret: '' });
  set('gateway', 'site', a.site);
  // a new file without a URL leaves cloud.url out (provision is then told --cloud-url)
  if (a.cloudUrl !== undefined) table(doc, 'cloud').url = a.cloudUrl;
  if (a.dataDir !== undefined) {
    // the store keeps its file name when only the directory is answered
    const file = get(previous, 'store', 'path');
    table(doc, 'store').path = join(a.dataDir, typeof file === 'string' && file ? basename(file) : 'edge.db');
  } else if (fresh) table(doc, 'store').path = effective(undefined, 'store', 'path');
  set('coap', 'host', a.coapHost);
  set('coap', 'port', a.coapPort);
  set('lwm2m', 'enabled', a.lwm2m);
  set('cameras', 'enabled', a.cameras);
  set('hj212', 'enabled', a.hj212);
  set('serial', 'devices_file', a.serialDevices);
  return doc;
}

export interface Change {
  key: string;
  from: unknown;
  to: unknown;
}

const SECRET = /(secret|password|_pw$|^pw$|token)/i;
const REDACTED = '[redacted]';

/** Equal as written (bigints compared by value). */
function same(a: unknown, b: unknown): boolean {
  const j = (v: unknown): string =>
    JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? 'undefined';
  return j(a) === j(b);
}

/** Keys of the schema whose effective value differs between the previous file and the new one. */
export function changes(previous: Doc | undefined, next: Doc): Change[] {
  const out: Change[] = [];
  for (const [sec, opts] of Object.entries(EDGE_SCHEMA)) {
    for (const key of Object.keys(opts)) {
      const from = effective(previous, sec, key),
        to = effective(next, sec, key);
      if (!same(from, to))
        out.push(
          SECRET.test(key)
            ? { key: `${sec}.${key}`, from: REDACTED, to: REDACTED }
            : { key: `${sec}.${key}`, from, to },
        );
    }
  }
  return out;
}

/** Sections ([name]) and keys (section.key) of `doc` that this version of the agent does not know. */
export function unknownKeys(doc: Doc): string[] {
  const schema = SCHEMA;
  const out: string[] = [];
  for (const [sec, v] of Object.entries(doc)) {
    if (!Object.hasOwn(schema, sec)) out.push(isTable(v) || Array.isArray(v) ? `[${sec}]` : sec);
    else if (isTable(v))
      for (const key of Object.keys(v)) if (!Object.hasOwn(schema[sec]!, key)) out.push(`${sec}.${key}`);
  }
  return out;
}

/** The document with the sections and keys the agent knows only (to check them as the agent will). */
export function knownOnly(doc: Doc): Doc {
  const schema = SCHEMA;
  const out: Doc = {};
  for (const [sec, v] of Object.entries(doc)) {
    if (!Object.hasOwn(schema, sec)) continue;
    out[sec] = isTable(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => Object.hasOwn(schema[sec]!, k))) : v;
  }
  return out;
}

/** `doc` with secret values (gateway.secret, cameras.password, hj212.default_pw, …) replaced. */
export function redact(doc: unknown): unknown {
  if (Array.isArray(doc)) return doc.map(redact);
  if (!isTable(doc)) return typeof doc === 'bigint' ? Number(doc) : doc;
  return Object.fromEntries(
    Object.entries(doc).map(([k, v]) => [k, SECRET.test(k) && typeof v === 'string' && v ? REDACTED : redact(v)]),
  );
}

/** A value in a one-line report: strings quoted, unset shown as such. */
export function shown(v: unknown): string {
  if (v === undefined) return '(unset)';
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) ?? String(v);
}
