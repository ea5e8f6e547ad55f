/**
 * A cloud and an edge agent as real child processes (the built CLIs, the agent with its own heap
 * flags), honest CoAP devices whose every acknowledged reading is tracked to the cloud, and the
 * attacks of scripts/sim/attackers.ts run against both. Shared by the hostile-peer suite
 * (test/e2e/hostile-peers.test.ts) and the `under-attack` benchmark.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/paths.js';
import { EDGE_NODE_FLAGS } from '../../edge/runtime-flags.js';
import { SimSensor } from './coap-sensors.js';
import { freePort } from './free-port.js';
import { Worker } from 'node:worker_threads';
import type { AttackSpec } from './attack-worker.js';

export const ATTACKS = [
  'coap-garbage',
  'block1-flood',
  'registration-flood',
  'slow-hj212',
  'rogue-gateway',
  'oversized-connect',
] as const;
export type AttackName = (typeof ATTACKS)[number];

export interface LabOptions {
  /** Honest CoAP devices (one UDP socket each). */
  devices: number;
  /** Pause between a device's acknowledged uplink and its next one. */
  gapMs: number;
  /** Flood datagrams per second per CoAP attack (garbage, Block1, registrations). */
  floodPerS: number;
  /** A device gives a reading up after this long without an ACK (a battery-powered module). */
  giveUpMs?: number;
}

export interface Round {
  attacks: AttackName[];
  seconds: number;
  acked: number;
  perS: number;
  gaveUp: number;
  attackSent: Record<string, number>;
}

interface Proc {
  proc: ChildProcess;
  exited: boolean;
  exitCode: number | null;
}

function start(
  script: string,
  args: string[],
  log: string,
  execArgv: string[],
): Promise<{ p: Proc; ready: Record<string, number> }> {
  const fd = openSync(log, 'a');
  const proc = fork(join(REPO_ROOT, 'dist', script), args, { stdio: ['ignore', fd, fd, 'ipc'], execArgv });
  const p: Proc = { proc, exited: false, exitCode: null };
  proc.on('exit', (code) => {
    p.exited = true;
    p.exitCode = code;
  });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { ready?: Record<string, number> }) =>
      m.ready ? resolve({ p, ready: m.ready }) : reject(new Error('unexpected message')),
    );
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code} before ready (see ${log})`)));
  });
}

/** Peak and current resident set of a process, MB (Linux /proc). */
export function rssMb(pid: number | undefined): { peak: number; now: number } {
  if (!pid) return { peak: 0, now: 0 };
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string): number => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { peak: Math.round(kb('VmHWM') / 1024), now: Math.round(kb('VmRSS') / 1024) };
  } catch {
    return { peak: 0, now: 0 };
  }
}

export class AttackLab {
  /** Acknowledged values per honest device: every one must reach the cloud. */
  readonly acked = new Map<string, number[]>();
  private seq = 0;
  private readonly sensors: SimSensor[];

  private constructor(
    readonly dir: string,
    private readonly o: LabOptions,
    readonly cloud: Proc,
    readonly edge: Proc,
    readonly ports: { mqtt: number; http: number; coap: number; hj212: number },
    private readonly rogueSecret: string,
  ) {
    this.sensors = Array.from(
      { length: o.devices },
      (_, i) =>
        new SimSensor(
          `honest-${String(i).padStart(3, '0')}`,
          { host: '127.0.0.1', port: ports.coap },
          o.giveUpMs ?? 15_000,
        ),
    );
    for (const s of this.sensors) this.acked.set(s.deviceId, []);
  }

  static async start(o: LabOptions): Promise<AttackLab> {
    const dir = mkdtempSync(join(tmpdir(), 'yw-attack-'));
    const [mqtt, http, hj212] = [await freePort(), await freePort(), await freePort()];
    writeFileSync(
      join(dir, 'cloud.toml'),
      `${[
        '[mqtt]',
        'host = "127.0.0.1"',
        `port = ${mqtt}`,
        '[tls]',
        'enabled = false',
        '[http]',
        'host = "127.0.0.1"',
        `port = ${http}`,
        '[store]',
        `path = "${join(dir, 'cloud.db')}"`,
        '[log]',
        'level = "warn"',
      ].join('\n')}\n`,
    );
    const cloud = await start(
      'cloud/cli/main.js',
      ['--config', join(dir, 'cloud.toml'), 'serve'],
      join(dir, 'cloud.log'),
      [],
    );
    const api = `http://127.0.0.1:${cloud.ready.httpPort}`;
    const create = async (id: string): Promise<string> => {
      const r = await fetch(`${api}/api/v1/gateways`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id }),
      });
      if (r.status !== 201) throw new Error(`creating gateway ${id}: HTTP ${r.status} ${await r.text()}`);
      return ((await r.json()) as { secret: string }).secret;
    };
    const honestSecret = await create('gw-honest');
    const rogueSecret = await create('gw-rogue');
    writeFileSync(
      join(dir, 'edge.toml'),
      `${[
        '[gateway]',
        'id = "gw-honest"',
        `secret = "${honestSecret}"`,
        '[cloud]',
        `url = "mqtt://127.0.0.1:${mqtt}"`,
        'reconnect_ms = 200',
        '[store]',
        `path = "${join(dir, 'edge.db')}"`,
        '[coap]',
        'host = "127.0.0.1"',
        'port = 0',
        '[hj212]',
        'enabled = true',
        'host = "127.0.0.1"',
        `port = ${hj212}`,
        '[sync]',
        'linger_ms = 20',
        'ack_timeout_ms = 3000',
        '[log]',
        'level = "warn"',
      ].join('\n')}\n`,
    );
    const edge = await start('edge/cli/main.js', ['--config', join(dir, 'edge.toml'), 'run'], join(dir, 'edge.log'), [
      ...EDGE_NODE_FLAGS,
    ]);
    return new AttackLab(dir, o, cloud.p, edge.p, { mqtt, http, coap: edge.ready.coapPort!, hj212 }, rogueSecret);
  }

  private spec(name: AttackName): AttackSpec {
    const coap = { host: '127.0.0.1', port: this.ports.coap, perS: this.o.floodPerS };
    switch (name) {
      case 'coap-garbage':
      case 'block1-flood':
      case 'registration-flood':
        return { name, ...coap };
      case 'slow-hj212':
        return { name, host: '127.0.0.1', port: this.ports.hj212, perS: 0 };
      case 'rogue-gateway':
        return {
          name,
          host: '127.0.0.1',
          port: this.ports.mqtt,
          perS: 0,
          mqttUrl: `mqtt://127.0.0.1:${this.ports.mqtt}`,
          gatewayId: 'gw-rogue',
          secret: this.rogueSecret,
          victims: this.sensors.map((s) => s.deviceId),
        };
      case 'oversized-connect':
        return { name, host: '127.0.0.1', port: this.ports.mqtt, perS: 0 };
    }
  }

  /**
   * The attacks run in one worker thread (the built scripts/sim/attack-worker.js): their send loops
   * never delay the honest devices' event loop. Resolves once the attacks run (the worker says so).
   */
  private async launch(names: AttackName[]): Promise<{ stop(): Promise<Record<string, number>> }> {
    if (names.length === 0) return { stop: async () => ({}) };
    // execArgv: [] — the built worker needs no loader of the test runner's (inherited ones broke it under tap)
    const w = new Worker(join(REPO_ROOT, 'dist', 'scripts', 'sim', 'attack-worker.js'), {
      workerData: names.map((n) => this.spec(n)),
      execArgv: [],
    });
    let failure: Error | undefined;
    w.on('error', (err) => {
      failure = err;
    });
    const exited = new Promise<void>((r) => w.once('exit', () => r()));
    const warn = (): Record<string, number> => {
      if (failure) process.emitWarning(`attack worker failed: ${failure.message}`);
      return {};
    };
    await Promise.race([new Promise((r) => w.once('message', r)), exited]);
    return {
      stop: () =>
        new Promise((resolve) => {
          w.once('message', (sent: Record<string, number>) => {
            resolve(sent);
            void w.terminate();
          });
          void exited.then(() => resolve(warn()));
          w.postMessage('stop');
        }),
    };
  }

  /** The honest devices send for `seconds` while the named attacks run. */
  async round(seconds: number, attacks: AttackName[]): Promise<Round> {
    const running = await this.launch(attacks);
    let gaveUp = 0,
      acked = 0;
    const t0 = Date.now();
    const until = t0 + seconds * 1000;
    await Promise.all(
      this.sensors.map(async (s) => {
        const got = this.acked.get(s.deviceId)!;
        while (Date.now() < until) {
          const v = ++this.seq;
          try {
            const r = await s.sendSenml([{ n: 'seq', v, t: Date.now() / 1000 }]);
            if (r.code === '2.04') {
              got.push(v);
              acked++;
            }
          } catch {
            gaveUp++;
          }
          await new Promise((r) => setTimeout(r, this.o.gapMs));
        }
      }),
    );
    const ms = Date.now() - t0;
    const attackSent = await running.stop();
    return { attacks, seconds: ms / 1000, acked, perS: acked / (ms / 1000), gaveUp, attackSent };
  }

  /** Cloud API GET (JSON). */
  async get<T>(path: string): Promise<T> {
    const r = await fetch(`http://127.0.0.1:${this.ports.http}${path}`);
    if (!r.ok) throw new Error(`GET ${path}: HTTP ${r.status}`);
    return (await r.json()) as T;
  }

  /** Acknowledged honest readings missing from the cloud after waiting up to `waitMs` for them. */
  async lost(waitMs = 60_000): Promise<{ acked: number; lost: number; duplicated: number }> {
    const deadline = Date.now() + waitMs;
    let lost = 0,
      duplicated = 0,
      acked = 0;
    for (;;) {
      lost = 0;
      duplicated = 0;
      acked = 0;
      for (const [dev, values] of this.acked) {
        acked += values.length;
        if (values.length === 0) continue;
        const got = (
          await this.get<{ readings: { value: number }[] }>(
            `/api/v1/devices/${encodeURIComponent(dev)}/readings?limit=100000`,
          ).catch(() => ({ readings: [] }))
        ).readings.map((r) => r.value);
        const have = new Set(got);
        lost += values.filter((v) => !have.has(v)).length;
        duplicated += got.length - have.size;
      }
      if (lost === 0 || Date.now() > deadline) return { acked, lost, duplicated };
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  rss(): { edge: { peak: number; now: number }; cloud: { peak: number; now: number } } {
    return { edge: rssMb(this.edge.proc.pid), cloud: rssMb(this.cloud.proc.pid) };
  }

  /** Both processes still the ones started (no crash, no restart). */
  alive(): { edge: boolean; cloud: boolean } {
    return { edge: !this.edge.exited, cloud: !this.cloud.exited };
  }

  async stop(keepDir = false): Promise<void> {
    for (const s of this.sensors) s.close();
    for (const p of [this.edge, this.cloud]) {
      if (p.exited) continue;
      const gone = new Promise((r) => p.proc.once('exit', r));
      p.proc.kill('SIGTERM');
      await gone;
    }
    if (!keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
