/**
 * Private data files (issue 16, finding 10) after a real run: the BUILT agent (`yiwang-edge run`)
 * against a real cloud on loopback, with a reading delivered, a device key registered and a camera
 * added. With a 022 umask every data file — edge.db, profile-events.db, camera-events.db,
 * cloud.db, each with its -wal and -shm — and cameras.json is 0600, every directory the agent or
 * the cloud created is 0700, and the raw bytes of the edge database (file, WAL, shm) hold no
 * device key and cameras.json no camera password in clear. Alarm snapshots are 0600 in a 0700 directory.
 */
import t from 'tap';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { cli, startAgent } from '../cli/harness.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { FakeOnvifCamera } from '../../../scripts/sim/onvif-camera.js';
import type { AgentStatus } from '../../../edge/api/status.js';
import { SnapshotStore } from '../../../edge/southbound/onvif/snapshots.js';

t.setTimeout(180_000);

const DEVICE_KEY = 'dev1ce-k3y-0042-5ecret';
const CAMERA_PW = 'cam-pa55-7777';

const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);
const raw = (p: string): string =>
  ['', '-wal', '-shm'].map((s) => (existsSync(p + s) ? readFileSync(p + s).toString('latin1') : '')).join('');

function status(socketPath: string): Promise<AgentStatus> {
  return new Promise((resolve, reject) => {
    request({ socketPath, path: '/v1/status' }, (res) => {
      let s = '';
      res
        .on('data', (d: Buffer) => {
          s += d.toString();
        })
        .on('end', () => resolve(JSON.parse(s) as AgentStatus));
    })
      .on('error', reject)
      .end();
  });
}

t.test('every data file 0600 (SQLite sidecars included), every created directory 0700, no key in clear', async (t) => {
  process.umask(0o022); // the usual umask: what made the files 0644 before
  const root = tempDir('yw-modes-');
  const cloudDir = join(root, 'srv', 'cloud'); // created by the cloud
  const cloud = await startCloud(cloudDir);
  t.teardown(() => cloud.cloud.stop());
  const secret = await cloud.cloud.createGateway('gw-modes');
  const cam = await new FakeOnvifCamera({ password: CAMERA_PW }).start();
  t.teardown(() => cam.stop());

  const data = join(root, 'var', 'lib', 'yiwang'); // created by the agent
  const config = join(root, 'edge.toml');
  writeFileSync(
    config,
    `${[
      '[gateway]',
      'id = "gw-modes"',
      `secret = "${secret}"`,
      '[cloud]',
      `url = "${cloud.mqttUrl}"`,
      'reconnect_ms = 200',
      '[store]',
      `path = "${join(data, 'edge.db')}"`,
      '[coap]',
      'host = "127.0.0.1"',
      'port = 0',
      '[sync]',
      'linger_ms = 20',
      '[clock]',
      'sync = "always"',
      '[cameras]',
      'health_interval_ms = 200',
      'stream_probe = false',
      'events = false',
    ].join('\n')}\n`,
  );
  const agent = await startAgent(root, config);
  t.teardown(() => agent.stop());
  const edge = (...args: string[]): ReturnType<typeof cli> => cli(['--config', config, ...args]);

  const keyFile = join(root, 'k');
  writeFileSync(keyFile, DEVICE_KEY, { mode: 0o600 });
  t.equal((await edge('devices', 'add', 'meter-0042', '--kind', 'meter', '--key-file', keyFile)).code, 0);
  const pwFile = join(root, 'p');
  writeFileSync(pwFile, CAMERA_PW, { mode: 0o600 });
  const added = await edge('cameras', 'add', `127.0.0.1:${cam.port}`, '--id', 'gate', '--password-file', pwFile);
  t.equal(added.code, 0, added.err);
  const sensor = new SimSensor('aq-modes', { host: '127.0.0.1', port: agent.coapPort });
  t.teardown(() => sensor.close());
  t.equal((await sensor.sendSenml([{ n: 'pm10', u: 'ug/m3', v: 41 }])).code, '2.04');
  await until(
    'the reading reached the cloud',
    async () => (await status(join(data, 'agent.sock'))).uplink.readingsAcked >= 1,
    30_000,
    100,
  );

  const dbs = [
    join(data, 'edge.db'),
    join(data, 'profile-events.db'),
    join(data, 'camera-events.db'),
    join(cloudDir, 'cloud.db'),
  ];
  for (const db of dbs) {
    t.equal(mode(db), '600', `${db} 0600`);
    for (const side of ['-wal', '-shm']) {
      t.ok(existsSync(db + side), `${db}${side} exists while running (WAL mode)`);
      t.equal(mode(db + side), '600', `${db}${side} 0600`);
    }
  }
  t.equal(mode(join(data, 'cameras.json')), '600', 'cameras.json 0600');
  for (const d of [
    join(root, 'var'),
    join(root, 'var', 'lib'),
    data,
    join(data, 'snapshots'),
    join(root, 'srv'),
    cloudDir,
  ])
    t.equal(mode(d), '700', `${d} 0700`);

  t.notOk(raw(join(data, 'edge.db')).includes(DEVICE_KEY), 'no device key in edge.db, its WAL or shm');
  t.notOk(readFileSync(join(data, 'cameras.json'), 'utf8').includes(CAMERA_PW), 'no camera password in cameras.json');

  await agent.stop();
  t.equal(mode(join(data, 'edge.db')), '600', 'edge.db still 0600 after the agent stopped');
  t.notOk(raw(join(data, 'edge.db')).includes(DEVICE_KEY), 'no device key after the final checkpoint');
});

t.test('alarm snapshots: 0600 files in a 0700 directory', async (t) => {
  process.umask(0o022);
  const dir = join(tempDir('yw-snap-'), 'data', 'snapshots');
  const store = new SnapshotStore(dir, 1 << 20);
  const name = store.put('gate', Date.now(), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  t.equal(mode(join(dir, name)), '600');
  t.equal(mode(dir), '700');
  t.equal(mode(join(dir, '..')), '700', 'and its parent created on the way');
});
