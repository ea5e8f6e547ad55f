/**
 * Re-keying a gateway (issue 16, finding 11) through the BUILT binaries: a camera added through
 * the API and a device key are sealed under the old gateway secret; the agent is started with a
 * new secret. It starts; the configured camera works; the API-added camera is kept (not deleted),
 * listed by `yiwang-edge cameras list` as needs_credentials with CAMERA_ERR_CREDENTIALS_SEALED
 * and counted in `status`; the device is flagged EDGE_ERR_DEVICE_KEY_SEALED in `devices list`.
 * Adding the camera again with the same id brings it back.
 */
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { FakeOnvifCamera } from '../../../scripts/sim/onvif-camera.js';
import { tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { cli, startAgent, writeConfig } from './harness.js';
import type { AgentStatus } from '../../../edge/api/status.js';

t.setTimeout(240_000);

interface Cam {
  id: string;
  state: string;
  lastError: { code: string; message: string } | null;
}

/** GET /v1/cameras over the agent's socket (polling through the CLI would spawn a process each time). */
function camerasOf(socketPath: string): Promise<Cam[]> {
  return new Promise((resolve, reject) => {
    request({ socketPath, path: '/v1/cameras' }, (res) => {
      let s = '';
      res
        .on('data', (d: Buffer) => {
          s += d.toString();
        })
        .on('end', () => resolve((JSON.parse(s) as { cameras: Cam[] }).cameras));
    })
      .on('error', reject)
      .end();
  });
}

t.test(
  'after a re-key the agent starts; the undecryptable camera and device key are flagged, the rest works',
  async (t) => {
    const site = await new FakeOnvifCamera({ password: 'site-pw-1' }).start();
    const api = await new FakeOnvifCamera({ password: 'api-pw-2' }).start();
    t.teardown(async () => {
      await site.stop();
      await api.stop();
    });
    const dir = tempDir('yw-rekey-');
    const cameras = [
      '[cameras]',
      `addresses = ["${site.deviceServiceUrl}"]`,
      'username = "admin"',
      'password = "site-pw-1"',
      'health_interval_ms = 200',
      'stream_probe = false',
      'events = false',
    ].join('\n');
    const pwFile = join(dir, 'cam.pw');
    writeFileSync(pwFile, 'api-pw-2\n', { mode: 0o600 });
    const keyFile = join(dir, 'meter.key');
    writeFileSync(keyFile, 'meter-key-0042\n', { mode: 0o600 });

    // 1. the old secret: a camera and a device key added through the API
    let config = writeConfig(dir, { secret: 'old-secret-1', extra: cameras });
    const edge = (...args: string[]): ReturnType<typeof cli> => cli(['--config', config, ...args]);
    const list = (): Promise<Cam[]> => camerasOf(join(dir, 'agent.sock'));
    let agent = await startAgent(dir, config);
    t.teardown(() => agent.stop());
    const added = await edge(
      '--json',
      'cameras',
      'add',
      `127.0.0.1:${api.port}`,
      '--id',
      'gate-api',
      '--password-file',
      pwFile,
    );
    t.equal(added.code, 0, added.err);
    const dev = await edge('--json', 'devices', 'add', 'meter-0042', '--kind', 'meter', '--key-file', keyFile);
    t.equal(dev.code, 0, dev.err);
    await until(
      'both cameras up',
      async () => (await list()).filter((c) => c.state === 'up_auth').length === 2,
      30_000,
      200,
    );
    await agent.stop();

    // 2. the gateway is re-keyed: same data directory, new secret
    config = writeConfig(dir, { secret: 'new-secret-2', extra: cameras });
    agent = await startAgent(dir, config); // without the fix: "agent exited with 1"
    t.pass('the agent starts');
    await until(
      'configured camera up',
      async () => (await list()).some((c) => c.id !== 'gate-api' && c.state === 'up_auth'),
      30_000,
      200,
    );
    const listed = await edge('--json', 'cameras', 'list');
    t.equal(listed.code, 0, listed.err);
    const flagged = (JSON.parse(listed.out) as { cameras: Cam[] }).cameras.find((c) => c.id === 'gate-api');
    t.match(
      flagged,
      { state: 'needs_credentials', lastError: { code: 'CAMERA_ERR_CREDENTIALS_SEALED' } },
      'the API-added camera is kept and flagged',
    );
    const human = await edge('cameras', 'list');
    t.match(human.out, /gate-api +needs_credentials .*CAMERA_ERR_CREDENTIALS_SEALED/, 'shown with its coded error');
    const status = JSON.parse((await edge('--json', 'status')).out) as AgentStatus;
    t.match(status.cameras, { total: 2, online: 1, byState: { needs_credentials: 1 } }, 'counted in status');
    const devices = JSON.parse((await edge('--json', 'devices', 'list')).out) as {
      devices: { id: string; keyError?: { code: string } }[];
    };
    t.match(
      devices.devices.find((d) => d.id === 'meter-0042'),
      { keyError: { code: 'EDGE_ERR_DEVICE_KEY_SEALED' } },
      'the device key is flagged, the device kept',
    );
    const shown = await edge('devices', 'show', 'meter-0042');
    t.match(shown.out, /EDGE_ERR_DEVICE_KEY_SEALED/);
    const file = JSON.parse(readFileSync(join(dir, 'cameras.json'), 'utf8')) as { cameras: { id: string }[] };
    t.same(
      file.cameras.map((c) => c.id),
      ['gate-api'],
      'the entry is still in cameras.json',
    );

    // 3. credentials entered again (same id): the camera comes back, sealed under the new secret
    const again = await edge(
      '--json',
      'cameras',
      'add',
      `127.0.0.1:${api.port}`,
      '--id',
      'gate-api',
      '--password-file',
      pwFile,
    );
    t.equal(again.code, 0, again.err);
    await until(
      're-entered camera up',
      async () => (await list()).filter((c) => c.state === 'up_auth').length === 2,
      30_000,
      200,
    );
    await agent.stop();
    agent = await startAgent(dir, config);
    await until(
      'both up after a restart',
      async () => (await list()).filter((c) => c.state === 'up_auth').length === 2,
      30_000,
      200,
    );
    t.notOk(readFileSync(join(dir, 'cameras.json'), 'utf8').includes('api-pw-2'), 'password sealed, not in clear');
  },
);
