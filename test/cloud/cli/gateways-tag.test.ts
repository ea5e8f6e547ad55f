/**
 * Issue 17 item 2: `gateways tag --site X` blanked district and group (the group decides the
 * configuration and rollouts a gateway gets). Tags change only what is named; clearing is explicit
 * (--clear-district, or --district '').
 */
import t from 'tap';
import { startCloud } from '../../helpers/fleet.js';
import { cloudCli, isolateCliEnv } from './run-cli.js';

isolateCliEnv();

t.test('tag changes only the tags named', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const url = `http://127.0.0.1:${cloud.api.port}`;
  await cloud.store.createGateway('gw-t', 'x');
  const tag = (...a: string[]) => cloudCli(['--url', url, 'gateways', 'tag', 'gw-t', ...a]);
  const tags = async (): Promise<unknown> => (await cloud.store.getGatewayHealth('gw-t'))?.tags;

  t.equal((await tag('--district', 'jiefang', '--site', 'js-1', '--group', 'meters')).code, 0);
  const site = await tag('--site', 'js-2');
  t.equal(site.code, 0, site.err);
  t.match(site.out, 'gateway gw-t: district=jiefang site=js-2 group=meters');
  t.same(await tags(), { district: 'jiefang', site: 'js-2', group: 'meters' }, '--site alone keeps district and group');

  t.equal((await tag('--clear-district')).code, 0);
  t.same(await tags(), { district: '', site: 'js-2', group: 'meters' }, '--clear-district clears only the district');
  t.equal((await tag('--group', '')).code, 0);
  t.same(await tags(), { district: '', site: 'js-2', group: '' }, "--group '' clears the group");
  const summary = JSON.parse((await cloudCli(['--url', url, '--json', 'health', 'summary'])).out) as {
    byGroup: { key: string }[];
    bySite?: unknown;
  };
  t.same(
    summary.byGroup.map((g) => g.key),
    [''],
    'the gateway counts where its tags say',
  );

  const none = await tag();
  t.equal(none.errCode, 'CLOUD_ERR_BAD_REQUEST');
  t.match(none.err, /give at least one of --district, --site, --group/);
  const both = await tag('--site', 'x', '--clear-site');
  t.equal(both.errCode, 'CLOUD_ERR_BAD_REQUEST');
  t.match(both.err, /contradict/);
  t.same(await tags(), { district: '', site: 'js-2', group: '' }, 'a refused tag changes nothing');
  t.equal((await cloudCli(['--url', url, 'gateways', 'tag', 'gw-nope', '--site', 'x'])).errCode, 'CLOUD_ERR_NOT_FOUND');
});
