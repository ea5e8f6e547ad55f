/** `yiwang-edge init` with flags (no terminal): writes a valid file, refuses to overwrite, keeps the identity on --force. */
import t from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEdgeConfig } from '../../../edge/config.js';
import { tempDir } from '../../helpers/fleet.js';
import { cli } from './harness.js';

t.test('flags → a config the agent accepts', async (t) => {
  const dir = tempDir('yw-cli-init-');
  const file = join(dir, 'etc', 'edge.toml');
  const r = await cli(['--config', file, '--json', 'init', '--cloud-url', 'mqtts://cloud.example.org:8883', '--site', 'Renmin Rd 3', '--data-dir', join(dir, 'var'), '--coap-port', '5700', '--no-cameras', '--hj212']);
  t.equal(r.code, 0, r.err);
  t.match(JSON.parse(r.out), { file, provisioned: false, config: { cloud: { url: 'mqtts://cloud.example.org:8883' } } });
  const c = loadEdgeConfig(file);
  t.match(c, { gateway: { site: 'Renmin Rd 3' }, cloud: { url: 'mqtts://cloud.example.org:8883' }, coap: { port: 5700 }, cameras: { enabled: false }, hj212: { enabled: true }, lwm2m: { enabled: true } });
  t.equal(c.store.path, join(dir, 'var', 'edge.db'));

  const again = await cli(['--config', file, 'init']);
  t.equal(again.code, 1);
  t.match(again.err, /^error EDGE_ERR_CONFIG_EXISTS: .*edge\.toml exists \(Pass --force/);

  writeFileSync(file, readFileSync(file, 'utf8').replace('id = ""', 'id = "gw-9"').replace('secret = ""', 'secret = "keep-me-123"'));
  const forced = await cli(['--config', file, 'init', '--force', '--cloud-url', 'mqtt://10.0.0.1:1883']);
  t.equal(forced.code, 0, forced.err);
  t.match(forced.out, /^wrote .*\nnext: systemctl restart yiwang-edge/);
  t.ok(existsSync(`${file}.bak`), 'old file kept');
  t.match(loadEdgeConfig(file), { gateway: { id: 'gw-9', secret: 'keep-me-123' }, cloud: { url: 'mqtt://10.0.0.1:1883' } });
});

t.test('bad values are named, exit 3', async (t) => {
  const file = join(tempDir('yw-cli-init-'), 'edge.toml');
  const r = await cli(['--config', file, 'init', '--cloud-url', 'http://x']);
  t.equal(r.code, 3);
  t.match(r.err, /^error CONFIG_ERR_INVALID: --cloud-url "http:\/\/x" must be/);
  const p = await cli(['--config', file, 'init', '--coap-port', '99999']);
  t.equal(p.code, 3);
  t.match(p.err, /coap\.port must be an integer <= 65535/);
  t.notOk(existsSync(file), 'nothing written');
});
