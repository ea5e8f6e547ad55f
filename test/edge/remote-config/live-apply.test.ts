/**
 * An applied config changes the running agent without a restart, and a rollback changes it back:
 * a real agent and a simulated gateway in one group; a rollout sets the Health interval to 1 s
 * and denies a device; the agent sends Health every second and drops that device's readings; the
 * simulated gateway fails the config, the rollout aborts, and the agent returns to its previous
 * behaviour (no periodic Health, the device's readings accepted again).
 */
import t from 'tap';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { claimIdentity } from '../../../edge/provisioning/claim-client.js';
import { ConfigApplier } from '../../../edge/remote-config/applier.js';
import { silentLogger } from '../../../common/log.js';
import { pb, ConfigState } from '../../../proto/index.js';
import { topics } from '../../../proto/topics.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

const R1 = '[sync]\nhealth_interval_ms = 60000\n';
const R2 = '[sync]\nhealth_interval_ms = 1000\n[devices]\ndeny = ["dev-b"]\n';

t.test('a rollout changes the running agent; its abort changes it back', async (t) => {
  const { cloud, mqttUrl } = await startCloud(undefined, { rollout: { tick_ms: 50 } });
  t.teardown(() => cloud.stop());
  await cloud.desired.setLayer('group', 'live', R1);
  const { token } = await cloud.provisioning.createClaim({ group: 'live', uses: 2 });

  // the real agent
  const id = await claimIdentity({ url: mqttUrl, token, requestedId: 'gw-live', timeoutMs: 10_000 });
  const dir = tempDir('yw-live-');
  const cfg = edgeConfig(dir, id.gatewayId, id.secret, mqttUrl);
  cfg.gateway.config_key = id.configPublicKey.toString('base64'); // the key `yiwang-edge provision` pins
  const edge = await startEdge(cfg);
  t.teardown(() => edge.agent.stop());
  let health = 0;
  cloud.broker.aedes.on('publish', (packet) => {
    if (packet.topic === topics.up('gw-live', 'health')) health++;
  });

  // a simulated gateway that cannot run R2; it holds its FAILED report until the test releases it
  const sid = await claimIdentity({ url: mqttUrl, token, requestedId: 'gw-sim', timeoutMs: 10_000 });
  const sim = mqtt.connect(mqttUrl, {
    clientId: sid.gatewayId,
    username: sid.gatewayId,
    password: sid.secret,
    protocolVersion: 4,
    reconnectPeriod: 100,
  });
  t.teardown(() => sim.endAsync(true));
  const held: Buffer[] = [];
  const simApplier = new ConfigApplier({
    gatewayId: sid.gatewayId,
    publicKey: sid.configPublicKey,
    file: join(dir, 'sim-config.json'),
    log: silentLogger(),
    check: (c) => (c.sync.health_interval_ms === 1000 ? 'this gateway cannot report every second' : undefined),
    report: (b) => {
      if (pb.ConfigStatus.decode(b).state === ConfigState.APPLIED)
        sim.publish(topics.up(sid.gatewayId, 'config-status'), b, { qos: 1 });
      else held.push(b);
    },
  });
  sim.on('message', (_topic, payload) => simApplier.handle(payload));
  sim.on('connect', () => sim.subscribe(topics.down(sid.gatewayId, 'config'), { qos: 1 }));

  await until(
    'both run the group config',
    async () => (await cloud.desired.view('gw-live')).inSync && (await cloud.desired.view('gw-sim')).inSync,
    20_000,
  );
  const applier = edge.agent.remoteConfig!;
  t.equal(applier.config?.sync.health_interval_ms, 60_000);
  const r1Toml = applier.running!.toml;
  const sensorA = new SimSensor('dev-a', { host: '127.0.0.1', port: edge.agent.coap.port });
  const sensorB = new SimSensor('dev-b', { host: '127.0.0.1', port: edge.agent.coap.port });
  t.teardown(() => {
    sensorA.close();
    sensorB.close();
  });
  const count = async (dev: string): Promise<number> => (await cloud.store.readings({ deviceId: dev })).length;
  /** dev-b sends one reading, then dev-a; once dev-a's is in the cloud, dev-b's was handled before it. */
  const sendBothThenA = async (n: number): Promise<void> => {
    t.equal((await sensorB.sendSenml([{ n: 'level', u: 'm', v: n, t: 1_750_000_000 + n }])).code, '2.04');
    t.equal((await sensorA.sendSenml([{ n: 'level', u: 'm', v: n, t: 1_750_000_000 + n }])).code, '2.04');
    await until(`dev-a reading ${n} in the cloud`, async () => (await count('dev-a')) >= n, 20_000);
  };
  await sendBothThenA(1);
  t.equal(await count('dev-b'), 1, 'before: dev-b readings accepted');

  // R2 through a rollout: the agent applies it and changes at once
  await cloud.desired.setLayer('group', 'live', R2, false);
  const r = await cloud.rollouts.begin({ group: 'live', waves: [100], soakMs: 600_000, maxFailedRatio: 0.1 });
  await until('agent applied R2', () => applier.config?.sync.health_interval_ms === 1000, 20_000);
  const runningR2 = applier.running!.version;
  const h0 = health;
  await until('agent sends Health every second', () => health - h0 >= 3, 20_000);
  await sendBothThenA(2);
  t.equal(await count('dev-b'), 1, 'during: dev-b denied, its reading dropped at the edge');
  t.equal((await cloud.rollouts.get(r.id)).state, 'running', 'the rollout waits for the simulated gateway');

  // the simulated gateway fails: the rollout aborts and rolls both back
  await until('simulated gateway got R2 and failed it', () => held.length > 0, 20_000);
  for (const b of held.splice(0)) sim.publish(topics.up(sid.gatewayId, 'config-status'), b, { qos: 1 });
  await until('rollout aborted', async () => (await cloud.rollouts.get(r.id)).state === 'aborted', 20_000);
  await until(
    'agent back on R1 content as a newer version',
    () => applier.config?.sync.health_interval_ms === 60_000 && applier.running!.version > runningR2,
    20_000,
  );
  t.equal(applier.running?.toml, r1Toml, 'the previous content runs again');
  await sendBothThenA(3);
  t.equal(await count('dev-b'), 2, 'after: dev-b readings accepted again');
  const h1 = health;
  await new Promise((resolve) => setTimeout(resolve, 3000)); // an observation window, not a synchronisation
  t.ok(health - h1 <= 1, `after: no periodic Health at 1 s any more (${health - h1} in 3 s)`);
  await until('cloud sees the agent in sync', async () => (await cloud.desired.view('gw-live')).inSync, 20_000);
});
