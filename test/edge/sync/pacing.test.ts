/** Uplink pacing: adaptive batch size, bandwidth cap, daily budget (alarms still go), drain rate. */
import t from 'tap';
import { join } from 'node:path';
import { AdaptiveBatchSize, DailyBudget, RateMeter, TokenBucket } from '../../../edge/sync/pacing.js';
import { CloudUplink } from '../../../edge/sync/uplink.js';
import { SqliteOutboxStore } from '../../../edge/store/outbox.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { silentLogger } from '../../../common/log.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

t.test('batch size grows on a fast link and halves on timeouts, within bounds', async (t) => {
  const b = new AdaptiveBatchSize(100, 10_000);
  t.equal(b.size, 500);
  b.acked(50, true);
  b.acked(50, true);
  t.equal(b.size, 1125);
  b.acked(50, false);
  t.equal(b.size, 1125, 'a partial batch says nothing about the link');
  b.acked(5000, true);
  t.equal(b.size, 1125, 'a slow ack does not grow it');
  for (let i = 0; i < 20; i++) b.acked(10, true);
  t.equal(b.size, 10_000);
  for (let i = 0; i < 20; i++) b.timedOut();
  t.equal(b.size, 100);
});

t.test('token bucket and daily budget', async (t) => {
  const bucket = new TokenBucket(10_000);
  t.equal(bucket.waitMs(), 0);
  bucket.spend(30_000);
  const w = bucket.waitMs();
  t.ok(w >= 1900 && w <= 2000, `20 KB of debt at 10 KB/s waits ~2 s (${w})`);
  t.equal(new TokenBucket(0).waitMs(), 0, 'no cap');
  let now = Date.UTC(2026, 10, 28, 23, 59);
  const budget = new DailyBudget(1000, () => now);
  budget.add('telemetry', 600);
  budget.add('health', 300);
  t.notOk(budget.exhausted());
  budget.add('telemetry', 200);
  t.ok(budget.exhausted());
  t.same(budget.today(), { telemetry: 800, events: 0, health: 300 });
  now += 120_000; // next UTC day
  t.notOk(budget.exhausted(), 'the budget renews each day');
  const meter = new RateMeter(10_000);
  meter.add(1000, 0);
  meter.add(1000, 5000);
  t.equal(Math.round(meter.perSecond(10_000)), 200);
});

const r = (i: number, priority: Priority): Reading => ({
  deviceId: `d${i % 3}`,
  metric: 'level',
  unit: 'm',
  ts: 1_760_000_000_000 + i,
  value: i,
  clock: ClockQuality.CLOCK_DEVICE,
  priority,
});

t.test('with the daily budget spent only alarms are sent; with a bandwidth cap the rate holds', async (t) => {
  const { cloud, mqttUrl } = await startCloud();
  t.teardown(() => cloud.stop());
  const secret = await cloud.createGateway('gw-pace');
  const store = new SqliteOutboxStore({ path: join(tempDir(), 'edge.db'), maintenanceMs: 0 });
  const mk = (dailyBytes: number, maxBytesPerS: number): CloudUplink =>
    new CloudUplink({
      gatewayId: 'gw-pace',
      secret,
      url: mqttUrl,
      store,
      log: silentLogger(),
      batchMaxReadings: 200,
      batchMinReadings: 200,
      maxBytesPerS,
      dailyBytes,
      lingerMs: 0,
      inflight: 2,
      ackTimeoutMs: 5000,
      connectTimeoutMs: 5000,
      reconnectMs: 200,
      agentVersion: 't',
      healthIntervalMs: 3_600_000,
    });
  const up = mk(1, 0); // one byte a day: spent by the first batch
  t.teardown(async () => {
    await up.stop();
    store.close();
  });
  await store.append(Array.from({ length: 600 }, (_, i) => r(i, Priority.PRIORITY_NORMAL)));
  up.start();
  await until('first batch acknowledged', () => up.counters.batchesAcked === 1);
  t.ok(up.budget.exhausted());
  await store.append([r(10_000, Priority.PRIORITY_ALARM)]);
  up.notify();
  await until(
    'the alarm goes through',
    async () =>
      (await cloud.store.readings({ deviceId: 'd1', metric: 'level', fromMs: 1_760_000_010_000 })).length === 1,
  );
  await until('its ack is back', () => up.counters.batchesAcked === 2);
  t.equal(up.counters.batchesSent, 2, 'nothing else was sent');
  t.equal(store.stats().pendingRows, 400, 'normal readings wait for tomorrow');
  await up.stop();

  const capped = mk(0, 20_000);
  t.teardown(() => capped.stop());
  // floats that do not compress: ~70 KB of batches
  await store.append(
    Array.from({ length: 8000 }, (_, i) => ({ ...r(20_000 + i, Priority.PRIORITY_NORMAL), value: Math.sin(i) * 1000 })),
  );
  const t0 = Date.now();
  capped.start();
  await until('drained under the cap', () => store.stats().rows === 0, 30_000);
  const seconds = (Date.now() - t0) / 1000;
  const bytes = capped.budget.today().telemetry;
  t.ok(bytes > 50_000, `${bytes} B sent`);
  // the bucket starts full (one second's worth) and may go one batch into debt
  t.ok(
    seconds >= (bytes - 20_000 - 10_000) / 20_000,
    `the cap held: ${bytes} B took ${seconds.toFixed(1)} s at 20000 B/s`,
  );
});
