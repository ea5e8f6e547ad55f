/**
 * The agent's DTLS session keys (coap.dtls_session_idle_s, coap.dtls_resumption,
 * coap.dtls_resumption_lifetime_s) reach the DTLS server: with a controllable clock through
 * coapsParts (what EdgeAgent.start calls), since the smallest idle time (60 s) is too long for a
 * test on a running agent. Against a running agent with `openssl s_client -sess_out` / `-sess_in`:
 * resumption on ("Reused") and off (no session ID, never "Reused"); the resumption and session
 * figures (resumed, evicted, missed, refused, cache entries) in its /metrics over the local API.
 */
import t, { type Test } from 'tap';
import { existsSync, rmSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { silentLogger } from '../../../../common/log.js';
import { EdgeAgent } from '../../../../edge/agent.js';
import { loadEdgeConfig } from '../../../../edge/config.js';
import { coapsParts } from '../../../../edge/southbound/dtls/agent-coaps.js';
import { encodeHandshake, ExtensionType, HandshakeType } from '../../../../edge/southbound/dtls/handshake-messages.js';
import { MemoryPskDirectory } from '../../../../edge/southbound/dtls/psk-directory.js';
import { ContentType, DTLS_1_2, encodeRecord, parseRecords } from '../../../../edge/southbound/dtls/record.js';
import type { DtlsServer, Peer } from '../../../../edge/southbound/dtls/server.js';
import { edgeConfig, tempDir } from '../../../helpers/fleet.js';
import { clientHello, ext, miniHandshake, miniResume } from '../../../../scripts/harness/dtls-mini-client.js';
import { handshakeDone, runSClient, sClientArgs } from './s-client.js';

const KEY_A = Buffer.from('0badc0ffee0badc0ffee', 'hex');
const KEY_B = Buffer.from('feedfacefeedfacefeed', 'hex');
const peer = (port: number): Peer => ({ address: '192.0.2.1', port });
/** Any datagram: the server sweeps (at most once a clock second) before it looks at it. */
const poke = (server: DtlsServer): void => server.handle(Buffer.of(1, 2, 3), peer(9), () => {});

/** The DTLS server coapsParts makes from `[coap]` keys, on a clock of the test's. */
function serverFrom(coap: Record<string, unknown>) {
  const clock = { now: 0 };
  const config = loadEdgeConfig(undefined, {
    gateway: { id: 'gw-resume', secret: 'x' },
    coap: { host: '127.0.0.1', dtls_enabled: true, dtls_port: 0, ...coap },
  });
  const parts = coapsParts(config.coap, {
    directory: new MemoryPskDirectory([{ identity: 'id-a', deviceId: 'dev-a', key: KEY_A }]),
    isKnownDevice: () => false,
    coapSocket: () => undefined,
    log: silentLogger(),
    dtls: { now: () => clock.now },
  });
  return { server: parts.adapter!.listener.dtlsServer, clock };
}

t.test('coap.dtls_session_idle_s reaches the server: an idle session expires after it', async (t) => {
  const { server, clock } = serverFrom({ dtls_session_idle_s: 60 });
  miniHandshake(server, peer(1), 'id-a', KEY_A);
  clock.now = 59_000;
  poke(server);
  t.equal(server.stats().sessions, 1, 'held at 59 s');
  clock.now = 60_500;
  poke(server);
  t.equal(server.stats().sessionsExpired, 1, 'expired after 60 s idle');
  t.equal(server.stats().sessions, 0);
  const byDefault = serverFrom({});
  miniHandshake(byDefault.server, peer(1), 'id-a', KEY_A);
  byDefault.clock.now = 86_399_000;
  poke(byDefault.server);
  t.equal(byDefault.server.stats().sessions, 1, 'by default held for just under 24 h');
  byDefault.clock.now = 86_400_500;
  poke(byDefault.server);
  t.equal(byDefault.server.stats().sessionsExpired, 1, 'and expired after 24 h');
});

t.test(
  'coap.dtls_resumption_lifetime_s reaches the server; dtls_resumption = false hands out no session ID',
  async (t) => {
    const { server, clock } = serverFrom({ dtls_resumption_lifetime_s: 120 });
    const a = miniHandshake(server, peer(1), 'id-a', KEY_A);
    t.equal(a.sessionId.length, 32, 'a session ID by default');
    clock.now = 100_000;
    t.not(miniResume(server, peer(2), a), 'full', 'resumed at 100 s');
    clock.now = 120_500;
    t.equal(miniResume(server, peer(3), a), 'full', 'not at 120.5 s');
    t.equal(server.stats().resumptionsExpired, 1, 'the entry expired, counted');
    const off = serverFrom({ dtls_resumption: false });
    const b = miniHandshake(off.server, peer(1), 'id-a', KEY_A);
    t.equal(b.sessionId.length, 0, 'resumption off: no session ID');
    t.equal(off.server.stats().resumptionEntries, 0, 'nothing cached');
  },
);

t.test('the new keys are bounded', async (t) => {
  t.throws(() => serverFrom({ dtls_session_idle_s: 59 }), /dtls_session_idle_s/, 'idle time under 60 s refused');
  t.throws(() => serverFrom({ dtls_resumption_lifetime_s: 59 }), /dtls_resumption_lifetime_s/, 'lifetime under 60 s');
  t.throws(() => serverFrom({ dtls_resumption: 'no' }), /dtls_resumption/, 'resumption takes true or false');
});

// ---------------------------------------------------------------- a running agent, openssl s_client

const dir = tempDir('yw-coaps-resume-');
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

async function startAgent(
  t: Test,
  coap: Record<string, unknown>,
): Promise<{ agent: EdgeAgent; keys: MemoryPskDirectory }> {
  const keys = new MemoryPskDirectory([
    { identity: 'id-a', deviceId: 'dev-a', key: KEY_A },
    { identity: 'id-b', deviceId: 'dev-b', key: KEY_B },
  ]);
  const agent = await EdgeAgent.start(
    edgeConfig(tempDir('yw-coaps-resume-agent-'), 'gw-resume', 'gw-resume-secret', 'mqtt://127.0.0.1:9', {
      coap: { dtls_enabled: true, dtls_port: 0, ...coap },
    }),
    silentLogger(),
    undefined,
    { pskDirectory: keys },
  );
  t.teardown(() => agent.stop());
  return { agent, keys };
}

/** One s_client connection, ended (close_notify) once its handshake is done; what it printed. */
const sClient = (port: number, identity: string, key: Buffer, args: string[]): Promise<string> =>
  runSClient(sClientArgs(port, identity, key, undefined, args), handshakeDone);

const sessionFile = (): string => join(dir, `session-${files++}.pem`);

/** GET /metrics over the agent's local API socket, as Prometheus (or the CLI) would. */
const scrape = (agent: EdgeAgent): Promise<string> =>
  new Promise<IncomingMessage>((resolve, reject) =>
    get({ socketPath: agent.api.socketPath, path: '/metrics' }, resolve).on('error', reject),
  ).then((res) => text(res));

/** A handshake left half-open (in process, on the agent's server): ClientHello, cookie, ClientHello, then nothing. */
function halfOpen(server: DtlsServer, from: Peer): void {
  const out: Buffer[] = [];
  const exts = [ext(ExtensionType.extendedMasterSecret, Buffer.alloc(0))];
  const hello = (seq: number, cookie: Buffer): Buffer =>
    encodeRecord(
      ContentType.handshake,
      DTLS_1_2,
      0,
      seq,
      encodeHandshake(HandshakeType.clientHello, seq, clientHello(Buffer.alloc(32, from.port), cookie, 0xc0a8, exts)),
    );
  server.handle(hello(0, Buffer.alloc(0)), from, (d) => out.push(d));
  const hvr = parseRecords(out.shift()!, 0)[0]!.fragment;
  server.handle(hello(1, hvr.subarray(15, 15 + hvr[14]!)), from, (d) => out.push(d));
}

t.test(
  'a running agent: openssl resumes ("Reused"); resumptions, misses, refusals and evictions in /metrics',
  async (t) => {
    // one session and one cache entry at most: every new one pushes the last out
    const { agent, keys } = await startAgent(t, { dtls_max_sessions: 1 });
    const port = agent.coaps!.adapter!.listener.port;
    const fileA = sessionFile();
    const first = await sClient(port, 'id-a', KEY_A, ['-sess_out', fileA]);
    t.match(first, /New, TLSv1\.2, Cipher is PSK-AES128-CCM8/, 'a new session');
    t.equal(/Session-ID: ([0-9A-F]*)/.exec(first)?.[1]?.length, 64, 'with a 32-byte session ID');
    const second = await sClient(port, 'id-a', KEY_A, ['-sess_in', fileA]);
    t.match(second, /Reused, TLSv1\.2, Cipher is PSK-AES128-CCM8/, 'resumed');
    // the key changes: the entry is refused (and dropped), a full handshake with the new key follows
    const newKeyA = Buffer.from('0123456789abcdef0123', 'hex');
    keys.set('id-a', 'dev-a', newKeyA);
    const third = await sClient(port, 'id-a', newKeyA, ['-sess_in', fileA]);
    t.match(third, /New, TLSv1\.2/, 'key changed: not resumed');
    // id-b's full handshake pushes id-a's new entry out of the one-entry cache
    t.match(await sClient(port, 'id-b', KEY_B, []), /New, TLSv1\.2/, 'id-b');
    t.match(await sClient(port, 'id-a', newKeyA, ['-sess_in', fileA]), /New, TLSv1\.2/, 'a dropped session ID: missed');
    let s = agent.status().coaps!;
    t.equal(s.handshakesResumed, 1, 'one resumption');
    t.equal(s.resumptionsRefused, 1, 'one refusal');
    t.equal(s.resumptionsMissed, 1, 'one miss');
    t.ok(s.resumptionsEvicted >= 2, `cache evictions counted (${s.resumptionsEvicted})`);
    t.equal(s.resumptionEntries, 1, 'one entry held');
    t.equal(s.sessions, 0, 'every s_client closed its session');
    // in process on the agent's server: a second session evicts the first, a half-open handshake
    // evicts that one, another half-open handshake evicts the first handshake
    const server = agent.coaps!.adapter!.listener.dtlsServer;
    miniHandshake(server, peer(1), 'id-b', KEY_B);
    miniHandshake(server, peer(2), 'id-b', KEY_B);
    halfOpen(server, peer(3));
    halfOpen(server, peer(4));
    s = agent.status().coaps!;
    t.equal(s.sessionsEvicted, 2, 'two sessions evicted for room');
    t.equal(s.handshakesEvicted, 1, 'one handshake evicted');

    const m = await scrape(agent);
    const has = (re: RegExp, what: string): void => void t.match(m, re, what);
    has(/^yiwang_edge_dtls_handshakes_total\{outcome="resumed"\} 1$/m, 'resumed handshakes');
    has(/^yiwang_edge_dtls_handshakes_total\{outcome="completed"\} 7$/m, 'completed handshakes (resumed included)');
    has(/^yiwang_edge_dtls_handshakes_total\{outcome="evicted"\} 1$/m, 'evicted handshakes');
    has(/^yiwang_edge_dtls_sessions_ended_total\{reason="evicted"\} 2$/m, 'sessions evicted');
    has(/^yiwang_edge_dtls_sessions_ended_total\{reason="other"\} 5$/m, 'sessions closed by openssl');
    has(/^# TYPE yiwang_edge_dtls_sessions_ended_total counter$/m, 'a counter');
    has(/^yiwang_edge_dtls_resumption_entries 1$/m, 'cache entries gauge');
    has(/^yiwang_edge_dtls_resumption_bytes [1-9]\d*$/m, 'cache bytes gauge');
    has(/^yiwang_edge_dtls_resumptions_failed_total\{reason="missed"\} 1$/m, 'missed');
    has(/^yiwang_edge_dtls_resumptions_failed_total\{reason="refused"\} 1$/m, 'refused');
    has(
      new RegExp(`^yiwang_edge_dtls_resumption_dropped_total\\{reason="evicted"\\} ${s.resumptionsEvicted}$`, 'm'),
      'cache evictions',
    );
  },
);

t.test('a running agent with coap.dtls_resumption = false: no session ID, openssl never "Reused"', async (t) => {
  const { agent } = await startAgent(t, { dtls_resumption: false });
  const port = agent.coaps!.adapter!.listener.port;
  const file = sessionFile();
  const first = await sClient(port, 'id-a', KEY_A, ['-sess_out', file]);
  t.match(first, /New, TLSv1\.2, Cipher is PSK-AES128-CCM8/, 'a new session');
  t.match(first, /Session-ID: *\n/, 'with an empty session ID');
  if (existsSync(file)) {
    const second = await sClient(port, 'id-a', KEY_A, ['-sess_in', file]);
    t.match(second, /New, TLSv1\.2/, 'a full handshake again');
    t.notMatch(second, /Reused/, 'not reused');
  } else t.comment('openssl kept no session to offer (the counters below still must show none)');
  const s = agent.status().coaps!;
  t.equal(s.handshakesResumed, 0, 'nothing resumed');
  t.equal(s.resumptionEntries, 0, 'nothing cached');
  t.match(await scrape(agent), /^yiwang_edge_dtls_resumption_entries 0$/m, 'the gauge says so');
});
