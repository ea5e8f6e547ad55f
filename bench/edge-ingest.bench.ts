/**
 * edge-ingest: CoAP CON uplinks (one SenML reading each) from many endpoints → readings durably
 * committed per second by the edge agent (its ACK leaves after the commit), beside a bare
 * node-coap server that only ACKs, same load generator, same run. The server under test runs in
 * its own process; rss_mb is that process's peak RSS.
 *   npm run bench -- edge-ingest [--seconds 10] [--endpoints 100] [--window 4] [--rounds 3] [--bare-with-agent-flags] [--cpu-prof DIR]
 * --bare-with-agent-flags runs the bare server with the agent's node flags (edge/runtime-flags.ts)
 * instead of node's defaults, so the ratio shows the agent's work alone (see the note printed).
 * Each round measures both targets back to back (alternating which goes first); the figures are
 * medians over the rounds (ratio: the median of the rounds' ratios), rss_mb the highest peak.
 * --cpu-prof writes a V8 CPU profile of the server under test (both targets) into DIR.
 * Each round line also gives each server's GC pause time per reading (young generation; old
 * generation incl. incremental marking) and its count of full mark-compacts.
 */
import { fork } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import coap from 'coap';
import { generate } from 'coap-packet';
import { silentLogger } from '../common/log.js';
import { EdgeAgent } from '../edge/agent.js';
import { loadEdgeConfig } from '../edge/config.js';
import { serverSocket } from '../edge/southbound/coap/node-coap-internals.js';
import { EDGE_NODE_FLAGS } from '../edge/runtime-flags.js';
import { argValue, report } from './report.js';

const args = process.argv.slice(2);
const seconds = Number(argValue(args, '--seconds') ?? 10);
const endpoints = Number(argValue(args, '--endpoints') ?? 100);
const windowSize = Number(argValue(args, '--window') ?? 4);
const roundCount = Number(argValue(args, '--rounds') ?? 3);
const bareWithAgentFlags = args.includes('--bare-with-agent-flags');
const cpuProfDir = argValue(args, '--cpu-prof');
const CFG = loadEdgeConfig().coap;

type Target = 'bare' | 'edge';

async function serve(target: Target): Promise<void> {
  let port: number;
  let stop: () => Promise<void>;
  if (target === 'bare') {
    // Same exchange cache, piggybacking and socket buffer as the agent's CoAP server: only the work differs.
    const server = coap.createServer(
      { cacheSize: CFG.exchange_cache_bytes, piggybackReplyMs: 60_000 },
      (_req: coap.IncomingMessage, res: coap.OutgoingMessage) => {
        res.code = '2.04';
        res.end();
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const sock = serverSocket(server);
    if (!sock) throw new Error('node-coap keeps no UDP socket in _sock');
    sock.setRecvBufferSize(CFG.recv_buffer_bytes);
    port = sock.address().port;
    stop = async () => {
      server.close();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'yw-bench-edge-'));
    const agent = await EdgeAgent.start(
      loadEdgeConfig(undefined, {
        gateway: { id: 'gw-bench', secret: 'x' },
        cloud: { url: 'mqtt://127.0.0.1:9' },
        store: { path: join(dir, 'edge.db') },
        coap: { host: '127.0.0.1', port: 0 },
        log: { level: 'silent' },
      }),
      silentLogger(),
    );
    port = agent.coap.port;
    stop = async () => {
      await agent.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  let peak = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  let cpuAtMark = process.cpuUsage();
  // GC pause time while counting, split into young-generation (scavenge) and the rest (mark-compact).
  const gc = { minorMs: 0, majorMs: 0, majors: 0 };
  let counting = false;
  const gcObserver = new PerformanceObserver((list) => {
    if (!counting) return;
    for (const e of list.getEntries()) {
      const kind = (e as typeof e & { detail?: { kind?: number } }).detail?.kind; // a GC entry's detail (untyped on PerformanceEntry)
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) {
        gc.minorMs += e.duration;
        continue;
      }
      gc.majorMs += e.duration;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) gc.majors++;
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  process.on('message', (m: string) => {
    if (m === 'mark') {
      cpuAtMark = process.cpuUsage();
      counting = true;
      return;
    }
    if (m !== 'stop') return;
    const cpu = process.cpuUsage(cpuAtMark);
    counting = false;
    gcObserver.disconnect();
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage.rss());
    void stop().then(() => {
      process.send!({ peakRss: peak, cpuUs: cpu.user + cpu.system, gc });
      process.exit(0);
    });
  });
  process.send!({ port });
}

interface LoadResult {
  acked: number;
  lost: number;
  perSecond: number;
}

/** `endpoints` sockets, each with `windowSize` CON requests outstanding; counts 2.04 ACKs. */
async function load(port: number, mark: () => void): Promise<LoadResult> {
  const payload = Buffer.from('[{"n":"level","u":"m","v":12.3}]');
  let acked = 0,
    lost = 0,
    counting = false,
    running = true;
  const socks: Socket[] = [];
  const warmupMs = 1000;
  await Promise.all(
    Array.from({ length: endpoints }, async (_, e) => {
      const sock = createSocket('udp4');
      socks.push(sock);
      await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
      let mid = (e * 7919) & 0xffff;
      const outstanding = new Map<number, NodeJS.Timeout>();
      const path = [
        { name: 'Uri-Path', value: Buffer.from('senml') },
        { name: 'Uri-Path', value: Buffer.from(`sim-${e}`) },
      ];
      const send = (): void => {
        if (!running) return;
        mid = (mid + 1) & 0xffff;
        const id = mid;
        outstanding.set(
          id,
          setTimeout(() => {
            outstanding.delete(id);
            lost++;
            send();
          }, 3000),
        );
        sock.send(
          generate({
            messageId: id,
            token: Buffer.from([id >> 8, id & 0xff]),
            code: '0.02',
            confirmable: true,
            options: [...path, { name: 'Content-Format', value: Buffer.from([110]) }],
            payload,
          }),
          port,
          '127.0.0.1',
        );
      };
      sock.on('message', (msg) => {
        const id = msg.readUInt16BE(2);
        const timer = outstanding.get(id);
        if (!timer) return;
        clearTimeout(timer);
        outstanding.delete(id);
        if (msg[1] === 0x44 && counting) acked++; // 2.04 Changed
        send();
      });
      for (let w = 0; w < windowSize; w++) send();
    }),
  );
  await new Promise((r) => setTimeout(r, warmupMs));
  counting = true;
  mark();
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  counting = false;
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  running = false;
  for (const s of socks) s.close();
  return { acked, lost, perSecond: acked / elapsed };
}

type Measured = LoadResult & {
  peakRssMb: number;
  cpuUsPerReading: number;
  gcUsPerReading: { minor: number; major: number };
  majorGcs: number;
};
interface ServeReport {
  peakRss: number;
  cpuUs: number;
  gc: { minorMs: number; majorMs: number; majors: number };
}

async function measure(target: Target): Promise<Measured> {
  // The edge runs with the flags it ships with; the bare server with node's defaults, or with the
  // agent's flags too under --bare-with-agent-flags (then only the work differs, not the heap limits).
  const child = fork(fileURLToPath(import.meta.url), ['--serve', target], {
    stdio: 'inherit',
    execArgv: [
      ...(target === 'edge' || bareWithAgentFlags ? EDGE_NODE_FLAGS : []),
      ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${target}.cpuprofile`] : []),
    ],
  });
  const port = await new Promise<number>((r) => child.once('message', (m: { port: number }) => r(m.port)));
  const result = await load(port, () => child.send('mark'));
  child.send('stop');
  const { peakRss, cpuUs, gc } = await new Promise<ServeReport>((r) => child.once('message', (m: ServeReport) => r(m)));
  // CPU per acknowledged reading while counting: less sensitive than throughput to other load on the machine.
  const n = Math.max(1, result.acked);
  return {
    ...result,
    peakRssMb: peakRss / 2 ** 20,
    cpuUsPerReading: cpuUs / n,
    gcUsPerReading: { minor: (gc.minorMs * 1000) / n, major: (gc.majorMs * 1000) / n },
    majorGcs: gc.majors,
  };
}

const serveArg = argValue(args, '--serve') as Target | undefined;
if (serveArg) {
  void serve(serveArg);
} else {
  // Rounds alternate which target goes first (bare+edge, edge+bare, …) so that a machine that gets
  // faster or slower during the run does not favour either; each round's ratio compares two
  // adjacent measurements, and the figures are the medians over the rounds.
  const rounds: { bare: Measured; edge: Measured; ratio: number }[] = [];
  for (let r = 0; r < roundCount; r++) {
    const order: Target[] = r % 2 === 0 ? ['bare', 'edge'] : ['edge', 'bare'];
    const got: Partial<Record<Target, Measured>> = {};
    for (const target of order) got[target] = await measure(target);
    const round = { bare: got.bare!, edge: got.edge!, ratio: got.edge!.perSecond / got.bare!.perSecond };
    rounds.push(round);
    const cost = (m: Measured): string =>
      `${m.cpuUsPerReading.toFixed(1)} µs CPU/reading, GC ${m.gcUsPerReading.minor.toFixed(1)} young + ${m.gcUsPerReading.major.toFixed(1)} old, ${m.majorGcs} mark-compacts`;
    console.log(
      `round ${r + 1}/${roundCount}: edge ${Math.round(round.edge.perSecond)}/s (${cost(round.edge)}), bare ${Math.round(round.bare.perSecond)}/s (${cost(round.bare)}), ratio ${round.ratio.toFixed(3)}`,
    );
  }
  const median = (xs: number[]): number => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
  };
  const edgeCpu = median(rounds.map((r) => r.edge.cpuUsPerReading)),
    bareCpu = median(rounds.map((r) => r.bare.cpuUsPerReading));
  if (bareWithAgentFlags)
    console.log(
      `note: the bare server ran with the agent's node flags (${EDGE_NODE_FLAGS.join(' ')}), not node's defaults`,
    );
  console.log(
    `edge-ingest: cpu_us_per_reading edge=${edgeCpu.toFixed(1)} bare=${bareCpu.toFixed(1)} (cpu ratio ${(bareCpu / edgeCpu).toFixed(3)}); medians of ${roundCount} rounds`,
  );
  report(
    'edge-ingest',
    {
      readings_per_s: Math.round(median(rounds.map((r) => r.edge.perSecond))),
      bare_per_s: Math.round(median(rounds.map((r) => r.bare.perSecond))),
      ratio: median(rounds.map((r) => r.ratio)),
      rss_mb: Math.round(Math.max(...rounds.map((r) => r.edge.peakRssMb))),
    },
    {
      seconds,
      endpoints,
      window: windowSize,
      rounds,
      coap: CFG,
      edgeFlags: EDGE_NODE_FLAGS,
      bareFlags: bareWithAgentFlags ? EDGE_NODE_FLAGS : [],
    },
  );
}
