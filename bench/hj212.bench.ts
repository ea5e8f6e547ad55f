/**
 * hj212: HJ 212 real-time uploads (4 factors with flags, Flag asking for a reply) parsed and
 * durably stored per second by the edge agent's HJ 212 server — the reply leaves after the SQLite
 * commit — on 1 and on 100 TCP connections. Baseline in the same run: a bare TCP server that only
 * deframes and answers (no parsing into readings, no store), same clients and window.
 *   npm run bench -- hj212 [--seconds 5] [--window 8]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../common/log.js';
import { EdgeAgent } from '../edge/agent.js';
import { loadEdgeConfig } from '../edge/config.js';
import { Hj212Deframer } from '../edge/southbound/hj212/frame.js';
import { buildDataReply } from '../edge/southbound/hj212/replies.js';
import { parseSegment } from '../edge/southbound/hj212/segment.js';
import type { Hj212Server } from '../edge/southbound/hj212/server.js';
import { SimInstrument, uploadFrame } from '../scripts/sim/hj212-instrument.js';
import { argValue, report } from './report.js';

const args = process.argv.slice(2);
const seconds = Number(argValue(args, '--seconds') ?? 5);
const windowSize = Number(argValue(args, '--window') ?? 8);

let qn = 0;
function frame(mn: string, i: number): { qn: string; bytes: Buffer } {
  const q = `20250301${String(120000000 + (qn++ % 1_000_000_000)).padStart(9, '0')}`;
  const s = 1740801600 + i; // distinct DataTime per frame
  const d = new Date((s + 8 * 3600) * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  const dataTime = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  return {
    qn: q,
    bytes: uploadFrame({
      cn: '2011',
      mn,
      pw: '123456',
      qn: q,
      dataTime,
      factors: {
        w01018: { Rtd: (20 + (i % 100) / 10).toFixed(1), Flag: 'N' },
        w21003: { Rtd: '1.25', Flag: 'N' },
        w01001: { Rtd: '7.1', Flag: 'N' },
        w00000: { Rtd: '12.5', Flag: 'N' },
      },
    }),
  };
}

/** `conns` instruments each keep `windowSize` uploads outstanding for `seconds`; returns confirmed uploads per second. */
async function drive(port: number, conns: number): Promise<number> {
  const insts = await Promise.all(Array.from({ length: conns }, () => SimInstrument.connect('127.0.0.1', port)));
  const end = Date.now() + seconds * 1000;
  let confirmed = 0;
  await Promise.all(
    insts.map(async (inst, c) => {
      const mn = `BENCH${String(c).padStart(9, '0')}`;
      let i = 0;
      let expect = 0;
      while (Date.now() < end) {
        const batch = Array.from({ length: windowSize }, () => frame(mn, i++));
        await inst.write(Buffer.concat(batch.map((b) => b.bytes)));
        expect += batch.length;
        await inst.replyCount(expect, 60_000);
        confirmed += batch.length;
      }
    }),
  );
  for (const i of insts) i.close();
  return confirmed / seconds;
}

async function bare(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    const d = new Hj212Deframer();
    s.on('data', (chunk: Buffer) => {
      const out: Buffer[] = [];
      for (const ev of d.push(chunk)) if (ev.type === 'frame') out.push(buildDataReply(parseSegment(ev.frame.segment)));
      if (out.length) s.write(Buffer.concat(out));
    });
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port };
}

const b = await bare();
const bare1 = await drive(b.port, 1);
const bare100 = await drive(b.port, 100);
await new Promise<void>((r) => b.server.close(() => r()));

const dir = mkdtempSync(join(tmpdir(), 'yw-bench-hj212-'));
const agent = await EdgeAgent.start(
  loadEdgeConfig(undefined, {
    gateway: { id: 'gw-bench', secret: 'x' },
    cloud: { url: 'mqtt://127.0.0.1:9' },
    store: { path: join(dir, 'edge.db') },
    coap: { host: '127.0.0.1', port: 0 },
    lwm2m: { enabled: false },
    cameras: { enabled: false },
    log: { level: 'silent' },
    hj212: { enabled: true, host: '127.0.0.1', port: 0, max_connections: 1000 },
  }),
  silentLogger(),
);
const hj = agent.adapters.find((a) => a.name === 'hj212') as Hj212Server;
const edge1 = await drive(hj.port, 1);
const edge100 = await drive(hj.port, 100);
const stats = agent.store.stats();
await agent.stop();
rmSync(dir, { recursive: true, force: true });

report(
  'hj212',
  {
    frames_per_s_1: Math.round(edge1),
    frames_per_s_100: Math.round(edge100),
    baseline_frames_per_s_1: Math.round(bare1),
    baseline_frames_per_s_100: Math.round(bare100),
    ratio_1: edge1 / bare1,
    ratio_100: edge100 / bare100,
  },
  {
    seconds,
    window: windowSize,
    readingsPerFrame: 8,
    readingsAccepted: stats.counters.readings_accepted ?? 0,
    rejected: hj.counters.rejected,
  },
);
process.exit(0);
