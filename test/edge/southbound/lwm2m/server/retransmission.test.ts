/**
 * A retransmitted CON Register (same message id, same peer: its ACK was lost) gets the answer of
 * the first one again, byte for byte, and registers nothing twice; a new message id is a new
 * request.
 */
import t from 'tap';
import { createSocket } from 'node:dgram';
import { generate, parse, type ParsedPacket } from 'coap-packet';
import { startLwm2mEdge } from './helpers.js';

t.test('a retransmitted Register is answered from the exchange cache', async (t) => {
  const e = await startLwm2mEdge();
  t.teardown(() => e.agent.stop());
  const sock = createSocket('udp4');
  t.teardown(() => sock.close());
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const inbox: Buffer[] = [];
  const waiters: ((b: Buffer) => void)[] = [];
  sock.on('message', (m) => {
    const w = waiters.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  const next = (): Promise<Buffer> =>
    inbox.length
      ? Promise.resolve(inbox.shift()!)
      : new Promise((r, j) => {
          waiters.push(r);
          setTimeout(() => j(new Error('no answer within 10 s')), 10_000).unref();
        });
  const ep = 'urn:imei:863000000000001';
  const register = (messageId: number): Buffer =>
    generate({
      confirmable: true,
      messageId,
      code: '0.02',
      token: Buffer.from([1, 2, 3, messageId & 0xff]),
      payload: Buffer.from('</1/0>,</3/0>'),
      options: [
        { name: 'Uri-Path', value: Buffer.from('rd') },
        { name: 'Content-Format', value: Buffer.from([40]) },
        ...[`ep=${ep}`, 'lt=300', 'lwm2m=1.1', 'b=U'].map((q) => ({
          name: 'Uri-Query' as const,
          value: Buffer.from(q),
        })),
      ],
    });
  const send = (b: Buffer): void => {
    sock.send(b, e.port, '127.0.0.1');
  };
  const location = (p: ParsedPacket): string =>
    p.options
      .filter((o) => o.name === 'Location-Path')
      .map((o) => o.value.toString())
      .join('/');

  send(register(0x1234));
  const first = await next();
  const a = parse(first);
  t.same([a.ack, a.code, a.messageId], [true, '2.01', 0x1234], 'piggybacked 2.01');
  t.match(location(a), /^rd\/[0-9a-f]{12}$/);

  send(register(0x1234)); // the ACK was "lost": same message id again
  const again = await next();
  t.ok(again.equals(first), 'the retransmission gets the very same answer');
  t.equal(e.lwm2m.counters.registrations, 1, 'registered once');
  t.equal(e.lwm2m.events(ep).filter((ev) => ev.kind === 'registered').length, 1, 'one registered event');

  send(register(0x1235)); // a new Register (new message id) is a new registration
  const b = parse(await next());
  t.equal(b.code, '2.01');
  t.not(location(b), location(a), 'a new registration id');
  t.equal(e.lwm2m.counters.registrations, 2);
  t.equal(e.lwm2m.device(ep)!.regId, location(b).split('/')[1], 'the newest registration holds');
});
