/**
 * The `hj212` binding of a device profile (or of an instrument entry): which factor codes become
 * which metrics, and the instrument's access password / MN.
 *
 *   [hj212]
 *   pw = "123456"                       # optional: expected PW
 *   mn = "…"                            # optional: expected MN (usually per instrument, not per model)
 *   only_listed = false                 # true: factors not in `factors` are dropped
 *   factors = { w01018 = "cod", w21003 = "ammonia_nitrogen", w01001 = "ph", w00000 = "flow" }
 *
 * Legacy HJ/T 212-2005 codes in `factors` (011, 060, B01 …) are mapped to their 2017 codes.
 */
import { YiwangError } from '../../../common/errors.js';
import { toCurrentCode } from './codes.js';

export interface Hj212Binding {
  pw?: string;
  mn?: string;
  /** HJ 212-2017 factor code → metric base name. */
  factors: ReadonlyMap<string, string>;
  onlyListed: boolean;
}

const METRIC = /^[a-z][a-z0-9_.]{0,63}$/;

/** A value from the file, for messages: TOML integers beyond 2^53 are bigints, which JSON.stringify refuses. */
const shown = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);

function fail(where: string, key: string, want: string, got?: unknown): never {
  throw new YiwangError(
    'HJ212_ERR_BINDING',
    `${where}: ${key} ${want}${got === undefined ? '' : ` (got ${shown(got)})`}`,
  );
}

/** Validates the `hj212` slot of a profile or instrument entry; throws HJ212_ERR_BINDING naming `where` and the key. */
export function validateHj212Binding(spec: unknown, where: string): Hj212Binding {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) fail(where, 'hj212', 'must be a table', spec);
  const t = spec as Record<string, unknown>;
  const known = ['pw', 'mn', 'only_listed', 'factors'];
  for (const k of Object.keys(t))
    if (!known.includes(k)) fail(where, `hj212.${k}`, `is not a known key (known: ${known.join(', ')})`);
  const out: { pw?: string; mn?: string; factors: Map<string, string>; onlyListed: boolean } = {
    factors: new Map(),
    onlyListed: false,
  };
  if (t.pw !== undefined) {
    if (typeof t.pw !== 'string' || !/^[\x21-\x7e]{0,32}$/.test(t.pw))
      fail(where, 'hj212.pw', 'must be up to 32 printable ASCII characters', t.pw);
    out.pw = t.pw;
  }
  if (t.mn !== undefined) {
    if (typeof t.mn !== 'string' || !/^[\x21-\x7e]{1,32}$/.test(t.mn))
      fail(where, 'hj212.mn', 'must be 1..32 printable ASCII characters', t.mn);
    out.mn = t.mn;
  }
  if (t.only_listed !== undefined) {
    if (typeof t.only_listed !== 'boolean') fail(where, 'hj212.only_listed', 'must be true or false', t.only_listed);
    out.onlyListed = t.only_listed;
  }
  if (t.factors !== undefined) {
    if (typeof t.factors !== 'object' || t.factors === null || Array.isArray(t.factors))
      fail(where, 'hj212.factors', 'must be a table of factor code = "metric"', t.factors);
    const used = new Set<string>();
    for (const [code, metric] of Object.entries(t.factors as Record<string, unknown>)) {
      const key = `hj212.factors.${code}`;
      if (!/^[A-Za-z0-9]{2,8}$/.test(code)) fail(where, key, 'is not an HJ 212 factor code');
      if (typeof metric !== 'string' || !METRIC.test(metric))
        fail(where, key, 'must be a metric name (lower case, digits, _ and .)', metric);
      const current = toCurrentCode(code);
      if (out.factors.has(current)) fail(where, key, `maps code ${current} a second time`);
      if (used.has(metric)) fail(where, key, `reuses metric ${metric}`);
      used.add(metric);
      out.factors.set(current, metric);
    }
  }
  if (out.onlyListed && out.factors.size === 0) fail(where, 'hj212.only_listed', 'needs hj212.factors');
  return out;
}
