/**
 * Issue 17 item 2: the group tag is the gateway's configuration group. `gateways tag --group B`
 * moves a provisioned gateway to B: it gets B's configuration and B's rollouts, and leaves A's.
 */
import t from 'tap';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { closeAll, simFleet } from '../rollout/sim-fleet.js';
import { cloudCli, isolateCliEnv } from './run-cli.js';

isolateCliEnv();

t.test("tag --group moves the gateway to that group's configuration; other tags do not", async (t) => {
  const { cloud, mqttUrl } = await startCloud();
  t.teardown(() => cloud.stop());
  await cloud.desired.setLayer('group', 'grp-a', '[sync]\ndaily_bytes = 1111\n');
  await cloud.desired.setLayer('group', 'grp-b', '[sync]\ndaily_bytes = 2222\n');
  const [gw] = await simFleet(cloud, mqttUrl, { group: 'grp-a', count: 1 });
  t.teardown(() => closeAll([gw!]));
  await until('group A config applied', () => gw!.applier.config?.sync.daily_bytes === 1111, 20_000);
  const url = `http://127.0.0.1:${cloud.api.port}`;
  const tag = (...a: string[]) => cloudCli(['--url', url, 'gateways', 'tag', gw!.gatewayId, ...a]);

  t.equal((await tag('--site', 'js-9')).code, 0);
  t.same(await cloud.controlPlane.groupMembers('grp-a'), [gw!.gatewayId], '--site leaves the gateway in its group');
  const moved = await tag('--group', 'grp-b');
  t.equal(moved.code, 0, moved.err);
  t.same(await cloud.controlPlane.groupMembers('grp-b'), [gw!.gatewayId], 'now a member of B');
  t.same(await cloud.controlPlane.groupMembers('grp-a'), [], 'and no longer of A');
  await until('group B config applied on the gateway', () => gw!.applier.config?.sync.daily_bytes === 2222, 20_000);
  t.match((await cloud.desired.view(gw!.gatewayId)).desired?.label, /moved to group grp-b/);

  t.equal((await tag('--clear-group')).code, 0);
  await until(
    'no group: the fleet default again',
    () => gw!.applier.config !== null && gw!.applier.config.sync.daily_bytes !== 2222,
    20_000,
  );
});
