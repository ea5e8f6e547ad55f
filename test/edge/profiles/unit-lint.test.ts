/**
 * `profile lint`: one canonical unit per metric name across the library (issue 18 item 6). A fixture
 * library that disagrees fails with PROFILE_ERR_UNIT naming metric, units and files; the real
 * library passes, its 1-phase meter pair in W.
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { LIBRARY_DIR, lintProfiles } from '../../../edge/profiles/tooling.js';
import { loadProfileDirs } from '../../../edge/profiles/load.js';
import { unitDisagreements } from '../../../edge/profiles/unit-lint.js';
import { runVectors } from '../../../edge/profiles/vectors.js';
import { PROFILE_BINDINGS } from '../../../edge/profile-bindings.js';

const PROFILE = (model: string, unit: string | undefined): string => `[profile]
vendor = "Acme"
model = "${model}"
reporting_interval_s = 60
[metrics.active_power]
lwm2m = "/3305/0/5800"
${unit === undefined ? '' : `unit = "${unit}"\n`}`;

function library(files: Record<string, string>): string {
  const dir = tempDir('yw-prof-unit-');
  for (const [id, text] of Object.entries(files)) {
    mkdirSync(join(dir, id, '..'), { recursive: true });
    writeFileSync(join(dir, `${id}.toml`), text);
  }
  return dir;
}

const errorsOf = (reports: { id?: string; errors: string[] }[]): Record<string, string[]> =>
  Object.fromEntries(reports.map((r) => [r.id ?? '?', r.errors]));

t.test('a metric in two units: the profiles off the majority unit fail, naming metric, units and files', async (t) => {
  const dir = library({
    'acme/a': PROFILE('A', 'W'),
    'acme/b': PROFILE('B', 'kW'),
    'acme/c': PROFILE('C', 'W'),
    'acme/d': PROFILE('D', undefined),
  });
  const reports = await lintProfiles([dir], PROFILE_BINDINGS, []);
  const errs = errorsOf(reports);
  t.same([errs['acme/a'], errs['acme/c']], [[], []], 'the majority unit (W) passes');
  t.match(errs['acme/b'], [
    /^PROFILE_ERR_UNIT: .*acme\/b\.toml: metric "active_power" is in "kW" here but in "W" in .*acme\/a\.toml, .*acme\/c\.toml; one unit per metric name across the library: use "W" and, if the device sends another unit, convert with scale/,
  ]);
  t.same(errs['acme/d'], [], "a metric without a unit takes its source's: not compared …");
  t.match(
    reports.find((r) => r.id === 'acme/d')?.warnings,
    [
      /acme\/d\.toml: metrics\.active_power declares no unit; the library's is "W": declare unit = "W" so lint can check it/,
    ],
    '… but lint asks for it',
  );
  t.same(
    reports
      .filter((r) => !r.ok)
      .map((r) => r.id)
      .sort(),
    ['acme/b'],
    'lint fails (exit code 1 in the CLI)',
  );

  const tie = await lintProfiles(
    [library({ 'acme/a': PROFILE('A', 'W'), 'acme/b': PROFILE('B', 'kW') })],
    PROFILE_BINDINGS,
    [],
  );
  t.match(errorsOf(tie)['acme/a'], [/agree on one \("W" or "kW"\)/], 'a tie names both sides');
  t.match(errorsOf(tie)['acme/b'], [/agree on one/]);
});

t.test("a profile checked on its own is held to the bundled library's units", async (t) => {
  const dir = library({
    'acme/level': `[profile]
vendor = "Acme"
model = "L-1"
reporting_interval_s = 60
[metrics.water_level]
lwm2m = "/3330/0/5700"
unit = "cm"
`,
  });
  const [r] = await lintProfiles([dir], PROFILE_BINDINGS);
  t.notOk(r?.ok);
  t.match(r?.errors, [
    /PROFILE_ERR_UNIT: .*acme\/level\.toml: metric "water_level" is in "cm" here but in "m" in .*yiwang-ref\/manhole-cover\.toml.*yiwang-ref\/water-level-rain\.toml/,
  ]);
  t.ok((await lintProfiles([dir], PROFILE_BINDINGS, []))[0]?.ok, 'without the library as reference it stands alone');
});

t.test('the real library: one unit per metric name; the 1-phase meters share their set, in W', async (t) => {
  const { profiles, errors } = await loadProfileDirs([LIBRARY_DIR], PROFILE_BINDINGS);
  t.same(
    errors.map((e) => e.message),
    [],
  );
  t.same(unitDisagreements(profiles), [], 'no metric name with two units');
  const lint = await lintProfiles([LIBRARY_DIR], PROFILE_BINDINGS);
  t.same(
    lint.flatMap((r) => r.errors),
    [],
    'lint: no errors',
  );
  const nb = profiles.find((p) => p.id === 'yiwang-ref/electricity-meter-1p')!;
  const dlt = profiles.find((p) => p.id === 'yiwang-ref/electricity-meter-1p-dlt645')!;
  for (const p of [nb, dlt]) {
    t.equal(p.metrics.get('active_power')?.unit, 'W', `${p.id}: active_power in W`);
    t.same(
      p.alarms.filter((a) => a.metric === 'voltage').map((a) => a.name),
      ['overvoltage', 'undervoltage'],
      `${p.id}: the shared voltage alarms`,
    );
  }
  t.equal(dlt.metrics.get('active_power')?.scale, 1000, 'DL/T 645 sends kW: converted to W');
  t.same(
    runVectors(dlt, undefined).flatMap((v) => v.problems),
    [],
    'its vectors (1130 W from 1.1300 kW on the wire) pass',
  );
});
