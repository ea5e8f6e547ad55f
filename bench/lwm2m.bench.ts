/**
 * lwm2m: N simulated LwM2M clients (own UDP socket each) against the edge agent's LwM2M server:
 * registrations/s (each answered 2.01 after its group commit), then every device observed and
 * notifications/s turned into durable readings (CON, ACK after commit); beside a bare node-coap
 * server that only answers the same clients' CON requests, same run. The server under test runs
 * in its own process; rss_mb is its RSS at steady state (end of the notification phase).
 *   npm run bench -- lwm2m [--devices 10000] [--seconds 10] [--window 1000]
 */
import { fork } from 'node:child_process';
import { EDGE_NODE_FLAGS } from '../edge/runtime-flags.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import coap from 'coap';
import { silentLogger } from '../common/log.js';
import { EdgeAgent } from '../edge/agent.js';
import { loadEdgeConfig } from '../edge/config.js';
import { createSimDevices, type SimLwm2mDevice } from '../edge/profiles/lwm2m-sim-device.js';
import { val } from '../edge/southbound/lwm2m/core/index.js';
import { serverSocket } from '../edge/southbound/coap/node-coap-internals.js';
import { argValue, report } from './report.js';

const args = process.argv.slice(2);
const deviceCount = Number(argValue(args, '--devices') ?? 10_000);
const seconds = Number(argValue(args, '--seconds') ?? 10);
const windowSize = Number(argValue(args, '--window') ?? 1000);

type Target = 'bare' | 'edge';

/** The agent's shipped flags; YW_BENCH_EXTRA_FLAGS adds some for experiments (the figure is then not the shipped agent's). */
const EXTRA_FLAGS = process.env.YW_BENCH_EXTRA_FLAGS?.split(' ').filter(Boolean) ?? [];
const AGENT_FLAGS = [...EDGE_NODE_FLAGS, ...EXTRA_FLAGS];
type Msg =
  | { port: number }
  | { observed: number; failed: number }
  | { rss: number; readings: number }
  | { peakRss: number };

async function serve(target: Target): Promise<void> {
  let port: number;
  let stop: () => Promise<void>;
  let agent: EdgeAgent | undefined;
  const cacheBytes = loadEdgeConfig().coap.exchange_cache_bytes;
  if (target === 'bare') {
    const server = coap.createServer(
      { cacheSize: cacheBytes, piggybackReplyMs: 60_000 },
      (_req: coap.IncomingMessage, res: coap.OutgoingMessage) => {
        res.code = '2.04';
        res.end();
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const sock = serverSocket(server);
    if (!sock) throw new Error('node-coap keeps no UDP socket in _sock');
    port = sock.address().port;
    stop = async () => {
      server.close();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'yw-bench-lwm2m-'));
    agent = await EdgeAgent.start(
      loadEdgeConfig(undefined, {
        gateway: { id: 'gw-bench', secret: 'x' },
        cloud: { url: 'mqtt://127.0.0.1:9' },
        store: { path: join(dir, 'edge.db') },
        coap: { host: '127.0.0.1', port: 0 },
        log: { level: 'silent' },
        // every simulated device registers from 127.0.0.1 within seconds: the per-source limit of new
        // endpoints (lwm2m.new_endpoints_per_s) is lifted; every other LwM2M limit keeps its default
        lwm2m: { new_endpoints_per_s: 0 },
      }),
      silentLogger(),
    );
    port = agent.coap.port;
    stop = async () => {
      await agent!.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  let peak = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  process.on('message', (m: { cmd: string; endpoints?: string[] }) => {
    if (m.cmd === 'observe' && agent) {
      const lwm2m = agent.lwm2m!;
      let failed = 0;
      const eps = m.endpoints ?? [];
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < eps.length) {
          const ep = eps[next++]!;
          const r = await (await lwm2m.submit(ep, { op: 'observe', path: '/3303/0/5700' })).result;
          if (!r.ok) failed++;
        }
      };
      void Promise.all(Array.from({ length: windowSize }, worker)).then(() =>
        process.send!({ observed: eps.length - failed, failed }),
      );
    } else if (m.cmd === 'rss') {
      const rss = process.memoryUsage.rss(); // before the debug output's forced GC
      if (process.env.YW_BENCH_DEBUG) debugMemory();
      process.send!({ rss, readings: agent?.lwm2m?.counters.readings ?? 0 });
    } else if (m.cmd === 'stop') {
      clearInterval(sample);
      peak = Math.max(peak, process.memoryUsage.rss());
      void stop().then(() => {
        process.send!({ peakRss: peak });
        process.exit(0);
      });
    }
  });
  process.send!({ port });
}

/**
 * YW_BENCH_DEBUG=1: where the server's memory is (process.memoryUsage before and after a full GC,
 * V8 heap spaces, /proc/self/smaps_rollup); YW_BENCH_HEAPSNAP=file also writes a heap snapshot.
 */
function debugMemory(): void {
  const before = process.memoryUsage();
  (globalThis as { gc?: () => void }).gc?.();
  console.error('lwm2m server memory', JSON.stringify(before), 'after gc', JSON.stringify(process.memoryUsage()));
  for (const s of getHeapSpaceStatistics())
    console.error(
      `  ${s.space_name}: size=${(s.space_size / 2 ** 20).toFixed(1)} MB used=${(s.space_used_size / 2 ** 20).toFixed(1)} MB`,
    );
  try {
    console.error(readFileSync('/proc/self/smaps_rollup', 'utf8'));
  } catch {
    /* not Linux */
  }
  if (process.env.YW_BENCH_HEAPSNAP) console.error('heap snapshot', writeHeapSnapshot(process.env.YW_BENCH_HEAPSNAP));
}

/** Runs `op` for every device with at most `windowSize` in flight; returns completions per second. */
async function wave(
  devices: SimLwm2mDevice[],
  op: (d: SimLwm2mDevice) => Promise<unknown>,
): Promise<{ done: number; failed: number; perSecond: number }> {
  let next = 0,
    done = 0,
    failed = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(windowSize, devices.length) }, async () => {
      while (next < devices.length) {
        const d = devices[next++]!;
        try {
          await op(d);
          done++;
        } catch {
          failed++;
        }
      }
    }),
  );
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { done, failed, perSecond: done / s };
}

/** Every device repeats `op` for `seconds`, `windowSize` devices at a time; completions per second. */
async function sustained(
  devices: SimLwm2mDevice[],
  op: (d: SimLwm2mDevice, i: number) => Promise<unknown>,
): Promise<{ done: number; failed: number; perSecond: number }> {
  let done = 0,
    failed = 0,
    running = true,
    cursor = 0;
  const t0 = process.hrtime.bigint();
  const stopAt = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: Math.min(windowSize, devices.length) }, async () => {
      while (running && Date.now() < stopAt) {
        const i = cursor++ % devices.length;
        try {
          await op(devices[i]!, i);
          done++;
        } catch {
          failed++;
        }
      }
    }),
  );
  running = false;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { done, failed, perSecond: done / s };
}

function child(target: Target): { send(m: unknown): void; next(): Promise<Msg> } {
  // The agent runs with the flags it ships with (edge/runtime-flags.ts); the bare server with node's defaults.
  const c = fork(fileURLToPath(import.meta.url), ['--serve', target], {
    stdio: 'inherit',
    execArgv: ['--expose-gc', ...(target === 'bare' ? [] : AGENT_FLAGS)],
  });
  const inbox: Msg[] = [];
  const waiters: ((m: Msg) => void)[] = [];
  c.on('message', (m: Msg) => {
    const w = waiters.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  return {
    send: (m) => c.send(m as object),
    next: () => (inbox.length ? Promise.resolve(inbox.shift()!) : new Promise((r) => waiters.push(r))),
  };
}

async function measureEdge(): Promise<Record<string, number>> {
  const c = child('edge');
  const { port } = (await c.next()) as { port: number };
  const devices = await createSimDevices(
    deviceCount,
    { host: '127.0.0.1', port },
    { lifetimeS: 3600, prefix: 'urn:imei:8690' },
  );
  const reg = await wave(devices, async (d) => {
    if ((await d.register()) !== '2.01') throw new Error('not registered');
  });
  c.send({ cmd: 'observe', endpoints: devices.map((d) => d.opts.endpoint) });
  const obs = (await c.next()) as { observed: number; failed: number };
  const notif = await sustained(devices, async (d, i) => {
    d.set('/3303/0/5700', val.float(20 + (i % 100) / 10));
    if ((await d.notify('/3303/0/5700')) !== 1) throw new Error('no observation');
  });
  c.send({ cmd: 'rss' });
  const { rss, readings } = (await c.next()) as { rss: number; readings: number };
  c.send({ cmd: 'stop' });
  const { peakRss } = (await c.next()) as { peakRss: number };
  for (const d of devices) d.close();
  return {
    registrationsPerS: reg.perSecond,
    regFailed: reg.failed,
    observed: obs.observed,
    observeFailed: obs.failed,
    notificationsPerS: notif.perSecond,
    notifFailed: notif.failed,
    readings,
    rssMb: rss / 2 ** 20,
    peakRssMb: peakRss / 2 ** 20,
  };
}

async function measureBare(): Promise<Record<string, number>> {
  const c = child('bare');
  const { port } = (await c.next()) as { port: number };
  const devices = await createSimDevices(deviceCount, { host: '127.0.0.1', port }, { prefix: 'urn:imei:8691' });
  const r = await sustained(devices, async (d) => {
    await d.register();
  });
  c.send({ cmd: 'stop' });
  const { peakRss } = (await c.next()) as { peakRss: number };
  for (const d of devices) d.close();
  return { perS: r.perSecond, failed: r.failed, peakRssMb: peakRss / 2 ** 20 };
}

const serveArg = argValue(args, '--serve') as Target | undefined;
if (serveArg) {
  void serve(serveArg);
} else {
  const bare = await measureBare();
  const edge = await measureEdge();
  report(
    'lwm2m',
    {
      registrations_per_s: Math.round(edge.registrationsPerS!),
      notifications_per_s: Math.round(edge.notificationsPerS!),
      bare_per_s: Math.round(bare.perS!),
      rss_mb: Math.round(edge.rssMb!),
    },
    { devices: deviceCount, seconds, window: windowSize, agentFlags: AGENT_FLAGS, edge, bare },
  );
  if (EXTRA_FLAGS.length)
    console.error(`note: the agent ran with YW_BENCH_EXTRA_FLAGS ${EXTRA_FLAGS.join(' ')}, not only its shipped flags`);
}
