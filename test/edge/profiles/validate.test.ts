/** Profile validation: messages name file, key and line; duplicates and overlaps; match rules; versions and globs. */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { throwsCode } from '../../helpers/errors.js';
import { loadProfileFile } from '../../../edge/profiles/load.js';
import { loadForTools } from '../../../edge/profiles/tooling.js';
import { ProfileIndex } from '../../../edge/profiles/index-match.js';
import { globsIntersect, globMatches } from '../../../edge/profiles/glob.js';
import { inRange, parseRange, rangesOverlap, type VersionRange } from '../../../edge/profiles/versions.js';
import { PROFILE_BINDINGS } from '../../../edge/profile-bindings.js';

const BASE = `[profile]
vendor = "Acme"
model = "TH-1"
[match]
coap_path = "acme-th"
[layout]
length = 2
fields = [
  { name = "t", type = "i8", unit = "Cel" },
  { name = "rh", type = "u8" },
]
[metrics.temperature]
from = "t"
min = -40
max = 85
`;

function write(dir: string, id: string, text: string): string {
  const [vendor, model] = id.split('/'); // every id here is vendor/model
  mkdirSync(join(dir, vendor!), { recursive: true });
  const f = join(dir, vendor!, `${model}.toml`);
  writeFileSync(f, text);
  return f;
}

t.test('errors name the file, the key and its line', async (t) => {
  const dir = tempDir('yw-prof-val-');
  throwsCode(
    t,
    () => loadProfileFile(write(dir, 'acme/a', BASE.replace('max = 85', 'max = "hot"')), PROFILE_BINDINGS, dir),
    'PROFILE_ERR_FORMAT',
    /acme\/a\.toml: metrics\.temperature\.max must be a number \(got "hot"\) \(line 15\)/,
  );
  throwsCode(
    t,
    () =>
      loadProfileFile(
        write(dir, 'acme/b', BASE.replace('[metrics.temperature]', '[metrics.temperature]\nunti = "Cel"')),
        PROFILE_BINDINGS,
        dir,
      ),
    'PROFILE_ERR_FORMAT',
    /unknown key metrics\.temperature\.unti \(did you mean "unit"\?\) \(line 13\)/,
  );
  throwsCode(
    t,
    () =>
      loadProfileFile(
        write(dir, 'acme/c', BASE.replace('{ name = "rh", type = "u8" }', '{ name = "rh", type = "u8", sclae = 2 }')),
        PROFILE_BINDINGS,
        dir,
      ),
    'PROFILE_ERR_LAYOUT',
    /fields\[1\]\.sclae.*\(line 10\)/,
  );
  throwsCode(
    t,
    () => loadProfileFile(write(dir, 'acme/d', BASE.replace('from = "t"', 'from = "temp"')), PROFILE_BINDINGS, dir),
    'PROFILE_ERR_FORMAT',
    /metrics\.temperature\.from names no value of \[layout\] \("temp"/,
  );
  throwsCode(
    t,
    () =>
      loadProfileFile(
        write(dir, 'acme/e', `${BASE}[[alarms]]\nmetric = "temperature"\nabove = 30\nclear = 35\nevent = "hot"\n`),
        PROFILE_BINDINGS,
        dir,
      ),
    'PROFILE_ERR_FORMAT',
    /alarms\[0\]\.clear must be <= above \(30\).*\(line 19\)/,
  );
  throwsCode(
    t,
    () =>
      loadProfileFile(
        write(dir, 'acme/f', `${BASE}[[vectors]]\nhex = "0A"\nerror = "PROFILE_ERR_NOPE"\n`),
        PROFILE_BINDINGS,
        dir,
      ),
    'PROFILE_ERR_FORMAT',
    /vectors\[0\]\.error is not a known error code/,
  );
  throwsCode(
    t,
    () => loadProfileFile(write(dir, 'acme/g', 'a = = 1'), PROFILE_BINDINGS, dir),
    'PROFILE_ERR_READ',
    /acme\/g\.toml: not valid TOML: .*\(line 1, column/,
  );
  throwsCode(
    t,
    () =>
      loadProfileFile(
        write(dir, 'acme/h', BASE.replace('firmware', 'x').replace('[match]', 'firmware = ">=2.0 <1.0"\n[match]')),
        PROFILE_BINDINGS,
        dir,
      ),
    'PROFILE_ERR_FORMAT',
    /profile\.firmware is not a version range: ">=2\.0 <1\.0" contains no version \(line 4\)/,
  );
});

t.test('duplicate models and overlapping match rules are refused, naming both files', async (t) => {
  const dir = tempDir('yw-prof-dup-');
  write(dir, 'acme/a-th', BASE.replace('model = "TH-1"', 'model = "TH-1"\nfirmware = "<2.0"'));
  write(dir, 'acme/b-copy', BASE.replace('acme-th', 'acme-th2'));
  write(
    dir,
    'acme/c-v2',
    BASE.replace('model = "TH-1"', 'model = "TH-1"\nfirmware = ">=2.0"').replace('acme-th"', 'acme-th3"'),
  );
  write(dir, 'other/th', BASE.replace('"Acme"', '"Other"'));
  const { profiles, errors } = await loadForTools([dir], PROFILE_BINDINGS);
  t.same(
    profiles.map((p) => p.id).sort(),
    ['acme/a-th', 'acme/c-v2'],
    'the first of each clash is kept; a disjoint firmware range is another profile',
  );
  t.match(errors.map((e) => `${e.code} ${e.message}`).sort(), [
    /^PROFILE_ERR_DUPLICATE .*acme\/b-copy\.toml: Acme TH-1 \(firmware \*\) is already described by .*acme\/a-th\.toml \(firmware <2\.0\)/,
    /^PROFILE_ERR_OVERLAP .*other\/th\.toml: its match rules overlap those of .*acme\/a-th\.toml on coap_path \(acme-th \/ acme-th\)/,
  ]);
});

t.test('matching: facts, firmware, explanation', async (t) => {
  const dir = tempDir('yw-prof-match-');
  const a = loadProfileFile(
    write(
      dir,
      'acme/nb-a',
      BASE.replace(
        'coap_path = "acme-th"',
        'lwm2m_endpoint = "urn:imei:8612*"\nlwm2m_objects = [3, 19]\nmanufacturer = "Acme"',
      ).replace('model = "TH-1"', 'model = "NB-A"\nfirmware = "<2.0"'),
    ),
    PROFILE_BINDINGS,
  );
  const b = loadProfileFile(
    write(
      dir,
      'acme/nb-b',
      BASE.replace('coap_path = "acme-th"', 'lwm2m_endpoint = "urn:imei:8612*"\nmanufacturer = "Acme"').replace(
        'model = "TH-1"',
        'model = "NB-B"\nfirmware = ">=2.0"',
      ),
    ),
    PROFILE_BINDINGS,
  );
  const idx = new ProfileIndex([a, b]);
  t.equal(idx.size, 2);
  t.equal(
    idx.match({ deviceId: 'x', lwm2mEndpoint: 'urn:imei:861234', lwm2mObjects: [1, 3, 19], firmware: '1.4.2' })?.id,
    'acme/nb-a',
  );
  t.equal(
    idx.match({ deviceId: 'x', lwm2mEndpoint: 'urn:imei:861234', lwm2mObjects: [1, 3, 19], firmware: 'V2.1' })?.id,
    'acme/nb-b',
    'firmware picks the profile',
  );
  t.equal(
    idx.match({ deviceId: 'x', lwm2mEndpoint: 'urn:imei:861234', manufacturer: 'Other' }),
    undefined,
    'a known fact that differs excludes',
  );
  const ex = idx.explain({ deviceId: 'x', lwm2mEndpoint: 'urn:imei:861234', lwm2mObjects: [3], firmware: '1.0' });
  t.equal(ex.chosen, undefined);
  t.match(ex.candidates.find((c) => c.profile === 'acme/nb-a')?.rules, [
    { rule: 'lwm2m_endpoint', ok: true },
    { rule: 'lwm2m_objects', ok: false, want: '[3, 19]', have: '[3]' },
    { rule: 'manufacturer', ok: undefined },
  ]);
});

t.test('globs and version ranges', async (t) => {
  t.ok(globMatches('urn:imei:86*', 'urn:imei:8612'));
  t.notOk(globMatches('urn:imei:86*', 'urn:imei:87'));
  t.ok(globsIntersect('urn:imei:86*', 'urn:imei:861*'));
  t.ok(globsIntersect('*-a', 'b-*'));
  t.notOk(globsIntersect('a*', 'b*'));
  t.notOk(globsIntersect('a?c', 'abd'));
  const r = (s: string): VersionRange => parseRange(s) as VersionRange;
  t.ok(inRange(r('>=1.2 <2.0'), '1.10.3'));
  t.notOk(inRange(r('>=1.2 <2.0'), '2.0'));
  t.ok(inRange(r('=1.2'), '1.2.0'));
  t.ok(rangesOverlap(r('>=1.0 <2.0'), r('>=1.9')));
  t.notOk(rangesOverlap(r('<2.0'), r('>=2.0')));
  t.type(parseRange('~1.2'), 'string', 'unknown comparators are refused');
});
