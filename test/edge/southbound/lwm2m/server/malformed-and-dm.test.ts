/**
 * Malformed registrations get coded 4.xx answers and never disturb other devices; the other
 * device management operations, Send (/dp) and object 19 binary payloads.
 */
import t from 'tap';
import { createSocket } from 'node:dgram';
import { generate, parse, type NamedOption } from 'coap-packet';
import { until } from '../../../../helpers/wait.js';
import { createSimDevices } from '../../../../../edge/profiles/lwm2m-sim-device.js';
import { Lwm2mPath, val } from '../../../../../edge/southbound/lwm2m/core/index.js';
import { decodeBatch } from '../../../../../proto/batch-codec.js';
import { startLwm2mEdge } from './helpers.js';

let mid = 100;
const LINK_FORMAT: NamedOption[] = [{ name: 'Content-Format', value: Buffer.from([40]) }];
/** One raw CON request from a fresh socket; resolves with the parsed answer. */
async function raw(
  port: number,
  code: string,
  path: string[],
  query: string[],
  payload: string,
  extra: NamedOption[] = [],
): Promise<{ code: string; text: string }> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  try {
    return await new Promise((resolve) => {
      sock.once('message', (m) => {
        const p = parse(m);
        resolve({ code: p.code, text: p.payload.toString() });
      });
      sock.send(
        generate({
          code,
          messageId: mid++,
          token: Buffer.from([1, 2]),
          confirmable: true,
          payload: Buffer.from(payload),
          options: [
            ...path.map((p) => ({ name: 'Uri-Path' as const, value: Buffer.from(p) })),
            ...query.map((q) => ({ name: 'Uri-Query' as const, value: Buffer.from(q) })),
            ...extra,
          ],
        }),
        port,
        '127.0.0.1',
      );
    });
  } finally {
    sock.close();
  }
}

t.test('malformed registrations are refused with codes; a working device is not disturbed', async (t) => {
  const e = await startLwm2mEdge();
  t.teardown(() => e.agent.stop());
  const [good] = await createSimDevices(1, { host: '127.0.0.1', port: e.port }, { prefix: 'urn:imei:8670000' });
  t.teardown(() => good!.close());
  t.equal(await good!.register(), '2.01');
  await (await e.lwm2m.submit(good!.opts.endpoint, { op: 'observe', path: '/3303/0/5700' })).result;

  const p = e.port;
  const cases: [string, Promise<{ code: string; text: string }>, string, RegExp][] = [
    [
      'no ep',
      raw(p, '0.02', ['rd'], ['lt=60'], '</3/0>'),
      '4.00',
      /^LWM2M_ERR_REGISTRATION: Register needs an endpoint name/,
    ],
    ['bad ep', raw(p, '0.02', ['rd'], ['ep=a b', 'lt=60'], '</3/0>'), '4.00', /LWM2M_ERR_REGISTRATION: endpoint name/],
    ['bad lt', raw(p, '0.02', ['rd'], ['ep=x1', 'lt=-5'], '</3/0>'), '4.00', /LWM2M_ERR_REGISTRATION: lt="-5"/],
    ['bad binding', raw(p, '0.02', ['rd'], ['ep=x2', 'b=UU'], '</3/0>'), '4.00', /LWM2M_ERR_REGISTRATION: b="UU"/],
    [
      'bad version',
      raw(p, '0.02', ['rd'], ['ep=x3', 'lwm2m=9.9'], '</3/0>'),
      '4.00',
      /LWM2M_ERR_REGISTRATION: lwm2m="9.9"/,
    ],
    [
      'bad links',
      raw(p, '0.02', ['rd'], ['ep=x4'], '</3/0,</4/0>;ver="1', LINK_FORMAT),
      '4.00',
      /LWM2M_ERR_REGISTRATION: object links: LWM2M_ERR_LINK/,
    ],
    [
      'resource link',
      raw(p, '0.02', ['rd'], ['ep=x5'], '</3/0/1>', LINK_FORMAT),
      '4.00',
      /LWM2M_ERR_LINK: link "\/3\/0\/1" must name an object/,
    ],
    [
      'wrong format',
      raw(p, '0.02', ['rd'], ['ep=x6'], '</3/0>', [{ name: 'Content-Format', value: Buffer.from([50]) }]),
      '4.00',
      /link format \(40\)/,
    ],
    ['unknown update', raw(p, '0.02', ['rd', 'nosuchreg'], [], ''), '4.04', /^LWM2M_ERR_NOT_REGISTERED/],
    [
      'send unregistered',
      raw(p, '0.02', ['dp'], [], '[]', [{ name: 'Content-Format', value: Buffer.from([110]) }]),
      '4.04',
      /^LWM2M_ERR_NOT_REGISTERED/,
    ],
    [
      'block out of order',
      raw(p, '0.02', ['rd'], ['ep=x7'], 'x'.repeat(64), [{ name: 'Block1', value: Buffer.from([0x3a]) }]),
      '4.08',
      /^LWM2M_ERR_BLOCK: block 3 out of order/,
    ],
    ['GET /rd', raw(p, '0.01', ['rd'], [], ''), '4.05', /no 0.01/],
  ];
  for (const [name, res, code, text] of cases) {
    const r = await res;
    t.equal(r.code, code, `${name}: ${code}`);
    t.match(r.text, text, `${name}: coded diagnostic`);
  }
  t.equal(e.logs.withCode('LWM2M_ERR_REGISTRATION').length, 8, 'each logged with its code');
  t.same(
    e.lwm2m.devices().map((d) => d.endpoint),
    [good!.opts.endpoint],
    'no half-registered devices',
  );
  good!.set('/3303/0/5700', val.float(19));
  t.equal(await good!.notify(), 1, 'the good device still notifies');
  t.match(
    await (await e.lwm2m.submit(good!.opts.endpoint, { op: 'read', path: '/3/0/0' })).result,
    { ok: true, records: [{ value: 'Yiwang Sim' }] },
    'and answers reads',
  );
});

t.test('create, partial write, discover, write-attributes, read-composite, delete, Send and object 19', async (t) => {
  const e = await startLwm2mEdge();
  t.teardown(() => e.agent.stop());
  const [dev] = await createSimDevices(
    1,
    { host: '127.0.0.1', port: e.port },
    { prefix: 'urn:imei:8680000', values: { '/19/0/0/0': val.opaque(new Uint8Array([0xca, 0xfe, 0x01])) } },
  );
  t.teardown(() => dev!.close());
  const ep = dev!.opts.endpoint;
  t.equal(await dev!.register(), '2.01');
  const run = async (spec: unknown) => (await e.lwm2m.submit(ep, spec)).result;

  t.match(await run({ op: 'create', path: '/3303', instanceId: 1, value: { 5700: 5.5, 5701: 'Cel' } }), {
    ok: true,
    coapCode: '2.01',
    location: '/3303/1',
  });
  t.same(dev!.values.get('/3303/1/5700'), { type: 'float', value: 5.5 });
  t.match(await run({ op: 'write', path: '/3303/1', mode: 'update', value: { 5701: 'K' } }), {
    ok: true,
    coapCode: '2.04',
  });
  t.equal(dev!.requests.at(-1)!.method, 'POST', 'partial update is a POST');
  t.same(dev!.values.get('/3303/1/5701'), { type: 'string', value: 'K' });
  t.match(await run({ op: 'discover', path: '/3303/1' }), { ok: true, links: /<\/3303\/1\/5700>/ });
  t.match(await run({ op: 'write-attributes', path: '/3303/0/5700', attributes: { pmin: 10, pmax: 60, st: 0.5 } }), {
    ok: true,
  });
  t.same(dev!.requests.at(-1)!.query, ['pmin=10', 'pmax=60', 'st=0.5']);
  t.match(await run({ op: 'read-composite', paths: ['/3/0/0', '/3303/1/5700'] }), {
    ok: true,
    records: [
      { path: '/3/0/0', value: 'Yiwang Sim' },
      { path: '/3303/1/5700', value: 5.5 },
    ],
  });
  t.equal(dev!.requests.at(-1)!.method, 'FETCH');
  t.match(await run({ op: 'delete', path: '/3303/1' }), { ok: true, coapCode: '2.02' });
  t.match(
    await run({ op: 'read', path: '/3303/1/5700' }),
    { ok: false, coapCode: '4.04', error: { code: 'LWM2M_ERR_DEVICE' } },
    'device errors are coded results',
  );
  t.match(
    await run({ op: 'write', path: '/19/1/0', value: { 0: { hex: '0102ff' } } }),
    { ok: true },
    'object 19 downlink',
  );
  t.same(dev!.values.get('/19/1/0/0'), { type: 'opaque', value: new Uint8Array([1, 2, 0xff]) });

  // Object 19 uplink through an observation, and Send (/dp).
  t.match(await run({ op: 'observe', path: '/19/0/0' }), { ok: true });
  t.equal(
    await dev!.send([{ path: Lwm2mPath.of(3303, 0, 5700), value: val.float(18.5), time: 1_700_000_000 }]),
    '2.04',
  );
  await until('readings stored', () => e.agent.store.pendingCount() >= 2);
  const rs = decodeBatch(e.agent.store.sealBatch('gw-lwm2m', 100)!.payload).readings;
  t.equal(rs.find((r) => r.metric === 'binary_payload')!.value, 'cafe01', 'object 19 payload as hex (no decoder)');
  const sent = rs.find((r) => r.metric === 'temperature')!;
  t.same([sent.value, sent.ts], [18.5, 1_700_000_000_000], 'Send with the device time');
});
