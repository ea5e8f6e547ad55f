/** GET /api/v1/devices/{id}/readings?order=desc: the newest readings first (the demo's README example). */
import t from 'tap';
import { encodeBatch, decodeBatch } from '../../../proto/batch-codec.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import { startCloud } from '../../helpers/fleet.js';
import type { ApiErrorBody } from '../../../cloud/http/api-types.js';

/** GET /api/v1/devices/{id}/readings, the field checked here. */
type ReadingsBody = { readings: { ts: number }[] };

t.test('order=desc gives the newest `limit` readings, newest first; asc (the default) the oldest', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const get = async <T>(p: string): Promise<[number, T]> => {
    const r = await fetch(base + p);
    return [r.status, await r.json()];
  };
  await cloud.createGateway('gw-o');
  const readings = Array.from({ length: 10 }, (_, i) => ({
    deviceId: 'aq-1',
    metric: i % 2 ? 'pm10' : 'pm2_5',
    unit: 'ug/m3',
    ts: 1_000_000 + i * 1000,
    value: i,
    clock: ClockQuality.CLOCK_DEVICE,
    priority: Priority.PRIORITY_NORMAL,
  }));
  await cloud.store.ingestBatch(decodeBatch(encodeBatch({ gatewayId: 'gw-o', epoch: 1, seq: 1 }, readings)));
  const ts = (r: ReadingsBody): number[] => r.readings.map((x) => x.ts);

  const [, desc] = await get<ReadingsBody>('/api/v1/devices/aq-1/readings?metric=pm2_5&order=desc&limit=3');
  t.same(ts(desc), [1_008_000, 1_006_000, 1_004_000], 'the newest three pm2_5 readings, newest first');
  const [, asc] = await get<ReadingsBody>('/api/v1/devices/aq-1/readings?metric=pm2_5&limit=3');
  t.same(ts(asc), [1_000_000, 1_002_000, 1_004_000], 'without order: the oldest, in time order (unchanged)');
  t.same(ts((await get<ReadingsBody>('/api/v1/devices/aq-1/readings?metric=pm2_5&order=asc&limit=3'))[1]), ts(asc));
  const [, window] = await get<ReadingsBody>('/api/v1/devices/aq-1/readings?order=desc&from=1002000&to=1005000');
  t.same(ts(window), [1_005_000, 1_004_000, 1_003_000, 1_002_000], 'within from/to');
  const [status, bad] = await get<ApiErrorBody>('/api/v1/devices/aq-1/readings?order=newest');
  t.equal(status, 400);
  t.match(bad.error, { code: 'CLOUD_ERR_BAD_REQUEST', message: /order must be asc or desc/ });
});
