/**
 * The one TOML writer of the project: every file or text we write as TOML goes through
 * `tomlStringify` (config files of init and provision, support bundles, merged desired configs).
 *
 * @iarna/toml parses well but its `stringify` writes integers with digit separators
 * (`port = 5_683`, `12_345.5`), which people and other tools misread, does not escape a second
 * control character in a string, and writes 1e21 as an integer. This writer keeps its layout
 * (plain keys first, then `[tables]` and `[[arrays of tables]]`) and writes numbers plainly.
 */

type Table = { [k: string]: unknown };

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

const isDate = (v: unknown): v is Date => v instanceof Date;

/** A table: a plain object that is not a Date or an array (values with toJSON are unwrapped first). */
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !isDate(v);

/** An array written as [[key]] sections: not empty and all of its elements tables. */
const isArrayOfTables = (v: unknown): v is Table[] => Array.isArray(v) && v.length > 0 && v.every((x) => isTable(unwrap(x)));

/** Values that are written nowhere (like @iarna/toml): null, undefined, invalid dates. */
const isNothing = (v: unknown): boolean => v === null || v === undefined || (isDate(v) && Number.isNaN(v.getTime()));

function unwrap(v: unknown): unknown {
  if (typeof v === 'object' && v !== null && !isDate(v) && typeof (v as { toJSON?: unknown }).toJSON === 'function') return (v as { toJSON(): unknown }).toJSON();
  return v;
}

function key(k: string): string {
  return BARE_KEY.test(k) ? k : string(k);
}

/** A basic string with every control character escaped. */
function string(s: string): string {
  const short: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\\u0000-\u001f\u007f]/g, (c) => short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** An integer or float as TOML text, without digit separators. */
export function tomlNumber(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0.0';
  // String() gives 5683, 0.25, 1.5e-7 or 1e+21: all valid TOML (an exponent makes it a float)
  return String(v);
}

function inline(v: unknown): string {
  v = unwrap(v);
  if (typeof v === 'string') return string(v);
  if (typeof v === 'number' || typeof v === 'bigint') return tomlNumber(v);
  if (typeof v === 'boolean') return String(v);
  // @iarna/toml's dates (local date, local time, offset or local date-time) print themselves
  if (isDate(v)) return v.toISOString();
  if (Array.isArray(v)) {
    const items = v.filter((x) => !isNothing(x)).map(inline);
    const one = items.join(', ');
    if (one.length > 60 || one.includes('\n')) return `[\n  ${items.join(',\n  ')}\n]`;
    return items.length ? `[ ${one} ]` : '[]';
  }
  if (isTable(v)) {
    const pairs = Object.entries(v).filter(([, x]) => !isNothing(x)).map(([k, x]) => `${key(k)} = ${inline(x)}`);
    return pairs.length ? `{ ${pairs.join(', ')} }` : '{}';
  }
  throw new TypeError(`cannot write ${typeof v} as TOML`);
}

/** Keys written as `key = value` lines of `t` (the rest are sub-tables and arrays of tables). */
function isInlineValue(v: unknown): boolean {
  v = unwrap(v);
  return !(isTable(v) && Object.keys(v).length > 0) && !isArrayOfTables(v);
}

/**
 * Writes table `t` at `path`: its header (an [[element]] always; a [table] unless it holds only
 * sub-tables), its plain keys, then its sub-tables and arrays of tables.
 */
function section(path: string[], t: Table, header: string | undefined, always: boolean, out: string[]): void {
  const lines = Object.entries(t).filter(([, v]) => !isNothing(v) && isInlineValue(v)).map(([k, v]) => `${key(k)} = ${inline(v)}`);
  const onlySubTables = lines.length === 0 && Object.values(t).some((v) => !isNothing(v) && !isInlineValue(v));
  if (header !== undefined && (always || !onlySubTables)) out.push(header);
  out.push(...lines);
  if (out.length && lines.length) out.push('');
  for (const [k, raw] of Object.entries(t)) {
    const v = unwrap(raw);
    if (isNothing(v) || isInlineValue(v)) continue;
    const p = [...path, key(k)];
    if (isArrayOfTables(v)) {
      for (const item of v) {
        section(p, unwrap(item) as Table, `[[${p.join('.')}]]`, true, out);
        if (out[out.length - 1] !== '') out.push('');
      }
    } else {
      section(p, v as Table, `[${p.join('.')}]`, false, out);
      if (out[out.length - 1] !== '') out.push('');
    }
  }
}

/** TOML text of `doc` (a table), numbers without digit separators; ends with one newline. */
export function tomlStringify(doc: object): string {
  const t = unwrap(doc);
  if (!isTable(t)) throw new TypeError('only a table can be written as a TOML document');
  const out: string[] = [];
  section([], t, undefined, false, out);
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.length ? `${out.join('\n')}\n` : '';
}
