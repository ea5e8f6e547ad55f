/**
 * Per-gateway ingest quota (issue 16, lower finding "a 1 KB deflated batch stored 1,000,000
 * readings"): a gateway over ingest.gateway_readings_per_s is slowed to it — its batch waits up to
 * ingest.gateway_max_delay_ms — or, further over, gets no answer for its batch: nothing stored,
 * nothing lost (it resends after its ack timeout). Other gateways go on as before.
 */
import t from 'tap';
import { encodeBatch } from '../../../proto/batch-codec.js';
import { AckStatus, ClockQuality, Priority } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { GatewayQuota } from '../../../cloud/ingest/quota.js';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../helpers/fleet.js';
import { connectGateway as gateway } from '../../helpers/gateway-client.js';
import { until } from '../../helpers/wait.js';

const NOW = Date.now();
const readings = (device: string, n: number, from = 0): Reading[] =>
  Array.from({ length: n }, (_, i) => ({
    deviceId: device,
    metric: 'volume',
    unit: 'm3',
    ts: NOW - 100_000 + from + i,
    value: from + i,
    clock: ClockQuality.CLOCK_DEVICE,
    priority: Priority.PRIORITY_NORMAL,
  }));

t.test('the token bucket: rate, burst, debt, pruning', async (t) => {
  const q = new GatewayQuota({ perS: 100, burst: 200, maxTracked: 2 });
  const take = (id: string, n: number, nowMs: number): boolean => q.reserve(id, n, nowMs, 0) === 0; // no wait allowed
  t.ok(take('a', 150, 0), 'a full bucket lets 150 through');
  t.notOk(take('a', 150, 0), '50 left: 150 more are over');
  t.notOk(take('a', 150, 900), '140 after 0.9 s');
  t.ok(take('a', 150, 1000), '150 after 1 s');
  t.ok(take('b', 1000, 0), 'a batch larger than the bucket passes when it is full…');
  t.notOk(take('b', 1, 5000), '…and its debt is waited off (800 over: 8 s, then 1 token)');
  t.ok(take('b', 1, 8010));
  take('c', 1, 10_000); // a third gateway: full buckets are forgotten
  t.ok(q.tracked <= 2, `${q.tracked} buckets tracked`);
  t.equal(new GatewayQuota({ perS: 0, burst: 1 }).reserve('x', 1e9, 0, 0), 0, 'perS 0: no quota');
  const p = new GatewayQuota({ perS: 100, burst: 200 });
  t.equal(p.reserve('a', 200, 0, 1000), 0, 'within the bucket: at once');
  t.equal(p.reserve('a', 50, 0, 1000), 500, 'the next 50 are due in 0.5 s: wait');
  t.equal(p.reserve('a', 100, 0, 1000), -1, 'these are due in 1.5 s: over the longest wait, nothing taken');
  t.equal(p.reserve('a', 100, 1500, 1000), 0, 'at 1.5 s the debt is paid and they are due: at once');
  t.equal(p.reserve('a', 150, 1500, 1000), -1, '150 more would be due in 1.5 s: refused');
  t.equal(p.reserve('a', 90, 1500, 1000), 900, '90 are due in 0.9 s');
});

t.test(
  'over its quota a gateway is not answered, and its resend is stored later; others are not held up',
  async (t) => {
    const c = await startCloud(undefined, {
      ingest: { gateway_readings_per_s: 200, gateway_burst_readings: 300, gateway_max_delay_ms: 0 },
    });
    t.teardown(() => c.cloud.stop());
    const flood = await gateway(c, 'gw-flood');
    const honest = await gateway(c, 'gw-honest');
    t.teardown(async () => {
      await flood.client.endAsync();
      await honest.client.endAsync();
    });
    const a = encodeBatch({ gatewayId: 'gw-flood', epoch: 1, seq: 1 }, readings('f-1', 250));
    const b = encodeBatch({ gatewayId: 'gw-flood', epoch: 1, seq: 2 }, readings('f-1', 250, 250));
    await flood.send(a);
    await until('first batch acknowledged', () => flood.acks.length === 1);
    t.match(flood.acks[0], { seq: 1, status: AckStatus.STORED, storedReadings: 250 });
    await flood.send(b);
    await until('the second batch throttled', () => c.cloud.ingest.counters.throttled >= 1);
    t.equal(c.cloud.ingest.counters.byGateway['gw-flood']?.throttledReadings, 250);
    // another gateway at the same moment: its own bucket
    await honest.send(encodeBatch({ gatewayId: 'gw-honest', epoch: 1, seq: 1 }, readings('h-1', 250)));
    await until('the honest gateway acknowledged', () => honest.acks.length === 1);
    t.match(honest.acks[0], { status: AckStatus.STORED, storedReadings: 250 });
    // the flooding gateway resends as an edge does after its ack timeout; it gets through once its bucket refilled
    await until(
      'the resent batch stored',
      async () => {
        if (flood.acks.length < 2) await flood.send(b);
        return flood.acks.length >= 2;
      },
      20_000,
      250,
    );
    t.same(
      flood.acks.map((x) => [x.seq, x.status]),
      [
        [1, AckStatus.STORED],
        [2, AckStatus.STORED],
      ],
      'no answer while throttled, STORED after',
    );
    t.equal(
      (await c.cloud.store.readings({ deviceId: 'f-1', limit: 1000 })).length,
      500,
      'nothing lost, nothing twice',
    );
    t.ok(c.logs.withCode('CLOUD_ERR_INGEST_THROTTLED').length <= 10, 'throttling is logged at a bounded rate');
    const stats = (await (await fetch(`http://127.0.0.1:${c.cloud.api.port}/api/v1/stats`)).json()) as {
      ingest: { throttled: number; byGateway: Record<string, { throttled: number }> };
    };
    t.ok(
      stats.ingest.throttled >= 1 && (stats.ingest.byGateway['gw-flood']?.throttled ?? 0) >= 1,
      'counted in /api/v1/stats',
    );
    t.notOk(stats.ingest.byGateway['gw-honest']?.throttled, 'the honest gateway never');
  },
);

t.test('a batch due within the longest wait is delayed, not refused', async (t) => {
  const c = await startCloud(undefined, {
    ingest: { gateway_readings_per_s: 200, gateway_burst_readings: 300, gateway_max_delay_ms: 5000 },
  });
  t.teardown(() => c.cloud.stop());
  const gw = await gateway(c, 'gw-paced');
  t.teardown(() => gw.client.endAsync());
  await gw.send(encodeBatch({ gatewayId: 'gw-paced', epoch: 1, seq: 1 }, readings('p-1', 250)));
  const t0 = Date.now();
  await gw.send(encodeBatch({ gatewayId: 'gw-paced', epoch: 1, seq: 2 }, readings('p-1', 250, 250))); // PUBACK after the wait
  await until('both acknowledged', () => gw.acks.length === 2);
  t.ok(Date.now() - t0 >= 900, `the second batch waited ${Date.now() - t0} ms for its readings (200/s)`);
  t.same(
    gw.acks.map((x) => [x.seq, x.status]),
    [
      [1, AckStatus.STORED],
      [2, AckStatus.STORED],
    ],
  );
  t.match(c.cloud.ingest.counters, { paced: 1, throttled: 0 });
});

t.test('a real edge agent over its quota loses nothing: every reading arrives, no dead letters', async (t) => {
  const c = await startCloud(undefined, {
    ingest: { gateway_readings_per_s: 1000, gateway_burst_readings: 500, gateway_max_delay_ms: 0 },
  });
  t.teardown(() => c.cloud.stop());
  const secret = await c.cloud.createGateway('gw-edge');
  const { agent } = await startEdge(
    edgeConfig(tempDir(), 'gw-edge', secret, c.mqttUrl, {
      sync: { ack_timeout_ms: 300, batch_max_readings: 500, batch_min_readings: 500, inflight: 4 },
    }),
  );
  t.teardown(() => agent.stop());
  await agent.store.append(readings('e-1', 3000));
  agent.uplink.notify();
  await until(
    'all 3000 readings in the cloud',
    async () => (await c.cloud.store.stats()).readings === 3000,
    30_000,
    50,
  );
  await until('the edge store drained', () => agent.store.stats().rows === 0);
  t.ok(c.cloud.ingest.counters.throttled >= 1, `${c.cloud.ingest.counters.throttled} batches throttled on the way`);
  t.equal(agent.status().store.deadLetters, 0);
  t.equal((await c.cloud.store.readings({ deviceId: 'e-1', limit: 5000 })).length, 3000, 'each reading once');
});
