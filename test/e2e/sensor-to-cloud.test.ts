/**
 * End to end on loopback: 100 simulated CoAP sensors × 100 readings → edge agent (a real child
 * process) → Aedes cloud. Every reading must be in the cloud store exactly once, with its content,
 * in a clean run, when the agent is SIGKILLed mid-stream, and when the broker is down for 5 s.
 */
import t, { type Test } from 'tap';
import { startCloud, type TestCloud } from '../helpers/fleet.js';
import { spawnEdge, startCloudAndEdge, type CloudAndEdge } from '../helpers/edge-process.js';
import { until } from '../helpers/wait.js';
import { SimSensor } from '../../scripts/sim/coap-sensors.js';

const SENSORS = 100,
  PER_SENSOR = 100,
  T0 = 1_750_000_000; // seconds
const expectedValue = (i: number, j: number): number => Math.round((i * 7 + j * 0.3) * 10) / 10;

async function setup(t: Test): Promise<CloudAndEdge> {
  const run = await startCloudAndEdge('gw-e2e');
  t.teardown(async () => {
    run.edge.proc.kill('SIGTERM');
    await run.edge.exited;
    await run.cloud.cloud.stop().catch(() => {});
  });
  return run;
}

/** Each sensor sends its readings one CON uplink at a time; `onProgress` sees the running total. */
async function stream(port: number, onProgress?: (sent: number) => Promise<void> | void): Promise<void> {
  let sent = 0;
  const sensors = Array.from(
    { length: SENSORS },
    (_, i) => new SimSensor(`sim-${String(i).padStart(3, '0')}`, { host: '127.0.0.1', port }),
  );
  try {
    await Promise.all(
      sensors.map(async (s, i) => {
        for (let j = 0; j < PER_SENSOR; j++) {
          const r = await s.sendSenml([{ n: 'level', u: 'm', v: expectedValue(i, j), t: T0 + j * 60 }]);
          if (r.code !== '2.04') throw new Error(`${s.deviceId} got ${r.code} ${r.payload}`);
          await onProgress?.(++sent);
        }
      }),
    );
  } finally {
    for (const s of sensors) s.close();
  }
}

async function assertExactlyOnce(t: Test, cloud: TestCloud): Promise<void> {
  await until(
    'all readings in the cloud',
    async () => (await cloud.cloud.store.stats()).readings >= SENSORS * PER_SENSOR,
    60_000,
    100,
  );
  const stats = await cloud.cloud.store.stats();
  t.equal(stats.readings, SENSORS * PER_SENSOR, 'count: exactly 10,000 readings stored');
  let mismatches = 0;
  for (let i = 0; i < SENSORS; i++) {
    const got = await cloud.cloud.store.readings({ deviceId: `sim-${String(i).padStart(3, '0')}`, limit: 1000 });
    const want = Array.from({ length: PER_SENSOR }, (_, j) => [
      (T0 + j * 60) * 1000,
      expectedValue(i, j),
      'level',
      'm',
    ]);
    if (JSON.stringify(got.map((r) => [r.ts, r.value, r.metric, r.unit])) !== JSON.stringify(want)) mismatches++;
  }
  t.equal(mismatches, 0, 'content: every device has exactly its readings, in order');
}

t.test('clean run', async (t) => {
  const run = await setup(t);
  await stream(run.edge.coapPort);
  await assertExactlyOnce(t, run.cloud);
});

t.test('edge agent SIGKILLed mid-stream and restarted', async (t) => {
  const run = await setup(t);
  let killed = false;
  await stream(run.edge.coapPort, async (sent) => {
    if (sent === 3000 && !killed) {
      killed = true;
      run.edge.proc.kill('SIGKILL');
      await run.edge.exited;
      // sensors keep retransmitting (same message ids) while the agent is down
      setImmediate(() => {
        void spawnEdge(run.dir, run.config).then((e) => {
          run.edge = e;
        });
      });
    }
  });
  t.ok(killed);
  await assertExactlyOnce(t, run.cloud);
});

t.test('broker stopped for 5 s and started again', async (t) => {
  const run = await setup(t);
  const port = run.cloud.cloud.broker.port;
  let outage: Promise<void> | undefined;
  await stream(run.edge.coapPort, (sent) => {
    if (sent === 3000) {
      outage = (async () => {
        await run.cloud.cloud.stop();
        await new Promise((r) => setTimeout(r, 5000)); // the outage itself, not a synchronisation
        run.cloud = await startCloud(run.cloud.dir, { mqtt: { port } });
      })();
    }
  });
  await outage;
  await assertExactlyOnce(t, run.cloud);
});
