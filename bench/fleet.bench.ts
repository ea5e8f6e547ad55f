/**
 * A live fleet against one cloud process: `--gateways` (default 20,000) simulated gateways, each
 * a raw MQTT connection from the fleet simulator (scripts/sim/fleet.ts, forked as `--procs` processes) authenticated with its own secret from the registry, send a Health every
 * `--interval-ms` (10 s) to a cloud (`yiwang-cloud serve`, its own process, shipped flags) whose
 * registry holds `--devices` (10,000,000) devices. Measured over a `--window-s` (60 s) steady
 * state once every gateway is connected and has reported: the fleet summary's latency
 * (`GET /api/v1/health/summary`, `--query-rate` requests per second), the cloud's RSS and its CPU
 * share (CPU seconds / wall seconds from /proc/<pid>/stat: 1.0 = one core busy). Baseline: the
 * same summary queries on the same cloud before any gateway connects.
 *   npm run bench -- fleet [--gateways N] [--devices N] [--dir DIR] [--procs 4] [--window-s 60]
 * The registry is built once into --dir (default $TMPDIR/yw-fleet-cache/<gateways>x<devices>) and
 * reused by later runs. The open-file limit is raised first (prlimit, root); with fewer files
 * allowed, fewer gateways connect and the last line says how many did. On a shared machine,
 * `--nice -10` (root) runs the bench ahead of other work; `--cloud-prof DIR` writes a CPU profile.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { cpus, getPriority, loadavg, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../common/paths.js';
import { argValue, report } from './report.js';
import { buildCity } from './fleet-build.js';
import type { FleetOptions } from '../scripts/sim/fleet.js';
import { cpuSeconds, peakRssMb, raiseFdLimit, rssMb, startProc, stopProc, writeCloudToml } from './fleet-procs.js';

const args = process.argv.slice(2);
const num = (flag: string, dflt: number): number => Number(argValue(args, flag) ?? dflt);
const GATEWAYS = num('--gateways', 20_000);
const DEVICES = num('--devices', 10_000_000);
const INTERVAL_MS = num('--interval-ms', 10_000);
const WINDOW_S = num('--window-s', 60);
const PROCS = num('--procs', 4);
const QUERY_RATE = num('--query-rate', 20);
const CONNECT_PER_S = num('--connect-per-s', 2000);
const FD_RESERVE = 200;
const dir = argValue(args, '--dir') ?? join(tmpdir(), 'yw-fleet-cache', `${GATEWAYS}x${DEVICES}`);
const pct = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!; // xs: the samples taken, at least one
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (m: string): void => console.error(`[fleet] ${m}`);

interface Summary {
  devices: { total: number; online: number };
  gateways: { total: number; online: number; degraded: number; offline: number };
}
interface SimStats {
  connected: number;
  refused: number;
  errors: number;
  closed: number;
  healthSent: number;
  up: number;
}

function onceMessage<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: Record<string, unknown>): void => {
      if (key in m) {
        child.off('message', onMsg);
        resolve(m as T);
      }
    };
    child.on('message', onMsg);
    child.once('exit', (c) => reject(new Error(`gateway simulator exited ${c}`)));
  });
}

async function main(): Promise<void> {
  // --nice N (e.g. -10, root): the whole bench (cloud, simulators, the timing client) ahead of other work on a shared machine
  const nice = argValue(args, '--nice');
  if (nice !== undefined) setPriority(Number(nice));
  // the cloud holds one socket per gateway, each simulator its share: raise the limit before forking
  // (without CAP_SYS_RESOURCE the hard limit stays: the cloud keeps FD_RESERVE for its files, listeners and HTTP)
  const fdLimit = raiseFdLimit(Math.max(65_536, GATEWAYS * 2 + 4096));
  const simulated = Math.max(0, Math.min(GATEWAYS, fdLimit - FD_RESERVE));
  if (simulated < GATEWAYS) log(`open-file limit ${fdLimit}: simulating ${simulated} of ${GATEWAYS} gateways`);
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const city = await buildCity(dir, GATEWAYS, DEVICES, log);
  log(`registry ${city.reused ? 'reused' : 'built'} in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${city.path}`);

  // --cloud-prof DIR: a V8 CPU profile of the cloud (written when it stops)
  const prof = argValue(args, '--cloud-prof');
  const cloud = await startProc('cloud', writeCloudToml(dir), prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []);
  const pid = cloud.child.pid!;
  const base = `http://127.0.0.1:${cloud.ready.httpPort}`;
  const summary = async (): Promise<Summary> =>
    (await fetch(`${base}/api/v1/health/summary`)).json() as Promise<Summary>;
  const sims: ChildProcess[] = [];
  try {
    const first = await summary();
    log(`cloud pid ${pid} up: ${first.devices.total} devices, ${first.gateways.total} gateways registered`);

    // summary queries at a steady rate for a while; latencies in ms
    const measure = async (seconds: number): Promise<number[]> => {
      const lat: number[] = [];
      const end = performance.now() + seconds * 1000;
      let next = performance.now();
      while (performance.now() < end) {
        const q0 = performance.now();
        const s = await summary();
        lat.push(performance.now() - q0);
        if (!(s.devices.total > 0)) throw new Error('summary without devices');
        next += 1000 / QUERY_RATE;
        const wait = next - performance.now();
        if (wait > 0) await sleep(wait);
      }
      return lat.sort((a, b) => a - b);
    };
    for (let i = 0; i < 20; i++) await summary(); // warm-up
    const idle = await measure(Math.min(15, WINDOW_S));
    log(
      `idle cloud: summary p50 ${pct(idle, 50).toFixed(2)} ms, p99 ${pct(idle, 99).toFixed(2)} ms (${idle.length} queries)`,
    );

    // the fleet: PROCS simulator processes, gateways dealt round-robin
    const creds = city.secrets.slice(0, simulated);
    const tConnect = Date.now();
    for (let p = 0; p < PROCS; p++) {
      const child = fork(join(REPO_ROOT, 'dist', 'scripts', 'sim', 'fleet.js'), [], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      sims.push(child);
      const start: FleetOptions = {
        mqttUrl: `mqtt://127.0.0.1:${cloud.ready.mqttPort}`,
        gateways: creds.filter((_, i) => i % PROCS === p).map(([id, secret]) => ({ id, secret })),
        healthIntervalMs: INTERVAL_MS,
        connectPerS: CONNECT_PER_S / PROCS,
        seed: p + 1,
        mix: { offline: 0, backlogged: 0.03, alarming: 0, unsynced: 0.01 },
      };
      child.send({ start });
    }
    const connects = await Promise.all(
      sims.map((c) =>
        onceMessage<{
          connected: number;
          refused: number;
          errors: number;
          retries: number;
          errorCodes: Record<string, number>;
        }>(c, 'connected'),
      ),
    );
    const connected = connects.reduce((a, c) => a + c.connected, 0);
    const connectS = (Date.now() - tConnect) / 1000;
    log(
      `${connected} gateways connected in ${connectS.toFixed(1)} s (${connects.reduce((a, c) => a + c.refused, 0)} refused, ${connects.reduce((a, c) => a + c.retries, 0)} retries after ${connects.reduce((a, c) => a + c.errors, 0)} socket errors ${JSON.stringify(connects.map((c) => c.errorCodes))})`,
    );
    // steady state: every connected gateway counted live by the cloud and one full Health period behind us
    const deadline = Date.now() + 120_000;
    let live = 0;
    while (Date.now() < deadline) {
      const s = await summary();
      live = s.gateways.online + s.gateways.degraded;
      if (live >= connected) break;
      await sleep(1000);
    }
    if (live < connected) log(`only ${live} of ${connected} gateways counted live after 120 s`);
    await sleep(INTERVAL_MS + 2000);

    const simStats = async (): Promise<SimStats> => {
      const all = await Promise.all(
        sims.map((c) => {
          const p = onceMessage<{ stats: SimStats }>(c, 'stats');
          c.send({ stats: true });
          return p;
        }),
      );
      return all
        .map((a) => a.stats)
        .reduce((a, b) => ({
          connected: a.connected + b.connected,
          refused: a.refused + b.refused,
          errors: a.errors + b.errors,
          closed: a.closed + b.closed,
          healthSent: a.healthSent + b.healthSent,
          up: a.up + b.up,
        }));
    };
    // /metrics, not /api/v1/stats: the latter counts the device table
    const scrape = async (): Promise<(name: string) => number> => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return (name) => Number(new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1] ?? NaN);
    };
    const m0 = await scrape(); // also resets prom-client's event-loop delay histogram
    const cloudHealth = async (): Promise<number> => (await scrape())('yiwang_health_messages_total');
    const sent0 = (await simStats()).healthSent,
      got0 = await cloudHealth();
    const cpu0 = cpuSeconds(pid),
      w0 = performance.now();
    let rssMax = 0;
    const rssTimer = setInterval(() => {
      rssMax = Math.max(rssMax, rssMb(pid));
    }, 1000);
    const lat = await measure(WINDOW_S);
    clearInterval(rssTimer);
    const wallS = (performance.now() - w0) / 1000;
    const cpuShare = (cpuSeconds(pid) - cpu0) / wallS;
    const rssEnd = rssMb(pid);
    const cloudFds = readdirSync(`/proc/${pid}/fd`).length;
    rssMax = Math.max(rssMax, rssEnd);
    const m1 = await scrape();
    const end = await simStats(),
      got1 = m1('yiwang_health_messages_total');
    const final = await summary();
    const sentPerS = (end.healthSent - sent0) / wallS,
      gotPerS = (got1 - got0) / wallS;
    const hwm = peakRssMb(pid);
    const load = loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
    console.log(
      `fleet (details): window ${wallS.toFixed(1)} s, health sent ${sentPerS.toFixed(0)}/s, ingested ${gotPerS.toFixed(0)}/s, gateways up ${end.up}, closed ${end.closed}; summary p50 ${pct(lat, 50).toFixed(2)} ms p99 ${pct(lat, 99).toFixed(2)} ms max ${lat.at(-1)!.toFixed(2)} ms (idle p99 ${pct(idle, 99).toFixed(2)} ms); cloud event-loop delay p99 ${(m1('nodejs_eventloop_lag_p99_seconds') * 1000).toFixed(0)} ms, devices timed out ${((m1('yiwang_devices_expired_total') - m0('yiwang_devices_expired_total')) / wallS).toFixed(0)}/s; cloud rss ${rssEnd.toFixed(0)} MiB (window max ${rssMax.toFixed(0)}, peak ${hwm.toFixed(0)}); load ${load} on ${cpus().length} cores`,
    );
    report(
      'fleet',
      {
        gateways: end.up,
        devices: final.devices.total,
        summary_p99_ms: pct(lat, 99),
        cloud_rss_mb: Math.round(rssMax),
        cloud_cpu_share: cpuShare,
      },
      {
        dir,
        reusedRegistry: city.reused,
        registerPerS: Math.round(city.registerPerS),
        gatewaysRegistered: GATEWAYS,
        gatewaysSimulated: simulated,
        fdLimit,
        cloudFds,
        nice: getPriority(),
        intervalMs: INTERVAL_MS,
        windowS: wallS,
        queries: lat.length,
        queryRate: QUERY_RATE,
        summaryP50Ms: pct(lat, 50),
        summaryMaxMs: lat.at(-1),
        idleSummaryP50Ms: pct(idle, 50),
        idleSummaryP99Ms: pct(idle, 99),
        connectS,
        healthSentPerS: sentPerS,
        healthIngestedPerS: gotPerS,
        cloudRssEndMb: rssEnd,
        cloudPeakRssMb: hwm,
        cloudEventLoopLagP99Ms: m1('nodejs_eventloop_lag_p99_seconds') * 1000,
        devicesExpiredPerS: (m1('yiwang_devices_expired_total') - m0('yiwang_devices_expired_total')) / wallS,
        cpuShareOfMachine: cpuShare / cpus().length,
        gatewaysLive: final.gateways,
        loadavg: load,
        closedDuringRun: end.closed,
      },
    );
  } finally {
    await Promise.all(
      sims.map(
        (c) =>
          new Promise((r) => {
            if (c.exitCode !== null) return r(null);
            c.once('exit', r);
            c.send({ stop: true });
          }),
      ),
    );
    await stopProc(cloud);
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
