/**
 * The project's one TOML writer: plain numbers (5683, never 5_683), text that parses back to the
 * same document, and every shipped writer of TOML going through it (provision's identity file,
 * the merged desired config, init — see test/edge/cli/init-force.test.ts — and support bundles).
 */
import t from 'tap';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseToml } from '../../common/toml-read.js';
import { tomlStringify } from '../../common/toml-write.js';
import { REPO_ROOT } from '../../common/paths.js';
import { writeIdentity } from '../../edge/provisioning/write-identity.js';
import { mergeLayers } from '../../cloud/rollout/merge.js';
import { tempDir } from '../helpers/fleet.js';
import { digitSeparators } from './toml-separators.js';

t.test('numbers are written plainly', async (t) => {
  const text = tomlStringify({
    coap: {
      port: 5683,
      big: 12_345_678,
      neg: -1_000_000,
      ratio: 12_345.25,
      tiny: 1.5e-7,
      huge: 1e21,
      zero: -0,
      inf: Infinity,
      nan: NaN,
      id: 9007199254740993n,
      list: [1000, 2000, 3000],
    },
  });
  t.match(text, /^port = 5683$/m);
  t.match(text, /^big = 12345678$/m);
  t.match(text, /^neg = -1000000$/m);
  t.match(text, /^ratio = 12345.25$/m);
  t.match(text, /^id = 9007199254740993$/m);
  t.match(text, /^list = \[ 1000, 2000, 3000 \]$/m);
  t.same(digitSeparators(text), [], 'no digit separators');
  const back = parseToml(text) as { coap: Record<string, unknown> };
  t.same(back.coap, {
    port: 5683,
    big: 12345678,
    neg: -1000000,
    ratio: 12345.25,
    tiny: 1.5e-7,
    huge: 1e21,
    zero: -0,
    inf: Infinity,
    nan: NaN,
    id: 9007199254740993n,
    list: [1000, 2000, 3000],
  });
  t.same(
    digitSeparators('port = 5_683\n'),
    ['5_683'],
    'the check itself sees digit separators (what @iarna/toml wrote)',
  );
  t.same(digitSeparators('s = "5_683"\n'), [], 'and not inside strings');
});

t.test('a parsed file is written back to the same document', async (t) => {
  const src = [
    'top = 1',
    'when = 1979-05-27T07:32:00Z',
    'day = 1979-05-27',
    'at = 07:32:00',
    'local = 1979-05-27T07:32:00',
    'east = 1979-05-27T07:32:00+08:00',
    '"odd key" = "a\\u0001b\\u0001c \\"q\\" \\\\ \\t"',
    'multi = """',
    'two',
    'lines"""',
    '[x]',
    'y = [1, 2]',
    'z = { a = 1, b = [ "c" ] }',
    '[x.deep.er]',
    'v = 1_000',
    '[empty]',
    '[only.sub]',
    'q = 1',
    '[[rule]]',
    'q = 1',
    '[[rule]]',
    '[rule.in]',
    'w = 2',
    '[[rule]]',
    'arr = [ { a = 1 }, { b = "2" } ]',
  ].join('\n');
  const doc = parseToml(src);
  const text = tomlStringify(doc);
  t.same(parseToml(text), doc, text);
  t.match(text, /^day = 1979-05-27$/m, 'a local date stays a local date');
  t.match(text, /^at = 07:32:00(\.000)?$/m, 'a local time stays a local time');
  t.match(text, /^local = 1979-05-27T07:32:00(\.000)?$/m, 'a local date-time stays local');
  t.match(text, /^east = 1979-05-27T07:32:00(\.000)?\+08:00$/m, 'an offset date-time keeps its offset');
  t.match(
    text,
    /^"odd key" = "a\\u0001b\\u0001c \\"q\\" \\\\ \\t"$/m,
    'every control character escaped (@iarna/toml escaped only the first)',
  );
  t.match(text, /^\[\[rule\]\]\n\[rule\.in\]\nw = 2$/m, 'an element holding only a sub-table keeps its [[header]]');
  t.throws(() => tomlStringify([] as unknown as object), /only a table/);
});

t.test('provision writes the identity file without digit separators', async (t) => {
  const dir = tempDir('yw-toml-write-');
  const file = join(dir, 'edge.toml');
  writeFileSync(file, '[coap]\nport = 5683\n[store]\nmax_bytes = 1_048_576\n[sync]\ndaily_bytes = 50000000\n');
  writeIdentity(
    file,
    {
      gatewayId: 'gw-1',
      secret: 's3cr3t-s3cr3t',
      configPublicKey: Buffer.alloc(32, 7),
      caPem: '-----BEGIN CERTIFICATE-----\n',
      group: 'north',
      site: '',
      district: '',
      tlsUrl: 'mqtts://127.0.0.1:8883',
    },
    'mqtt://127.0.0.1:1883',
    true,
  );
  const text = readFileSync(file, 'utf8');
  t.same(digitSeparators(text), [], text);
  t.match(text, /^port = 5683$/m);
  t.match(text, /^max_bytes = 1048576$/m);
  t.match(parseToml(text), {
    gateway: { id: 'gw-1', group: 'north' },
    cloud: { url: 'mqtts://127.0.0.1:8883' },
    coap: { port: 5683 },
  });
});

t.test('the merged desired config has no digit separators', async (t) => {
  const text = mergeLayers([{ sync: { inflight: 8, daily_bytes: 50_000_000 } }, { coap: { port: 5683 } }]);
  t.same(digitSeparators(text), [], text);
  t.match(text, /^daily_bytes = 50000000$/m);
});

t.test('no shipped code writes TOML except through common/toml-write.ts', async (t) => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mts|js|mjs)$/.test(name) && p !== join(REPO_ROOT, 'common', 'toml-write.ts')) {
        const src = readFileSync(p, 'utf8');
        if (/TOML\.stringify|\bstringify\b[^;\n]*from\s+['"](@iarna\/toml|smol-toml)|@iarna\/toml\/stringify/.test(src))
          offenders.push(relative(REPO_ROOT, p));
      }
    }
  };
  for (const d of ['edge', 'cloud', 'common', 'proto']) walk(join(REPO_ROOT, d));
  t.same(offenders, [], 'use tomlStringify from common/toml-write.ts');
});

t.test(
  'nothing imports @iarna/toml, nor smol-toml but the two helpers: every TOML text is read by common/toml-read.ts and written by common/toml-write.ts',
  async (t) => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (name === 'node_modules' || name === 'dist') continue;
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name)) {
          const src = readFileSync(p, 'utf8');
          const own = [join(REPO_ROOT, 'common', 'toml-read.ts'), join(REPO_ROOT, 'common', 'toml-write.ts')].includes(
            p,
          );
          const imports = (pkg: string): RegExp =>
            new RegExp(`(from\\s+|import\\s+|import\\(\\s*|require\\(\\s*)['"]${pkg}(/[^'"]*)?['"]`);
          if (imports('@iarna/toml').test(src) || (!own && imports('smol-toml').test(src)))
            offenders.push(relative(REPO_ROOT, p));
        }
      }
    };
    for (const d of ['edge', 'cloud', 'common', 'proto', 'scripts', 'test', 'bench']) walk(join(REPO_ROOT, d));
    t.same(
      offenders,
      [],
      'parse with parseToml (common/toml-read.ts), write with tomlStringify (common/toml-write.ts)',
    );
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    t.notOk(pkg.dependencies?.['@iarna/toml'] ?? pkg.devDependencies?.['@iarna/toml'], '@iarna/toml is no dependency');
    t.ok(pkg.dependencies?.['smol-toml'], 'smol-toml is a dependency');
  },
);
