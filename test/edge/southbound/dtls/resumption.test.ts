/**
 * Session resumption (RFC 5246 §7.3, abbreviated handshake by session ID): against
 * `openssl s_client -dtls1_2 -sess_out` / `-sess_in` (the second connection prints "Reused"), and
 * with the in-process client (scripts/harness/dtls-mini-client.ts) for what openssl cannot be made
 * to do: a key removed or changed since, a different extended-master-secret setting, an expired or
 * evicted cache entry (all: a full handshake, counted), the cache bounds, and a lost client Finished.
 */
import { sClientArgs } from './s-client.js';
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DtlsServer, type DtlsServerOptions, type Peer } from '../../../../edge/southbound/dtls/server.js';
import { miniHandshake, miniResume } from '../../../../scripts/harness/dtls-mini-client.js';
import { startHarness } from './harness.js';

const PSK = Buffer.from('0123456789abcdef');
const peer = (port: number): Peer => ({ address: '10.0.0.1', port });

function makeServer(extra: Partial<DtlsServerOptions> = {}) {
  const clock = { now: 0 };
  const keys = new Map<string, Buffer>([
    ['dev-a', PSK],
    ['dev-b', PSK],
    ['dev-c', PSK],
  ]);
  const got: { data: string; identity: string }[] = [];
  const server = new DtlsServer({
    pskFor: (id) => keys.get(id),
    maxSessions: 100,
    maxSessionBytes: 1 << 20,
    cid: true,
    now: () => clock.now,
    onData: (p, s) => {
      got.push({ data: p.toString(), identity: s.identity });
      s.send(Buffer.from(`ack ${p.toString()}`));
    },
    ...extra,
  });
  return { server, clock, keys, got };
}

t.test('a known session ID gets the abbreviated handshake (in process)', async (t) => {
  const { server, got } = makeServer();
  const first = miniHandshake(server, peer(1), 'dev-a', PSK, { cid: true });
  t.equal(first.sessionId.length, 32, 'the full handshake gave a 32-byte session ID');
  t.equal(server.stats().resumptionEntries, 1, 'cached');
  const again = miniResume(server, peer(2), first, { cid: true });
  if (again === 'full') throw new Error('not resumed');
  t.ok(again.resumed, 'ServerHello with the same session ID, then ChangeCipherSpec and Finished');
  t.ok(again.serverCid && again.serverCid.length === 6, 'CID negotiated anew');
  again.send(again.record(Buffer.from('resumed')));
  t.same(got, [{ data: 'resumed', identity: 'dev-a' }], 'data over the resumed session, as the same identity');
  t.same(again.drain().map(String), ['ack resumed'], 'and back');
  const s = server.stats();
  t.equal(s.handshakesStarted, 2);
  t.equal(s.handshakesCompleted, 2, 'a resumption counts as a completed handshake');
  t.equal(s.handshakesResumed, 1, 'and as resumed');
  t.equal(s.sessions, 2, 'both sessions live (different addresses)');
  t.equal(s.resumptionEntries, 1, 'still one cache entry');
});

t.test('a session whose key was changed or removed since is not resumed', async (t) => {
  const { server, keys } = makeServer();
  const a = miniHandshake(server, peer(1), 'dev-a', PSK);
  const b = miniHandshake(server, peer(2), 'dev-b', PSK);
  keys.set('dev-a', Buffer.from('a new key for dev-a'));
  keys.delete('dev-b');
  t.equal(miniResume(server, peer(3), a), 'full', 'changed key: a full handshake');
  t.equal(miniResume(server, peer(4), b), 'full', 'removed key: a full handshake');
  let s = server.stats();
  t.equal(s.resumptionsRefused, 2, 'both refusals counted');
  t.equal(s.handshakesResumed, 0, 'nothing resumed');
  t.equal(s.resumptionEntries, 0, 'both entries dropped');
  keys.set('dev-b', PSK);
  t.equal(miniResume(server, peer(5), b), 'full', 'the key back: the entry is gone for good');
  s = server.stats();
  t.equal(s.resumptionsMissed, 1, 'counted as missed');
  // the full handshake offered instead completes with the new key
  t.ok(
    miniHandshake(server, peer(6), 'dev-a', Buffer.from('a new key for dev-a')),
    'a full handshake with the new key',
  );
});

t.test(
  'only sessions with the extended master secret resume (RFC 7627 §5.3); an unknown session ID is a miss',
  async (t) => {
    const { server } = makeServer();
    const withEms = miniHandshake(server, peer(1), 'dev-a', PSK, { ems: true });
    const withoutEms = miniHandshake(server, peer(2), 'dev-b', PSK, { ems: false });
    t.equal(miniResume(server, peer(3), { ...withEms, ems: false }), 'full', 'EMS session, hello without EMS');
    t.equal(server.stats().resumptionsRefused, 1, 'refused and counted');
    t.equal(miniResume(server, peer(4), { ...withoutEms, ems: true }), 'full', 'non-EMS session, hello with EMS');
    t.equal(miniResume(server, peer(5), withoutEms), 'full', 'a non-EMS session is never resumed (it was not kept)');
    t.equal(server.stats().resumptionEntries, 1, 'only the EMS session is in the cache');
    t.equal(miniResume(server, peer(6), { ...withEms, sessionId: Buffer.alloc(32, 9) }), 'full', 'unknown ID');
    t.equal(server.stats().resumptionsMissed, 3, 'misses counted (two non-EMS, one unknown)');
    t.not(miniResume(server, peer(7), withEms), 'full', 'the EMS session still resumes');
  },
);

t.test('entries live resumptionLifetimeMs from the full handshake', async (t) => {
  const { server, clock } = makeServer({ resumptionLifetimeMs: 10_000 });
  const a = miniHandshake(server, peer(1), 'dev-a', PSK);
  clock.now = 6_000;
  t.not(miniResume(server, peer(2), a), 'full', 'resumed at 6 s');
  clock.now = 10_500;
  t.equal(miniResume(server, peer(3), a), 'full', 'not at 10.5 s (resuming did not extend it)');
  const s = server.stats();
  t.equal(s.resumptionsExpired, 1, 'expired counted');
  t.equal(s.resumptionsMissed, 1, 'and the hello missed');
  t.equal(s.resumptionEntries, 0, 'the entry is gone');
  // the sweep drops expired entries nobody asks for
  miniHandshake(server, peer(4), 'dev-b', PSK);
  clock.now = 30_000;
  server.handle(Buffer.of(0), peer(9), () => {});
  t.equal(server.stats().resumptionEntries, 0, 'swept');
  t.equal(server.stats().resumptionsExpired, 2);
});

t.test('the cache is bounded by entries and bytes, least recently used first, counted', async (t) => {
  const { server } = makeServer({ maxResumptions: 2 });
  const a = miniHandshake(server, peer(1), 'dev-a', PSK);
  const b = miniHandshake(server, peer(2), 'dev-b', PSK);
  t.not(miniResume(server, peer(3), a), 'full', 'a used: b is now the least recently used');
  miniHandshake(server, peer(4), 'dev-c', PSK);
  let s = server.stats();
  t.equal(s.resumptionEntries, 2, 'two entries');
  t.equal(s.resumptionsEvicted, 1, 'one evicted');
  t.equal(miniResume(server, peer(5), b), 'full', 'b was the one evicted');
  t.not(miniResume(server, peer(6), a), 'full', 'a is still there');
  const small = makeServer({ maxResumptionBytes: 500 });
  for (let i = 1; i <= 5; i++) miniHandshake(small.server, peer(i), 'dev-a', PSK);
  s = small.server.stats();
  t.ok(s.resumptionBytes <= 500, `within 500 bytes (${s.resumptionBytes})`);
  t.equal(s.resumptionEntries + s.resumptionsEvicted, 5, 'the rest evicted, counted');
  const off = makeServer({ maxResumptions: 0 });
  t.equal(miniHandshake(off.server, peer(1), 'dev-a', PSK).sessionId.length, 0, 'maxResumptions 0: no session ID');
});

t.test('a resumption whose client Finished was lost: data makes the server repeat its flight', async (t) => {
  const { server, got } = makeServer({ cid: false });
  const a = miniHandshake(server, peer(1), 'dev-a', PSK);
  const half = miniResume(server, peer(2), a, { finish: false });
  if (half === 'full') throw new Error('not resumed');
  half.inbox.length = 0;
  half.send(half.record(Buffer.from('too early')));
  const s = server.stats();
  t.equal(s.flightsRetransmitted, 1, 'the server flight went again');
  t.equal(half.inbox.length, 1, 'one datagram back');
  t.same(got, [], 'the data before the client Finished is not delivered');
  t.equal(s.handshakes, 1, 'still waiting for the Finished');
});

function sClient(port: number, args: string[], input: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('openssl', sClientArgs(port, 'dev-o', OSSL_KEY, 'PSK-AES128-CCM8', args), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // the echo of our line came back: the session works; end it
      if (out.includes(`${input}\n`) && out.includes('Cipher is')) child.stdin.end();
    });
    child.stderr.on('data', () => {});
    const timer = setTimeout(() => child.kill(), 10_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    child.stdin.write(`${input}\n`);
  });
}

const OSSL_KEY = Buffer.from('0badc0ffee0badc0ffee', 'hex');

t.test('openssl s_client: -sess_out then -sess_in resumes ("Reused"), counted', async (t) => {
  let key = OSSL_KEY;
  const h = await startHarness({ pskFor: (id) => (id === 'dev-o' ? key : undefined), coap: false });
  const dir = mkdtempSync(join(tmpdir(), 'yw-dtls-resume-'));
  t.teardown(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const file = join(dir, 'session.pem');
  const first = await sClient(h.port, ['-sess_out', file], 'first');
  t.match(first, /New, TLSv1\.2, Cipher is PSK-AES128-CCM8/, 'first connection: a new session');
  const id = /Session-ID: ([0-9A-F]+)/.exec(first)?.[1];
  t.equal(id?.length, 64, 'with a 32-byte session ID');
  const second = await sClient(h.port, ['-sess_in', file], 'second');
  t.match(second, /Reused, TLSv1\.2, Cipher is PSK-AES128-CCM8/, 'second connection: Reused');
  t.match(second, /Extended master secret: yes/, 'with the extended master secret');
  t.match(second, /\nsecond\n/, 'data echoed over the resumed session');
  let s = h.server.stats();
  t.equal(s.handshakesResumed, 1, 'the server counted one resumption');
  t.equal(s.handshakesCompleted, 2, 'two handshakes completed');
  t.equal(h.received.map((r) => r.plaintext.toString()).join(''), 'first\nsecond\n', 'the server got both lines');
  // the key changed since: openssl offers the session, the server does a full handshake
  key = Buffer.from('c0ffee0badc0ffee0bad', 'hex');
  const third = await sClient(h.port, ['-sess_in', file], 'third');
  t.notMatch(third, /Reused/, 'changed key: not reused');
  s = h.server.stats();
  t.equal(s.resumptionsRefused, 1, 'the refusal counted');
  t.equal(s.handshakesResumed, 1, 'no second resumption');
});
