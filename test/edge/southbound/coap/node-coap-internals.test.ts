/**
 * node-coap-internals.ts against a real node-coap server, Agent and raw UDP peers: every internal
 * the agent relies on (items 1-8 there) is where it was and behaves as assumed. A node-coap upgrade
 * that moves one of them fails here, whatever the callers do with a missing one.
 */
import t from 'tap';
import coap from 'coap';
import { Socket, type RemoteInfo } from 'node:dgram';
import { type generate, parse } from 'coap-packet';
import {
  assertNodeCoapInternals,
  exchangeCacheOf,
  nextMessageId,
  nodeCoapServerProblems,
  packetOptionsOf,
  responseEnded,
  serverDispatch,
  serverSocket,
  stopRetransmission,
  type CachedResponse,
} from '../../../../edge/southbound/coap/node-coap-internals.js';
import { listenCoap, rawExchange, udpPeer } from '../../../helpers/raw-coap.js';

const post = (messageId: number, token: number[]): Parameters<typeof generate>[0] => ({
  messageId,
  token: Buffer.from(token),
  code: '0.02',
  confirmable: true,
  options: [{ name: 'Uri-Path', value: Buffer.from('x') }],
  payload: Buffer.from('v'),
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

t.test('the coap version checked is the one installed', async (t) => {
  const { createRequire } = await import('node:module');
  const version = (createRequire(import.meta.url)('coap/package.json') as { version: string }).version;
  t.match(
    version,
    /^1\.5\./,
    `node-coap-internals.ts was checked against coap 1.5.x (installed: ${version}); re-check every item there before changing this`,
  );
});

t.test(
  '1-3: a server has _lru with set(), _middlewares and _handle; once listening, _sock is its bound dgram.Socket',
  async (t) => {
    const server = coap.createServer();
    t.same(nodeCoapServerProblems(server, false), [], 'before listen');
    t.equal(serverSocket(server), undefined, 'no socket before listen');
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    t.teardown(() => server.close());
    t.doesNotThrow(() => assertNodeCoapInternals(server, true));
    const sock = serverSocket(server);
    t.ok(sock instanceof Socket, '_sock is a dgram.Socket');
    t.ok(sock!.address().port > 0, 'bound');
    t.doesNotThrow(() => sock!.setRecvBufferSize(65_536), 'SO_RCVBUF can be set');
    t.equal(sock!.listeners('message').length, 1, "the server's one 'message' listener");
    t.throws(
      () => assertNodeCoapInternals({} as coap.Server),
      /node-coap internals changed/,
      'a server without them is reported',
    );
  },
);

t.test(
  '2: a response goes to _lru.set() first, its sender is attached in the same call, and the cached bytes are the ones sent',
  async (t) => {
    const { server, port } = await listenCoap((_req, res) => {
      res.code = '2.04';
      res.end();
    });
    t.teardown(() => server.close());
    const lru = exchangeCacheOf(server)!;
    const set = lru.set.bind(lru);
    const seen: { key: string; value: CachedResponse; senderAtSet: unknown; senderAfter?: unknown }[] = [];
    lru.set = (key, value, ...rest) => {
      const entry: (typeof seen)[number] = { key, value, senderAtSet: value.sender };
      seen.push(entry);
      const result = set(key, value, ...rest);
      queueMicrotask(() => {
        entry.senderAfter = value.sender;
      });
      return result;
    };
    const peer = await udpPeer();
    t.teardown(() => peer.close());
    const { raw, packet } = await rawExchange(peer, port, post(41, [4, 1]));
    t.equal(packet.code, '2.04');
    t.equal(seen.length, 1, 'one set() per response');
    const e = seen[0]!;
    t.equal(typeof e.key, 'string');
    t.ok(Buffer.isBuffer(e.value) && e.value.equals(raw), 'the cached value is the response packet that was sent');
    t.equal(e.senderAtSet, undefined, 'no sender at set() time');
    const sender = e.senderAfter as (CachedResponse['sender'] & { listeners(event: string): unknown[] }) | undefined;
    t.ok(
      sender &&
        typeof sender.reset === 'function' &&
        typeof sender.on === 'function' &&
        typeof sender.removeAllListeners === 'function',
      'a RetrySend attached by the next microtask',
    );
    t.equal(e.value.response, undefined, 'no response stream on a plain (non-Observe) entry');
    t.ok(sender!.listeners('error').length >= 1, "the sender carries node-coap's error listener");
    // a retransmission is answered from the cache without another set()
    const again = await rawExchange(peer, port, post(41, [4, 1]));
    t.ok(again.raw.equals(raw), 'retransmission answered with the cached bytes');
    t.equal(seen.length, 1);
  },
);

t.test(
  '3, 4, 5: the middleware list can be replaced and _handle dispatches parsed packets; writableEnded follows end(); _packet has the request',
  async (t) => {
    const ended: boolean[] = [];
    let packetOf: { messageId?: number; token?: Buffer; confirmable?: boolean } | undefined;
    const { server, port } = await listenCoap((req, res) => {
      packetOf = req._packet;
      ended.push(responseEnded(res));
      res.code = '2.04';
      res.end();
      ended.push(responseEnded(res));
    });
    t.teardown(() => server.close());
    const dispatch = serverDispatch(server)!;
    t.ok(dispatch, '_middlewares and _handle are there');
    const datagrams: { raw: Buffer; rsinfo: RemoteInfo }[] = [];
    dispatch.replaceMiddlewares([
      (request, next) => {
        datagrams.push(request);
        dispatch.handle(parse(request.raw), request.rsinfo);
        next(null);
      },
    ]);
    const peer = await udpPeer();
    t.teardown(() => peer.close());
    const { packet } = await rawExchange(peer, port, post(77, [7, 7, 7]));
    t.equal(packet.code, '2.04', 'answered through our middleware and _handle');
    t.equal(datagrams.length, 1, 'the replaced list is run for each datagram, with the raw bytes');
    t.equal(datagrams[0]!.rsinfo.port, peer.address().port, 'and the sender address');
    t.same(ended, [false, true], 'writableEnded false before end(), true after');
    t.equal(packetOf?.messageId, 77, "_packet: the request's message id");
    t.same(packetOf?.token, Buffer.from([7, 7, 7]), 'its token');
    t.equal(packetOf?.confirmable, true, 'its type');
  },
);

t.test(
  "5, 6, 8: an Agent on the server's socket adds its own listener, takes ids from _nextMessageId(), and a response's _packet keeps repeated options",
  async (t) => {
    const ids: number[] = [];
    const { server, port } = await listenCoap((req, res) => {
      if (req._packet.messageId !== undefined) ids.push(req._packet.messageId);
      res.code = '2.01';
      res.setOption('Location-Path', [Buffer.from('rd'), Buffer.from('abc')]);
      res.end();
    });
    t.teardown(() => server.close());
    const sock = serverSocket(server)!;
    const before = sock.listeners('message');
    const agent = new coap.Agent({ socket: sock });
    const added = sock.listeners('message').filter((l) => !before.includes(l));
    t.equal(added.length, 1, "new Agent({ socket }) adds exactly one 'message' listener of its own");
    const n = nextMessageId(agent);
    t.ok(Number.isInteger(n) && n >= 0 && n <= 0xffff, 'a message id');
    const res = await new Promise<coap.IncomingMessage>((resolve, reject) => {
      const req = agent.request({ host: '127.0.0.1', port, method: 'POST', pathname: '/rd', confirmable: true });
      req.on('response', resolve);
      req.on('error', reject);
      req.end(Buffer.from('x'));
    });
    t.equal(res.code, '2.01');
    t.equal(ids[0], (n + 1) % 0x10000, "the Agent's next request took the next id of the same counter");
    const locations = packetOptionsOf(res)
      .filter((o) => o.name === 'Location-Path')
      .map((o) => o.value.toString());
    t.same(locations, ['rd', 'abc'], 'every Location-Path option, in order');
  },
);

t.test("7: a client request's sender stops retransmitting on reset()", async (t) => {
  coap.updateTiming({ ackTimeout: 0.05, ackRandomFactor: 1 });
  t.teardown(() => coap.defaultTiming());
  const silent = await udpPeer(); // never answers
  t.teardown(() => silent.close());
  const got: number[] = [];
  silent.on('message', (raw) => got.push(parse(raw).messageId));
  const agent = new coap.Agent({ type: 'udp4' });
  t.teardown(() => {
    agent.close();
  });
  const send = (): coap.OutgoingMessage => {
    const req = coap.request({
      hostname: '127.0.0.1',
      port: silent.address().port,
      method: 'POST',
      pathname: '/x',
      confirmable: true,
      agent,
    });
    req.on('error', () => {});
    req.on('timeout', () => {});
    return req;
  };
  const unsent = send();
  t.doesNotThrow(() => stopRetransmission(unsent), 'harmless before the request is sent');
  unsent.end(Buffer.from('a'));
  await sleep(600);
  const first = got[0]!;
  t.ok(
    got.filter((id) => id === first).length >= 3,
    `without reset() a CON is retransmitted (${got.length} datagrams)`,
  );
  stopRetransmission(unsent);

  got.length = 0;
  const stopped = send();
  stopped.end(Buffer.from('b'));
  await sleep(20);
  stopRetransmission(stopped);
  await sleep(600);
  const second = got.find((id) => id !== first);
  t.not(second, undefined, 'the request was sent');
  t.equal(got.filter((id) => id === second).length, 1, 'and not retransmitted after reset()');
});
