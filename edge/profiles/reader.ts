/**
 * Reading an untrusted profile document (parsed TOML) with messages that name the file, the key and
 * its line: `acme/wm-100.toml: metrics.volume.max must be a number (got "x") (line 23)`.
 */
import { YiwangError } from '../../common/errors.js';
import { isTable, show, suggest, toNumber, type Table } from './layout/spec-reader.js';

export { isTable, show, suggest, type Table };

/**
 * Whether `line` assigns `key` (`key = …`, `"key" = …`). Plain string matching: a key comes from
 * the file, and a regular expression built from a long one is slow to build or too big to build.
 */
function assigns(line: string, key: string): boolean {
  let s = line.trimStart();
  if (s.startsWith('"')) s = s.slice(1);
  if (!s.startsWith(key)) return false;
  s = s.slice(key.length);
  if (s.startsWith('"')) s = s.slice(1);
  return s.trimStart().startsWith('=');
}

/**
 * The line (1-based) where a key path such as `metrics.volume.max`, `alarms[1].clear` or
 * `layout.fields[2].scale` is written, found by scanning the TOML text; undefined if not found.
 */
export function lineOf(text: string, path: string): number | undefined {
  const lines = text.split('\n');
  const parts = path
    .replace(/\[(\d+)\]/g, '.#$1')
    .split('.')
    .filter((p) => p !== '');
  const headerOf = (l: string): string | undefined =>
    /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/
      .exec(l)?.[1]
      ?.replace(/\s*\.\s*/g, '.')
      .replace(/"/g, '');
  // Longest table header that is a prefix of the path (arrays of tables: the n-th occurrence).
  for (let cut = parts.length; cut >= 0; cut--) {
    const head = parts.slice(0, cut);
    const nums = head.filter((p) => p.startsWith('#'));
    const name = head.filter((p) => !p.startsWith('#')).join('.');
    if (nums.length > 1 || (nums.length === 1 && !head[head.length - 1]!.startsWith('#'))) continue;
    const nth = nums.length === 1 ? Number(nums[0]!.slice(1)) : 0;
    let start = -1;
    if (cut === 0) start = 0;
    else {
      let seen = -1;
      for (let i = 0; i < lines.length; i++)
        if (headerOf(lines[i]!) === name && ++seen === nth) {
          start = i;
          break;
        }
    }
    if (start < 0) continue;
    const rest = parts.slice(cut);
    if (rest.length === 0) return start + 1;
    let end = lines.length;
    for (let i = start + 1; i < lines.length; i++)
      if (headerOf(lines[i]!) !== undefined) {
        end = i;
        break;
      }
    const key = rest[0]!.replace(/^#/, ''); // rest is not empty (returned above)
    for (let i = cut === 0 ? 0 : start + 1; i < end; i++) {
      if (cut === 0 && headerOf(lines[i]!) !== undefined) break;
      if (assigns(lines[i]!, key)) {
        const idx = rest[1]?.startsWith('#') ? Number(rest[1].slice(1)) : undefined;
        if (idx === undefined) return i + 1;
        // An inline array of tables, one per line: the idx-th line starting with '{'.
        let n = -1;
        for (let k = i; k < end; k++) {
          const inline = k === i ? lines[k]!.slice(lines[k]!.indexOf('[') + 1) : lines[k]!;
          if (/^\s*\{/.test(inline) && ++n === idx) return k + 1;
        }
        return i + 1;
      }
    }
    return start + 1;
  }
  return undefined;
}

/** A table of the profile at `path` ('' = the document). */
export class Reader {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly path: string,
    readonly table: Table,
  ) {}

  keyPath(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(key: string | undefined, problem: string): never {
    const subject = key === undefined ? this.path || 'the profile' : this.keyPath(key);
    const line = lineOf(this.text, subject);
    throw new YiwangError('PROFILE_ERR_FORMAT', `${this.file}: ${subject} ${problem}${line ? ` (line ${line})` : ''}`);
  }

  allow(allowed: readonly string[]): void {
    for (const k of Object.keys(this.table)) {
      if (!allowed.includes(k)) {
        const line = lineOf(this.text, this.keyPath(k));
        throw new YiwangError(
          'PROFILE_ERR_FORMAT',
          `${this.file}: unknown key ${this.keyPath(k)}${suggest(k, allowed)}${line ? ` (line ${line})` : ''}`,
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
    if (choices && !choices.includes(v))
      this.fail(key, `must be one of ${choices.join(', ')} (got ${show(v)})${suggest(v, choices)}`);
    return v;
  }

  reqStr(key: string): string {
    return this.str(key) ?? this.fail(key, 'is required');
  }

  bool(key: string): boolean | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.bad(key, 'true or false');
    return v;
  }

  num(key: string): number | undefined {
    if (this.table[key] === undefined) return undefined;
    const v = toNumber(this.table[key]);
    return v === undefined ? this.bad(key, 'a number') : v;
  }

  int(key: string, min = -Infinity, max = Infinity): number | undefined {
    if (this.table[key] === undefined) return undefined;
    const v = toNumber(this.table[key]);
    if (v === undefined || !Number.isInteger(v) || v < min || v > max)
      this.bad(key, `an integer${min > -Infinity ? ` >= ${min}` : ''}${max < Infinity ? ` <= ${max}` : ''}`);
    return v;
  }

  strs(key: string): string[] | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) this.bad(key, 'an array of strings');
    return v as string[];
  }

  list(key: string): unknown[] | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) this.bad(key, 'an array');
    return v;
  }

  child(key: string): Reader | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (!isTable(v)) this.bad(key, 'a table');
    return new Reader(this.file, this.text, this.keyPath(key), v);
  }

  item(key: string, i: number): Reader {
    const v = (this.table[key] as unknown[])[i];
    const path = `${this.keyPath(key)}[${i}]`;
    if (!isTable(v))
      new Reader(this.file, this.text, this.path, this.table).fail(`${key}[${i}]`, `must be a table (got ${show(v)})`);
    return new Reader(this.file, this.text, path, v as Table);
  }

  /** A table of scalar values (number, boolean or string). */
  scalars(key: string): Record<string, number | boolean | string> | undefined {
    const c = this.child(key);
    if (!c) return undefined;
    const out: Record<string, number | boolean | string> = {};
    for (const [k, v] of Object.entries(c.table)) {
      const n = toNumber(v);
      if (typeof v === 'string' || typeof v === 'boolean') out[k] = v;
      else if (n !== undefined) out[k] = n;
      else c.bad(k, 'a number, boolean or string');
    }
    return out;
  }
}
