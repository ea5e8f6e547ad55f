/**
 * Store-and-forward under faults (issue 5): SIGKILL of the agent at 20+ random points during
 * ingest and sync, and a faulty link (cut, delay, reset mid-batch). Every reading acknowledged to
 * a device must be in the cloud exactly once, per-device order intact.
 */
import t, { type Test } from 'tap';
import coap from 'coap';
import type { TestCloud } from '../helpers/fleet.js';
import { spawnEdge, startCloudAndEdge, writeEdgeToml, type CloudAndEdge } from '../helpers/edge-process.js';
import { FaultyLink } from '../helpers/tcp-proxy.js';
import { until } from '../helpers/wait.js';
import { SimSensor } from '../../scripts/sim/coap-sensors.js';

const T0 = 1_760_000_000; // seconds
// The simulated devices retransmit sooner and more often than the CoAP defaults (RFC 7252 lets a
// deployment tune them), so that outages of a second or so cost seconds, not minutes, of test time.
// ~90 s on a quiet machine, but each of the 24 restarts costs seconds on a loaded one (the file's
// timeout, not a subtest's: only the root test's setTimeout reaches the runner)
t.setTimeout(600_000);
coap.updateTiming({ ackTimeout: 0.5, ackRandomFactor: 1.5, maxRetransmit: 6 });

interface Sent {
  acked: Map<string, number[]>;
  gaveUp: number;
}

/** `sensors` devices each send `perSensor` single-reading uplinks (value = sequence number), one every `gapMs`. */
async function stream(
  port: () => number,
  sensors: number,
  perSensor: number,
  gapMs: number,
  onProgress?: (n: number) => Promise<void> | void,
): Promise<Sent> {
  const acked = new Map<string, number[]>();
  let sent = 0,
    gaveUp = 0;
  const sims = Array.from(
    { length: sensors },
    (_, i) => new SimSensor(`crash-${String(i).padStart(2, '0')}`, { host: '127.0.0.1', port: port() }, 20_000),
  );
  try {
    await Promise.all(
      sims.map(async (s) => {
        const got: number[] = [];
        acked.set(s.deviceId, got);
        for (let j = 0; j < perSensor; j++) {
          (s.target as { port: number }).port = port();
          let r: Awaited<ReturnType<SimSensor['sendSenml']>>;
          try {
            r = await s.sendSenml([{ n: 'seq', v: j, t: T0 + j }]);
          } catch {
            gaveUp++;
            continue; // the exchange timed out: not acknowledged, so not promised
          }
          if (r.code === '2.04') got.push(j);
          await onProgress?.(++sent);
          await new Promise((res) => setTimeout(res, gapMs)); // the device's reporting interval
        }
      }),
    );
  } finally {
    for (const s of sims) s.close();
  }
  return { acked, gaveUp };
}

async function assertDelivered(t: Test, cloud: TestCloud, sent: Sent): Promise<void> {
  const want = [...sent.acked.values()].reduce((n, a) => n + a.length, 0);
  await until(
    'acknowledged readings in the cloud',
    async () => (await cloud.cloud.store.stats()).readings >= want,
    90_000,
    100,
  );
  let lost = 0,
    extra = 0;
  for (const [dev, seqs] of sent.acked) {
    const got = (await cloud.cloud.store.readings({ deviceId: dev, limit: 10_000 })).map((r) => r.value as number);
    const gotSet = new Set(got);
    lost += seqs.filter((s) => !gotSet.has(s)).length;
    extra += got.length - gotSet.size; // duplicates
  }
  t.equal(lost, 0, `all ${want} acknowledged readings arrived`);
  t.equal(extra, 0, 'none twice');
}

async function setup(t: Test): Promise<CloudAndEdge> {
  const run = await startCloudAndEdge('gw-fault');
  t.teardown(async () => {
    run.edge.proc.kill('SIGKILL');
    await run.edge.exited;
    await run.cloud.cloud.stop();
  });
  return run;
}

t.test('SIGKILL at 20 random points during ingest and sync', async (t) => {
  const run = await setup(t);
  let seed = 4242;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const kills: number[] = [];
  let streaming = true;
  const killer = (async () => {
    while (streaming && kills.length < 24) {
      await new Promise((r) => setTimeout(r, 500 + rnd() * 1500)); // random uptime before the next crash
      if (!streaming) break;
      const edge = run.edge;
      edge.proc.kill('SIGKILL');
      kills.push(Date.now());
      await edge.exited;
      run.edge = await spawnEdge(run.dir, run.config);
    }
  })();
  const sent = await stream(() => run.edge.coapPort, 40, 220, 80);
  streaming = false;
  await killer;
  t.ok(
    kills.length >= 20,
    `killed ${kills.length} times while devices were sending and the agent syncing (${sent.gaveUp} readings given up by devices)`,
  );
  await assertDelivered(t, run.cloud, sent);
});

t.test('link cut, then delayed, then reset in the middle of a batch', async (t) => {
  const run = await setup(t);
  const proxy = new FaultyLink(run.cloud.cloud.broker.port);
  const proxyPort = await proxy.start();
  t.teardown(() => proxy.stop());
  run.edge.proc.kill('SIGTERM');
  await run.edge.exited;
  run.config = writeEdgeToml(run.dir, {
    gatewayId: 'gw-fault',
    secret: run.secret,
    mqttUrl: `mqtt://127.0.0.1:${proxyPort}`,
    coapPort: run.edge.coapPort,
  });
  run.edge = await spawnEdge(run.dir, run.config);
  await until('edge connected through the proxy', () => proxy.connections === 1);
  const phases: string[] = [];
  const sent = await stream(
    () => run.edge.coapPort,
    30,
    120,
    40,
    (n) => {
      if (n === 600) {
        proxy.cut();
        phases.push('cut');
      }
      if (n === 1500) {
        proxy.restore();
        proxy.latencyMs = 150;
        phases.push('delay');
      }
      if (n === 2400) {
        proxy.latencyMs = 0;
        proxy.resetOnChunkOver = 200;
        phases.push('reset');
      }
    },
  );
  t.same(phases, ['cut', 'delay', 'reset']);
  await until('a batch was cut in half', () => proxy.resets === 1, 30_000);
  await assertDelivered(t, run.cloud, sent);
});
