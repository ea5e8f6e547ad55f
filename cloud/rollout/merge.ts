/** Desired-config layers: TOML tables merged gateway > group > fleet (tables deep, values and arrays replaced). */
import { YiwangError } from '../../common/errors.js';
import { tomlStringify } from '../../common/toml-write.js';
import { parseToml } from '../../common/toml-read.js';

export type Table = { [k: string]: unknown };

export const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Parses a layer; its top level must hold only tables (sections such as [sync]) unless `tablesOnly` is false (the schema check then names the key). */
export function parseLayer(toml: string, what: string, tablesOnly = true): Table {
  const doc: Table = parseToml(toml, what, 'CLOUD_ERR_CONFIG_INVALID');
  if (tablesOnly)
    for (const [k, v] of Object.entries(doc))
      if (!isTable(v))
        throw new YiwangError('CLOUD_ERR_CONFIG_INVALID', `${what}: top-level key ${k} must be a table ([${k}])`);
  return doc;
}

export function mergeTables(base: Table, over: Table): Table {
  // null prototype and own keys only: a key such as __proto__ or constructor is plain data here
  const out: Table = Object.assign(Object.create(null) as Table, base);
  for (const [k, v] of Object.entries(over)) {
    const cur = Object.hasOwn(out, k) ? out[k] : undefined;
    out[k] = isTable(v) && isTable(cur) ? mergeTables(cur, v) : v;
  }
  return out;
}

/** Renders a table as canonical TOML (keys sorted, so equal content gives equal text). */
export function renderTable(t: Table): string {
  const sort = (x: Table): Table =>
    Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, isTable(x[k]) ? sort(x[k] as Table) : x[k]]),
    );
  return tomlStringify(sort(t));
}

/** Merges layers lowest first and renders canonical TOML. */
export function mergeLayers(layers: Table[]): string {
  return renderTable(layers.reduce((a, b) => mergeTables(a, b), {} as Table));
}
