/**
 * Identity binding trusts a virtual peer address (100::1:…) to be a DTLS session. A plain datagram
 * that claims one — a spoofed source on an IPv6 CoAP socket — must never reach the CoAP side: the
 * listener drops it (counted virtualSpoofed), while the datagrams of a real session keep coming.
 * The kernel cannot be made to deliver a spoofed source on loopback, so the datagram is delivered
 * the way Node's dgram delivers every datagram: an emitted 'message' event on the socket.
 */
import t from 'tap';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { silentLogger } from '../../../../common/log.js';
import { CoapsListener } from '../../../../edge/southbound/dtls/coaps-listener.js';
import { MemoryPskDirectory } from '../../../../edge/southbound/dtls/psk-directory.js';
import { sendData, udpHandshake } from '../../../../scripts/harness/dtls-udp-client.js';

t.test('a plain datagram from a virtual peer address is dropped; a session is not', async (t) => {
  const coap = createSocket('udp6');
  await new Promise<void>((r) => coap.bind(0, '::1', () => r()));
  t.teardown(() => coap.close());
  const got: RemoteInfo[] = [];
  coap.on('message', (_m, rinfo) => got.push(rinfo));
  const key = Buffer.from('virtual-spoof-key');
  const listener = new CoapsListener({
    host: '127.0.0.1',
    port: 0,
    directory: new MemoryPskDirectory([{ identity: 'id-a', deviceId: 'dev-a', key }]),
    log: silentLogger(),
    maxSessions: 10,
    maxSessionBytes: 1 << 20,
    cid: true,
  });
  await listener.start();
  t.teardown(() => listener.stop());
  listener.attach(coap);

  // a real session: its datagram arrives from its virtual peer
  const dev = createSocket('udp4');
  await new Promise<void>((r) => dev.bind(0, '127.0.0.1', () => r()));
  t.teardown(() => dev.close());
  const s = await udpHandshake(dev, listener.port, 'id-a', key);
  sendData(s, Buffer.from('hello'));
  for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  t.equal(got.length, 1, 'the session datagram reached the CoAP socket');
  const virtual = got[0]!.address;
  t.match(virtual, /^100::1:/, 'from a virtual peer');
  t.equal(listener.identityOf(virtual), 'id-a', 'which identity binding resolves to the session');

  // a plain datagram with that very source address
  coap.emit('message', Buffer.from('spoofed'), { address: virtual, family: 'IPv6', port: 5684, size: 7 });
  coap.emit('message', Buffer.from('spoofed'), { address: '100::1:0:2', family: 'IPv6', port: 1, size: 7 });
  t.equal(got.length, 1, 'neither reached the CoAP side');
  t.equal(listener.stats().virtualSpoofed, 2, 'both counted');
  // any other source passes as before
  coap.emit('message', Buffer.from('plain'), { address: '::1', family: 'IPv6', port: 9, size: 5 });
  t.equal(got.length, 2, 'an ordinary plain datagram passes');
  sendData(s, Buffer.from('again'));
  for (let i = 0; i < 100 && got.length === 2; i++) await new Promise((r) => setTimeout(r, 10));
  t.equal(got.length, 3, 'the session keeps working');
});
