/**
 * Issue 16, findings 1 and 3 at the cloud, over real MQTT against a real cloud: a batch is never
 * rejected whole for readings the cloud can isolate (before the fix one device's microsecond
 * timestamps made the cloud answer REJECTED and the edge dead-letter everyone's readings), and a
 * crafted batch that claims billions of readings is refused at once instead of taking the cloud
 * down (before: event loop blocked, heap 4.7 GB).
 */
import t from 'tap';
import { deflateRawSync } from 'node:zlib';
import { encodeBatch } from '../../../proto/batch-codec.js';
import { DICTIONARY_V1 } from '../../../proto/dictionary.js';
import { pb, AckStatus, ClockQuality, Priority } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { startCloud } from '../../helpers/fleet.js';
import { connectGateway as gateway } from '../../helpers/gateway-client.js';
import { until } from '../../helpers/wait.js';

const NOW = Date.now();
const r = (deviceId: string, ts: number, value: Reading['value'], metric = 'volume'): Reading => ({
  deviceId,
  metric,
  unit: 'm3',
  ts,
  value,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
});

t.test('bad readings are quarantined, the rest stored and acknowledged STORED with the groups', async (t) => {
  const c = await startCloud();
  t.teardown(() => c.cloud.stop());
  const gw = await gateway(c, 'gw-q');
  t.teardown(() => gw.client.endAsync());
  const healthy = Array.from({ length: 200 }, (_, i) => r(`meter-${i % 5}`, NOW - 3_600_000 + i * 1000, i));
  const usec = Array.from({ length: 40 }, (_, i) => r('meter-usec', (NOW - 3_600_000 + i * 1000) * 1e6, i)); // SenML t in µs read as seconds: beyond 2^53 ms
  const odd = [
    r('meter-odd', 0, 1),
    r('meter-odd', NOW + 30 * 86_400_000, 2),
    r('meter-odd', NOW, Number.NaN),
    r('meter-odd', NOW + 1, 5),
  ];
  const bytes = encodeBatch({ gatewayId: 'gw-q', epoch: 1, seq: 1 }, [...healthy, ...usec, ...odd]);
  await gw.send(bytes);
  await until('ack', () => gw.acks.length === 1);
  const ack = gw.acks[0]!;
  t.equal(ack.status, AckStatus.STORED, 'stored, not rejected');
  t.equal(ack.storedReadings, 201);
  t.equal(ack.quarantinedReadings, 43);
  t.match(ack.quarantined, [
    { deviceId: 'meter-usec', metric: 'volume', errorCode: 'WIRE_ERR_READING_RANGE', count: 40 },
    { deviceId: 'meter-odd', metric: 'volume', errorCode: 'WIRE_ERR_READING_RANGE', count: 2 },
    { deviceId: 'meter-odd', metric: 'volume', errorCode: 'WIRE_ERR_READING_VALUE', count: 1 },
  ]);
  for (let i = 0; i < 5; i++)
    t.equal((await c.cloud.store.readings({ deviceId: `meter-${i}` })).length, 40, `meter-${i}: all 40 stored`);
  t.same(
    (await c.cloud.store.readings({ deviceId: 'meter-odd' })).map((x) => x.value),
    [5],
    'of the odd device only its good reading',
  );
  t.equal((await c.cloud.store.readings({ deviceId: 'meter-usec' })).length, 0);

  // counted and visible: stats, the gateway's quarantine, metrics, one log line (not one per reading)
  const stats = (await (await fetch(`http://127.0.0.1:${c.cloud.api.port}/api/v1/stats`)).json()) as {
    store: { quarantined: number };
    ingest: Record<string, unknown>;
  };
  t.equal(stats.store.quarantined, 43);
  t.match(stats.ingest, {
    stored: 1,
    quarantined: 43,
    quarantinedByCode: { WIRE_ERR_READING_RANGE: 42, WIRE_ERR_READING_VALUE: 1 },
    byGateway: { 'gw-q': { quarantined: 43 } },
  });
  const q = (await (await fetch(`http://127.0.0.1:${c.cloud.api.port}/api/v1/gateways/gw-q/quarantine`)).json()) as {
    totals: unknown[];
    recent: unknown[];
  };
  t.same(q.totals, [
    { code: 'WIRE_ERR_READING_RANGE', readings: 42, events: 0 },
    { code: 'WIRE_ERR_READING_VALUE', readings: 1, events: 0 },
  ]);
  t.match(q.recent, [{ deviceId: 'meter-odd', code: 'WIRE_ERR_READING_VALUE', count: 1, epoch: 1, seq: 1 }, {}, {}]);
  const metrics = await (await fetch(`http://127.0.0.1:${c.cloud.api.port}/metrics`)).text();
  t.match(metrics, /yiwang_ingest_quarantined_readings_total\{code="WIRE_ERR_READING_RANGE"\} 42/);
  t.equal(c.logs.withCode('CLOUD_ERR_READINGS_QUARANTINED').length, 1);

  // a resend (lost ack) is a duplicate that still reports what was quarantined the first time
  await gw.send(bytes);
  await until('second ack', () => gw.acks.length === 2);
  t.match(gw.acks[1], {
    status: AckStatus.DUPLICATE,
    quarantinedReadings: 43,
    quarantined: [{ deviceId: 'meter-usec', count: 40 }, {}, {}],
  });
  t.equal((await c.cloud.store.stats()).readings, 201, 'stored once');
});

t.test('a crafted batch is refused at once; the cloud keeps serving', async (t) => {
  const c = await startCloud(undefined, { ingest: { max_readings_per_batch: 1000 } });
  t.teardown(() => c.cloud.stop());
  const gw = await gateway(c, 'gw-evil');
  t.teardown(() => gw.client.endAsync());
  // the finding: reading_count 2^32-1, one device, 40 timelines of count 1e8
  const body = pb.BatchBody.encode({
    devices: [
      { deviceId: 'd', timelines: Array.from({ length: 40 }, () => ({ startMs: NOW, count: 1e8 })), metric: ['m'] },
    ],
  }).finish();
  const bomb = pb.Batch.encode({
    gatewayId: 'gw-evil',
    epoch: 1,
    seq: 1,
    codec: 1,
    body: deflateRawSync(body, { dictionary: DICTIONARY_V1 }),
    readingCount: 4294967295,
  }).finish();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = Date.now();
  await gw.send(bomb);
  await until('ack of the bomb', () => gw.acks.length === 1);
  const ms = Date.now() - t0;
  t.match(gw.acks[0], { status: AckStatus.REJECTED, errorCode: 'WIRE_ERR_LIMIT' });
  t.ok(ms < 2000, `refused in ${ms} ms`);
  t.ok(process.memoryUsage().heapUsed - heap0 < 64e6, 'with little heap');
  // ingest.max_readings_per_batch is the cloud's cap: 1,001 honest readings are over it, 1,000 are not
  const many = (n: number, seq: number): Uint8Array =>
    encodeBatch(
      { gatewayId: 'gw-evil', epoch: 1, seq },
      Array.from({ length: n }, (_, i) => r('m-1', NOW - n + i, i)),
    );
  await gw.send(many(1001, 2));
  await gw.send(many(1000, 3));
  await until('two more acks', () => gw.acks.length === 3);
  t.match(gw.acks[1], {
    seq: 2,
    status: AckStatus.REJECTED,
    errorCode: 'WIRE_ERR_LIMIT',
    detail: /1001 over the limit of 1000/,
  });
  t.match(gw.acks[2], { seq: 3, status: AckStatus.STORED, storedReadings: 1000 });
  t.ok(gw.client.connected);
});
