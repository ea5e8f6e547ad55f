/**
 * slimExchangeCache() against a real node-coap server and raw UDP clients: entries stop holding
 * their response and an ACK's timers, retransmissions are still answered from the cache, Observe
 * entries are left alone. Fails if a node-coap upgrade moves the internals it relies on.
 */
import t from 'tap';
import type coap from 'coap';
import { generate, parse, type ParsedPacket } from 'coap-packet';
import { slimExchangeCache } from '../../../../edge/southbound/coap/exchange-cache.js';
import { listenCoap, rawExchange, udpPeer } from '../../../helpers/raw-coap.js';

interface CachedEntry {
  sender?: { listeners(e: string): Array<(...a: unknown[]) => void>; emit(e: string, err: Error): boolean };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
const activeTimeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

t.test('ACK entries keep only the packet: no response, no timers; a retransmission gets the same bytes', async (t) => {
  let handled = 0;
  const { server, port } = await listenCoap((_req, res) => {
    handled++;
    res.code = '2.04';
    res.end();
  });
  t.teardown(() => server.close());
  const errors: Error[] = [];
  t.ok(
    slimExchangeCache(server, (err) => errors.push(err)),
    'node-coap internals as expected',
  );
  const sock = await udpPeer();
  t.teardown(() => sock.close());

  await tick();
  const timersBefore = activeTimeouts();
  const sent: Buffer[] = [];
  for (let i = 0; i < 20; i++) {
    const { raw, packet } = await rawExchange(sock, port, {
      messageId: 100 + i,
      token: Buffer.from([i]),
      code: '0.02',
      confirmable: true,
      options: [{ name: 'Uri-Path', value: Buffer.from('x') }],
      payload: Buffer.from('v'),
    });
    t.equal(packet.code, '2.04');
    t.ok(packet.ack, 'piggybacked ACK');
    sent.push(raw);
  }
  await tick();
  // unslimmed, each of the 20 ACKs leaves a 202 s MAX_RTT timer running until the LRU evicts it
  t.ok(
    activeTimeouts() - timersBefore < 5,
    `ACK timers cleared (${activeTimeouts() - timersBefore} more Timeouts than before)`,
  );

  const entries = [...(server._lru as unknown as { values(): Iterable<CachedEntry> }).values()];
  t.equal(entries.length, 20, 'every exchange cached');
  t.ok(
    entries.every((e) => e.sender === undefined),
    'no sender (nor its response) kept with an ACK',
  );
  t.same(errors, [], 'no send errors');

  // a retransmission (same id and token) is answered from the cache, byte for byte, without the handler
  const again = await rawExchange(sock, port, {
    messageId: 105,
    token: Buffer.from([5]),
    code: '0.02',
    confirmable: true,
    options: [{ name: 'Uri-Path', value: Buffer.from('x') }],
    payload: Buffer.from('v'),
  });
  t.same(again.raw, sent[5], 'same bytes as the first answer');
  t.equal(handled, 20, 'handler not run again');
});

t.test(
  'a separate (CON) response keeps its sender, with the shared error listener, and is retransmitted until ACKed',
  async (t) => {
    const { server, port } = await listenCoap((_req, res) => {
      setTimeout(() => {
        res.code = '2.04';
        res.end('late');
      }, 50);
    });
    (server._options as { piggybackReplyMs: number }).piggybackReplyMs = 10;
    t.teardown(() => server.close());
    const errors: Error[] = [];
    const onError = (err: Error): void => {
      errors.push(err);
    };
    t.ok(slimExchangeCache(server, onError));
    const sock = await udpPeer();
    t.teardown(() => sock.close());
    const got: ParsedPacket[] = [];
    sock.on('message', (raw) => got.push(parse(raw)));
    sock.send(
      generate({
        messageId: 9,
        token: Buffer.from([9, 9]),
        code: '0.02',
        confirmable: true,
        options: [{ name: 'Uri-Path', value: Buffer.from('x') }],
      }),
      port,
      '127.0.0.1',
    );
    const until = async (n: number, ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (got.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    };
    await until(2, 1000);
    t.ok(got[0]!.ack && got[0]!.code === '0.00', 'empty ACK first');
    t.ok(
      got[1]!.confirmable && got[1]!.code === '2.04' && got[1]!.payload.toString() === 'late',
      'then the response as a CON',
    );
    await tick();
    const entries = [...(server._lru as unknown as { values(): Iterable<CachedEntry & Buffer> }).values()];
    const con = entries.filter((e) => (e[0]! & 0x30) === 0);
    t.equal(con.length, 1, 'the CON response is cached');
    const listeners = con[0]!.sender!.listeners('error');
    t.equal(listeners.length, 1, 'one error listener');
    t.equal(listeners[0], onError, 'the shared listener, not one bound to the response');
    con[0]!.sender!.emit('error', new Error('EBADF'));
    t.equal(errors.length, 1, 'a send error reaches the shared listener');
    // not ACKed by us: node-coap retransmits it after ACK_TIMEOUT (2-3 s)
    await until(3, 4000);
    t.ok(got[2]?.confirmable && got[2]!.messageId === got[1]!.messageId, 'the CON response is retransmitted');
    sock.send(generate({ messageId: got[1]!.messageId, code: '0.00', ack: true }), port, '127.0.0.1');
  },
);

t.test('an Observe notification keeps the entry node-coap built (its stream ends on a send error)', async (t) => {
  const { server, port } = await listenCoap((req, res) => {
    if (req.headers.Observe === 0) {
      res.code = '2.05';
      res.write('n1');
      return;
    }
    res.code = '2.04';
    res.end();
  });
  t.teardown(() => server.close());
  const onError = (): void => {};
  t.ok(slimExchangeCache(server, onError));
  const sock = await udpPeer();
  t.teardown(() => sock.close());
  const { packet } = await rawExchange(sock, port, {
    messageId: 7,
    token: Buffer.from([1, 2]),
    code: '0.01',
    confirmable: true,
    options: [
      { name: 'Observe', value: Buffer.alloc(0) },
      { name: 'Uri-Path', value: Buffer.from('o') },
    ],
  });
  t.equal(packet.code, '2.05');
  t.equal(packet.payload.toString(), 'n1');
  await tick();
  const entries = [
    ...(server._lru as unknown as { values(): Iterable<CachedEntry & { response?: unknown }> }).values(),
  ];
  const observed = entries.filter((e) => e.response !== undefined);
  t.equal(observed.length, 1, 'the notification is cached with its stream');
  const listeners = observed[0]!.sender!.listeners('error');
  t.ok(listeners.length > 0 && !listeners.includes(onError), 'its own error listener kept');
});

t.test('a server without the expected internals is reported, not patched', async (t) => {
  t.equal(
    slimExchangeCache({} as coap.Server, () => {}),
    false,
  );
  t.equal(
    slimExchangeCache({ _lru: {} } as unknown as coap.Server, () => {}),
    false,
  );
});
