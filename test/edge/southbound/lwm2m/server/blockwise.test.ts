/**
 * Block2 (RFC 7959) towards devices: a Read answer larger than the device's block size is
 * fetched block by block and joined; a notification too large for one datagram carries its first
 * block and the server fetches the rest before storing the reading and acknowledging.
 */
import t from 'tap';
import { until } from '../../../../helpers/wait.js';
import { createSimDevices } from '../../../../../edge/profiles/lwm2m-sim-device.js';
import { val } from '../../../../../edge/southbound/lwm2m/core/index.js';
import { decodeBatch } from '../../../../../proto/batch-codec.js';
import { startLwm2mEdge } from './helpers.js';

/** `n` bytes that differ from block to block (so a misplaced or repeated block shows). */
function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed + (i >> 6)) & 0xff);
}

t.test('large Read answers and large notifications travel in Block2 blocks', async (t) => {
  const e = await startLwm2mEdge();
  t.teardown(() => e.agent.stop());
  const name = 'Yiwang blockwise sim '.repeat(20); // 420 characters
  const first = bytes(600, 1);
  const [dev] = await createSimDevices(
    1,
    { host: '127.0.0.1', port: e.port },
    {
      prefix: 'urn:imei:8640000',
      blockSize: 64,
      values: { '/3/0/0': val.string(name), '/19/0/0/0': val.opaque(first) },
    },
  );
  t.teardown(() => dev!.close());
  const ep = dev!.opts.endpoint;
  t.equal(await dev!.register(), '2.01');
  const run = async (spec: unknown) => (await e.lwm2m.submit(ep, spec)).result;

  // Read of an instance whose TLV is far larger than 64 bytes.
  const read = await run({ op: 'read', path: '/3/0' });
  t.match(read, { ok: true, coapCode: '2.05' });
  t.equal(read.records!.find((r) => r.path === '/3/0/0')!.value, name, 'the 420-character name came back whole');
  const gets = dev!.requests.filter((r) => r.method === 'GET' && r.path === '/3/0');
  t.ok(gets.length >= 7, `the answer was fetched in ${gets.length} block requests`);

  // Observe a 600-byte vendor payload; then a notification of a new 600-byte payload.
  t.match(await run({ op: 'observe', path: '/19/0/0' }), { ok: true });
  const second = bytes(600, 99);
  dev!.set('/19/0/0/0', val.opaque(second));
  const before = dev!.requests.length;
  t.equal(await dev!.notify('/19/0/0'), 1, 'the CON notification (first block only) was acknowledged');
  t.equal(e.lwm2m.counters.blockwiseNotifications, 1, 'the server fetched the other blocks');
  const fetched = dev!.requests.slice(before);
  t.ok(
    fetched.length >= 9 && fetched.every((r) => r.method === 'GET' && r.path === '/19/0/0' && r.observe === undefined),
    'blocks after the first were asked with plain GETs',
  );

  await until('readings stored', () => e.agent.store.pendingCount() >= 2);
  const payloads = decodeBatch(e.agent.store.sealBatch('gw-lwm2m', 100)!.payload)
    .readings.filter((r) => r.metric === 'binary_payload')
    .map((r) => r.value);
  t.same(
    payloads,
    [Buffer.from(first).toString('hex'), Buffer.from(second).toString('hex')],
    'the Observe answer and the notification, each whole',
  );
});

t.test('Read-Composite and Observe-Composite (FETCH) answers and notifications larger than a block', async (t) => {
  const e = await startLwm2mEdge();
  t.teardown(() => e.agent.stop());
  const name = 'Composite blockwise sim '.repeat(20); // 480 characters
  const first = bytes(500, 3);
  const [dev] = await createSimDevices(
    1,
    { host: '127.0.0.1', port: e.port },
    {
      prefix: 'urn:imei:8640001',
      blockSize: 64,
      format: 110,
      values: { '/3/0/0': val.string(name), '/19/0/0/0': val.opaque(first) },
    },
  );
  t.teardown(() => dev!.close());
  const ep = dev!.opts.endpoint;
  t.equal(await dev!.register(), '2.01');
  const run = async (spec: unknown) => (await e.lwm2m.submit(ep, spec)).result;

  // Every block of a FETCH repeats the path list: the device needs it to know what to send.
  const read = await run({ op: 'read-composite', paths: ['/3/0/0', '/19/0/0'] });
  t.match(read, { ok: true, coapCode: '2.05' });
  t.equal(read.records!.find((r) => r.path === '/3/0/0')!.value, name, 'the name came back whole');
  t.equal(
    read.records!.find((r) => r.path === '/19/0/0/0')!.value,
    Buffer.from(first).toString('hex'),
    'the 500 bytes came back whole',
  );
  const fetches = dev!.requests.filter((r) => r.method === 'FETCH');
  t.ok(fetches.length >= 15, `${fetches.length} FETCH block requests (about 1,200 bytes in 64-byte blocks)`);
  t.ok(
    fetches.every((r) => r.payload.toString() === fetches[0]!.payload.toString() && r.payload.length > 0),
    'each with the same path list',
  );

  const obs = await run({ op: 'observe-composite', paths: ['/3/0/0', '/19/0/0'] });
  t.match(obs, { ok: true });
  t.equal(dev!.observations.size, 1, 'the device holds one composite observation');
  const second = bytes(500, 77);
  dev!.set('/19/0/0/0', val.opaque(second));
  const before = dev!.requests.length;
  const readingsBefore = e.lwm2m.counters.readings;
  t.equal(await dev!.notify('/19/0/0'), 1, 'the composite notification (first block only) was acknowledged');
  t.equal(e.lwm2m.counters.blockwiseNotifications, 1, 'the server fetched the other blocks');
  const rest = dev!.requests.slice(before);
  t.ok(
    rest.length >= 15 &&
      rest.every((r) => r.method === 'FETCH' && r.observe === undefined && r.payload.equals(fetches[0]!.payload)),
    `with ${rest.length} FETCHes of the same path list, without Observe`,
  );
  t.equal(e.lwm2m.counters.readings - readingsBefore, 2, 'both values of the whole notification became readings');
});
