/**
 * crash: the agent is SIGKILLed at `--kills` random points (default 100) while `--sensors` CoAP
 * devices send single-reading uplinks and the agent syncs to a live cloud; at the end every reading
 * a device got an ACK for must be in the cloud exactly once. Baseline: the same devices and agent
 * without kills (acknowledged readings per second, over at most 60 s), so the cost of crashes shows.
 * Exits 1 when a reading is lost or duplicated.
 *   npm run bench -- crash [--kills 100] [--sensors 40] [--gap-ms 50] [--seed 1]
 * Last line: `crash: kills=… acked=… lost=… duplicated=… acked_per_s=… baseline_acked_per_s=…`
 */
import coap from 'coap';
import { spawnEdge, startCloudAndEdge, type CloudAndEdge } from '../scripts/harness/edge-process.js';
import { until } from '../scripts/harness/wait.js';
import { SimSensor } from '../scripts/sim/coap-sensors.js';
import { argValue, report } from './report.js';

const args = process.argv.slice(2);
const KILLS = Number(argValue(args, '--kills') ?? 100);
const SENSORS = Number(argValue(args, '--sensors') ?? 40);
const GAP_MS = Number(argValue(args, '--gap-ms') ?? 50);
let seed = Number(argValue(args, '--seed') ?? 1);
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 2 ** 32;
};
// Devices retransmit sooner than the RFC 7252 defaults (a deployment may tune them) so that a crash
// costs seconds, not minutes; a device gives a reading up after 20 s, like a battery-powered module.
coap.updateTiming({ ackTimeout: 0.5, ackRandomFactor: 1.5, maxRetransmit: 6 });

type Run = CloudAndEdge;
const setup = (): Promise<Run> => startCloudAndEdge('gw-crash');

/** Devices send until `running()` turns false; returns, per device, the values acknowledged. */
async function stream(
  run: Run,
  running: () => boolean,
): Promise<{ acked: Map<string, number[]>; gaveUp: number; ms: number }> {
  const acked = new Map<string, number[]>();
  let gaveUp = 0;
  const t0 = Date.now();
  const sims = Array.from(
    { length: SENSORS },
    (_, i) =>
      new SimSensor(`crash-${String(i).padStart(3, '0')}`, { host: '127.0.0.1', port: run.edge.coapPort }, 20_000),
  );
  await Promise.all(
    sims.map(async (s) => {
      const got: number[] = [];
      acked.set(s.deviceId, got);
      for (let j = 0; running(); j++) {
        try {
          const r = await s.sendSenml([{ n: 'seq', v: j, t: 1_760_000_000 + j }]);
          if (r.code === '2.04') got.push(j);
        } catch {
          gaveUp++; // not acknowledged, so not promised
        }
        await new Promise((r) => setTimeout(r, GAP_MS));
      }
    }),
  );
  for (const s of sims) s.close();
  return { acked, gaveUp, ms: Date.now() - t0 };
}

async function check(
  run: Run,
  acked: Map<string, number[]>,
): Promise<{ acked: number; lost: number; duplicated: number }> {
  const want = [...acked.values()].reduce((n, a) => n + a.length, 0);
  await until(
    'acknowledged readings in the cloud',
    async () => (await run.cloud.cloud.store.stats()).readings >= want,
    180_000,
    200,
  ).catch(() => {});
  let lost = 0,
    duplicated = 0;
  for (const [dev, seqs] of acked) {
    const got = (await run.cloud.cloud.store.readings({ deviceId: dev, limit: 1_000_000 })).map(
      (r) => r.value as number,
    );
    const have = new Set(got);
    lost += seqs.filter((s) => !have.has(s)).length;
    duplicated += got.length - have.size;
  }
  return { acked: want, lost, duplicated };
}

async function stop(run: Run): Promise<void> {
  run.edge.proc.kill('SIGTERM');
  await run.edge.exited;
  await run.cloud.cloud.stop();
}

// Crashes first: their duration sets the baseline's.
const crashRun = await setup();
const kills: number[] = [];
let killing = true;
const killer = (async () => {
  while (kills.length < KILLS) {
    await new Promise((r) => setTimeout(r, 300 + rnd() * 1200)); // random uptime before the next crash
    crashRun.edge.proc.kill('SIGKILL');
    await crashRun.edge.exited;
    kills.push(Date.now());
    crashRun.edge = await spawnEdge(crashRun.dir, crashRun.config);
    if (kills.length % 10 === 0) console.log(`crash: ${kills.length} kills`);
  }
  killing = false;
})();
const crashed = await stream(crashRun, () => killing);
await killer;
const crashFig = await check(crashRun, crashed.acked);
await stop(crashRun);

const baseRun = await setup();
const deadline = Date.now() + Math.min(crashed.ms, 60_000); // a rate needs no longer
const base = await stream(baseRun, () => Date.now() < deadline);
const baseFig = await check(baseRun, base.acked);
await stop(baseRun);

report(
  'crash',
  {
    kills: kills.length,
    acked: crashFig.acked,
    lost: crashFig.lost,
    duplicated: crashFig.duplicated,
    acked_per_s: Math.round(crashFig.acked / (crashed.ms / 1000)),
    baseline_acked_per_s: Math.round(baseFig.acked / (base.ms / 1000)),
  },
  {
    sensors: SENSORS,
    gapMs: GAP_MS,
    gaveUp: crashed.gaveUp,
    seconds: crashed.ms / 1000,
    baseline: { ...baseFig, gaveUp: base.gaveUp, seconds: base.ms / 1000 },
  },
);
process.exit(crashFig.lost === 0 && crashFig.duplicated === 0 && baseFig.lost === 0 ? 0 : 1);
