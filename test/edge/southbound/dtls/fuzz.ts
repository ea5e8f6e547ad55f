/**
 * A seeded mutation fuzzer for the DTLS server: datagrams of real handshakes and records (from the
 * in-process client) are mutated (bit flips, byte sets, truncation, splices, length fields, record
 * duplication) and fed to `handle` from the sessions' own addresses and from others. Exported so a
 * long run can be started by hand:
 *   node -e "import('./dist/test/edge/southbound/dtls/fuzz.js').then(m => console.log(m.runDtlsFuzz(1e6, 1)))"
 */
import { DtlsServer, type DtlsStats, type Peer } from '../../../../edge/southbound/dtls/server.js';
import { type MiniSession, miniHandshake } from '../../../../scripts/harness/dtls-mini-client.js';

const PSK = Buffer.from('fuzz-key-0123456');

/** xorshift32: deterministic per seed. */
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

export interface FuzzResult {
  readonly iterations: number;
  readonly ms: number;
  /** Exceptions that escaped `handle` (must be 0). */
  readonly escaped: number;
  /** Established sessions that still answer after the run (must equal `sessions`). */
  readonly working: number;
  readonly sessions: number;
  readonly stats: DtlsStats;
}

export function runDtlsFuzz(iterations: number, seed = 1): FuzzResult {
  const r = rng(seed);
  const server = new DtlsServer({
    pskFor: (id) => (id.startsWith('dev') ? PSK : undefined),
    maxSessions: 64,
    maxSessionBytes: 1 << 20,
    maxHandshakes: 16,
    cid: true,
    onData: (p, s) => s.send(p),
  });
  // a corpus of real datagrams: capture everything the clients send during their handshakes
  const corpus: Buffer[] = [];
  const handle = server.handle.bind(server);
  server.handle = (d, p, send) => {
    corpus.push(Buffer.from(d));
    handle(d, p, send);
  };
  const victims: MiniSession[] = [];
  for (let i = 0; i < 4; i++) {
    const s = miniHandshake(server, { address: '10.9.0.1', port: 100 + i }, `dev-${i}`, PSK, { cid: i % 2 === 0 });
    s.send(s.record(Buffer.from(`warm ${i}`)));
    victims.push(s);
  }
  server.handle = handle;
  const sources: Peer[] = [
    ...victims.map((v) => v.peer),
    { address: '10.9.0.2', port: 1 },
    { address: '10.9.0.3', port: 2 },
  ];
  const mutate = (b: Buffer): Buffer => {
    let d = Buffer.from(b);
    const ops = 1 + r(4);
    for (let k = 0; k < ops; k++) {
      switch (r(8)) {
        case 0:
          if (d.length) d[r(d.length)]! ^= 1 << r(8);
          break;
        case 1:
          if (d.length) d[r(d.length)] = r(256);
          break;
        case 2:
          d = d.subarray(0, r(d.length + 1));
          break;
        case 3: {
          const other = corpus[r(corpus.length)]!;
          d = Buffer.concat([d.subarray(0, r(d.length + 1)), other.subarray(r(other.length + 1))]);
          break;
        }
        case 4: // a record or handshake length field
          if (d.length > 13) d.writeUInt16BE(r(65536), 11);
          break;
        case 5:
          if (d.length > 24) d.writeUIntBE(r(1 << 24), 14 + r(3) * 3, 3);
          break;
        case 6:
          d = Buffer.concat([d, d]);
          break;
        default:
          if (d.length > 5) d.writeUInt16BE(r(4), 3); // epoch
      }
    }
    return d;
  };
  const noop = (): void => {};
  let escaped = 0;
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const d = mutate(corpus[r(corpus.length)]!);
    try {
      server.handle(d, sources[r(sources.length)]!, noop);
    } catch {
      escaped++;
    }
  }
  const ms = performance.now() - start;
  let working = 0;
  for (const v of victims) {
    v.drain();
    v.send(v.record(Buffer.from('still there?')));
    if (v.drain().some((p) => p.toString() === 'still there?')) working++;
  }
  return { iterations, ms, escaped, working, sessions: victims.length, stats: server.stats() };
}
