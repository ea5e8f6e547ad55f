/**
 * `yiwang-edge init --force` on a provisioned gateway (no terminal): it merges into the previous
 * file, so everything not given anew is kept — identity, config-signing key, fleet CA file,
 * group, the cloud's TLS URL, unknown sections and keys — and it says what changed instead of a
 * blind "restart". No integer is written with digit separators.
 */
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseToml } from '../../../common/toml-read.js';
import { tempDir } from '../../helpers/fleet.js';
import { digitSeparators } from '../../common/toml-separators.js';
import { cli } from './harness.js';

type Doc = Record<string, Record<string, unknown>>;

/** A file as `init` then `provision` (and a later version of the agent, and a technician) left it. */
function provisionedFile(dir: string): { file: string; doc: Doc } {
  const file = join(dir, 'edge.toml');
  writeFileSync(
    file,
    `${[
      '# Yiwang edge agent configuration (docs/reference/config.md); gateway identity written by yiwang-edge provision',
      '# site LAN: coap on the meter VLAN only',
      '[gateway]',
      'id = "gw-north-7"',
      'secret = "s3cr3t-gw-north-7"',
      'site = "Jiefang Rd 12"',
      'group = "north"',
      'config_key = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="',
      '[cloud]',
      'url = "mqtts://cloud.jiaozuo.example:8883"',
      `ca_file = "${join(dir, 'fleet-ca.crt')}"`,
      'connect_timeout_ms = 20_000',
      '[store]',
      `path = "${join(dir, 'var', 'gateway.db')}"`,
      'max_bytes = 1_073_741_824',
      '[coap]',
      'host = "10.20.0.1"',
      'port = 5683',
      '[sync]',
      'daily_bytes = 50000000',
      'future_option = 12_345',
      '[future]',
      'mode = "fast"',
      'limits = [ 1_000, 2_000 ]',
      'since = 2024-05-01',
      'at = 2024-05-01T08:00:00',
      '[future.nested]',
      'deep = true',
      '[[future.rule]]',
      'name = "a"',
      'weight = 10_000',
      '[[future.rule]]',
      'name = "b"',
      '[lwm2m]',
      'enabled = true',
      '[cameras]',
      'enabled = true',
      'username = "site"',
      'password = "cam-pass-1"',
    ].join('\n')}\n`,
  );
  return { file, doc: parseToml(readFileSync(file, 'utf8')) as Doc };
}

t.test('--force with one flag changes that key only; everything else is kept', async (t) => {
  const dir = tempDir('yw-cli-init-force-');
  const { file, doc } = provisionedFile(dir);
  const r = await cli(['--config', file, 'init', '--force', '--coap-port', '5700', '--no-cameras']);
  t.equal(r.code, 0, r.err);
  const text = readFileSync(file, 'utf8');
  const after = parseToml(text) as Doc;
  const expected = structuredClone(doc);
  expected.coap!.port = 5700;
  expected.cameras!.enabled = false;
  t.same(after, expected, 'the previous document with the two keys given anew; nothing dropped, nothing reset');
  t.equal(after.cloud!.url, 'mqtts://cloud.jiaozuo.example:8883', 'a provisioned gateway keeps its cloud URL');
  t.same(digitSeparators(text), [], text);
  t.match(text, /^port = 5700$/m);
  t.match(text, /^max_bytes = 1073741824$/m);
  t.match(text, /^connect_timeout_ms = 20000$/m);
  t.match(text, /^since = 2024-05-01$/m, 'a local date stays a local date');
  t.match(text, /^at = 2024-05-01T08:00:00\.000$/m, 'a local date-time stays local (no Z)');
  t.equal(
    readFileSync(`${file}.bak`, 'utf8').includes('site LAN: coap on the meter VLAN only'),
    true,
    'the previous file is kept as .bak',
  );

  t.equal(
    r.out,
    [
      `wrote ${file} (the previous file is kept as ${file}.bak)`,
      'changed coap.port: 5683 → 5700',
      'changed cameras.enabled: true → false',
      'note: kept sync.future_option, [future]: this version of the agent does not know them and refuses to start while they are there (remove them, or upgrade the agent)',
      `note: comments of the previous file are not carried over (they are in ${file}.bak)`,
      'next: restart the agent to apply the changes above: systemctl restart yiwang-edge',
      '',
    ].join('\n'),
  );
});

t.test('--force with nothing given anew changes nothing and says no restart is needed', async (t) => {
  const dir = tempDir('yw-cli-init-force-');
  const { file, doc } = provisionedFile(dir);
  const r = await cli(['--config', file, '--json', 'init', '--force']);
  t.equal(r.code, 0, r.err);
  t.same(parseToml(readFileSync(file, 'utf8')), doc);
  const out = JSON.parse(r.out) as Record<string, unknown>;
  t.match(out, {
    file,
    backup: `${file}.bak`,
    provisioned: true,
    changed: [],
    unknownKeys: ['sync.future_option', '[future]'],
    next: 'nothing to do: the settings are the ones the agent has (no restart needed)',
  });
  t.match(
    out,
    { config: { gateway: { secret: '[redacted]', id: 'gw-north-7' }, cameras: { password: '[redacted]' } } },
    'secrets are not printed',
  );
  t.notMatch(r.out, /s3cr3t-gw-north-7|cam-pass-1/);
});

t.test('--force --cloud-url changes the URL of a provisioned gateway and keeps its CA', async (t) => {
  const dir = tempDir('yw-cli-init-force-');
  const { file, doc } = provisionedFile(dir);
  const r = await cli([
    '--config',
    file,
    'init',
    '--force',
    '--cloud-url',
    'mqtts://cloud2.jiaozuo.example:8883',
    '--data-dir',
    join(dir, 'data'),
  ]);
  t.equal(r.code, 0, r.err);
  const expected = structuredClone(doc);
  expected.cloud!.url = 'mqtts://cloud2.jiaozuo.example:8883';
  expected.store!.path = join(dir, 'data', 'gateway.db');
  t.same(parseToml(readFileSync(file, 'utf8')), expected, 'the store keeps its file name in the new directory');
  t.match(
    r.out,
    /^changed cloud\.url: "mqtts:\/\/cloud\.jiaozuo\.example:8883" → "mqtts:\/\/cloud2\.jiaozuo\.example:8883"$/m,
  );
  t.match(
    r.out,
    new RegExp(
      `^note: store\\.path is now "${join(dir, 'data', 'gateway.db')}"; readings buffered in "${join(dir, 'var', 'gateway.db')}" stay there`,
      'm',
    ),
  );
});

t.test('a previous file that is not TOML is refused, not replaced', async (t) => {
  const dir = tempDir('yw-cli-init-force-');
  const file = join(dir, 'edge.toml');
  const broken = '[gateway]\nid = "gw-1"\nsecret = "s3cr3t-s3cr3t"\n[cloud\nurl = "mqtts://x:8883"\n';
  writeFileSync(file, broken);
  const r = await cli(['--config', file, 'init', '--force', '--coap-port', '5700']);
  t.equal(r.code, 3);
  t.match(
    r.err,
    /^error CONFIG_ERR_SYNTAX: .*edge\.toml: .*init --force keeps the settings of the file it replaces, so fix it \(or move it away\) first/,
  );
  t.equal(readFileSync(file, 'utf8'), broken, 'left as it was');
});
