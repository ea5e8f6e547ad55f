/**
 * Record-level behaviour with an in-process client (scripts/harness/dtls-mini-client.ts): Connection ID continues a
 * session from a new address without a handshake, replayed records are dropped and counted, bad
 * MACs after the handshake are dropped silently, renegotiation is refused, the table is bounded
 * with LRU eviction, and ClientHellos without a valid cookie create no state.
 */
import t from 'tap';
import { ContentType, DTLS_1_2, encodeRecord, parseRecords } from '../../../../edge/southbound/dtls/record.js';
import { encodeHandshake, ExtensionType, HandshakeType } from '../../../../edge/southbound/dtls/handshake-messages.js';
import { Reassembler } from '../../../../edge/southbound/dtls/reassembly.js';
import { ReplayWindow } from '../../../../edge/southbound/dtls/replay-window.js';
import { DtlsServer, type DtlsServerOptions, type DtlsSession } from '../../../../edge/southbound/dtls/server.js';
import { clientHello, ext, miniHandshake } from '../../../../scripts/harness/dtls-mini-client.js';

const PSK = Buffer.from('0123456789abcdef');
const peer = (port: number) => ({ address: '10.0.0.1', port });

function makeServer(extra: Partial<DtlsServerOptions> = {}) {
  const got: { data: string; session: DtlsSession }[] = [];
  const server = new DtlsServer({
    pskFor: (id) => (id.startsWith('dev') ? PSK : undefined),
    maxSessions: 10,
    maxSessionBytes: 1 << 20,
    cid: true,
    onData: (p, session) => {
      got.push({ data: p.toString(), session });
      session.send(Buffer.from(`ack ${p.toString()}`));
    },
    ...extra,
  });
  return { server, got };
}

t.test('Connection ID: a record from a new port continues the session without a handshake', async (t) => {
  const { server, got } = makeServer();
  const c = miniHandshake(server, peer(5000), 'dev-1', PSK, { cid: true });
  t.ok(c.serverCid && c.serverCid.length === 6, 'the server gave a 6-byte CID');
  c.send(c.record(Buffer.from('one')));
  t.same(c.drain().map(String), ['ack one'], 'answered at the first address');
  const moved = peer(6000);
  c.send(c.record(Buffer.from('two')), moved);
  t.same(
    got.map((g) => g.data),
    ['one', 'two'],
    'the record from the new port was delivered',
  );
  t.same(got[1]!.session.peer, moved, 'the session moved to the new address');
  t.same(c.drain().map(String), ['ack two'], 'the answer went to the new address');
  const s = server.stats();
  t.equal(s.addressMoves, 1, 'one move counted');
  t.equal(s.handshakesStarted, 1, 'no second handshake');
  t.equal(s.sessions, 1, 'still one session');
  t.same(server.sessionAt(moved)?.identity, 'dev-1', 'found at its new address');
  t.equal(server.sessionAt(peer(5000)), undefined, 'gone from the old address');
  // an old (non-newest) CID record from yet another address does not move it back
  c.send(c.record(Buffer.from('late'), { seq: 0 }), peer(7000));
  t.equal(server.stats().recordsDropped.replay, 1, 'a replay of seq 0 from elsewhere is dropped as replay');
});

t.test('without CID, a record from a new port is not delivered', async (t) => {
  const { server, got } = makeServer({ cid: false });
  const c = miniHandshake(server, peer(5000), 'dev-1', PSK, { cid: true });
  t.equal(c.serverCid, undefined, 'no CID negotiated when the server has cid off');
  c.send(c.record(Buffer.from('x')), peer(6000));
  t.same(got, [], 'not delivered');
  t.equal(server.stats().recordsDropped.noSession, 1, 'dropped as no session');
});

t.test('a replayed record is dropped and counted; a bad MAC after the handshake is dropped silently', async (t) => {
  const { server, got } = makeServer({ cid: false });
  const c = miniHandshake(server, peer(5000), 'dev-1', PSK);
  const rec = c.record(Buffer.from('once'));
  c.send(rec);
  c.send(rec);
  t.same(
    got.map((g) => g.data),
    ['once'],
    'delivered once',
  );
  t.equal(server.stats().recordsDropped.replay, 1, 'replay counted');
  const bad = Buffer.from(c.record(Buffer.from('tampered')));
  bad[bad.length - 1]! ^= 1;
  c.drain();
  c.send(bad);
  t.equal(server.stats().recordsDropped.badMac, 1, 'bad MAC counted');
  t.same(c.inbox, [], 'no alert sent for a bad MAC after the handshake');
  c.send(c.record(Buffer.from('after')));
  t.same(
    got.map((g) => g.data),
    ['once', 'after'],
    'the session still works',
  );
});

t.test('renegotiation is refused with a no_renegotiation warning', async (t) => {
  const { server } = makeServer({ cid: false });
  const c = miniHandshake(server, peer(5000), 'dev-1', PSK);
  c.drain();
  const hello = encodeHandshake(HandshakeType.clientHello, 4, Buffer.alloc(40));
  const seq = c.seq++;
  const sealed = c.write.seal({ type: ContentType.handshake, version: DTLS_1_2, epoch: 1, seq }, hello);
  c.send(encodeRecord(ContentType.handshake, DTLS_1_2, 1, seq, sealed));
  t.equal(server.stats().renegotiationsRefused, 1, 'counted');
  t.equal(c.inbox.length, 1, 'one alert record sent');
  t.equal(server.stats().sessions, 1, 'the session stays');
});

t.test('the table is bounded: beyond maxSessions the least recently used session goes', async (t) => {
  const { server, got } = makeServer({ maxSessions: 2, cid: false });
  const a = miniHandshake(server, peer(1), 'dev-a', PSK);
  const b = miniHandshake(server, peer(2), 'dev-b', PSK);
  a.send(a.record(Buffer.from('a'))); // a is now more recent than b
  miniHandshake(server, peer(3), 'dev-c', PSK);
  const s = server.stats();
  t.equal(s.sessions, 2, 'two sessions');
  t.equal(s.sessionsEvicted, 1, 'one eviction counted');
  t.equal(server.sessionAt(peer(2)), undefined, 'b (least recently used) was evicted');
  t.ok(server.sessionAt(peer(1)), 'a stays');
  b.send(b.record(Buffer.from('b')));
  t.same(
    got.map((g) => g.data),
    ['a'],
    'the evicted session is not delivered',
  );
});

t.test('bounded by bytes as well', async (t) => {
  const { server } = makeServer({ maxSessions: 100, maxSessionBytes: 1500, cid: false });
  for (let i = 1; i <= 4; i++) miniHandshake(server, peer(i), `dev-${i}`, PSK);
  const s = server.stats();
  t.ok(s.tableBytes <= 1500, `table bytes ${s.tableBytes} within the budget`);
  t.ok(s.sessionsEvicted >= 2, 'evictions counted');
});

t.test('ClientHellos without a valid cookie create no state (10,000 source ports)', async (t) => {
  const { server } = makeServer();
  let sent = 0;
  let bytesOut = 0;
  let worstRatio = 0;
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 10_000; i++) {
    const body = Buffer.alloc(2 + 32 + 1 + 1 + 4 + 2);
    body.writeUInt16BE(0xfefd, 0);
    body.writeUInt32BE(i, 2);
    // session id and cookie empty (bytes 34, 35 stay 0)
    body.writeUInt16BE(2, 36);
    body.writeUInt16BE(0xc0a8, 38);
    body[40] = 1;
    body[41] = 0;
    const record = encodeRecord(
      ContentType.handshake,
      0xfeff,
      0,
      i,
      encodeHandshake(HandshakeType.clientHello, 0, body),
    );
    server.handle(record, { address: '192.0.2.7', port: 1024 + (i % 60000) }, (d) => {
      sent++;
      bytesOut += d.length;
      worstRatio = Math.max(worstRatio, d.length / record.length);
    });
  }
  // a forged cookie is no better
  const forged = Buffer.concat([
    Buffer.of(0xfe, 0xfd),
    Buffer.alloc(32),
    Buffer.of(0, 16),
    Buffer.alloc(16, 7),
    Buffer.of(0, 2, 0xc0, 0xa8, 1, 0),
  ]);
  server.handle(
    encodeRecord(ContentType.handshake, 0xfeff, 0, 1, encodeHandshake(1, 1, forged)),
    peer(9),
    () => sent++,
  );
  const s = server.stats();
  t.equal(sent, 10_001, 'every hello got a HelloVerifyRequest');
  t.equal(s.cookiesSent, 10_001, 'cookies counted');
  t.equal(s.handshakesStarted, 0, 'no handshake started');
  t.equal(s.sessions + s.handshakes, 0, 'table empty');
  t.equal(s.tableBytes, 0, 'no bytes held');
  t.ok(worstRatio < 1.5, `no amplification beyond the cookie (answer/hello ${worstRatio.toFixed(2)})`);
  t.ok(bytesOut / 10_000 < 80, `HelloVerifyRequest is small (${bytesOut / 10_000} bytes)`);
  t.ok(process.memoryUsage().heapUsed - before < 32 << 20, 'heap did not grow by state');
});

t.test('replay window unit', async (t) => {
  const w = new ReplayWindow();
  t.ok(w.check(5));
  w.mark(5);
  t.notOk(w.check(5), 'duplicate');
  t.ok(w.check(4), 'older within the window');
  w.mark(100);
  t.notOk(w.check(30), 'too old');
  t.ok(w.check(99), 'in window');
  w.mark(99);
  t.notOk(w.check(99), 'marked');
  t.ok(w.check(2 ** 48 - 1), '48-bit top');
});

t.test('a repeated ClientHello gets the server flight again; handshake limits hold before allocation', async (t) => {
  const { server } = makeServer({ cid: false });
  const out: Buffer[] = [];
  const from = peer(4000);
  const random = Buffer.alloc(32, 3);
  const hello = (cookie: Buffer) =>
    clientHello(random, cookie, 0xc0a8, [ext(ExtensionType.extendedMasterSecret, Buffer.alloc(0))]);
  let seq = 0;
  const send = (type: number, msgSeq: number, body: Buffer) =>
    server.handle(
      encodeRecord(ContentType.handshake, DTLS_1_2, 0, seq++, encodeHandshake(type, msgSeq, body)),
      from,
      (d) => out.push(d),
    );
  send(HandshakeType.clientHello, 0, hello(Buffer.alloc(0)));
  const hvr = parseRecords(out.shift()!, 0)[0]!.fragment;
  const cookie = hvr.subarray(15, 15 + hvr[14]!);
  send(HandshakeType.clientHello, 1, hello(cookie));
  const flight = out.shift()!;
  send(HandshakeType.clientHello, 1, hello(cookie));
  t.equal(server.stats().flightsRetransmitted, 1, 'retransmission counted');
  t.equal(server.stats().handshakesStarted, 1, 'still one handshake');
  t.equal(out.shift()?.length, flight.length, 'the same flight again');
  // a ClientKeyExchange fragment that declares a 1 MB message: refused before a buffer is made
  const huge = Buffer.alloc(12 + 10);
  huge[0] = HandshakeType.clientKeyExchange;
  huge.writeUIntBE(1 << 20, 1, 3);
  huge.writeUInt16BE(2, 4);
  huge.writeUIntBE(10, 9, 3);
  server.handle(encodeRecord(ContentType.handshake, DTLS_1_2, 0, seq++, huge), from, (d) => out.push(d));
  t.equal(server.stats().handshakesFailed, 1, 'the handshake failed');
  t.equal(server.stats().handshakes, 0, 'and left no state');
  t.equal(parseRecords(out.shift()!, 0)[0]?.type, ContentType.alert, 'with an alert');
});

t.test('reassembly: limits, out-of-order fragments, inconsistent fragments', async (t) => {
  const r = new Reassembler({ maxMessageLength: 100, maxBufferedMessages: 2 }, 2);
  const frag = (messageSeq: number, length: number, fragmentOffset: number, body: Buffer, msgType = 16) => ({
    msgType,
    length,
    messageSeq,
    fragmentOffset,
    body,
  });
  t.equal(r.add(frag(2, 101, 0, Buffer.alloc(1))), 'too-large', 'declared length over the cap');
  t.equal(r.bufferedBytes, 0, 'nothing allocated');
  t.equal(r.add(frag(4, 10, 0, Buffer.alloc(1))), 'too-many', 'too far ahead');
  t.equal(r.add(frag(1, 10, 0, Buffer.alloc(1))), 'old', 'already delivered');
  t.equal(r.add(frag(2, 6, 3, Buffer.from('def'))), 'ok');
  t.equal(r.take(), undefined, 'not whole yet');
  t.equal(r.add(frag(2, 7, 0, Buffer.from('abc'))), 'inconsistent', 'length changed');
  t.equal(r.add(frag(2, 6, 0, Buffer.from('abc'))), 'ok');
  t.same(r.take(), { msgType: 16, messageSeq: 2, body: Buffer.from('abcdef') }, 'reassembled in order');
  t.equal(r.nextSeq, 3);
});
