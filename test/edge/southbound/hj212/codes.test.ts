import t from 'tap';
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from '../../../../common/paths.js';
import { CN_NAMES, lookupFactor, ST_NAMES, toCurrentCode } from '../../../../edge/southbound/hj212/codes.js';
import { DROPPED_ROWS, POLLUTANT_CODES, UNIT_CORRECTIONS } from '../../../../edge/southbound/hj212/pollutant-codes.js';

const root = REPO_ROOT;

t.test('the generated table is up to date with the CSV', async (t) => {
  const out = execFileSync(process.execPath, ['scripts/gen-hj212-codes.mjs', '--check'], {
    cwd: root,
    encoding: 'utf8',
  });
  t.match(out, /up to date/);
});

t.test('codes, names and legacy codes are unique', async (t) => {
  const codes = POLLUTANT_CODES.map((r) => r.code);
  const names = POLLUTANT_CODES.map((r) => r.name);
  const legacy = POLLUTANT_CODES.flatMap((r) => (r.legacy ? [r.legacy] : []));
  t.equal(new Set(codes).size, codes.length);
  t.equal(new Set(names).size, names.length);
  t.equal(new Set(legacy).size, legacy.length);
  t.ok(
    names.every((n) => /^[a-z][a-z0-9_]*$/.test(n)),
    'snake_case names',
  );
  t.same(DROPPED_ROWS.map((d) => d.code).sort(), ['e701xx', 'g119xx']);
});

t.test('old codes map to new ones with checked units', async (t) => {
  t.match(lookupFactor('011'), { code: 'w01018', name: 'cod', unit: 'mg/L', totalUnit: 'kg', legacyCode: '011' });
  t.match(lookupFactor('060'), { code: 'w21003', name: 'ammonia_nitrogen', unit: 'mg/L' });
  t.match(lookupFactor('B01'), { code: 'w00000', unit: 'l/s', totalUnit: 'm3' });
  t.match(lookupFactor('B02'), { code: 'a00000', unit: 'm3/s' });
  t.match(lookupFactor('02'), { code: 'a21026', name: 'so2', unit: 'mg/m3' });
  t.match(lookupFactor('S03'), { code: 'a01012', unit: 'Cel' });
  t.equal(lookupFactor('w01018')?.legacyCode, undefined);
  t.equal(toCurrentCode('001'), 'w01001');
  t.equal(toCurrentCode('zzz'), 'zzz');
  t.equal(lookupFactor('e1010'), undefined, 'template needs its two digits');
  t.match(lookupFactor('a34004'), { unit: 'ug/m3', name: 'pm2_5' });
  t.match(lookupFactor('a01002'), { unit: '%RH' });
  t.match(lookupFactor('i33102'), { unit: '%RH' });
  t.ok(UNIT_CORRECTIONS.length >= 10, 'corrections are recorded with reasons');
  t.ok(UNIT_CORRECTIONS.every((c) => c.reason.length > 10));
  t.equal(ST_NAMES['32'], 'surface_water_pollution_source');
  t.equal(CN_NAMES['2051'], 'minute_data');
});
