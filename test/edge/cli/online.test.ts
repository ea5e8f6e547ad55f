/**
 * Against a real cloud on loopback: status online with an empty backlog, diag passes the cloud
 * checks (auth, broker round trip); stop the cloud → status offline with a growing backlog and
 * diag names the failing check.
 */
import t from 'tap';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { cli, startAgent, writeConfig } from './harness.js';

interface Status {
  uplink: { state: string; lastAckAt: number | null };
  store: { rows: number };
  deviceStates: Record<string, number>;
  provisioned: boolean;
  errorsLastHour: number;
}

t.test('online → offline with a growing backlog', async (t) => {
  const cloud = await startCloud();
  const secret = await cloud.cloud.createGateway('gw-online');
  const dir = tempDir('yw-cli-online-');
  const config = writeConfig(dir, { gatewayId: 'gw-online', secret, mqttUrl: cloud.mqttUrl });
  const agent = await startAgent(dir, config);
  t.teardown(() => agent.stop());
  const status = async (): Promise<Status> =>
    JSON.parse((await cli(['--config', config, '--json', 'status'])).out) as Status;
  await until('uplink online', async () => (await status()).uplink.state === 'online', 15_000, 100);

  const screen = await cli(['--config', config, 'status']);
  t.match(screen.out, /^provisioned +yes$/m);
  t.match(screen.out, /^uplink +online +mqtt:\/\/127\.0\.0\.1:\d+/m);
  t.match(screen.out, /^backlog +0 waiting for the cloud = 0 readings \+ 0 events; /m);
  t.match(screen.out, /^errors +0 error lines logged in the last hour$/m);

  const diag = JSON.parse((await cli(['--config', config, '--json', 'diag'])).out) as {
    ok: boolean;
    checks: { name: string; ok: boolean; detail: string }[];
  };
  t.equal(diag.ok, true, JSON.stringify(diag.checks.filter((c) => !c.ok)));
  t.match(
    diag.checks.find((c) => c.name === 'broker-round-trip'),
    { ok: true, detail: /^PUBACK in \d+ ms$/ },
  );
  t.match(
    diag.checks.find((c) => c.name === 'cloud-auth'),
    { ok: true },
  );

  await cloud.cloud.stop();
  await until('uplink offline', async () => (await status()).uplink.state !== 'online', 15_000, 100);
  const sensor = new SimSensor('aq-101', { host: '127.0.0.1', port: agent.coapPort });
  t.teardown(() => sensor.close());
  for (let i = 0; i < 3; i++) t.equal((await sensor.sendSenml([{ n: 'pm10', u: 'ug/m3', v: 40 + i }])).code, '2.04');
  const first = await status();
  t.equal(first.store.rows, 3);
  t.equal((await sensor.sendSenml([{ n: 'pm10', u: 'ug/m3', v: 50 }])).code, '2.04');
  const second = await status();
  t.equal(second.store.rows, 4, 'the backlog grows while offline');
  t.match(second, { uplink: { state: /offline|connecting/ }, deviceStates: { online: 1 } });
  const off = await cli(['--config', config, 'status']);
  t.match(off.out, /^uplink +(offline|connecting) /m);
  t.match(off.out, /^backlog +4 waiting for the cloud = 4 readings \+ 0 events; /m);
  const d = await cli(['--config', config, 'diag']);
  t.equal(d.code, 1);
  t.match(d.out, /^FAIL +cloud-tcp /m);
});
