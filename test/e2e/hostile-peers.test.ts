/**
 * The hostile-peer suite (issue 16): the attacks of scripts/sim/attackers.ts against a real cloud
 * and a real agent (the built CLIs, child processes, the agent under its own heap flags), each
 * while honest CoAP devices send. Every attack must leave both processes running, within their
 * memory budgets, and every reading an honest device got an ACK for must reach the cloud once.
 * The long version with figures is `npm run bench -- under-attack`.
 */
import t from 'tap';
import { ATTACKS, AttackLab } from '../../scripts/sim/attack-lab.js';

const EDGE_RSS_BUDGET_MB = 200;
const CLOUD_RSS_BUDGET_MB = 600;

const lab = await AttackLab.start({ devices: 8, gapMs: 20, floodPerS: 1500, giveUpMs: 20_000 });
t.teardown(() => lab.stop());

const baseline = await lab.round(3, []);
t.ok(baseline.acked > 0, `honest devices are acknowledged without attacks (${baseline.perS.toFixed(0)}/s)`);

for (const attack of ATTACKS) {
  await t.test(attack, async (t) => {
    const r = await lab.round(3, [attack]);
    t.ok(r.attackSent[attack]! > 0, `the attack ran (${r.attackSent[attack]} sent)`);
    t.ok(
      r.acked > 0,
      `honest devices were acknowledged during it (${r.perS.toFixed(0)}/s, baseline ${baseline.perS.toFixed(0)}/s)`,
    );
    t.same(lab.alive(), { edge: true, cloud: true }, 'neither process died');
    const rss = lab.rss();
    t.ok(rss.edge.peak <= EDGE_RSS_BUDGET_MB, `edge peak RSS ${rss.edge.peak} MB ≤ ${EDGE_RSS_BUDGET_MB}`);
    t.ok(rss.cloud.peak <= CLOUD_RSS_BUDGET_MB, `cloud peak RSS ${rss.cloud.peak} MB ≤ ${CLOUD_RSS_BUDGET_MB}`);
  });
}

await t.test('all attacks at once', async (t) => {
  const r = await lab.round(5, [...ATTACKS]);
  t.ok(r.acked > 0, `honest devices were acknowledged (${r.perS.toFixed(0)}/s)`);
  t.same(lab.alive(), { edge: true, cloud: true }, 'neither process died');
});

await t.test('nothing an honest device was promised is lost, nothing is duplicated', async (t) => {
  const fig = await lab.lost(90_000);
  t.ok(fig.acked > 0);
  t.equal(fig.lost, 0, `${fig.lost} of ${fig.acked} acknowledged readings missing from the cloud`);
  t.equal(fig.duplicated, 0);
});

await t.test("the rogue gateway wrote nothing into the honest gateway's devices", async (t) => {
  // the honest devices send after the rogue stopped, so the owner alone would be restored by them
  // even if the cloud let the rogue take the devices over: what proves the refusal is the rogue's
  // quarantine (its writes arrived and were refused) and the absence of its readings
  const q = await lab.get<{ totals: { code: string; readings: number; events: number }[] }>(
    '/api/v1/gateways/gw-rogue/quarantine',
  );
  const owner = q.totals.find((x) => x.code === 'CLOUD_ERR_DEVICE_OWNER');
  t.ok(
    owner && owner.readings > 0 && owner.events > 0,
    `the rogue's readings and alarms for the honest devices were quarantined (${JSON.stringify(owner)})`,
  );
  const dev = await lab.get<{ gatewayId: string }>('/api/v1/devices/honest-000');
  t.equal(dev.gatewayId, 'gw-honest', 'the device stays with its gateway');
  const { readings } = await lab.get<{ readings: { value: number; gatewayId: string }[] }>(
    '/api/v1/devices/honest-000/readings?limit=100000',
  );
  t.ok(readings.length > 0, 'the device has readings');
  t.notOk(
    readings.some((r) => r.gatewayId !== 'gw-honest' || r.value === -1),
    "no reading of the rogue gateway's among the device's",
  );
});
