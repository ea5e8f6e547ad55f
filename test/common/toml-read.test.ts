/**
 * The project's one TOML reader (common/toml-read.ts): hostile keys (`constructor`, `toString`,
 * `__proto__`) are plain data and never reach Object or Object.prototype (@iarna/toml wrote
 * `[constructor] a = 1` onto `Object.a`, returned `{}` and refused the same text next time);
 * syntax errors are coded, with line and column; and the schemas refuse such keys as unknown
 * instead of silently dropping them.
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isYiwangError } from '../../common/errors.js';
import { parseToml, TomlSyntaxError } from '../../common/toml-read.js';
import { tomlStringify } from '../../common/toml-write.js';
import { loadEdgeConfig } from '../../edge/config.js';
import { loadProfileFile } from '../../edge/profiles/load.js';
import { parseDesiredConfig } from '../../edge/remote-config/schema.js';
import { mergeLayers, mergeTables, parseLayer } from '../../cloud/rollout/merge.js';
import { validateLayer } from '../../cloud/rollout/validate.js';
import { tempDir } from '../helpers/fleet.js';
import { throwsCode } from '../helpers/errors.js';
import { PROFILE_BINDINGS } from '../../edge/profile-bindings.js';

const HOSTILE: [string, string, unknown][] = [
  ['[constructor] table', '[constructor]\na = 1\n', { constructor: { a: 1 } }],
  ['[toString] table', '[toString]\nx = 1\n', { toString: { x: 1 } }],
  ['[__proto__] table', '[__proto__]\nx = 1\n', { ['__proto__']: { x: 1 } }],
  ['dotted constructor.prototype.x', 'constructor.prototype.x = 1\n', { constructor: { prototype: { x: 1 } } }],
  ['inline { constructor = 1 }', 'a = { constructor = 1 }\n', { a: { constructor: 1 } }],
  ['[a] __proto__.polluted', '[a]\n__proto__.polluted = 1\n', { a: { ['__proto__']: { polluted: 1 } } }],
  ['[[hasOwnProperty]]', '[[hasOwnProperty]]\nv = 1\n', { hasOwnProperty: [{ v: 1 }] }],
];

/** Own keys and values, recursively, as JSON (prototypes aside): what the document holds as data. */
const data = (v: unknown): string => JSON.stringify(v);

/** Object and Object.prototype as they were: no own property added or replaced. */
function globalsSnapshot(): { obj: string[]; proto: Map<string, PropertyDescriptor | undefined> } {
  const proto = new Map(
    Object.getOwnPropertyNames(Object.prototype).map((k) => [k, Object.getOwnPropertyDescriptor(Object.prototype, k)]),
  );
  return { obj: Object.getOwnPropertyNames(Object).sort(), proto };
}

t.test('hostile keys are plain data and leave Object and Object.prototype untouched', async (t) => {
  const before = globalsSnapshot();
  for (const [name, text, want] of HOSTILE) {
    const first = parseToml(text, name);
    t.equal(data(first), data(want), `${name}: parsed as data`);
    t.same(Object.keys(first), Object.keys(want as object), `${name}: the key is the document's own`);
    const again = parseToml(text, name);
    t.equal(data(again), data(first), `${name}: the same text parses the same a second time`);
  }
  const after = globalsSnapshot();
  t.same(after.obj, before.obj, 'no property added to Object');
  t.same(
    Object.getOwnPropertyNames(Object.prototype).sort(),
    [...before.proto.keys()].sort(),
    'no property added to Object.prototype',
  );
  for (const [k, d] of before.proto) {
    const now = Object.getOwnPropertyDescriptor(Object.prototype, k);
    t.ok(now?.value === d?.value && now?.get === d?.get && now?.set === d?.set, `Object.prototype.${k} unchanged`);
  }
  t.equal(({} as Record<string, unknown>).a, undefined);
  t.equal(({} as Record<string, unknown>).x, undefined);
  t.equal(({} as Record<string, unknown>).polluted, undefined);
  t.equal((Object as unknown as Record<string, unknown>).a, undefined, 'Object.a was not set ([constructor] a = 1)');
  t.equal(typeof {}.toString, 'function', 'toString still works');
  t.equal(String({}), '[object Object]');
});

t.test('a written hostile document reads back the same', async (t) => {
  for (const [name, text] of HOSTILE) {
    const doc = parseToml(text, name);
    t.equal(data(parseToml(tomlStringify(doc), name)), data(doc), name);
  }
});

t.test('values: integers (bigints beyond 2^53), floats, dates', async (t) => {
  const doc = parseToml(
    'n = 5683\nbig = 9007199254740993\nf = 1e21\nday = 1979-05-27\nwhen = 1979-05-27T07:32:00Z\n',
    'values',
  );
  t.equal(doc.n, 5683);
  t.equal(doc.big, 9007199254740993n, 'an integer beyond 2^53 is a bigint, not rounded');
  t.equal(doc.f, 1e21);
  t.ok(doc.day instanceof Date, 'dates are Dates');
  t.equal((doc.day as Date).toISOString(), '1979-05-27', 'a local date stays a date');
  t.equal((doc.when as Date).getTime(), Date.UTC(1979, 4, 27, 7, 32));
});

t.test('syntax errors are coded and name the source, line and column', async (t) => {
  throwsCode(
    t,
    () => parseToml('a = 1\nb = = 2\n', 'edge.toml'),
    'CONFIG_ERR_SYNTAX',
    /^edge\.toml: not valid TOML: .+ \(line 2, column \d+\)$/,
  );
  throwsCode(
    t,
    () => parseToml('a = 1\na = 2\n', 'p.toml', 'PROFILE_ERR_READ'),
    'PROFILE_ERR_READ',
    /^p\.toml: not valid TOML: .*\(line 2, column 1\)$/,
  );
  try {
    parseToml('[sync\n', 'x.toml');
    t.fail('no error');
  } catch (e) {
    t.ok(e instanceof TomlSyntaxError);
    const err = e as TomlSyntaxError;
    t.equal(err.line, 1);
    t.ok(err.column >= 1);
    t.match(err.what, /^not valid TOML: /);
  }
});

t.test('the edge config refuses hostile sections and keys as unknown (CONFIG_ERR_INVALID)', async (t) => {
  const dir = tempDir('yw-toml-read-cfg-');
  const f = join(dir, 'edge.toml');
  for (const [text, re] of [
    ['[constructor]\na = 1\n', /unknown section \[constructor\]/],
    ['[toString]\nx = 1\n', /unknown section \[toString\]/],
    ['[__proto__]\nx = 1\n', /unknown section \[__proto__\]/],
    ['[sync]\nconstructor = 1\n', /unknown key sync\.constructor/],
    ['[sync]\n__proto__ = { inflight = 1 }\n', /unknown key sync\.__proto__/],
  ] as const) {
    writeFileSync(f, text);
    throwsCode(t, () => loadEdgeConfig(f), 'CONFIG_ERR_INVALID', re);
    throwsCode(t, () => loadEdgeConfig(f), 'CONFIG_ERR_INVALID', re); // and again: nothing left behind
  }
  writeFileSync(f, '[sync\n');
  throwsCode(t, () => loadEdgeConfig(f), 'CONFIG_ERR_SYNTAX', /edge\.toml: not valid TOML: .*\(line 1, column \d+\)/);
});

t.test('a profile with a hostile key is refused with a coded error, not emptied', async (t) => {
  const dir = tempDir('yw-toml-read-prof-');
  const BASE =
    '[profile]\nvendor = "Acme"\nmodel = "TH-1"\n[match]\ncoap_path = "acme-th"\n[layout]\nlength = 1\nfields = [ { name = "t", type = "i8", unit = "Cel" } ]\n[metrics.temperature]\nfrom = "t"\n';
  mkdirSync(join(dir, 'acme'), { recursive: true });
  const write = (name: string, text: string): string => {
    const f = join(dir, 'acme', `${name}.toml`);
    writeFileSync(f, text);
    return f;
  };
  t.ok(loadProfileFile(write('ok', BASE), PROFILE_BINDINGS, dir), 'the base profile loads');
  for (const [name, text] of [
    ['ctor', `[constructor]\na = 1\n${BASE}`],
    ['tostr', `${BASE}[toString]\nx = 1\n`],
    ['proto', `${BASE}[__proto__]\nx = 1\n`],
    ['inner', BASE.replace('coap_path = "acme-th"', 'coap_path = "acme-th"\nconstructor = 1')],
  ] as const) {
    const file = write(name, text);
    for (let i = 0; i < 2; i++) {
      try {
        loadProfileFile(file, PROFILE_BINDINGS, dir);
        t.fail(`${name}: loaded`);
      } catch (e) {
        t.ok(isYiwangError(e, 'PROFILE_ERR_FORMAT'), `${name}: PROFILE_ERR_FORMAT (got ${(e as Error).message})`);
        t.match((e as Error).message, /constructor|toString|__proto__/, `${name}: the message names the key`);
      }
    }
  }
});

t.test('desired-config layers: hostile keys are refused or stay plain entries', async (t) => {
  throwsCode(
    t,
    () => validateLayer('[__proto__]\ninflight = 1\n', 'fleet layer'),
    'CLOUD_ERR_CONFIG_SCHEMA',
    /__proto__: unknown section/,
  );
  throwsCode(
    t,
    () => validateLayer('[sync]\nconstructor = 1\n', 'fleet layer'),
    'CLOUD_ERR_CONFIG_SCHEMA',
    /sync\.constructor: unknown key/,
  );
  throwsCode(
    t,
    () => parseLayer('[sync\n', 'fleet layer'),
    'CLOUD_ERR_CONFIG_INVALID',
    /fleet layer: not valid TOML: .*\(line 1, column/,
  );
  // a metric may be called anything: __proto__ is an entry like any other, never a prototype
  const layer = validateLayer('[thresholds.__proto__]\nmin = 1\n[thresholds.constructor]\nmax = 2\n', 'fleet layer');
  const merged = mergeTables(mergeTables({}, layer), parseLayer('[thresholds.__proto__]\nmax = 5\n', 'group layer'));
  t.equal(
    data(merged),
    data({ thresholds: { ['__proto__']: { min: 1, max: 5 }, constructor: { max: 2 } } }),
    'merged as data',
  );
  const text = mergeLayers([layer, parseLayer('[thresholds.__proto__]\nmax = 5\n', 'group layer')]);
  const desired = parseDesiredConfig(text);
  t.same(Object.keys(desired.thresholds).sort(), ['__proto__', 'constructor']);
  // read as the own entry it is (the `__proto__` accessor is never involved)
  t.equal(data(Object.getOwnPropertyDescriptor(desired.thresholds, '__proto__')?.value), data({ min: 1, max: 5 }));
  t.equal(data(desired.thresholds.constructor), data({ max: 2 }));
  t.equal((Object.prototype as Record<string, unknown>).min, undefined, 'Object.prototype untouched');
  throwsCode(
    t,
    () => parseDesiredConfig('[thresholds\n'),
    'EDGE_ERR_CONFIG_INVALID',
    /toml: not valid TOML: .*\(line 1, column/,
  );
});
