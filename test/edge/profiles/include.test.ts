/**
 * Shared definitions (issue 18 item 6): `include` merges _shared/<name>.toml sets into a profile;
 * the profile's own definitions override only with `override = true`; cycles, missing sets and
 * oversized or too deep sets are refused with coded errors; `scale` converts a metric's unit.
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { throwsCode } from '../../helpers/errors.js';
import { loadProfileDirs, loadProfileFile, profileFiles } from '../../../edge/profiles/load.js';
import { INCLUDE_LIMITS, PROFILE_MAX_BYTES } from '../../../edge/profiles/include.js';
import { runVectors } from '../../../edge/profiles/vectors.js';
import type { ThresholdAlarm } from '../../../edge/profiles/types.js';
import { PROFILE_BINDINGS } from '../../../edge/profile-bindings.js';

/** A 4-byte meter: voltage u16 × 0.1 V, power u16 in kW × 0.01. */
const METER = (head: string, tail = ''): string => `${head}
[profile]
vendor = "Acme"
model = "M-1"
[match]
coap_path = "acme-m1"
[layout]
length = 4
fields = [{ name = "voltage", type = "u16", scale = 0.1 }, { name = "active_power", type = "u16", scale = 0.01, unit = "kW" }]
${tail}`;

const POWER_SET = `description = "meter basics"
[metrics.voltage]
unit = "V"
min = 0
max = 300
[metrics.active_power]
unit = "W"
min = 0
max = 5000
[[alarms]]
name = "overvoltage"
metric = "voltage"
above = 253
clear = 248
event = "overvoltage"
`;

function lib(files: Record<string, string>): string {
  const dir = tempDir('yw-prof-inc-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

t.test('a profile includes a shared set: its metrics and alarms, nested sets, _shared is no vendor', async (t) => {
  const dir = lib({
    '_shared/power.toml': POWER_SET,
    '_shared/meter.toml':
      'include = ["power"]\n[[alarms]]\nname = "power_high"\nmetric = "active_power"\nabove = 4000\nclear = 3500\nevent = "power_high"\n',
    'acme/m-1.toml': METER(
      'include = ["meter"]',
      '[[alarms]]\nmetric = "voltage"\nbelow = 198\nclear = 205\nevent = "undervoltage"\n',
    ),
  });
  t.same(profileFiles(dir), [join(dir, 'acme', 'm-1.toml')], 'the _shared folder holds sets, not profiles');
  const p = loadProfileFile(join(dir, 'acme', 'm-1.toml'), PROFILE_BINDINGS, dir);
  t.same([...p.metrics.keys()], ['voltage', 'active_power']);
  t.equal(p.metrics.get('active_power')?.unit, 'W');
  t.same(
    p.alarms.map((a) => a.name),
    ['overvoltage', 'power_high', 'voltage_2'],
    "included first (depth first), then the profile's own",
  );
  const { profiles, errors } = await loadProfileDirs([dir], PROFILE_BINDINGS);
  t.same(
    errors.map((e) => e.message),
    [],
  );
  t.same(
    profiles.map((x) => x.id),
    ['acme/m-1'],
  );
});

function put(dir: string, name: string, text: string): string {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

t.test(
  'override = true replaces the keys it gives and keeps the others; without it, a conflict names both files',
  async (t) => {
    const dir = lib({ '_shared/power.toml': POWER_SET });
    const f = put(
      dir,
      'acme/m-1.toml',
      METER(
        'include = ["power"]',
        `
[metrics.active_power]
override = true
scale = 1000          # the wire gives kW
[[alarms]]
name = "overvoltage"
override = true
above = 240
clear = 235
[[vectors]]
hex = "08FC0071"
readings = { voltage = 230, active_power = 1130 }
[[vectors]]
hex = "09650000"
readings = { voltage = 240.5, active_power = 0 }
events = [{ type = "overvoltage", active = true }]
[[vectors]]
hex = "08FC1389"
readings = { voltage = 230 }
events = [{ type = "out_of_range", active = true }, { type = "overvoltage", active = false }]
`,
      ),
    );
    const p = loadProfileFile(f, PROFILE_BINDINGS, dir);
    t.same(
      p.metrics.get('active_power'),
      {
        name: 'active_power',
        from: 'active_power',
        unit: 'W',
        type: 'number',
        scale: 1000,
        min: 0,
        max: 5000,
        outOfRange: 'reject',
        priority: 'normal',
      },
      'unit and range from the set, scale from the profile',
    );
    const alarm = p.alarms[0] as ThresholdAlarm;
    t.same(
      [alarm.name, alarm.metric, alarm.above, alarm.clear, alarm.event],
      ['overvoltage', 'voltage', 240, 235, 'overvoltage'],
      "the alarm's thresholds overridden, its metric and event kept",
    );
    t.same(
      runVectors(p, undefined).map((v) => v.problems),
      [[], [], []],
      'kW × 1000 = W, 1.13 kW is 1130 W (no float noise), and the range applies after the scale (50 kW rejected)',
    );

    put(
      dir,
      'acme/m-2.toml',
      METER('include = ["power"]', '[metrics.active_power]\nunit = "kW"\n').replace('M-1', 'M-2'),
    );
    throwsCode(
      t,
      () => loadProfileFile(join(dir, 'acme', 'm-2.toml'), PROFILE_BINDINGS, dir),
      'PROFILE_ERR_INCLUDE_CONFLICT',
      /^acme\/m-2\.toml: metric "active_power" is defined by acme\/m-2\.toml \(line 10\) and by _shared\/power\.toml \(line 6\) \(not marked override = true\); give the definition in acme\/m-2\.toml override = true/,
    );
    put(
      dir,
      'acme/m-3.toml',
      METER('include = ["power"]', '[[alarms]]\nname = "overvoltage"\nmetric = "voltage"\nabove = 1\nevent = "x"\n'),
    );
    throwsCode(
      t,
      () => loadProfileFile(join(dir, 'acme', 'm-3.toml'), PROFILE_BINDINGS, dir),
      'PROFILE_ERR_INCLUDE_CONFLICT',
      /alarm "overvoltage" is defined by acme\/m-3\.toml \(line 10\) and by _shared\/power\.toml \(line 10\)/,
    );
    put(dir, 'acme/m-4.toml', METER('include = ["power"]', '[metrics.frequency]\noverride = true\nunit = "Hz"\n'));
    throwsCode(
      t,
      () => loadProfileFile(join(dir, 'acme', 'm-4.toml'), PROFILE_BINDINGS, dir),
      'PROFILE_ERR_FORMAT',
      /metric "frequency" says override = true, but no included set defines it/,
    );
  },
);

t.test('two included sets defining one name conflict unless the profile overrides it', async (t) => {
  const dir = lib({ '_shared/power.toml': POWER_SET, '_shared/other.toml': '[metrics.voltage]\nunit = "kV"\n' });
  const f = put(dir, 'acme/m-1.toml', METER('include = ["power", "other"]'));
  throwsCode(
    t,
    () => loadProfileFile(f, PROFILE_BINDINGS, dir),
    'PROFILE_ERR_INCLUDE_CONFLICT',
    /^acme\/m-1\.toml: metric "voltage" is defined by _shared\/other\.toml \(line 1\) and by _shared\/power\.toml \(line 2\) \(two included sets\)/,
  );
  writeFileSync(f, METER('include = ["power", "other"]', '[metrics.voltage]\noverride = true\nunit = "V"\n'));
  t.equal(loadProfileFile(f, PROFILE_BINDINGS, dir).metrics.get('voltage')?.unit, 'V', 'the profile chooses');
  // The same set reached twice (a diamond) is merged once: no conflict with itself.
  const d2 = lib({
    '_shared/power.toml': POWER_SET,
    '_shared/a.toml': 'include = ["power"]\n',
    '_shared/b.toml': 'include = ["power"]\n',
  });
  t.same(
    [...loadProfileFile(put(d2, 'acme/m-1.toml', METER('include = ["a", "b"]')), PROFILE_BINDINGS, d2).metrics.keys()],
    ['voltage', 'active_power'],
  );
});

t.test('missing sets, names leaving _shared and cycles are refused with coded errors', async (t) => {
  const dir = lib({
    '_shared/a.toml': 'include = ["b"]\n',
    '_shared/b.toml': 'include = ["c"]\n',
    '_shared/c.toml': 'include = ["a"]\n',
  });
  throwsCode(
    t,
    () => loadProfileFile(put(dir, 'acme/m-1.toml', METER('include = ["nope"]')), PROFILE_BINDINGS, dir),
    'PROFILE_ERR_INCLUDE_MISSING',
    /^acme\/m-1\.toml: include "nope" \(line 1\): no shared set nope\.toml in _shared$/,
  );
  throwsCode(
    t,
    () => loadProfileFile(put(dir, 'acme/m-2.toml', METER('include = ["../acme/m-1"]')), PROFILE_BINDINGS, dir),
    'PROFILE_ERR_FORMAT',
    /include "\.\.\/acme\/m-1" is not a shared set name/,
  );
  throwsCode(
    t,
    () => loadProfileFile(put(dir, 'acme/m-3.toml', METER('include = ["power.toml"]')), PROFILE_BINDINGS, dir),
    'PROFILE_ERR_FORMAT',
    /write "power", without \.toml/,
  );
  throwsCode(
    t,
    () => loadProfileFile(put(dir, 'acme/m-4.toml', METER('include = ["a"]')), PROFILE_BINDINGS, dir),
    'PROFILE_ERR_INCLUDE_CYCLE',
    /^_shared\/c\.toml: include "a" \(line 1\): includes itself: _shared\/a\.toml → _shared\/b\.toml → _shared\/c\.toml → _shared\/a\.toml$/,
  );
  const self = lib({ '_shared/s.toml': 'include = ["s"]\n' });
  throwsCode(
    t,
    () => loadProfileFile(put(self, 'acme/m-1.toml', METER('include = ["s"]')), PROFILE_BINDINGS, self),
    'PROFILE_ERR_INCLUDE_CYCLE',
    /_shared\/s\.toml → _shared\/s\.toml/,
  );
  // In a directory load the bad profile is reported and skipped; the others load.
  const { profiles, errors } = await loadProfileDirs([dir], PROFILE_BINDINGS);
  t.same(
    profiles.map((p) => p.id),
    [],
  );
  t.same(errors.map((e) => e.code).sort(), [
    'PROFILE_ERR_FORMAT',
    'PROFILE_ERR_FORMAT',
    'PROFILE_ERR_INCLUDE_CYCLE',
    'PROFILE_ERR_INCLUDE_MISSING',
  ]);
});

t.test('limits: depth, number of names, set and profile size (sizes checked before reading)', async (t) => {
  const chain: Record<string, string> = {};
  for (let i = 0; i <= INCLUDE_LIMITS.maxDepth; i++)
    chain[`_shared/s${i}.toml`] =
      i < INCLUDE_LIMITS.maxDepth ? `include = ["s${i + 1}"]\n` : '[metrics.voltage]\nunit = "V"\n';
  const deep = lib(chain);
  throwsCode(
    t,
    () => loadProfileFile(put(deep, 'acme/m-1.toml', METER('include = ["s0"]')), PROFILE_BINDINGS, deep),
    'PROFILE_ERR_LIMIT',
    /sets nested more than 4 deep \(acme\/m-1\.toml → _shared\/s0\.toml → .* → _shared\/s4\.toml\)/,
  );
  t.same(
    [...loadProfileFile(put(deep, 'acme/m-2.toml', METER('include = ["s1"]')), PROFILE_BINDINGS, deep).metrics.keys()],
    ['voltage'],
    '4 levels load',
  );

  const many = lib(Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`_shared/n${i}.toml`, ''])));
  const names = Array.from({ length: 9 }, (_, i) => `"n${i}"`).join(', ');
  throwsCode(
    t,
    () => loadProfileFile(put(many, 'acme/m-1.toml', METER(`include = [${names}]`)), PROFILE_BINDINGS, many),
    'PROFILE_ERR_LIMIT',
    /include names 9 sets; at most 8 \(line 1\)/,
  );

  const big = lib({ '_shared/big.toml': `# ${'x'.repeat(INCLUDE_LIMITS.maxSetBytes)}\n` });
  throwsCode(
    t,
    () => loadProfileFile(put(big, 'acme/m-1.toml', METER('include = ["big"]')), PROFILE_BINDINGS, big),
    'PROFILE_ERR_LIMIT',
    /_shared\/big\.toml has 65539 bytes; a shared set has at most 65536/,
  );
  throwsCode(
    t,
    () =>
      loadProfileFile(put(big, 'acme/m-2.toml', METER(`# ${'x'.repeat(PROFILE_MAX_BYTES)}`)), PROFILE_BINDINGS, big),
    'PROFILE_ERR_LIMIT',
    /^acme\/m-2\.toml: has \d+ bytes; a profile has at most 262144$/,
  );

  // More sets than allowed in all (each level under the name limit).
  const wide: Record<string, string> = {};
  for (let i = 0; i < 4; i++)
    wide[`_shared/w${i}.toml`] = `include = [${Array.from({ length: 5 }, (_, k) => `"w${i}x${k}"`).join(', ')}]\n`;
  for (let i = 0; i < 4; i++) for (let k = 0; k < 5; k++) wide[`_shared/w${i}x${k}.toml`] = '';
  const w = lib(wide);
  throwsCode(
    t,
    () => loadProfileFile(put(w, 'acme/m-1.toml', METER('include = ["w0", "w1", "w2", "w3"]')), PROFILE_BINDINGS, w),
    'PROFILE_ERR_LIMIT',
    /more than 16 shared sets for one profile/,
  );

  // Sets still being resolved count too: c1 → [c2, 7 leaves], c2 → [8 leaves] is 17 sets (16 with
  // one leaf fewer). Counting a set only once its subtree was done let all 17 through.
  const nested = (leaves: number): Record<string, string> => {
    const files: Record<string, string> = {};
    const under = Array.from({ length: 8 }, (_, k) => `"b${k}"`);
    const top = Array.from({ length: leaves - 8 }, (_, k) => `"a${k}"`);
    files['_shared/c1.toml'] = `include = ["c2", ${top.join(', ')}]\n`;
    files['_shared/c2.toml'] = `include = [${under.join(', ')}]\n`;
    for (let k = 0; k < 8; k++) files[`_shared/b${k}.toml`] = '';
    for (let k = 0; k < leaves - 8; k++) files[`_shared/a${k}.toml`] = '';
    return files;
  };
  const ok = lib(nested(14));
  t.ok(loadProfileFile(put(ok, 'acme/m-1.toml', METER('include = ["c1"]')), PROFILE_BINDINGS, ok), '16 sets load');
  const over = lib(nested(15));
  throwsCode(
    t,
    () => loadProfileFile(put(over, 'acme/m-1.toml', METER('include = ["c1"]')), PROFILE_BINDINGS, over),
    'PROFILE_ERR_LIMIT',
    /more than 16 shared sets for one profile/,
  );
});

t.test("a mistake in a shared set names the set and its line; an overlay finds the library's sets", async (t) => {
  const dir = lib({
    '_shared/power.toml': POWER_SET.replace('max = 300', 'max = "high"'),
    '_shared/odd.toml': '[profile]\nvendor = "x"\n',
    '_shared/unnamed.toml': '[metrics.v]\n[[alarms]]\nmetric = "v"\nabove = 1\nevent = "e"\n',
  });
  throwsCode(
    t,
    () => loadProfileFile(put(dir, 'acme/m-1.toml', METER('include = ["power"]')), PROFILE_BINDINGS, dir),
    'PROFILE_ERR_FORMAT',
    /^_shared\/power\.toml: metrics\.voltage\.max must be a number \(got "high"\) \(line 5\)$/,
  );
  throwsCode(
    t,
    () => loadProfileFile(put(dir, 'acme/m-2.toml', METER('include = ["odd"]')), PROFILE_BINDINGS, dir),
    'PROFILE_ERR_FORMAT',
    /^_shared\/odd\.toml: unknown key profile: a shared set holds only include, description, metrics, alarms \(line 1\)$/,
  );
  throwsCode(
    t,
    () => loadProfileFile(put(dir, 'acme/m-3.toml', METER('include = ["unnamed"]')), PROFILE_BINDINGS, dir),
    'PROFILE_ERR_FORMAT',
    /^_shared\/unnamed\.toml: alarms\[0\]\.name is required/,
  );
  const freq = lib({ '_shared/freq.toml': '[metrics.frequency]\nunit = "Hz"\n' });
  throwsCode(
    t,
    () => loadProfileFile(put(freq, 'acme/m-1.toml', METER('include = ["freq"]')), PROFILE_BINDINGS, freq),
    'PROFILE_ERR_FORMAT',
    /^acme\/m-1\.toml: metrics\.frequency names no value of \[layout\] \("frequency"; have: voltage, active_power\) \(defined by _shared\/freq\.toml, included\)$/,
  );

  const library = lib({ '_shared/power.toml': POWER_SET });
  const overlay = lib({ 'acme/m-1.toml': METER('include = ["power"]') });
  const { profiles, errors } = await loadProfileDirs([library, overlay], PROFILE_BINDINGS);
  t.same(
    errors.map((e) => e.message),
    [],
  );
  t.equal(profiles[0]?.metrics.get('voltage')?.unit, 'V', 'a later directory includes the sets of an earlier one');
  const alone = await loadProfileDirs([overlay], PROFILE_BINDINGS);
  t.same(
    alone.errors.map((e) => e.code),
    ['PROFILE_ERR_INCLUDE_MISSING'],
    'on its own it has none',
  );
});

t.test('an include costs about what the definitions cost: no per-definition scan of the text', async (t) => {
  // a profile near its size limit, almost all [[alarms]]; the same with include = ["tiny"]. Finding
  // each definition's line on every load made the second take over 100× the first (10 s on this machine).
  const alarm = (i: number): string =>
    `[[alarms]]\nname = "a${i}"\nmetric = "voltage"\nabove = ${200 + (i % 50)}\nclear = 190\nevent = "e${i}"\n`;
  const alarms = Array.from({ length: 2_500 }, (_, i) => alarm(i)).join('');
  const dir = lib({ '_shared/tiny.toml': '[metrics.voltage]\nunit = "V"\n' });
  const plain = put(dir, 'acme/m-1.toml', METER('', alarms));
  const included = put(dir, 'acme/m-2.toml', METER('include = ["tiny"]', alarms).replace('acme-m1', 'acme-m2'));
  const time = (file: string): number => {
    const start = performance.now();
    loadProfileFile(file, PROFILE_BINDINGS, dir);
    return performance.now() - start;
  };
  time(plain); // warm-up: the first load compiles the loader's code
  time(included);
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) rounds.push(time(included) / time(plain));
  const ratio = rounds.sort((a, b) => a - b)[2]!;
  t.ok(
    ratio < 4,
    `with an include / without: ${ratio.toFixed(2)} (median of 5 alternating rounds; before the fix: 122)`,
  );
});
