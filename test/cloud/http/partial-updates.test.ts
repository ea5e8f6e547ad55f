/**
 * Issue 17 item 2, the class: an update route changes only the fields it is given; clearing is
 * explicit. PUT /api/v1/gateways/{id}/tags blanked the tags left out; now PUT must name all three
 * (it replaces) and PATCH changes those given ('' or null clears). PUT /api/v1/devices blanked a
 * registered device's type and interval when a re-registration left them out; now they are kept.
 */
import t from 'tap';
import { startCloud } from '../../helpers/fleet.js';
import type { ApiErrorBody } from '../../../cloud/http/api-types.js';

const JSON_TYPE = { 'content-type': 'application/json' };

t.test('gateway tags: PATCH changes what is given, PUT replaces all and needs all', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const base = `http://127.0.0.1:${cloud.api.port}/api/v1/gateways/gw-p/tags`;
  await cloud.store.createGateway('gw-p', 'x');
  const send = async <T>(method: string, body: unknown): Promise<[number, T]> => {
    const r = await fetch(base, { method, headers: JSON_TYPE, body: JSON.stringify(body) });
    return [r.status, await r.json()];
  };
  t.same(await send('PUT', { district: 'd1', site: 's1', group: 'g1' }), [
    200,
    { id: 'gw-p', district: 'd1', site: 's1', group: 'g1' },
  ]);
  t.same(
    await send('PATCH', { site: 's2' }),
    [200, { id: 'gw-p', district: 'd1', site: 's2', group: 'g1' }],
    'PATCH site keeps district and group',
  );
  t.same(
    await send('PATCH', { district: '', group: null }),
    [200, { id: 'gw-p', district: '', site: 's2', group: '' }],
    "'' and null clear",
  );
  const [st, partialPut] = await send<ApiErrorBody>('PUT', { site: 's3' });
  t.equal(st, 400, 'a PUT that leaves tags out is refused, not applied with blanks');
  t.match(partialPut.error, { code: 'CLOUD_ERR_BAD_REQUEST', message: /give district, group too/ });
  t.same(
    (await cloud.store.getGatewayHealth('gw-p'))?.tags,
    { district: '', site: 's2', group: '' },
    'nothing changed',
  );
  t.match((await send<ApiErrorBody>('PATCH', {}))[1].error.message, /at least one of district, site, group/);
  t.match(
    (await send<ApiErrorBody>('PATCH', { grp: 'x' }))[1].error.message,
    /unknown field "grp"/,
    'a misspelt tag is refused, not ignored',
  );
  t.equal((await send('PATCH', { site: 5 }))[0], 400);
  t.equal(
    (
      await fetch(`http://127.0.0.1:${cloud.api.port}/api/v1/gateways/gw-none/tags`, {
        method: 'PATCH',
        headers: JSON_TYPE,
        body: '{"site":"x"}',
      })
    ).status,
    404,
  );
});

t.test('device registration keeps a type and interval left out', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const url = `http://127.0.0.1:${cloud.api.port}/api/v1/devices`;
  await cloud.store.createGateway('gw-d', 'x');
  await cloud.store.createGateway('gw-e', 'x');
  const put = async (devices: unknown[]): Promise<number> =>
    (await fetch(url, { method: 'PUT', headers: JSON_TYPE, body: JSON.stringify({ devices }) })).status;
  t.equal(await put([{ id: 'wm-1', gatewayId: 'gw-d', type: 'water_meter', intervalS: 900 }]), 200);
  t.equal(await put([{ id: 'wm-1', gatewayId: 'gw-e' }]), 200);
  t.match(
    await cloud.store.getDevice('wm-1'),
    { gatewayId: 'gw-e', type: 'water_meter', intervalS: 900 },
    'moved; type and interval kept',
  );
  t.equal(await put([{ id: 'wm-1', gatewayId: 'gw-e', type: '', intervalS: 0 }]), 200);
  t.match(
    await cloud.store.getDevice('wm-1'),
    { type: '', intervalS: 3600 },
    "'' and 0 set them explicitly (0 = the default interval)",
  );
  t.equal(await put([{ id: 'wm-2', gatewayId: 'gw-e' }]), 200);
  t.match(
    await cloud.store.getDevice('wm-2'),
    { type: '', intervalS: 3600 },
    'a new device without them: none and the default',
  );
  t.equal(await put([{ id: 'wm-3', gatewayId: 'gw-e', type: 7 }]), 400);
  const byType = (await cloud.store.counters('type'))
    .filter((c) => c.metric === 'devices_total' && c.value > 0)
    .map((c) => [c.key, c.value]);
  t.same(byType, [['', 2]], 'the type counters follow');
});
