/**
 * Canaries by count: a plan of `N` (gateways) and `P%` (of the group) steps, cumulative, with a
 * final 100% added; each wave's members are recorded and shown.
 */
import t from 'tap';
import { parseWaves, waveTargets } from '../../../cloud/rollout/waves.js';
import type { RolloutView } from '../../../cloud/rollout/view.js';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { closeAll, simFleet, untilSessions } from './sim-fleet.js';

t.test('plans: N gateways or P% of the group, cumulative, a final 100% added', async (t) => {
  t.same(parseWaves(['1', '5', '50%']), ['1', '5', '50%', '100%']);
  t.same(parseWaves([1, 10, 50, 100]), ['1%', '10%', '50%', '100%'], 'numbers are percentages (the original API form)');
  t.same(parseWaves(undefined), ['1', '10%', '50%', '100%'], 'default: one canary, then 10 %, 50 %, all');
  t.same(parseWaves([' 2 ', '12.50%', '100%']), ['2', '12.5%', '100%']);
  t.same(waveTargets(['1', '5', '50%', '100%'], 40), [1, 5, 20, 40]);
  t.same(waveTargets(['1', '5', '50%', '100%'], 4), [1, 4, 4, 4], 'at most the group; a wave adding nobody is skipped');
  t.same(waveTargets(['10%', '100%'], 30), [3, 30], '10 % of 30 is 3, not 4 (no float rounding up)');
  t.same(waveTargets(['50', '10%', '100%'], 100), [50, 50, 100], 'never fewer than the wave before');
  for (const bad of [[], ['0'], ['5', '3'], ['50%', '10%'], ['150%'], ['0%'], ['x'], ['1.5'], [Number.NaN]]) {
    t.throws(
      () => parseWaves(bad as (string | number)[]),
      { code: 'CLOUD_ERR_BAD_REQUEST' },
      `refused: ${JSON.stringify(bad)}`,
    );
  }
});

t.test(
  "a rollout by count through the API: 1 gateway, then 5, then 50 %, then all; each wave's members recorded",
  async (t) => {
    const { cloud, mqttUrl } = await startCloud(undefined, { rollout: { tick_ms: 50 } });
    t.teardown(() => cloud.stop());
    const sims = await simFleet(cloud, mqttUrl, { group: 'north', count: 12 });
    t.teardown(() => closeAll(sims));
    await cloud.desired.setLayer('group', 'north', '[sync]\ndaily_bytes = 1000\n');
    await untilSessions(cloud, sims, true);
    await until('all run revision 1', () => sims.every((s) => s.applier.config?.sync.daily_bytes === 1000), 20_000);
    await cloud.desired.setLayer('group', 'north', '[sync]\ndaily_bytes = 2000\n', false);
    const url = `http://127.0.0.1:${cloud.api.port}/api/v1/rollouts`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ group: 'north', waves: ['1', '5', '50%'], soakMs: 1000 }),
    });
    t.equal(res.status, 201);
    const started = (await res.json()) as RolloutView;
    t.same(started.waves, ['1', '5', '50%', '100%']);
    t.same(
      started.plan.map((w) => w.target),
      [1, 5, 6, 12],
    );
    t.same(started.plan[0]!.members, ['north-00'], 'the first wave is one canary');
    t.same(started.members, ['north-00']);
    await until('completed', async () => (await cloud.rollouts.get(started.id)).state === 'completed', 20_000).catch(
      async (e) => {
        console.error(JSON.stringify(await cloud.rollouts.get(started.id), null, 1));
        throw e;
      },
    );
    const end = (await (await fetch(`${url}/${started.id}`)).json()) as RolloutView;
    t.same(
      end.plan.map((w) => w.members),
      [
        ['north-00'],
        ['north-01', 'north-02', 'north-03', 'north-04'],
        ['north-05'],
        ['north-06', 'north-07', 'north-08', 'north-09', 'north-10', 'north-11'],
      ],
      "each wave's members",
    );
    t.ok(
      end.plan.every((w) => w.startedMs !== null && w.endedMs !== null && w.endedMs >= w.startedMs),
      'each wave started and ended',
    );
    t.equal(end.applied, 12);
    t.equal(end.pending, 0);
    t.same(end.failed, {});
    t.ok(end.finished);
    await until('all run revision 2', () => sims.every((s) => s.applier.config?.sync.daily_bytes === 2000), 20_000);
    const bad = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ group: 'north', waves: ['5', '2'] }),
    });
    t.equal(bad.status, 400);
    t.match(
      ((await bad.json()) as { error: { message: string } }).error.message,
      /2 does not exceed the earlier count 5/,
    );
    await closeAll(sims);
  },
);
