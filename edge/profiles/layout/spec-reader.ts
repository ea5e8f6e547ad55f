/**
 * Reading an untrusted spec object (parsed TOML) with messages that name the file and the key:
 * `acme/smoke.toml [layout]: fields[2].scale must be a non-zero number (got 0) (field "temperature")`.
 */
import { YiwangError } from '../../../common/errors.js';

export type Table = { readonly [k: string]: unknown };

export function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A value as the integrator wrote it, for error messages. */
export function show(v: unknown): string {
  if (typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (v === undefined) return 'nothing';
  try {
    const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x));
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}

/** Optimal-string-alignment distance: edits, with a swap of neighbours counting as one. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  // Indexes stay within the (a.length + 1) × (b.length + 1) matrix.
  for (let i = 1; i <= a.length; i++) {
    const row = d[i]!;
    const up = d[i - 1]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(up[j]! + 1, row[j - 1]! + 1, up[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** Longest word a suggestion is looked for (the distance costs its length times the choice's). */
const SUGGEST_MAX_CHARS = 64;

export function suggest(word: string, choices: Iterable<string>): string {
  if (word.length > SUGGEST_MAX_CHARS) return '';
  const within = Math.max(1, Math.floor(word.length / 3));
  let best = '';
  let bestD = Infinity;
  for (const c of choices) {
    if (Math.abs(c.length - word.length) > within) continue; // the distance is at least the difference in length
    const dd = distance(word.toLowerCase(), c.toLowerCase());
    if (dd < bestD) {
      best = c;
      bestD = dd;
    }
  }
  return bestD <= within ? ` (did you mean "${best}"?)` : '';
}

/** One table of the spec at `path` (relative to the layout table; '' = the table itself). */
export class Spec {
  constructor(
    readonly where: string,
    readonly path: string,
    readonly table: Table,
    /** Appended to messages to orient the reader, e.g. `field "temperature"`. */
    public context = '',
  ) {}

  keyPath(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(key: string | undefined, problem: string): never {
    const subject = key === undefined ? this.path || 'layout' : this.keyPath(key);
    const ctx = this.context ? ` (${this.context})` : '';
    throw new YiwangError('PROFILE_ERR_LAYOUT', `${this.where}: ${subject} ${problem}${ctx}`);
  }

  /** Rejects keys outside `allowed`, suggesting the nearest one. */
  allow(allowed: readonly string[]): void {
    for (const k of Object.keys(this.table)) {
      if (!allowed.includes(k)) {
        const ctx = this.context ? ` (${this.context})` : '';
        throw new YiwangError(
          'PROFILE_ERR_LAYOUT',
          `${this.where}: unknown key ${this.keyPath(k)}${suggest(k, allowed)}${ctx}`,
        );
      }
    }
  }

  has(key: string): boolean {
    return this.table[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.table[key];
  }

  bad(key: string, want: string): never {
    return this.fail(key, `must be ${want} (got ${show(this.table[key])})`);
  }

  str(key: string, choices?: readonly string[]): string | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') this.bad(key, 'a non-empty string');
    if (choices && !choices.includes(v)) {
      this.fail(key, `must be one of ${choices.join(', ')} (got ${show(v)})${suggest(v, choices)}`);
    }
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.bad(key, 'true or false');
    return v;
  }

  /** A finite number (TOML integer or float). */
  num(key: string, opts: { nonZero?: boolean } = {}): number | undefined {
    const v = toNumber(this.table[key]);
    if (this.table[key] === undefined) return undefined;
    if (v === undefined || (opts.nonZero && v === 0)) this.bad(key, opts.nonZero ? 'a non-zero number' : 'a number');
    return v;
  }

  int(key: string, min = -Infinity, max = Infinity): number | undefined {
    if (this.table[key] === undefined) return undefined;
    const v = toNumber(this.table[key]);
    if (v === undefined || !Number.isInteger(v) || v < min || v > max) {
      this.bad(key, `an integer${rangeText(min, max)}`);
    }
    return v;
  }

  list(key: string): unknown[] | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) this.bad(key, 'an array');
    return v;
  }

  child(key: string): Spec | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (!isTable(v)) this.bad(key, 'a table');
    return new Spec(this.where, this.keyPath(key), v, this.context);
  }

  /** Element i of an array under key, as a table. */
  item(key: string, i: number, v: unknown, context = ''): Spec {
    const path = `${this.keyPath(key)}[${i}]`;
    if (!isTable(v))
      throw new YiwangError('PROFILE_ERR_LAYOUT', `${this.where}: ${path} must be a table (got ${show(v)})`);
    return new Spec(this.where, path, v, context);
  }
}

export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
  return undefined;
}

export function rangeText(min: number, max: number): string {
  if (min > -Infinity && max < Infinity) return ` from ${min} to ${max}`;
  if (min > -Infinity) return ` >= ${min}`;
  if (max < Infinity) return ` <= ${max}`;
  return '';
}

/** An integer written as a TOML key ("3", "0x1F", "-1"). */
export function parseIntKey(k: string): number | undefined {
  const m = /^(-)?(?:0x([0-9a-fA-F]+)|0b([01]+)|([0-9]+))$/.exec(k.trim());
  if (!m) return undefined;
  const v = m[2] !== undefined ? parseInt(m[2], 16) : m[3] !== undefined ? parseInt(m[3], 2) : parseInt(m[4]!, 10); // one of the three matched
  const r = m[1] ? -v : v;
  return Number.isSafeInteger(r) ? r : undefined;
}
