/**
 * The DTLS server against `openssl s_client -dtls1_2` with PSK (node-dtls-client, first planned as
 * the second implementation, was dropped from the dev dependencies in f96d8fc): CCM_8 and GCM, data
 * both ways, and a record replayed through a UDP proxy is dropped and counted.
 */
import { sClientArgs } from './s-client.js';
import t from 'tap';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { startHarness } from './harness.js';
import { until } from '../../../helpers/wait.js';

const KEY = Buffer.from('0badc0ffee0badc0ffee', 'hex');
const pskFor = (id: string): Buffer | undefined => (id === 'dev-o' ? KEY : undefined);

function sClient(port: number, cipher: string) {
  const child = spawn('openssl', sClientArgs(port, 'dev-o', KEY, cipher, ['-quiet']), {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', () => {});
  return { child, output: () => out };
}

const waitFor = (cond: () => boolean, ms = 5000): Promise<void> => until('the condition', cond, ms, 20);

for (const [cipher, suite] of [
  ['PSK-AES128-CCM8', 'TLS_PSK_WITH_AES_128_CCM_8'],
  ['PSK-AES128-GCM-SHA256', 'TLS_PSK_WITH_AES_128_GCM_SHA256'],
] as const) {
  t.test(`${cipher}: data both ways`, async (t) => {
    const h = await startHarness({ pskFor, coap: false });
    t.teardown(() => h.close());
    const c = sClient(h.port, cipher);
    t.teardown(() => c.child.kill());
    c.child.stdin.write('hello server\n');
    await waitFor(() => c.output().includes('hello server'));
    t.same(
      h.received.map((r) => r.plaintext.toString()),
      ['hello server\n'],
      'server got the data',
    );
    t.match(c.output(), 'hello server', 'client got the echo');
    t.equal(h.received[0]?.session.suite, suite, 'suite negotiated');
    h.received[0]?.session.send(Buffer.from('downlink\n'));
    await waitFor(() => c.output().includes('downlink'));
    t.match(c.output(), 'downlink', 'session.send reaches the client');
  });
}

t.test('a record replayed through a proxy is dropped and counted', async (t) => {
  const h = await startHarness({ pskFor, coap: false });
  t.teardown(() => h.close());
  const proxy = createSocket('udp4');
  await new Promise<void>((r) => proxy.bind(0, '127.0.0.1', r));
  t.teardown(() => proxy.close());
  const fromClient: Buffer[] = [];
  let client: { port: number; address: string } | undefined;
  proxy.on('message', (msg, rinfo) => {
    if (rinfo.port === h.port) {
      if (client) proxy.send(msg, client.port, client.address);
      return;
    }
    client = rinfo;
    fromClient.push(msg);
    proxy.send(msg, h.port, '127.0.0.1');
  });
  const c = sClient(proxy.address().port, 'PSK-AES128-CCM8');
  t.teardown(() => c.child.kill());
  c.child.stdin.write('pay 10\n');
  await waitFor(() => h.received.length > 0);
  t.equal(h.received.length, 1, 'delivered once');
  proxy.send(fromClient[fromClient.length - 1]!, h.port, '127.0.0.1');
  await waitFor(() => h.server.stats().recordsDropped.replay > 0); // the replay has been handled
  t.equal(h.server.stats().recordsDropped.replay, 1, 'replay counted');
  t.equal(h.received.length, 1, 'the replay was not delivered');
  c.child.stdin.write('pay 11\n');
  await waitFor(() => h.received.length > 1);
  t.same(
    h.received.map((r) => r.plaintext.toString()),
    ['pay 10\n', 'pay 11\n'],
    'the session goes on',
  );
});
