/** `yiwang-edge init` with flags (no terminal): writes a valid file, refuses to overwrite, keeps the identity on --force, names bad flags. */
import t from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEdgeConfig } from '../../../edge/config.js';
import { tempDir } from '../../helpers/fleet.js';
import { digitSeparators } from '../../common/toml-separators.js';
import { cli } from './harness.js';

t.test('flags → a config the agent accepts', async (t) => {
  const dir = tempDir('yw-cli-init-');
  const file = join(dir, 'etc', 'edge.toml');
  const r = await cli([
    '--config',
    file,
    '--json',
    'init',
    '--cloud-url',
    'mqtts://cloud.example.org:8883',
    '--site',
    'Renmin Rd 3',
    '--data-dir',
    join(dir, 'var'),
    '--coap-host',
    '127.0.0.1',
    '--coap-port',
    '5700',
    '--no-cameras',
    '--hj212',
  ]);
  t.equal(r.code, 0, r.err);
  t.match(JSON.parse(r.out), {
    file,
    provisioned: false,
    backup: null,
    config: { cloud: { url: 'mqtts://cloud.example.org:8883' } },
    next: `yiwang-edge --config ${file} provision --token <claim token from the cloud operator>`,
  });
  const c = loadEdgeConfig(file);
  t.match(c, {
    gateway: { site: 'Renmin Rd 3' },
    cloud: { url: 'mqtts://cloud.example.org:8883' },
    coap: { host: '127.0.0.1', port: 5700 },
    cameras: { enabled: false },
    hj212: { enabled: true },
    lwm2m: { enabled: true },
  });
  t.equal(c.store.path, join(dir, 'var', 'edge.db'));
  t.match(readFileSync(file, 'utf8'), /^port = 5700$/m);

  const again = await cli(['--config', file, 'init']);
  t.equal(again.code, 1);
  t.match(again.err, /^error EDGE_ERR_CONFIG_EXISTS: .*edge\.toml exists \(Pass --force/);

  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('id = ""', 'id = "gw-9"').replace('secret = ""', 'secret = "keep-me-123"'),
  );
  const forced = await cli([
    '--config',
    file,
    'init',
    '--force',
    '--cloud-url',
    'mqtt://10.0.0.1:1883',
    '--lwm2m',
    '--cameras',
    '--no-hj212',
  ]);
  t.equal(forced.code, 0, forced.err);
  t.match(forced.out, /^changed cloud\.url: "mqtts:\/\/cloud\.example\.org:8883" → "mqtt:\/\/10\.0\.0\.1:1883"$/m);
  t.match(forced.out, /^changed cameras\.enabled: false → true$/m, 'a flag can turn an interface back on');
  t.match(forced.out, /^changed hj212\.enabled: true → false$/m);
  t.match(forced.out, /\nnext: restart the agent to apply the changes above/);
  t.ok(existsSync(`${file}.bak`), 'old file kept');
  t.match(loadEdgeConfig(file), {
    gateway: { id: 'gw-9', secret: 'keep-me-123', site: 'Renmin Rd 3' },
    cloud: { url: 'mqtt://10.0.0.1:1883' },
    coap: { host: '127.0.0.1', port: 5700 },
    cameras: { enabled: true },
  });
});

t.test('a new file without --cloud-url: the next step says to give it to provision', async (t) => {
  const dir = tempDir('yw-cli-init-');
  const file = join(dir, 'edge config.toml');
  const r = await cli(['--config', file, 'init', '--data-dir', join(dir, 'var')]);
  t.equal(r.code, 0, r.err);
  t.equal(
    r.out,
    `wrote ${file}\nnext: yiwang-edge --config '${file}' provision --token <claim token from the cloud operator> --cloud-url <broker URL from the cloud operator>\n`,
  );
  const text = readFileSync(file, 'utf8');
  t.notMatch(text, /\[cloud\]/, 'no placeholder URL written');
  t.match(text, /^port = 5683$/m, 'port = 5683, not 5_683');
  t.same(digitSeparators(text), [], text);
});

t.test('bad flags are named, exit 3, before anything is written', async (t) => {
  const dir = tempDir('yw-cli-init-');
  const file = join(dir, 'edge.toml');
  const cases: [string[], RegExp][] = [
    [
      ['--cloud-url', 'http://x'],
      /^error CONFIG_ERR_INVALID: --cloud-url: "http:\/\/x" is not a broker URL: give the broker URL from the cloud operator: mqtt:\/\/host\[:port\] or mqtts:\/\/host\[:port\]/,
    ],
    [
      ['--coap-port', '99999'],
      /^error CONFIG_ERR_INVALID: --coap-port: 99999 is too large: coap\.port must be an integer from 0 to 65535/,
    ],
    [['--coap-host', 'gateway.local'], /^error CONFIG_ERR_INVALID: --coap-host: "gateway\.local" is not an IP address/],
    [
      ['--data-dir', 'var/yw'],
      /^error CONFIG_ERR_INVALID: --data-dir: "var\/yw" is a relative path; the data directory needs an absolute path/,
    ],
    [['--data-dir', '~bob/yw'], /^error CONFIG_ERR_INVALID: --data-dir: "~bob\/yw": only ~ and ~\/… are expanded/],
    [
      ['--serial-devices', 'serial.toml'],
      /^error CONFIG_ERR_INVALID: --serial-devices: "serial\.toml" is a relative path/,
    ],
  ];
  for (const [args, re] of cases) {
    const r = await cli(['--config', file, 'init', ...args]);
    t.equal(r.code, 3, args.join(' '));
    t.match(r.err, re);
  }
  t.notOk(existsSync(file), 'nothing written');
});

t.test('--data-dir ~/… is expanded with the home directory', async (t) => {
  const dir = tempDir('yw-cli-init-');
  const file = join(dir, 'edge.toml');
  const r = await cli(['--config', file, 'init', '--data-dir', '~/yiwang-data'], { HOME: join(dir, 'home') });
  t.equal(r.code, 0, r.err);
  t.equal(loadEdgeConfig(file).store.path, join(dir, 'home', 'yiwang-data', 'edge.db'));
});
