/** The cloud HTTP API over real HTTP, with data ingested through the real store. */
import t from 'tap';
import { encodeBatch, decodeBatch } from '../../../proto/batch-codec.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import { startCloud } from '../../helpers/fleet.js';
import type { ApiErrorBody, DevicesResponse, GatewayRecord } from '../../../cloud/http/api-types.js';

const JSON_TYPE = { 'content-type': 'application/json' };
/** GET /api/v1/devices/{id}/readings, the fields checked here. */
type ReadingsBody = { readings: { ts: number; value: number }[] };

t.test('gateways, devices and readings over a time range', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const get = async <T>(p: string): Promise<[number, T]> => {
    const r = await fetch(base + p);
    return [r.status, await r.json()];
  };

  const created = await fetch(`${base}/api/v1/gateways`, {
    method: 'POST',
    headers: JSON_TYPE,
    body: JSON.stringify({ id: 'gw-9' }),
  });
  t.equal(created.status, 201);
  const { secret } = (await created.json()) as { secret: string };
  t.ok(secret.length >= 32, 'a strong secret is issued');
  t.equal(
    (
      await fetch(`${base}/api/v1/gateways`, {
        method: 'POST',
        headers: JSON_TYPE,
        body: JSON.stringify({ id: 'gw-9' }),
      })
    ).status,
    409,
  );
  const [badStatus, bad] = await get<ApiErrorBody>('/api/v1/devices/none/readings');
  t.equal(badStatus, 404);
  t.equal(bad.error.code, 'CLOUD_ERR_NOT_FOUND');
  t.equal((await fetch(`${base}/api/v1/gateways`, { method: 'POST', headers: JSON_TYPE, body: '{nope' })).status, 400);

  const readings = Array.from({ length: 10 }, (_, i) => ({
    deviceId: 'meter-1',
    metric: 'volume_total',
    unit: 'm3',
    ts: 1_000_000 + i * 1000,
    value: 100 + i,
    clock: ClockQuality.CLOCK_DEVICE,
    priority: Priority.PRIORITY_NORMAL,
  }));
  await cloud.store.ingestBatch(decodeBatch(encodeBatch({ gatewayId: 'gw-9', epoch: 1, seq: 1 }, readings)));

  const [, gws] = await get<{ gateways: GatewayRecord[] }>('/api/v1/gateways');
  t.same(
    gws.gateways.map((g: { id: string; readings: number }) => [g.id, g.readings]),
    [['gw-9', 10]],
  );
  const [, devs] = await get<DevicesResponse>('/api/v1/devices?gateway=gw-9');
  t.same(
    devs.devices.map((d: { id: string; readings: number; lastReadingTs: number }) => [
      d.id,
      d.readings,
      d.lastReadingTs,
    ]),
    [['meter-1', 10, 1_009_000]],
  );
  const [, range] = await get<ReadingsBody>('/api/v1/devices/meter-1/readings?from=1003000&to=1005000');
  t.same(
    range.readings.map((r: { ts: number; value: number }) => [r.ts, r.value]),
    [
      [1_003_000, 103],
      [1_004_000, 104],
      [1_005_000, 105],
    ],
  );
  const [, limited] = await get<ReadingsBody>('/api/v1/devices/meter-1/readings?limit=2&metric=volume_total');
  t.equal(limited.readings.length, 2);
  const [st] = await get<ApiErrorBody>('/api/v1/devices/meter-1/readings?from=yesterday');
  t.equal(st, 400);
});

t.test('a token, when configured, is required', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: 'tok-123' } });
  t.teardown(() => cloud.stop());
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const no = await fetch(`${base}/api/v1/gateways`);
  t.equal(no.status, 401);
  t.equal(((await no.json()) as { error: { code: string } }).error.code, 'CLOUD_ERR_UNAUTHORIZED');
  t.equal((await fetch(`${base}/api/v1/gateways`, { headers: { authorization: 'Bearer tok-123' } })).status, 200);
  t.equal((await fetch(`${base}/healthz`)).status, 200, 'the liveness probe needs no token');
});
