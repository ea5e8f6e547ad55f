/**
 * Issue 16, finding 3, end to end: five healthy devices and one whose firmware sends SenML `t` in
 * microseconds post over real CoAP to a real agent that syncs to a real cloud. Before the fix the
 * bad timestamp passed the edge, the cloud rejected the whole batch and the edge dead-lettered it:
 * 200 of 200 acknowledged healthy readings never arrived. Now every healthy reading arrives, the
 * bad uplinks are refused (4.00) or, mixed with good records, quarantined, counted and shown.
 */
import t from 'tap';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { localApiGet } from '../../../edge/cli/local-api-client.js';
import type { DeadLettersView, QuarantineView } from '../../../edge/api/fault-routes.js';
import { render as renderQuarantine } from '../../../edge/cli/quarantine.js';
import { render as renderDeadLetters } from '../../../edge/cli/dead-letters.js';
import { render as renderStatus } from '../../../edge/cli/status.js';
import { EdgeMetrics } from '../../../edge/api/metrics.js';
import { pb } from '../../../proto/index.js';

const HEALTHY = 5,
  PER_DEVICE = 40;

t.test('one device with a microsecond clock costs only its own readings', async (t) => {
  const cloud = await startCloud();
  t.teardown(() => cloud.cloud.stop());
  const secret = await cloud.cloud.createGateway('gw-clock');
  // a long linger and large batches: the bad device's readings share batches with everyone's
  const { agent } = await startEdge(
    edgeConfig(tempDir(), 'gw-clock', secret, cloud.mqttUrl, { sync: { linger_ms: 300, batch_min_readings: 50 } }),
  );
  t.teardown(() => agent.stop());
  await until('uplink online', () => agent.uplink.state === 'online');
  const target = { host: '127.0.0.1', port: agent.coap.port };
  const t0 = Math.floor(Date.now() / 1000) - 3600; // seconds, an hour ago
  const healthy = Array.from({ length: HEALTHY }, (_, i) => new SimSensor(`meter-${i}`, target));
  const bad = new SimSensor('meter-usec', target);
  t.teardown(() => {
    for (const s of [...healthy, bad]) s.close();
  });

  const codes: Record<string, number> = {};
  const count = (c: string): void => {
    codes[c] = (codes[c] ?? 0) + 1;
  };
  await Promise.all([
    ...healthy.map(async (s, i) => {
      for (let j = 0; j < PER_DEVICE; j++) {
        const r = await s.sendSenml([{ n: 'volume', u: 'm3', v: i * 1000 + j, t: t0 + j }]);
        count(`healthy ${r.code}`);
      }
    }),
    (async () => {
      for (let j = 0; j < PER_DEVICE; j++) {
        // what the faulty firmware sends: microseconds since the epoch where RFC 8428 wants seconds
        const r = await bad.sendSenml([{ n: 'volume', u: 'm3', v: j, t: (t0 + j) * 1e6 }]);
        count(`bad ${r.code}`);
        if (j === 0) t.match(r.payload, /EDGE_ERR_READING_TIME_SCALE/, 'the device is told why');
      }
      // one pack with a good and a bad record: the good one is stored, the bad one quarantined
      const mixed = await bad.sendSenml([
        { n: 'battery', u: '%', v: 88, t: t0 },
        { n: 'volume', u: 'm3', v: 99, t: t0 * 1e6 },
      ]);
      count(`mixed ${mixed.code}`);
    })(),
  ]);
  t.same(
    codes,
    { 'healthy 2.04': HEALTHY * PER_DEVICE, 'bad 4.00': PER_DEVICE, 'mixed 2.04': 1 },
    'healthy uplinks acknowledged, the all-bad ones refused',
  );

  const want = HEALTHY * PER_DEVICE + 1;
  await until(
    'every acknowledged reading in the cloud',
    async () => (await cloud.cloud.store.stats()).readings >= want,
    30_000,
    50,
  );
  await until('the store drained', () => agent.store.stats().rows === 0);
  for (let i = 0; i < HEALTHY; i++) {
    const got = await cloud.cloud.store.readings({ deviceId: `meter-${i}`, limit: 1000 });
    t.same(
      got.map((r) => r.value),
      Array.from({ length: PER_DEVICE }, (_, j) => i * 1000 + j),
      `meter-${i}: all ${PER_DEVICE} readings arrived`,
    );
  }
  const fromBad = await cloud.cloud.store.readings({ deviceId: 'meter-usec', limit: 1000 });
  t.same(
    fromBad.map((r) => [r.metric, r.value]),
    [['battery', 88]],
    "the bad device's good reading arrived too",
  );
  t.equal((await cloud.cloud.store.stats()).readings, want, 'nothing else');

  const s = agent.status();
  t.equal(s.store.deadLetters, 0, 'no dead letters');
  t.equal(s.store.dropped.rejected, 0);
  t.same(
    s.store.quarantine.byReason,
    { EDGE_ERR_READING_TIME_SCALE: 1 },
    "the mixed pack's bad record is quarantined, by reason",
  );
  t.equal(s.coap.rejected, PER_DEVICE, 'the all-bad uplinks are counted as refused');
  const h = agent.health();
  t.equal(h.quarantinedReadings, 1);
  t.same(h.quarantinedByReason, { EDGE_ERR_READING_TIME_SCALE: 1 });
  t.equal(h.deadLetterBatches, 0);
  const wire = pb.Health.decode(pb.Health.encode({ ...h, gatewayId: 'gw-clock', tsMs: Date.now() }).finish());
  t.same(
    [Number(wire.quarantinedReadings), wire.quarantinedByReason],
    [1, { EDGE_ERR_READING_TIME_SCALE: 1 }],
    'Health fields 40 and 42 on the wire',
  );

  // what the technician sees: status, the quarantine list, the dead letters (local API + CLI rendering)
  t.match(
    renderStatus(s),
    /quarantined +.*1 readings refused one by one \(1 EDGE_ERR_READING_TIME_SCALE\), 0 batches dead-lettered/,
  );
  const q = await localApiGet<QuarantineView>(agent.api.socketPath, '/v1/quarantine?limit=5');
  t.match(q.entries, [
    {
      source: 'edge',
      deviceId: 'meter-usec',
      metric: 'volume',
      code: 'EDGE_ERR_READING_TIME_SCALE',
      count: 1,
      detail: /looks like microseconds/,
    },
  ]);
  t.match(
    renderQuarantine(q),
    /meter-usec +volume +1 +EDGE_ERR_READING_TIME_SCALE +record 1: t=.* looks like microseconds/,
  );
  const d = await localApiGet<DeadLettersView>(agent.api.socketPath, '/v1/dead-letters');
  t.same([d.entries, d.totals.batches], [[], 0]);
  t.match(renderDeadLetters(d), /^dead letters +0\n/);
  const metrics = await new EdgeMetrics(() => agent.status()).render();
  t.match(metrics, /^yiwang_edge_readings_quarantined_total\{reason="EDGE_ERR_READING_TIME_SCALE"\} 1$/m);
  t.match(metrics, /^yiwang_edge_dead_lettered_batches_total 0$/m);
});
