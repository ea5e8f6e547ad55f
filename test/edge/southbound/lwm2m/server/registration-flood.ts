/**
 * An LwM2M registration flood (issue 16, finding 5) against an edge agent: CON Registers of many
 * endpoints from a few UDP sockets (as NB-IoT NAT makes devices look), each registering objects
 * 3303 and 3304 so that the bundled generic-ipso profile queues its Write-Attributes and Observe
 * requests for every fake endpoint, which never answers them. Used by the flood tests and, run
 * directly, to measure the built agent (as shipped: its own process and heap flags):
 *   npm run build --silent && node dist/test/edge/southbound/lwm2m/server/registration-flood.js \
 *     [--agent dist/edge/cli/main.js] [--bursts 2] [--per-burst 40000] [--endpoints 18000] [--rate 8000] [--settle-s 30]
 *     [--sources 1] [--lwm2m "new_endpoints_per_s = 0;max_registrations = 30000"]
 * It prints the agent's RSS (sampled every 100 ms from /proc) before, at the peak and after, its
 * JS heap, whether it survived, and the LwM2M figures of its status.
 */
import { createSocket, type Socket } from 'node:dgram';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, parse } from 'coap-packet';
import { REPO_ROOT } from '../../../../../common/paths.js';
import { EDGE_NODE_FLAGS } from '../../../../../edge/runtime-flags.js';
import { val } from '../../../../../edge/southbound/lwm2m/core/index.js';
import { SimLwm2mDevice } from '../../../../../edge/profiles/lwm2m-sim-device.js';

export interface FloodTarget {
  host: string;
  port: number;
}

export interface FloodOptions {
  /** Registers sent in all. */
  count: number;
  /** Distinct endpoint names (Register i uses endpoint i % endpoints). */
  endpoints: number;
  /** Datagrams per second (paced every 5 ms). */
  perSecond?: number;
  /** Source sockets (one address each, many devices behind it). */
  sockets?: number;
  /** Local address of the sockets (127.0.0.x gives distinct source IPs on Linux). */
  bindAddresses?: string[];
  prefix?: string;
  links?: string;
  binding?: string;
  lifetimeS?: number;
  /** First endpoint number (a second burst may continue the names of the first). */
  offset?: number;
}

export interface FloodResult {
  sent: number;
  answers: Record<string, number>;
}

const DEFAULT_LINKS = '</>;rt="oma.lwm2m";ct=110,</1/0>,</3/0>,</3303/0>,</3303/1>,</3304/0>';

/** Sends the Registers and counts the answer codes that came back (a flood does not wait for them). */
export async function registrationFlood(t: FloodTarget, o: FloodOptions): Promise<FloodResult> {
  const addrs = o.bindAddresses ?? ['127.0.0.1'];
  const nSockets = Math.max(o.sockets ?? 4, addrs.length);
  const answers: Record<string, number> = {};
  const socks: Socket[] = [];
  for (let i = 0; i < nSockets; i++) {
    const s = createSocket('udp4');
    s.on('error', () => undefined);
    s.on('message', (m) => {
      try {
        const c = parse(m).code;
        answers[c] = (answers[c] ?? 0) + 1;
      } catch {
        /* not CoAP */
      }
    });
    await new Promise<void>((r) => s.bind(0, addrs[i % addrs.length], () => r()));
    socks.push(s);
  }
  const links = Buffer.from(o.links ?? DEFAULT_LINKS);
  const perTick = Math.max(1, Math.round((o.perSecond ?? 8000) / 200));
  let n = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (let i = 0; i < perTick && n < o.count; i++, n++) {
        const k = (o.offset ?? 0) + n;
        const msg = generate({
          confirmable: true,
          messageId: k & 0xffff,
          token: Buffer.from([k & 0xff, (k >> 8) & 0xff, (k >> 16) & 0xff, 0x5a]),
          code: '0.02',
          payload: links,
          options: [
            { name: 'Uri-Path', value: Buffer.from('rd') },
            { name: 'Content-Format', value: Buffer.from([40]) },
            { name: 'Uri-Query', value: Buffer.from(`ep=${o.prefix ?? 'flood-'}${k % o.endpoints}`) },
            { name: 'Uri-Query', value: Buffer.from(`lt=${o.lifetimeS ?? 86_400}`) },
            { name: 'Uri-Query', value: Buffer.from('lwm2m=1.1') },
            { name: 'Uri-Query', value: Buffer.from(`b=${o.binding ?? 'UQ'}`) },
          ],
        });
        socks[n % socks.length]!.send(msg, t.port, t.host);
      }
      if (n >= o.count) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  // late answers: until every Register is answered (a flood loses some datagrams: at most 500 ms more)
  const answered = (): number => Object.values(answers).reduce((a, b) => a + b, 0);
  for (const end = Date.now() + 500; answered() < n && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
  for (const s of socks) s.close();
  return { sent: n, answers };
}

export interface HonestProbe {
  device: SimLwm2mDevice;
  figures: { updates: number; updatesFailed: number; notifications: number; notificationsFailed: number };
  stop(): Promise<void>;
}

/**
 * An honest device (objects 3303 and 3304: the generic-ipso profile observes it) that registers,
 * waits until the server observes its temperature, then every `everyMs` sends an Update and a CON
 * notification (acknowledged only once its reading is durable), counting what succeeded.
 */
export async function honestProbe(
  t: FloodTarget,
  endpoint = 'urn:imei:honest-1',
  everyMs = 500,
  observedWithinMs = 30_000,
): Promise<HonestProbe> {
  const device = new SimLwm2mDevice(
    { endpoint, lifetimeS: 3600, links: '</>;rt="oma.lwm2m";ct=11542,</1/0>,</3/0>,</3303/0>,</3304/0>' },
    t,
  );
  await device.bind();
  if ((await device.register()) !== '2.01') throw new Error('honest device not registered');
  const deadline = Date.now() + observedWithinMs;
  while (!device.observations.has('/3303/0/5700') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const figures = { updates: 0, updatesFailed: 0, notifications: 0, notificationsFailed: 0 };
  let running = true;
  let i = 0;
  const loop = (async () => {
    while (running) {
      try {
        if ((await device.update()) === '2.04') figures.updates++;
        else figures.updatesFailed++;
      } catch {
        figures.updatesFailed++;
      }
      device.set('/3303/0/5700', val.float(20 + (i++ % 50) / 10));
      try {
        if ((await device.notify('/3303/0/5700')) === 1) figures.notifications++;
        else figures.notificationsFailed++;
      } catch {
        figures.notificationsFailed++;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    device,
    figures,
    stop: async () => {
      running = false;
      await loop;
      device.close();
    },
  };
}

/** GET over the agent's local API socket. */
export function apiGet(socketPath: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (e) {
            reject(e as Error);
          }
        });
    });
    req.on('error', reject).on('timeout', () => req.destroy(new Error('local API timeout')));
    req.end();
  });
}

/** Resident set size of a process (Linux /proc), bytes; undefined once it is gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the built agent (`main`: its dist/edge/cli/main.js) with the shipped flags; resolves once it is ready. */
export async function spawnAgent(
  main: string,
  dir: string,
  lwm2m: string[] = [],
): Promise<{ proc: ChildProcess; coapPort: number; exited: Promise<number | null> }> {
  const config = join(dir, 'edge.toml');
  writeFileSync(
    config,
    `${[
      '[gateway]',
      'id = "gw-flood"',
      'secret = "x"',
      '[cloud]',
      'url = "mqtt://127.0.0.1:9"',
      '[store]',
      `path = "${join(dir, 'edge.db')}"`,
      '[coap]',
      'host = "127.0.0.1"',
      'port = 0',
      '[log]',
      'level = "info"',
      ...(lwm2m.length ? ['[lwm2m]', ...lwm2m] : []),
    ].join('\n')}\n`,
  );
  const log = openSync(join(dir, 'edge.log'), 'a');
  const proc = fork(main, ['--config', config, 'run'], {
    stdio: ['ignore', log, log, 'ipc'],
    execArgv: [...EDGE_NODE_FLAGS, ...(process.env.YW_FLOOD_AGENT_FLAGS?.split(' ').filter(Boolean) ?? [])],
    env: { ...process.env, YIWANG_SHARED: process.env.YIWANG_SHARED ?? join(REPO_ROOT, '..', 'shared') },
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  const coapPort = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m: { ready?: { coapPort: number } }) =>
      m.ready ? resolve(m.ready.coapPort) : reject(new Error('unexpected message')),
    );
    proc.once('exit', (code) => reject(new Error(`agent exited with ${code} before ready (see ${dir}/edge.log)`)));
  });
  return { proc, coapPort, exited };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const num = (name: string, d: number): number => Number(arg(name) ?? d);
  const bursts = num('--bursts', 2),
    perBurst = num('--per-burst', 40_000),
    endpoints = num('--endpoints', 18_000);
  const rate = num('--rate', 8000),
    settleS = num('--settle-s', 30),
    sources = num('--sources', 1);
  // --lwm2m "new_endpoints_per_s = 0;max_registrations = 30000": [lwm2m] options of the agent under test
  const lwm2m = (arg('--lwm2m') ?? '')
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);
  // distinct source addresses (Linux routes all of 127/8 to loopback), as devices behind many NATs or a spoofing flooder
  const bindAddresses = Array.from(
    { length: sources },
    (_, i) => `127.0.${Math.floor((i + 1) / 250)}.${((i + 1) % 250) + 1}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'yw-lwm2m-flood-'));
  const edge = await spawnAgent(arg('--agent') ?? join(REPO_ROOT, 'dist', 'edge', 'cli', 'main.js'), dir, lwm2m);
  const pid = edge.proc.pid!;
  let alive = true;
  void edge.exited.then((code) => {
    alive = false;
    console.log(`agent exited with ${code}`);
  });
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(pid) ?? 0);
  }, 100);
  const mb = (b: number | undefined): string => (b === undefined ? '-' : (b / 2 ** 20).toFixed(0));
  const socket = join(dir, 'agent.sock');
  const figures = async (): Promise<string> => {
    if (!alive) return 'agent gone';
    try {
      const s = (await apiGet(socket, '/v1/status')) as { lwm2m?: Record<string, unknown> };
      return JSON.stringify(s.lwm2m ?? null);
    } catch (e) {
      return `status failed: ${(e as Error).message}`;
    }
  };
  const honest = await honestProbe({ host: '127.0.0.1', port: edge.coapPort });
  console.log(
    `agent pid ${pid} on udp ${edge.coapPort}; rss at start ${mb(rssOf(pid))} MB; honest device observed: ${honest.device.observations.has('/3303/0/5700')}`,
  );
  const t0 = Date.now();
  for (let b = 0; b < bursts && alive; b++) {
    const r = await registrationFlood(
      { host: '127.0.0.1', port: edge.coapPort },
      {
        count: perBurst,
        endpoints,
        perSecond: rate,
        offset: b * perBurst,
        bindAddresses,
        sockets: Math.max(4, sources),
      },
    );
    console.log(
      `burst ${b + 1}: sent ${r.sent} in ${((Date.now() - t0) / 1000).toFixed(1)} s, answers ${JSON.stringify(r.answers)}; rss ${mb(rssOf(pid))} MB, peak ${mb(peak)} MB`,
    );
  }
  for (let s = 0; s < settleS && alive; s += 5) {
    await new Promise((r) => setTimeout(r, 5000));
    console.log(`+${s + 5} s: rss ${mb(rssOf(pid))} MB, peak ${mb(peak)} MB`);
  }
  await honest.stop();
  console.log(`honest device: ${JSON.stringify(honest.figures)}`);
  console.log(`lwm2m status: ${await figures()}`);
  clearInterval(sampler);
  console.log(
    `registration-flood: alive=${alive ? 1 : 0} honest_failed=${honest.figures.updatesFailed + honest.figures.notificationsFailed} peak_rss_mb=${mb(peak)} end_rss_mb=${mb(rssOf(pid))} seconds=${((Date.now() - t0) / 1000).toFixed(0)}`,
  );
  if (alive) {
    edge.proc.kill('SIGTERM');
    await edge.exited;
  }
  console.log(`agent log: ${dir}/edge.log`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
