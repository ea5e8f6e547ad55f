/**
 * cameras: CPU and memory of one edge agent (its own process, shipped node flags) doing health
 * polling alone — ONVIF health checks (GetSystemDateAndTime, then GetDeviceInformation with
 * WS-Security digest) and the RTSP stream probe (Digest-authenticated DESCRIBE/SETUP/PLAY until two
 * frames arrive) — of N simulated cameras; PullPoint events and live view off. Peers: N strict test
 * ONVIF cameras (scripts/sim/onvif-camera.ts, one process) and one GStreamer RTSP server with N mount
 * points (scripts/sim/rtsp-server.py --mounts N, RTSP Digest auth, one live x264 pipeline per
 * session). Baseline in the same run: the same agent idle with 0 cameras.
 * Phases, each a fresh agent: idle; N cameras at the shipped intervals; N cameras at --interval-ms.
 * cpu_share = (utime+stime+cutime+cstime of the agent over the window) / window, in cores.
 *   npm run bench -- cameras [--cameras 64] [--seconds 120] [--interval-ms 5000] [--manager-only] [--cpu-prof DIR]
 * --manager-only skips the whole-agent rows. --cpu-prof DIR writes a V8 CPU profile of each manager-host process into DIR (for hot spots).
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../common/paths.js';
import { loadEdgeConfig } from '../edge/config.js';
import { localApiGet } from '../edge/cli/local-api-client.js';
import { argValue, report } from './report.js';
import { freePort } from '../scripts/sim/free-port.js';
import { peakRssMb, startProc, stopProc, type Proc } from './fleet-procs.js';
import { EDGE_NODE_FLAGS } from '../edge/runtime-flags.js';
import { createLogger } from '../common/log.js';
import { CameraManager } from '../edge/southbound/onvif/camera-manager.js';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';

const args = process.argv.slice(2);
const N = Number(argValue(args, '--cameras') ?? 64);
const seconds = Number(argValue(args, '--seconds') ?? 120);
const profDir = argValue(args, '--cpu-prof');
const extraFlags = (argValue(args, '--host-flags') ?? '').split(' ').filter(Boolean); // exploration only: extra node flags for the manager host
const statedMs = Number(argValue(args, '--interval-ms') ?? 5000);
const USER = 'admin';
const PASSWORD = 'bench-Camera-pw1';
const shipped = loadEdgeConfig().cameras;
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** utime+stime+cutime+cstime of a process, in seconds (children's times once reaped). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function startRtsp(port: number): Promise<ChildProcess> {
  const p = spawn(
    '/usr/bin/python3',
    [
      join(REPO_ROOT, 'scripts', 'sim', 'rtsp-server.py'),
      String(port),
      '--mounts',
      String(N),
      '--user',
      USER,
      '--password',
      PASSWORD,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    p.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    p.once('exit', (c) => reject(new Error(`rtsp-server.py exited ${c}`)));
  });
  return p;
}

async function startCameras(rtspPort: number): Promise<{ proc: ChildProcess; urls: string[] }> {
  const proc = fork(
    join(REPO_ROOT, 'dist', 'scripts', 'sim', 'onvif-camera.js'),
    ['--count', String(N), '--rtsp', `rtsp://127.0.0.1:${rtspPort}/cam{i}`, '--user', USER, '--password', PASSWORD],
    { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  const urls = await new Promise<string[]>((resolve, reject) => {
    proc.once('message', (m: { ready?: { cameras: string[] } }) =>
      m.ready ? resolve(m.ready.cameras) : reject(new Error('bad ready')),
    );
    proc.once('exit', (c) => reject(new Error(`onvif-camera exited ${c}`)));
  });
  return { proc, urls };
}

/** Requests answered so far by all simulated cameras, by ONVIF operation. */
function simRequests(proc: ChildProcess): Promise<Record<string, number>> {
  return new Promise((resolve) => {
    proc.once('message', (m: { requests?: Record<string, number> }) => resolve(m.requests ?? {}));
    proc.send('requests');
  });
}

interface CameraList {
  counts: { total: number; online: number; up_auth: number; stream_down: number };
  cameras: { stream: string }[];
}

interface Phase {
  host: Host;
  label: string;
  cameras: number;
  intervalMs: number;
  cpuShare: number;
  rssMb: number;
  peakRssMb: number;
  checksPerS: number;
  simCpuShare: number;
  online: number;
  heap: unknown;
}

type Host = 'manager' | 'agent' | 'manager+semi1';
/** Not shipped: shown beside the headline because V8's young generation, not live data, is what grows RSS here. */
const SEMI = ['--max-semi-space-size=1'];

/** The cameras adapter alone in this (forked) process: `--serve-manager DIR CONFIG_JSON`. */
async function serveManager(dir: string, camerasJson: string): Promise<void> {
  const config = loadEdgeConfig(undefined, { cameras: JSON.parse(camerasJson) as Record<string, unknown> }).cameras;
  const manager = new CameraManager({
    config,
    dataDir: join(dir, 'data'),
    gatewaySecret: 'x',
    log: createLogger({ level: 'warn' }),
  });
  await manager.start();
  process.on('message', (m) => {
    if (m === 'list')
      process.send!({ list: { counts: manager.counts(), cameras: manager.list().map((c) => ({ stream: c.stream })) } });
    if (m === 'mem') {
      const spaces = Object.fromEntries(
        getHeapSpaceStatistics().map((x) => [x.space_name, Math.round((x.space_size / 1048576) * 10) / 10]),
      );
      process.send!({
        mem: {
          ...Object.fromEntries(
            Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round((v / 1048576) * 10) / 10]),
          ),
          spaces,
        },
      });
    }
  });
  process.on('SIGTERM', () => void manager.stop().then(() => process.exit(0)));
  process.send!({ ready: { cameras: manager.monitors.size } });
}

async function startManager(
  dir: string,
  cameras: Record<string, unknown>,
  flags: string[] = [],
): Promise<{ proc: Proc; list: () => Promise<CameraList>; mem: () => Promise<unknown> }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve-manager', dir, JSON.stringify(cameras)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [
      ...EDGE_NODE_FLAGS,
      ...extraFlags,
      ...flags,
      ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []),
    ],
  });
  const ready = await new Promise<Record<string, number>>((resolve, reject) => {
    child.once('message', (m: { ready?: Record<string, number> }) =>
      m.ready ? resolve(m.ready) : reject(new Error('bad ready')),
    );
    child.once('exit', (c) => reject(new Error(`manager host exited ${c}`)));
  });
  const list = (): Promise<CameraList> =>
    new Promise((resolve) => {
      const on = (m: { list?: CameraList }): void => {
        if (m.list) {
          child.off('message', on);
          resolve(m.list);
        }
      };
      child.on('message', on);
      child.send('list');
    });
  const mem = (): Promise<unknown> =>
    new Promise((resolve) => {
      const on = (m: { mem?: unknown }): void => {
        if (m.mem) {
          child.off('message', on);
          resolve(m.mem);
        }
      };
      child.on('message', on);
      child.send('mem');
    });
  return { proc: { child, ready }, list, mem };
}

async function startAgent(
  dir: string,
  cameras: Record<string, unknown>,
): Promise<{ proc: Proc; list: () => Promise<CameraList>; mem: () => Promise<unknown> }> {
  const socket = join(dir, 'agent.sock');
  const toml = (v: unknown): string => JSON.stringify(v); // TOML accepts JSON strings, numbers, booleans and arrays of strings
  writeFileSync(
    join(dir, 'edge.toml'),
    `${[
      '[gateway]',
      'id = "gw-cameras"',
      'secret = "x"',
      '[cloud]',
      'url = "mqtt://127.0.0.1:9"',
      '[store]',
      `path = "${join(dir, 'edge.db')}"`,
      '[coap]',
      'host = "127.0.0.1"',
      'port = 0',
      '[api]',
      `socket = "${socket}"`,
      '[log]',
      'level = "fatal"',
      '[cameras]',
      ...Object.entries(cameras).map(([k, v]) => `${k} = ${toml(v)}`),
    ].join('\n')}\n`,
  );
  const proc = await startProc('edge', join(dir, 'edge.toml'));
  return { proc, list: () => localApiGet<CameraList>(socket, '/v1/cameras'), mem: async () => undefined };
}

async function phase(
  host: Host,
  label: string,
  urls: string[],
  intervalMs: number,
  probeMs: number,
  sim: ChildProcess,
  rtsp: ChildProcess,
): Promise<Phase> {
  const dir = mkdtempSync(join(tmpdir(), 'yw-bench-cam-'));
  const cameras = {
    addresses: urls,
    username: USER,
    password: PASSWORD,
    events: false,
    stream_probe: true,
    health_interval_ms: intervalMs,
    stream_probe_interval_ms: probeMs,
  };
  const {
    proc: edge,
    list,
    mem,
  } = await (host === 'agent'
    ? startAgent(dir, cameras)
    : startManager(dir, cameras, host === 'manager+semi1' ? SEMI : []));
  try {
    const pid = edge.child.pid!;
    if (urls.length) {
      const t0 = Date.now();
      for (;;) {
        const l = await list();
        if (l.counts.online === urls.length && l.cameras.every((c) => c.stream === 'ok')) break;
        if (Date.now() - t0 > 60_000 + 3 * intervalMs) {
          console.log(
            `warning: ${host} ${label}: only ${l.counts.online}/${urls.length} cameras online before the window: ${JSON.stringify(l.counts)}`,
          );
          break;
        }
        await sleep(250);
      }
      await sleep(intervalMs); // past onboarding: steady polling only
    } else {
      await sleep(2000);
    }
    const req0 = await simRequests(sim);
    const simCpu0 = cpuSeconds(sim.pid!) + cpuSeconds(rtsp.pid!);
    const cpu0 = cpuSeconds(pid);
    const t0 = process.hrtime.bigint();
    await sleep(seconds * 1000);
    const cpu1 = cpuSeconds(pid);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const simCpu1 = cpuSeconds(sim.pid!) + cpuSeconds(rtsp.pid!);
    const req1 = await simRequests(sim);
    const online = urls.length ? (await list()).counts.online : 0;
    const heap = await mem();
    const result: Phase = {
      host,
      label,
      cameras: urls.length,
      intervalMs,
      cpuShare: (cpu1 - cpu0) / wall,
      rssMb: rssMb(pid),
      peakRssMb: peakRssMb(pid),
      checksPerS: ((req1.GetDeviceInformation ?? 0) - (req0.GetDeviceInformation ?? 0)) / wall,
      simCpuShare: (simCpu1 - simCpu0) / wall,
      online,
      heap,
    };
    return result;
  } finally {
    await stopProc(edge);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rtspPort = await freePort();
  const rtsp = await startRtsp(rtspPort);
  const { proc: sim, urls } = await startCameras(rtspPort);
  const phases: Phase[] = [];
  const h = shipped.health_interval_ms;
  const p = shipped.stream_probe_interval_ms;
  try {
    phases.push(await phase('manager', 'idle, 0 cameras (baseline)', [], h, p, sim, rtsp));
    phases.push(await phase('manager', `${N} cameras, shipped intervals`, urls, h, p, sim, rtsp));
    phases.push(await phase('manager', `${N} cameras, stated interval`, urls, statedMs, statedMs, sim, rtsp));
    phases.push(await phase('manager+semi1', `${N} cameras, shipped intervals`, urls, h, p, sim, rtsp));
    if (!args.includes('--manager-only')) {
      phases.push(await phase('agent', 'idle, 0 cameras (baseline)', [], h, p, sim, rtsp));
      phases.push(await phase('agent', `${N} cameras, shipped intervals`, urls, h, p, sim, rtsp));
    }
  } finally {
    sim.kill('SIGTERM');
    rtsp.kill('SIGTERM');
  }
  const [idle, def, fast, semi, agentIdleRun, agentDefRun] = phases;
  if (!idle || !def || !fast || !semi) throw new Error('the manager phases did not all run');
  const agentIdle = agentIdleRun ?? idle,
    agentDef = agentDefRun ?? def;
  for (const ph of phases) {
    const base = ph.host === 'agent' ? agentIdle : idle;
    console.log(
      `${ph.host.padEnd(13)} ${ph.label.padEnd(30)} interval_ms=${String(ph.intervalMs).padEnd(5)} cpu_share=${ph.cpuShare.toFixed(4)} polling_share=${(ph.cpuShare - base.cpuShare).toFixed(4)} ` +
        `rss_mb=${ph.rssMb.toFixed(1)} peak_rss_mb=${ph.peakRssMb.toFixed(1)} onvif_checks_per_s=${ph.checksPerS.toFixed(2)} online=${ph.online} peers_cpu_share=${ph.simCpuShare.toFixed(3)}`,
    );
  }
  for (const ph of phases) if (ph.heap) console.log(`${ph.host} ${ph.label}: memory MB ${JSON.stringify(ph.heap)}`);
  console.log(
    `window ${seconds} s per phase; ${N} cameras; shipped health_interval_ms=${h} stream_probe_interval_ms=${p}; node flags ${EDGE_NODE_FLAGS.join(' ')}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  report(
    'cameras',
    { cameras: N, cpu_share: Number(def.cpuShare.toFixed(4)), rss_mb: Math.round(def.peakRssMb) },
    {
      seconds,
      nodeFlags: EDGE_NODE_FLAGS,
      shippedIntervalMs: h,
      shippedStreamProbeIntervalMs: p,
      statedIntervalMs: statedMs,
      phases,
      loadavg: loadavg(),
      note: 'headline: the cameras adapter alone in its own process (shipped node flags) polling N cameras at the shipped intervals; cpu_share is the whole process, rss_mb its peak RSS (VmHWM); the agent rows are the whole edge agent',
      semiSpace1: { flags: SEMI, cpuShare: semi.cpuShare, peakRssMb: semi.peakRssMb },
      agent: {
        cpuShare: agentDef.cpuShare,
        peakRssMb: agentDef.peakRssMb,
        idleCpuShare: agentIdle.cpuShare,
        idlePeakRssMb: agentIdle.peakRssMb,
      },
    },
  );
}

const serveAt = process.argv.indexOf('--serve-manager');
if (serveAt >= 0) await serveManager(process.argv[serveAt + 1] ?? '', process.argv[serveAt + 2] ?? '');
else await main();
