/**
 * dtls (issue 21): the coaps side of the agent.
 *   npm run bench -- dtls [--rounds 3] [--seconds 5] [--devices 50] [--window 4] [--handshakes 2000]
 *                         [--sessions 100000] [--sessions-seconds 120] [--quick]
 * - handshakes_per_s: full PSK handshakes (cookie exchange, CCM_8, extended master secret, CID
 *   offered) per second, in process: the test mini-client (scripts/harness/dtls-mini-client.ts)
 *   drives a DtlsServer's handle() directly, no sockets; client and server share one thread, so the
 *   figure counts both sides' work. The server's own share (time inside handle()) is printed and is
 *   in the JSON (`serverOnlyPerS`). Median over the rounds.
 * - ingest_per_s / plain_ingest_per_s: CON SenML uplinks (one reading each, durably committed before
 *   the ACK) from `--devices` UDP endpoints with `--window` CONs outstanding each, for `--seconds`,
 *   over established DTLS sessions (coaps port) and over plain CoAP (plain port) into one agent
 *   (EdgeAgent.start, coap.dtls_enabled, coap.nosec = open so that plain uplinks are accepted) in
 *   its own process with the shipped node flags; the rounds alternate which goes first; medians;
 *   ratio = median of the rounds' ingest/plain. The DTLS client side is the UDP client of
 *   scripts/harness/dtls-udp-client.ts (CCM_8, CID offered, no retransmission), built on the
 *   server's own record, cipher and PRF code (like the mini-client): it shows the
 *   agent's cost, not interoperability (the libcoap tests do that).
 * - sessions / rss_mb: the agent process's RSS (after a full GC) with `--sessions` idle sessions in
 *   its table, established over UDP by the same client, one socket per session, each bound to its
 *   own loopback address 127.x.y.z (the table keys sessions by address and port). If they do not
 *   all fit in `--sessions-seconds`, `sessions=` is the number reached, rss_mb is what was measured
 *   and the JSON gives the bytes per session and the extrapolation to the target, marked as such.
 * --quick: 1 round of 2 s, 500 handshakes, 10,000 sessions within 20 s.
 */
import { fork } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'coap-packet';
import { silentLogger } from '../common/log.js';
import { EdgeAgent } from '../edge/agent.js';
import { loadEdgeConfig } from '../edge/config.js';
import { EDGE_NODE_FLAGS } from '../edge/runtime-flags.js';
import { MemoryPskDirectory } from '../edge/southbound/dtls/psk-directory.js';
import { DtlsServer, type Peer } from '../edge/southbound/dtls/server.js';
import { miniHandshake } from '../scripts/harness/dtls-mini-client.js';
import { sendData, udpHandshake, unprotect, type UdpSession } from '../scripts/harness/dtls-udp-client.js';
import { argValue, report } from './report.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const num = (flag: string, full: number, short: number): number =>
  Number(argValue(args, flag) ?? (quick ? short : full));
const roundCount = num('--rounds', 3, 1);
const seconds = num('--seconds', 5, 2);
const devices = num('--devices', 50, 50);
const windowSize = num('--window', 4, 4);
const handshakesPerRound = num('--handshakes', 2000, 500);
const sessionTarget = num('--sessions', 100_000, 10_000);
const sessionSeconds = num('--sessions-seconds', 120, 20);
const SESSION_CONCURRENCY = 64;
const STEP_TIMEOUT_MS = 2000;
/** The UDP client's handshake: TLS_PSK_WITH_AES_128_CCM_8, CID offered, no retransmission (a lost flight fails it). */
const HANDSHAKE = { suite: 0xc0a8, cid: true, stepTimeoutMs: STEP_TIMEOUT_MS } as const;
const keyOf = (i: number): Buffer => Buffer.from(`bench-key-${String(i).padStart(6, '0')}`);

const median = (xs: number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};

// ---------------------------------------------------------------- the agent (child process)

interface AgentReady {
  port: number;
  coapsPort: number;
}
interface AgentMemory {
  rss: number;
  heapUsed: number;
  /** process.memoryUsage().external (includes arrayBuffers: Buffers' backing stores). */
  external: number;
  sessions: number;
  handshakes: number;
  tableBytes: number;
  handshakesCompleted: number;
  handshakesFailed: number;
  sessionsEvicted: number;
  sendDropped: number;
}

async function serveAgent(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'yw-bench-dtls-'));
  const identities = Math.max(devices, 1);
  const entries = Array.from({ length: identities }, (_, i) => ({
    identity: `id-${i}`,
    deviceId: `dev-${i}`,
    key: keyOf(i),
  }));
  const agent = await EdgeAgent.start(
    loadEdgeConfig(undefined, {
      gateway: { id: 'gw-bench-dtls', secret: 'x' },
      cloud: { url: 'mqtt://127.0.0.1:9' },
      store: { path: join(dir, 'edge.db') },
      coap: {
        host: '127.0.0.1',
        port: 0,
        dtls_enabled: true,
        dtls_port: 0,
        nosec: 'open',
        dtls_max_sessions: sessionTarget + devices + 2048,
        dtls_max_session_bytes: 1 << 30, // a bound only: the RSS is what is measured
      },
      log: { level: 'silent' },
    }),
    silentLogger(),
    undefined,
    { pskDirectory: new MemoryPskDirectory(entries) },
  );
  const memory = (): AgentMemory => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const s = agent.status().coaps!;
    return {
      rss: m.rss,
      heapUsed: m.heapUsed,
      external: m.external, // C++-side memory incl. Buffers' backing stores
      sessions: s.sessions,
      handshakes: s.handshakes,
      tableBytes: s.tableBytes,
      handshakesCompleted: s.handshakesCompleted,
      handshakesFailed: s.handshakesFailed,
      sessionsEvicted: s.sessionsEvicted,
      sendDropped: s.sendDropped,
    };
  };
  process.on('message', (m: string) => {
    if (m === 'memory') process.send!(memory());
    if (m !== 'stop') return;
    void agent.stop().then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.send!('stopped');
      process.exit(0);
    });
  });
  process.send!({ port: agent.coap.port, coapsPort: agent.coaps!.adapter!.listener.port } satisfies AgentReady);
}

// ---------------------------------------------------------------- UDP sockets

/** A socket bound to `address` (any port). */
function bindSocket(address: string): Promise<Socket> {
  const sock = createSocket('udp4');
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, address, () => {
      sock.removeListener('error', reject);
      resolve(sock);
    });
  });
}

// ---------------------------------------------------------------- phase 1: handshakes in process

interface HandshakeRound {
  perS: number;
  serverOnlyPerS: number;
}

function handshakeRound(n: number): HandshakeRound {
  const psk = keyOf(0);
  const server = new DtlsServer({
    pskFor: (id) => (id === 'id-0' ? psk : undefined),
    maxSessions: n + 16,
    maxSessionBytes: 1 << 30,
    cid: true,
  });
  let inServer = 0n;
  // times the server's share: every datagram of the handshake goes through handle()
  const timed = {
    handle(datagram: Buffer, peer: Peer, sendTo: (d: Buffer, p: Peer) => void): void {
      const t = process.hrtime.bigint();
      server.handle(datagram, peer, sendTo);
      inServer += process.hrtime.bigint() - t;
    },
  } as unknown as DtlsServer;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++)
    miniHandshake(timed, { address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, port: 40_000 }, 'id-0', psk, {
      cid: true,
    });
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const completed = server.stats().handshakesCompleted;
  server.close();
  if (completed !== n) throw new Error(`${completed} of ${n} handshakes completed`);
  return { perS: n / elapsed, serverOnlyPerS: n / (Number(inServer) / 1e9) };
}

// ---------------------------------------------------------------- phase 2: ingest, DTLS vs plain

interface LoadResult {
  acked: number;
  lost: number;
  perSecond: number;
}

const PAYLOAD = Buffer.from('[{"n":"level","u":"m","v":12.3}]');

/**
 * `devices` endpoints, each with `windowSize` CONs outstanding (a lost one is replaced after 3 s);
 * counts 2.04 ACKs during `seconds` after a 1 s warm-up. `dtls`: over these sessions, else plain.
 */
async function load(port: number, sessions: UdpSession[] | undefined): Promise<LoadResult> {
  let acked = 0,
    lost = 0,
    counting = false,
    running = true;
  const owned: Socket[] = [];
  const stops: (() => void)[] = [];
  for (let e = 0; e < devices; e++) {
    const s = sessions?.[e];
    const sock = s ? s.sock : await bindSocket('127.0.0.1');
    if (!s) owned.push(sock);
    let mid = (e * 7919) & 0xffff;
    const outstanding = new Map<number, NodeJS.Timeout>();
    const options = [
      { name: 'Uri-Path' as const, value: Buffer.from('senml') },
      { name: 'Uri-Path' as const, value: Buffer.from(`dev-${e}`) },
      { name: 'Content-Format' as const, value: Buffer.from([110]) },
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
      const coapMsg = generate({
        messageId: id,
        token: Buffer.from([id >> 8, id & 0xff]),
        code: '0.02',
        confirmable: true,
        options,
        payload: PAYLOAD,
      });
      if (s) sendData(s, coapMsg);
      else sock.send(coapMsg, port, '127.0.0.1');
    };
    const onAnswer = (msg: Buffer): void => {
      const id = msg.readUInt16BE(2);
      const timer = outstanding.get(id);
      if (!timer) return;
      clearTimeout(timer);
      outstanding.delete(id);
      if (msg[1] === 0x44 && counting) acked++; // 2.04 Changed
      send();
    };
    const onMessage = (d: Buffer): void => {
      if (!s) return onAnswer(d);
      for (const p of unprotect(s, d)) onAnswer(p);
    };
    sock.on('message', onMessage);
    stops.push(() => {
      sock.removeListener('message', onMessage);
      for (const t of outstanding.values()) clearTimeout(t);
    });
    for (let w = 0; w < windowSize; w++) send();
  }
  await new Promise((r) => setTimeout(r, 1000));
  counting = true;
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  counting = false;
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  running = false;
  // let the last answers land before the next measurement starts
  await new Promise((r) => setTimeout(r, 300));
  for (const stop of stops) stop();
  for (const sock of owned) sock.close();
  return { acked, lost, perSecond: acked / elapsed };
}

// ---------------------------------------------------------------- phase 3: idle sessions

/** Loopback source address number `i` (127.1.0.0 upwards): each session its own address. */
const sourceAddress = (i: number): string => `127.${1 + ((i >> 16) & 127)}.${(i >> 8) & 255}.${i & 255}`;

async function establishIdle(
  coapsPort: number,
  target: number,
  deadlineMs: number,
  agentGone: () => boolean,
): Promise<{ ok: number; failed: number; ms: number }> {
  const t0 = Date.now();
  let nextIndex = 0,
    ok = 0,
    inFlight = 0,
    failed = 0;
  const worker = async (): Promise<void> => {
    while (ok + inFlight < target && Date.now() - t0 < deadlineMs && !agentGone()) {
      const i = nextIndex++;
      if (failed > target) return; // nearly everything fails: give up
      const d = i % devices;
      let sock: Socket | undefined;
      inFlight++;
      try {
        sock = await bindSocket(sourceAddress(devices + i));
        await udpHandshake(sock, coapsPort, `id-${d}`, keyOf(d), HANDSHAKE);
        ok++;
      } catch {
        failed++;
      } finally {
        inFlight--;
        sock?.close();
      }
    }
  };
  await Promise.all(Array.from({ length: SESSION_CONCURRENCY }, worker));
  return { ok, failed, ms: Date.now() - t0 };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  // phase 1
  const hsRounds: HandshakeRound[] = [];
  handshakeRound(Math.min(200, handshakesPerRound)); // warm-up
  for (let r = 0; r < roundCount; r++) {
    const h = handshakeRound(handshakesPerRound);
    hsRounds.push(h);
    console.log(
      `handshakes round ${r + 1}/${roundCount}: ${Math.round(h.perS)}/s client+server in one thread (server's share alone: ${Math.round(h.serverOnlyPerS)}/s)`,
    );
  }

  // the agent
  const child = fork(fileURLToPath(import.meta.url), [...args, '--serve'], {
    stdio: 'inherit',
    execArgv: [...EDGE_NODE_FLAGS, '--expose-gc'],
  });
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `agent process exited (code ${code}, signal ${signal})`;
  });
  const ask = <T>(msg: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = (): void => reject(new Error(exited ?? 'agent process exited'));
      child.once('exit', onExit);
      child.once('message', (m: T) => {
        child.removeListener('exit', onExit);
        resolve(m);
      });
      if (msg) child.send(msg);
    });
  const ready = await ask<AgentReady>('');

  // phase 2: one session per device, then alternating rounds
  const sessions: UdpSession[] = [];
  for (let e = 0; e < devices; e++) {
    let s: UdpSession | undefined;
    for (let attempt = 0; attempt < 3 && !s; attempt++) {
      const sock = await bindSocket('127.0.0.1');
      try {
        s = await udpHandshake(sock, ready.coapsPort, `id-${e}`, keyOf(e), HANDSHAKE);
      } catch {
        sock.close();
      }
    }
    if (!s) throw new Error(`device ${e}: no DTLS session after 3 attempts`);
    sessions.push(s);
  }
  const ingestRounds: { dtls: LoadResult; plain: LoadResult; ratio: number }[] = [];
  for (let r = 0; r < roundCount; r++) {
    const order = r % 2 === 0 ? (['plain', 'dtls'] as const) : (['dtls', 'plain'] as const);
    const got: { dtls?: LoadResult; plain?: LoadResult } = {};
    for (const mode of order)
      got[mode] = mode === 'dtls' ? await load(ready.coapsPort, sessions) : await load(ready.port, undefined);
    const round = { dtls: got.dtls!, plain: got.plain!, ratio: got.dtls!.perSecond / got.plain!.perSecond };
    ingestRounds.push(round);
    console.log(
      `ingest round ${r + 1}/${roundCount}: dtls ${Math.round(round.dtls.perSecond)}/s (lost ${round.dtls.lost}), plain ${Math.round(round.plain.perSecond)}/s (lost ${round.plain.lost}), ratio ${round.ratio.toFixed(3)}`,
    );
  }
  for (const s of sessions) s.sock.close();

  // phase 3: idle sessions; the agent's memory is sampled every 5 s meanwhile (it may not survive)
  const before = await ask<AgentMemory>('memory');
  const samples: AgentMemory[] = [];
  let establishing = true;
  const sampler = (async (): Promise<void> => {
    while (establishing && exited === undefined) {
      for (let w = 0; w < 20 && establishing; w++) await new Promise((r) => setTimeout(r, 250));
      if (!establishing || exited !== undefined) return;
      try {
        samples.push(await ask<AgentMemory>('memory'));
      } catch {
        return;
      }
    }
  })();
  const idle = await establishIdle(ready.coapsPort, sessionTarget, sessionSeconds * 1000, () => exited !== undefined);
  establishing = false;
  await sampler;
  let final: AgentMemory | undefined;
  if (exited === undefined) {
    await new Promise((r) => setTimeout(r, 500));
    final = await ask<AgentMemory>('memory').catch(() => undefined);
  }
  const after = final ?? samples.at(-1) ?? before;
  const died = exited;
  const added = after.sessions - before.sessions;
  const perSession = added > 0 ? (after.rss - before.rss) / added : 0;
  const heapPerSession = added > 0 ? (after.heapUsed - before.heapUsed) / added : 0;
  const reached = after.sessions >= sessionTarget;
  const extrapolatedRss = before.rss + perSession * (sessionTarget - before.sessions);
  if (died) console.log(`AGENT DIED while establishing idle sessions: ${died}; figures below are its last sample`);
  console.log(
    `idle sessions: ${idle.ok} handshakes in ${(idle.ms / 1000).toFixed(1)} s (${Math.round((idle.ok * 1000) / idle.ms)}/s over UDP, ${idle.failed} failed); ` +
      `agent: ${after.sessions} sessions, RSS ${(before.rss / 2 ** 20).toFixed(1)} → ${(after.rss / 2 ** 20).toFixed(1)} MB: ${Math.round(perSession)} B/session RSS, ${Math.round(heapPerSession)} B/session JS heap, table estimate ${Math.round(after.tableBytes / Math.max(1, after.sessions))} B/session`,
  );
  if (!reached)
    console.log(
      `EXTRAPOLATED (not measured): ${sessionTarget} sessions ≈ ${(extrapolatedRss / 2 ** 20).toFixed(1)} MB RSS at ${Math.round(perSession)} B/session`,
    );
  if (!died) {
    child.send('stop');
    await ask<string>('').catch(() => undefined);
  } else process.exitCode = 1;

  report(
    'dtls',
    {
      handshakes_per_s: Math.round(median(hsRounds.map((h) => h.perS))),
      ingest_per_s: Math.round(median(ingestRounds.map((r) => r.dtls.perSecond))),
      plain_ingest_per_s: Math.round(median(ingestRounds.map((r) => r.plain.perSecond))),
      ratio: median(ingestRounds.map((r) => r.ratio)),
      sessions: after.sessions,
      rss_mb: Math.round(after.rss / 2 ** 20),
    },
    {
      quick,
      handshakes: {
        inProcess: true,
        note: 'mini-client and DtlsServer in one thread, no sockets; perS counts both sides, serverOnlyPerS the time inside handle()',
        perRound: handshakesPerRound,
        rounds: hsRounds,
        serverOnlyPerS: Math.round(median(hsRounds.map((h) => h.serverOnlyPerS))),
      },
      ingest: {
        devices,
        window: windowSize,
        seconds,
        rounds: ingestRounds,
        client: "scripts/harness/dtls-udp-client.ts on the server's record/cipher/PRF code; CCM_8, CID offered",
        nosec: 'open',
      },
      idleSessions: {
        target: sessionTarget,
        reached,
        agentDied: died ?? false,
        samples,
        handshakesOk: idle.ok,
        established: added,
        failed: idle.failed,
        ms: idle.ms,
        before,
        after,
        rssBytesPerSession: Math.round(perSession),
        heapBytesPerSession: Math.round(heapPerSession),
        externalBytesPerSession: added > 0 ? Math.round((after.external - before.external) / added) : 0,
        tableEstimateBytesPerSession: Math.round(after.tableBytes / Math.max(1, after.sessions)),
        ...(reached ? {} : { extrapolatedRssMbAtTarget: Math.round(extrapolatedRss / 2 ** 20), extrapolated: true }),
      },
      agentFlags: EDGE_NODE_FLAGS,
    },
  );
}

if (args.includes('--serve')) void serveAgent();
else
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
