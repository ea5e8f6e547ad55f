/**
 * What a rollout counts: gateways offline when their wave goes out are deferred (not sent, not
 * failed) and get the revision when it completes — or, with deferOffline false, are sent and
 * counted; an abort's rollback is tracked gateway by gateway until it finished; and a finished
 * rollout's figures never change afterwards, whatever its gateways do later.
 */
import t, { type Test } from 'tap';
import type { RolloutView } from '../../../cloud/rollout/view.js';
import type { CloudServer } from '../../../cloud/server.js';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { closeAll, simFleet, untilSessions, type SimGateway } from './sim-fleet.js';

const R1 = '[sync]\ndaily_bytes = 1000\n',
  R2 = '[sync]\ndaily_bytes = 2000\n';

async function view(cloud: CloudServer, id: string): Promise<RolloutView> {
  return (await (await fetch(`http://127.0.0.1:${cloud.api.port}/api/v1/rollouts/${id}`)).json()) as RolloutView;
}

/** A group on R1 with R2 staged; `offline` gateways never connected. */
async function group(
  t: Test,
  cloud: CloudServer,
  mqttUrl: string,
  name: string,
  count: number,
  offline: number[] = [],
  failOn?: number,
): Promise<SimGateway[]> {
  const sims = await simFleet(cloud, mqttUrl, {
    group: name,
    count,
    offline,
    check: (i, c) => (i === failOn && c.sync.daily_bytes === 2000 ? 'cannot run R2' : undefined),
  });
  t.teardown(() => closeAll(sims));
  await cloud.desired.setLayer('group', name, R1);
  const online = sims.filter((_s, i) => !offline.includes(i));
  await untilSessions(cloud, online, true);
  await until(`${name} runs R1`, () => online.every((s) => s.applier.config?.sync.daily_bytes === 1000), 20_000);
  await cloud.desired.setLayer('group', name, R2, false);
  return sims;
}

/**
 * Changes what the gateways of a finished rollout do (a new gateway layer applied on one, another
 * one's session closed) and waits until the cloud saw it and its rollout engine ticked twice more
 * (a running witness rollout's record is rewritten at every tick).
 */
async function disturb(
  cloud: CloudServer,
  reconfigure: SimGateway,
  close: SimGateway,
  witnessId: string,
): Promise<void> {
  await cloud.desired.setLayer('gateway', reconfigure.gatewayId, '[sync]\nhealth_interval_ms = 5000\n');
  await until(
    'the re-configured gateway applied its new version',
    async () => {
      const v = await cloud.desired.view(reconfigure.gatewayId);
      return v.inSync && v.desired?.label.startsWith('gateway layer') === true;
    },
    20_000,
  );
  await close.disconnect();
  await untilSessions(cloud, [close], false);
  const since = Date.now();
  let seen = 0,
    last = 0;
  await until(
    'two more engine ticks',
    async () => {
      const w = await cloud.rollouts.get(witnessId);
      if (w.updatedMs > since && w.updatedMs !== last) {
        seen++;
        last = w.updatedMs;
      }
      return seen >= 2;
    },
    20_000,
  );
}

t.test(
  'offline gateways are deferred, not failed; they get the revision at the end; the figures stay final',
  async (t) => {
    const { cloud, mqttUrl } = await startCloud(undefined, { rollout: { tick_ms: 50 } });
    t.teardown(() => cloud.stop());
    const sims = await group(t, cloud, mqttUrl, 'def', 6, [1, 4]);
    const witness = await group(t, cloud, mqttUrl, 'wit', 1);
    const w = await cloud.rollouts.begin({ group: 'wit', waves: ['100%'], soakMs: 600_000 });
    const r = await cloud.rollouts.begin({ group: 'def', waves: ['1', '100%'], soakMs: 500, maxFailedRatio: 0.1 });
    await until('completed', async () => (await cloud.rollouts.get(r.id)).state !== 'running', 20_000);
    const end = await view(cloud, r.id);
    t.equal(end.state, 'completed', 'two offline gateways out of six do not abort it');
    t.same(end.failed, {}, 'offline is not failed');
    t.same(Object.keys(end.deferred).sort(), ['def-01', 'def-04'], 'the offline gateways are deferred');
    t.same(end.members, ['def-00', 'def-02', 'def-03', 'def-05'], 'and not sent during the rollout');
    t.same(
      end.plan.map((x) => x.members),
      [['def-00'], ['def-02', 'def-03', 'def-05']],
      'the canary is an online gateway',
    );
    t.same([end.applied, end.pending, end.total], [4, 0, 6]);
    t.ok(end.finished);
    sims[1]!.connect();
    await until(
      'a deferred gateway gets the revision when it connects',
      () => sims[1]!.applier.config?.sync.daily_bytes === 2000,
      20_000,
    );
    t.match((await cloud.desired.view('def-01')).desired?.label, /\(deferred\)$/);

    await disturb(cloud, sims[0]!, sims[2]!, w.id);
    t.same(
      await view(cloud, r.id),
      end,
      "a finished rollout's figures do not change (re-configured and offline members)",
    );
    await closeAll([...sims, ...witness]);
  },
);

t.test('deferOffline false: offline gateways are sent and counted', async (t) => {
  const { cloud, mqttUrl } = await startCloud(undefined, { rollout: { tick_ms: 50 } });
  t.teardown(() => cloud.stop());
  const sims = await group(t, cloud, mqttUrl, 'cnt', 4, [2]);
  const r = await cloud.rollouts.begin({
    group: 'cnt',
    waves: ['100%'],
    soakMs: 500,
    maxFailedRatio: 0.1,
    deferOffline: false,
  });
  await until('finished', async () => (await cloud.rollouts.get(r.id)).state !== 'running', 20_000);
  const end = await view(cloud, r.id);
  t.equal(end.state, 'aborted');
  t.same(end.failed, { 'cnt-02': 'no status within the soak time' });
  t.same(end.deferred, {});
  await closeAll(sims);
});

t.test("an abort's rollback is tracked until every gateway answered; then its figures are final", async (t) => {
  const { cloud, mqttUrl } = await startCloud(undefined, { rollout: { tick_ms: 50 } });
  t.teardown(() => cloud.stop());
  const sims = await group(t, cloud, mqttUrl, 'rb', 4, [], 0);
  const witness = await group(t, cloud, mqttUrl, 'wit', 1);
  const w = await cloud.rollouts.begin({ group: 'wit', waves: ['100%'], soakMs: 600_000 });
  const r = await cloud.rollouts.begin({ group: 'rb', waves: ['2', '100%'], soakMs: 60_000, maxFailedRatio: 0.1 });
  await until('aborted', async () => (await cloud.rollouts.get(r.id)).state === 'aborted', 20_000);
  const early = await view(cloud, r.id);
  t.same(early.members, ['rb-00', 'rb-01']);
  t.match(early.failed['rb-00'], /EDGE_ERR_CONFIG_UNHEALTHY: cannot run R2/);
  t.same(
    Object.keys(early.rollback?.targets ?? {}).sort(),
    ['rb-00', 'rb-01'],
    'the rollback targets the reached gateways',
  );
  await until('rollback finished', async () => (await view(cloud, r.id)).finished, 20_000);
  const end = await view(cloud, r.id);
  t.same(
    [end.rollback?.applied, end.rollback?.failedCount, end.rollback?.pending, end.rollback?.total],
    [2, 0, 0, 2],
    'both back on the previous revision',
  );
  t.ok(end.rollback?.finishedMs, 'the rollback has an end');
  t.ok(
    sims.slice(0, 2).every((s) => s.applier.config?.sync.daily_bytes === 1000),
    'the reached gateways run R1 again',
  );
  t.equal(end.plan[1]!.startedMs, null, 'the second wave was never sent');

  await disturb(cloud, sims[1]!, sims[0]!, w.id);
  t.same(await view(cloud, r.id), end, "an aborted rollout's figures and its rollback's do not change afterwards");
  await closeAll([...sims, ...witness]);
});
