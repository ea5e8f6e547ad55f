/**
 * The one TOML writer of the project: every file or text we write as TOML goes through
 * `tomlStringify` (config files of init and provision, support bundles, merged desired configs).
 *
 * It writes with smol-toml (the parser of common/toml-read.ts): integers plainly (`port = 5683`,
 * never `5_683` as @iarna/toml did), every control character of a string or key escaped, plain
 * keys first, then `[tables]` and `[[arrays of tables]]`; dates as TOML dates (a TomlDate read
 * from a file keeps its form: local date, local time, local or offset date-time). Before writing,
 * the document is made writable the way our writers always had it: values with `toJSON` (other
 * than dates) are unwrapped, and null, undefined and invalid dates are left out, in tables and
 * in arrays, instead of refused.
 */
import { stringify } from 'smol-toml';

type Table = { [k: string]: unknown };

const isDate = (v: unknown): v is Date => v instanceof Date;

const isNothing = (v: unknown): boolean => v === null || v === undefined || (isDate(v) && Number.isNaN(v.getTime()));

function unwrap(v: unknown): unknown {
  if (typeof v === 'object' && v !== null && !isDate(v) && typeof (v as { toJSON?: unknown }).toJSON === 'function')
    return (v as { toJSON(): unknown }).toJSON();
  return v;
}

/** `v` with toJSON unwrapped and nothing-values dropped, tables copied with a null prototype (keys are plain data). */
function writable(raw: unknown): unknown {
  const v = unwrap(raw);
  if (Array.isArray(v)) return v.filter((x) => !isNothing(unwrap(x))).map(writable);
  if (typeof v === 'object' && v !== null && !isDate(v)) {
    const out = Object.create(null) as Table;
    for (const [k, x] of Object.entries(v)) if (!isNothing(unwrap(x))) out[k] = writable(x);
    return out;
  }
  if (typeof v === 'function' || typeof v === 'symbol') throw new TypeError(`cannot write ${typeof v} as TOML`);
  return v;
}

/** TOML text of `doc` (a table), numbers without digit separators; ends with one newline ('' for an empty table). */
export function tomlStringify(doc: object): string {
  const t = writable(doc);
  if (typeof t !== 'object' || t === null || Array.isArray(t) || isDate(t))
    throw new TypeError('only a table can be written as a TOML document');
  const text = stringify(t);
  return text.trim() ? text : '';
}
