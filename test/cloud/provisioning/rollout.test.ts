/**
 * A rollout to 50 simulated gateways (real MQTT sessions, the edge's ConfigApplier) where the new
 * config breaks every fifth gateway: it stops in its first wave and every reached gateway runs the
 * previous config again.
 */
import t from 'tap';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { claimIdentity } from '../../../edge/provisioning/claim-client.js';
import { ConfigApplier } from '../../../edge/remote-config/applier.js';
import { silentLogger } from '../../../common/log.js';
import { topics } from '../../../proto/topics.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

interface Sim {
  id: string;
  applier: ConfigApplier;
  client: MqttClient;
}

t.test('rollout aborts in its first wave and rolls the reached gateways back', async (t) => {
  const { cloud, mqttUrl } = await startCloud(undefined, { rollout: { tick_ms: 50 } });
  t.teardown(() => cloud.stop());
  const { token } = await cloud.provisioning.createClaim({ group: 'south', uses: 50 });
  await cloud.desired.setLayer('group', 'south', '[profiles]\nenabled = []\n[sync]\ndaily_bytes = 1000\n');
  const dir = tempDir('yw-sims-');
  const sims: Sim[] = [];
  t.teardown(async () => {
    for (const s of sims) await s.client.endAsync(true);
  });
  for (let i = 0; i < 50; i++) {
    const id = await claimIdentity({
      url: mqttUrl,
      token,
      requestedId: `sim-${String(i).padStart(2, '0')}`,
      timeoutMs: 5000,
    });
    const broken = i % 5 === 0; // 20 % of the fleet lacks the profile the new config enables
    const client = mqtt.connect(mqttUrl, {
      clientId: id.gatewayId,
      username: id.gatewayId,
      password: id.secret,
      protocolVersion: 4,
      reconnectPeriod: 100,
    });
    const applier = new ConfigApplier({
      gatewayId: id.gatewayId,
      publicKey: id.configPublicKey,
      file: join(dir, `${id.gatewayId}.json`),
      log: silentLogger(),
      check: (c) => (broken && c.profiles.enabled?.includes('acme/new') ? 'profile acme/new not installed' : undefined),
      report: (b) => client.publish(topics.up(id.gatewayId, 'config-status'), b, { qos: 1 }),
    });
    client.on('message', (_topic, payload) => applier.handle(payload));
    client.on('connect', () => client.subscribe(topics.down(id.gatewayId, 'config'), { qos: 1 }));
    sims.push({ id: id.gatewayId, applier, client });
  }
  await until(
    'all 50 run the group config',
    () => sims.every((s) => s.applier.config?.sync.daily_bytes === 1000),
    15_000,
  );
  const before = new Map(sims.map((s) => [s.id, s.applier.running!.version]));

  await cloud.desired.setLayer(
    'group',
    'south',
    '[profiles]\nenabled = ["acme/new"]\n[sync]\ndaily_bytes = 2000\n',
    false,
  );
  t.ok(
    sims.every((s) => s.applier.config?.sync.daily_bytes === 1000),
    'a staged layer reaches nobody',
  );
  const r = await cloud.rollouts.begin({ group: 'south', waves: [10, 50, 100], soakMs: 200, maxFailedRatio: 0.1 });
  await until('rollout aborted', async () => (await cloud.rollouts.get(r.id)).state !== 'running', 15_000);
  const end = await cloud.rollouts.get(r.id);
  t.equal(end.state, 'aborted');
  t.equal(end.wave, 0, 'stopped in its first wave');
  t.same(end.members, ['sim-00', 'sim-01', 'sim-02', 'sim-03', 'sim-04'], 'first wave: 10 % of 50');
  t.same(Object.keys(end.failed), ['sim-00'], 'the broken gateway failed');
  t.match(end.failed['sim-00'], /EDGE_ERR_CONFIG_UNHEALTHY/);
  await until(
    'reached gateways back on the previous config, as a newer version',
    () =>
      end.members.every((g) => {
        const s = sims.find((x) => x.id === g)!;
        return s.applier.config?.sync.daily_bytes === 1000 && s.applier.running!.version > before.get(g)!;
      }),
    10_000,
  );
  for (const s of sims.slice(5)) t.equal(s.applier.running?.version, before.get(s.id), `${s.id} untouched`);
  t.equal(await cloud.controlPlane.activeGroupRevision('south'), 1, 'group stays on its previous revision');
  await until(
    'cloud sees the reached gateways in sync again',
    async () => (await Promise.all(end.members.map((g) => cloud.desired.view(g)))).every((v) => v.inSync),
    10_000,
  );
  const v = await cloud.desired.view('sim-00');
  t.equal(v.reported?.state, 'applied', 'desired and reported agree for the broken gateway');
  t.match(v.desired?.label ?? '', /^rollback of ro-/);
});
