/**
 * The time and count limits of the DTLS server, with a controllable clock and the in-process
 * client (scripts/harness/dtls-mini-client.ts): idle sessions expire (sessionIdleMs, lazily, no
 * timers), handshakes not finished within handshakeTimeoutMs are dropped, the handshakes-in-progress
 * bound (maxHandshakes) drops the oldest, and a flood of half-open handshakes leaves established
 * sessions alone. Each limit is counted.
 */
import t from 'tap';
import { silentLogger } from '../../../../common/log.js';
import { CoapsListener } from '../../../../edge/southbound/dtls/coaps-listener.js';
import { encodeHandshake, ExtensionType, HandshakeType } from '../../../../edge/southbound/dtls/handshake-messages.js';
import { MemoryPskDirectory } from '../../../../edge/southbound/dtls/psk-directory.js';
import { ContentType, DTLS_1_2, encodeRecord, parseRecords } from '../../../../edge/southbound/dtls/record.js';
import {
  DtlsServer,
  type DtlsServerOptions,
  type DtlsSession,
  type Peer,
  type SessionEndReason,
} from '../../../../edge/southbound/dtls/server.js';
import { clientHello, ext, miniHandshake } from '../../../../scripts/harness/dtls-mini-client.js';

const PSK = Buffer.from('0123456789abcdef');
const peer = (port: number, address = '10.0.0.1'): Peer => ({ address, port });

function makeServer(extra: Partial<DtlsServerOptions> = {}) {
  const clock = { now: 0 };
  const ended: { identity: string; reason: SessionEndReason }[] = [];
  const got: string[] = [];
  const server = new DtlsServer({
    pskFor: (id) => (id.startsWith('dev') ? PSK : undefined),
    maxSessions: 100,
    maxSessionBytes: 1 << 20,
    cid: false,
    now: () => clock.now,
    onData: (p) => got.push(p.toString()),
    onSessionEnd: (s, reason) => ended.push({ identity: s.identity, reason }),
    ...extra,
  });
  return { server, clock, ended, got };
}

/**
 * A handshake left half-open: ClientHello, the cookie, ClientHello with it (the server answers
 * with its flight and keeps state), then nothing. Returns the second ClientHello record to repeat it.
 */
function halfOpen(server: DtlsServer, from: Peer): Buffer {
  const out: Buffer[] = [];
  const random = Buffer.alloc(32);
  random.writeUInt32BE(from.port, 0);
  random.write(from.address, 4);
  const exts = [ext(ExtensionType.extendedMasterSecret, Buffer.alloc(0))];
  const rec = (seq: number, msgSeq: number, cookie: Buffer) =>
    encodeRecord(
      ContentType.handshake,
      DTLS_1_2,
      0,
      seq,
      encodeHandshake(HandshakeType.clientHello, msgSeq, clientHello(random, cookie, 0xc0a8, exts)),
    );
  server.handle(rec(0, 0, Buffer.alloc(0)), from, (d) => out.push(d));
  const hvr = parseRecords(out.shift()!, 0)[0]!.fragment;
  const second = rec(1, 1, hvr.subarray(15, 15 + hvr[14]!));
  server.handle(second, from, (d) => out.push(d));
  return second;
}

/** Any datagram: the server sweeps (at most once a clock second) before it looks at it. */
const poke = (server: DtlsServer): void => server.handle(Buffer.of(1, 2, 3), peer(9), () => {});

t.test('an idle session expires after sessionIdleMs (lazily, counted); a used one stays', async (t) => {
  const { server, clock, ended, got } = makeServer({ sessionIdleMs: 60_000 });
  const a = miniHandshake(server, peer(1), 'dev-a', PSK);
  const b = miniHandshake(server, peer(2), 'dev-b', PSK);
  clock.now = 30_000;
  a.send(a.record(Buffer.from('a1')));
  clock.now = 59_000;
  poke(server);
  t.equal(server.stats().sessions, 2, 'nothing expires before its time');
  clock.now = 60_500;
  a.send(a.record(Buffer.from('a2'))); // this datagram sweeps first
  const s = server.stats();
  t.equal(s.sessionsExpired, 1, 'one session expired');
  t.equal(s.sessions, 1, 'one left');
  t.equal(s.sessionsEvicted, 0, 'not counted as an eviction');
  t.same(ended, [{ identity: 'dev-b', reason: 'expired' }], 'onSessionEnd says expired');
  t.equal(server.sessionAt(peer(2)), undefined, 'the idle one is gone');
  t.ok(server.sessionAt(peer(1)), 'the one used at 30 s stays');
  b.send(b.record(Buffer.from('b1')));
  t.same(got, ['a1', 'a2'], 'the expired session delivers nothing more');
  t.equal(server.stats().recordsDropped.noSession, 1, 'its record dropped as no session');
  clock.now = 200_000;
  poke(server);
  t.equal(server.stats().sessionsExpired, 2, 'the other expires in turn');
  t.equal(server.stats().tableBytes, 0, 'nothing held');
});

t.test('table pressure takes a session past its idle time as expired, not evicted', async (t) => {
  const { server, clock, ended } = makeServer({ maxSessions: 2, sessionIdleMs: 5_000 });
  miniHandshake(server, peer(1), 'dev-a', PSK);
  clock.now = 1_000;
  miniHandshake(server, peer(2), 'dev-b', PSK);
  clock.now = 4_900;
  poke(server); // a sweep: dev-a is 4.9 s idle, it stays
  t.equal(server.stats().sessionsExpired, 0);
  clock.now = 5_500; // no sweep within a second of the last one; dev-a is now 5.5 s idle
  miniHandshake(server, peer(3), 'dev-c', PSK); // the table is full: its handshake needs room
  const s = server.stats();
  t.equal(s.sessionsExpired, 1, 'the least recently used session, idle past the limit, counted as expired');
  t.equal(s.sessionsEvicted, 0, 'no eviction counted');
  t.same(ended, [{ identity: 'dev-a', reason: 'expired' }]);
  t.ok(server.sessionAt(peer(2)), 'dev-b (4.5 s idle) stays');
  t.ok(server.sessionAt(peer(3)), 'dev-c is in');
});

t.test('the coaps listener passes sessionIdleMs to its server', async (t) => {
  const clock = { now: 0 };
  const listener = new CoapsListener({
    host: '127.0.0.1',
    port: 0,
    directory: new MemoryPskDirectory([{ identity: 'dev-l', deviceId: 'dev-l', key: PSK }]),
    log: silentLogger(),
    maxSessions: 10,
    maxSessionBytes: 1 << 20,
    cid: false,
    sessionIdleMs: 2_000,
    dtls: { now: () => clock.now },
  });
  miniHandshake(listener.dtlsServer, peer(1), 'dev-l', PSK);
  clock.now = 1_500;
  poke(listener.dtlsServer);
  t.equal(listener.stats().sessions, 1, 'within the idle time');
  clock.now = 2_600;
  poke(listener.dtlsServer);
  t.equal(listener.stats().sessionsExpired, 1, 'expired after 2 s idle');
  t.equal(listener.stats().sessions, 0);
});

t.test('a handshake not finished within handshakeTimeoutMs is dropped and counted', async (t) => {
  const { server, clock } = makeServer({ handshakeTimeoutMs: 5_000 });
  const established = miniHandshake(server, peer(100), 'dev-x', PSK);
  clock.now = 1_000;
  halfOpen(server, peer(1));
  clock.now = 3_000;
  const young = halfOpen(server, peer(2));
  t.equal(server.stats().handshakes, 2, 'two handshakes in progress');
  clock.now = 5_900;
  poke(server);
  t.equal(server.stats().handshakes, 2, 'none is 5 s old yet');
  clock.now = 6_100; // past the timeout, but within a second of the last sweep: nothing yet
  poke(server);
  t.equal(server.stats().handshakes, 2, 'the sweep runs at most once a second');
  clock.now = 6_950;
  poke(server);
  let s = server.stats();
  t.equal(s.handshakesTimedOut, 1, 'the one started at 1 s timed out');
  t.equal(s.handshakes, 1, 'the younger one stays');
  const out: Buffer[] = [];
  server.handle(young, peer(2), (d) => out.push(d));
  t.equal(server.stats().flightsRetransmitted, 1, 'the younger one still answers its repeated ClientHello');
  clock.now = 8_200;
  poke(server);
  s = server.stats();
  t.equal(s.handshakesTimedOut, 2, 'then it times out too');
  t.equal(s.handshakes, 0, 'no handshake state left');
  t.equal(s.sessions, 1, 'the established session is not a handshake: it stays');
  established.send(established.record(Buffer.from('still here')));
  t.equal(server.stats().recordsDropped.noSession, 0, 'and still delivers');
});

t.test('maxHandshakes: the oldest handshake in progress is dropped for a new one, counted', async (t) => {
  const { server } = makeServer({ maxHandshakes: 4 });
  const hellos: Buffer[] = [];
  for (let port = 1; port <= 10; port++) hellos.push(halfOpen(server, peer(port)));
  let s = server.stats();
  t.equal(s.handshakesStarted, 10);
  t.equal(s.handshakes, 4, 'at most 4 in progress');
  t.equal(s.handshakesEvicted, 6, 'the 6 oldest dropped, counted');
  t.equal(s.sessionsEvicted, 0, 'not counted as sessions');
  // the newest is still there: its repeated ClientHello gets the flight again
  server.handle(hellos[9]!, peer(10), () => {});
  s = server.stats();
  t.equal(s.flightsRetransmitted, 1, 'port 10 (newest) still in progress');
  t.equal(s.handshakesStarted, 10, 'no new handshake for it');
  // the oldest is gone: the same ClientHello (its cookie still valid) starts a new handshake
  server.handle(hellos[0]!, peer(1), () => {});
  s = server.stats();
  t.equal(s.handshakesStarted, 11, 'port 1 (oldest) was dropped: a new handshake');
  t.equal(s.handshakesEvicted, 7, 'and it pushed out the then oldest');
});

t.test('an established session is unaffected by a flood of half-open handshakes', async (t) => {
  const { server, got } = makeServer({ maxSessions: 16, maxHandshakes: 4 });
  const c = miniHandshake(server, peer(4000, '10.0.0.2'), 'dev-keep', PSK);
  for (let i = 0; i < 5_000; i++) halfOpen(server, peer(1024 + i, '192.0.2.9'));
  const s = server.stats();
  t.equal(s.handshakesStarted, 5_001, 'every flood hello passed the cookie');
  t.equal(s.handshakes, 4, 'at most maxHandshakes in progress');
  t.equal(s.handshakesEvicted, 4_996, 'the others dropped, counted');
  t.equal(s.sessions, 1, 'the session is there');
  t.equal(s.sessionsEvicted, 0, 'and was never evicted');
  c.send(c.record(Buffer.from('after the flood')));
  t.same(got, ['after the flood'], 'it still delivers');
});

t.test('with the table full of sessions, a flood of handshakes costs at most one session', async (t) => {
  const { server, got } = makeServer({ maxSessions: 3 });
  const sessions = [1, 2, 3].map((p) => miniHandshake(server, peer(p, '10.0.0.3'), `dev-${p}`, PSK));
  for (let i = 0; i < 500; i++) halfOpen(server, peer(2000 + i, '192.0.2.10'));
  const s = server.stats();
  t.equal(s.sessionsEvicted, 1, 'the first half-open handshake took the least recently used session');
  t.equal(s.handshakesEvicted, 499, 'every later one pushed out a handshake, not a session');
  t.equal(s.sessions, 2, 'two sessions left');
  for (const c of sessions.slice(1)) c.send(c.record(Buffer.from(`from ${c.peer.port}`)));
  t.same(got, ['from 2', 'from 3'], 'and they deliver');
});

t.test(
  'a CID move onto another session’s address: a CID session stays (by its CID), one without is replaced',
  async (t) => {
    const sessionsOf: Record<string, DtlsSession> = {};
    const { server, got, ended } = makeServer({
      cid: true,
      onData: (p, s) => {
        got.push(p.toString());
        sessionsOf[s.identity] = s;
      },
    });
    const a = miniHandshake(server, peer(1), 'dev-a', PSK, { cid: true });
    const b = miniHandshake(server, peer(2), 'dev-b', PSK, { cid: true });
    a.send(a.record(Buffer.from('a at 1')));
    b.send(b.record(Buffer.from('b moves to 1')), peer(1));
    t.equal(server.sessionAt(peer(1))?.identity, 'dev-b', 'the address is b’s now');
    t.equal(server.stats().sessions, 2, 'a is still a session');
    t.same(sessionsOf['dev-a']!.peer, peer(1), 'a still knows its last address');
    a.send(a.record(Buffer.from('a from 3')), peer(3));
    t.same(got, ['a at 1', 'b moves to 1', 'a from 3'], 'a continues by its CID from a new address');
    t.equal(server.sessionAt(peer(3))?.identity, 'dev-a', 'and is found there');
    t.equal(server.stats().addressMoves, 2);
    t.same(ended, [], 'nothing ended');
    // a session without CID at the address a CID session moves to cannot be reached any more: it ends
    const c = miniHandshake(server, peer(4), 'dev-c', PSK, { cid: false });
    t.equal(c.serverCid, undefined);
    a.send(a.record(Buffer.from('a to 4')), peer(4));
    t.same(ended, [{ identity: 'dev-c', reason: 'replaced' }], 'the CID-less session there was replaced');
    t.equal(server.sessionAt(peer(4))?.identity, 'dev-a');
  },
);
