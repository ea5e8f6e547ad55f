/**
 * Conformance, data formats (OMA-TS-LightweightM2M_Core 1.1.1 §7.4; LwM2M JSON as 1.0 §6.4.4 /
 * 1.1.1 define it; SenML RFC 8428; CBOR RFC 8949): for each content format the server supports,
 * the exact bytes of a Write on the wire and the decoding of a hand-written Read answer (raw
 * datagrams), the format a device announces becoming its default, the LwM2M JSON
 * single-resource form (issue 20 item 3), and a Send in SenML CBOR from libcoap.
 */
import type { Test } from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { decodeBatch } from '../../../../../proto/batch-codec.js';
import { tempDir } from '../../../../helpers/fleet.js';
import { until } from '../../../../helpers/wait.js';
import { RawDevice, coapClient, edge, opt, table, u16, uint, type Edge } from './table.js';

interface Ctx {
  e: Edge;
  dev: RawDevice;
  ep: string;
}

/**
 * One format: a Write of `path` = `value` must put `wire` (hex) on the wire with this
 * Content-Format, and a Read answer of `answer` (hex) must decode to `read`.
 */
interface FormatRow {
  format: number;
  name: string;
  section: string;
  path: string;
  value: unknown;
  wire: string;
  answer: string;
  read: unknown;
}
const hex = (s: string): string => Buffer.from(s).toString('hex');
const FORMATS: FormatRow[] = [
  {
    format: 0,
    name: 'text/plain',
    section: 'Core §7.4 (Plain Text)',
    path: '/3/0/14',
    value: '+07:00',
    wire: hex('+07:00'),
    answer: hex('+08:00'),
    read: '+08:00',
  },
  {
    format: 0,
    name: 'text/plain, an integer',
    section: 'Core §7.4 (Plain Text): numbers as decimal text',
    path: '/3/0/13',
    value: 1700000000,
    wire: hex('1700000000'),
    answer: hex('1700000001'),
    read: 1700000001,
  },
  {
    format: 42,
    name: 'application/octet-stream (opaque)',
    section: 'Core §7.4 (Opaque)',
    path: '/19/0/0/0',
    value: { hex: 'cafe01' },
    wire: 'cafe01',
    answer: '00ff10',
    read: '00ff10',
  },
  {
    format: 60,
    name: 'application/cbor (single value)',
    section: 'Core §7.4 (CBOR), RFC 8949 §3.1 text string',
    path: '/3/0/14',
    value: '+07:00',
    wire: `66${hex('+07:00')}`,
    answer: `66${hex('+08:00')}`,
    read: '+08:00',
  },
  {
    format: 11542,
    name: 'TLV',
    section: 'Core §7.4 (TLV): resource with value, 8-bit id, 3-bit length',
    path: '/3/0/14',
    value: '+07:00',
    wire: `c60e${hex('+07:00')}`,
    answer: `c60e${hex('+08:00')}`,
    read: '+08:00',
  },
  {
    format: 11543,
    name: 'LwM2M JSON',
    section: 'Core §7.4 (JSON), 1.0 §6.4.4: bn the instance, n the resource',
    path: '/3/0/14',
    value: '+07:00',
    wire: hex('{"bn":"/3/0/","e":[{"n":"14","sv":"+07:00"}]}'),
    answer: hex('{"bn":"/3/0/","e":[{"n":"14","sv":"+08:00"}]}'),
    read: '+08:00',
  },
  {
    format: 110,
    name: 'SenML JSON',
    section: 'Core §7.4 (SenML JSON), RFC 8428 §4: bn + vs',
    path: '/3/0/14',
    value: '+07:00',
    wire: hex('[{"bn":"/3/0/14","vs":"+07:00"}]'),
    answer: hex('[{"bn":"/3/0/","n":"14","vs":"+08:00"}]'),
    read: '+08:00',
  },
  {
    format: 112,
    name: 'SenML CBOR',
    section: 'Core §7.4 (SenML CBOR), RFC 8428 §6: labels bn -2, vs 3',
    path: '/3/0/14',
    value: '+07:00',
    wire: `81a22167${hex('/3/0/14')}0366${hex('+07:00')}`,
    // [{-2: "/3/0/", 0: "14", 3: "+08:00"}]
    answer: `81a32165${hex('/3/0/')}0062${hex('14')}0366${hex('+08:00')}`,
    read: '+08:00',
  },
];

table<Ctx>(
  'conformance: content formats on the wire (raw datagrams)',
  async (t) => {
    const e = await edge(t);
    const dev = await RawDevice.open(t, e.port);
    const ep = 'urn:dev:formats';
    t.equal((await dev.register(ep, '</1/0>,</3/0>,</19/0>')).code, '2.01');
    t.equal(e.lwm2m.device(ep)?.contentFormat, 11542, 'a 1.1 device announcing nothing: TLV');
    return { e, dev, ep };
  },
  FORMATS.flatMap((f) => [
    {
      section: `${f.section}; Core §5.4.3 (Write)`,
      name: `${f.format} ${f.name}: a Write of ${f.path} carries Content-Format ${f.format} and the exact bytes`,
      run: async (t, { e, dev, ep }: Ctx) => {
        const sub = await e.lwm2m.submit(ep, { op: 'write', path: f.path, value: f.value, format: f.format });
        const req = await dev.request();
        t.equal(req.code, '0.03', 'PUT');
        t.equal(uint(opt(req, 'Content-Format')), f.format, 'Content-Format');
        t.equal(req.payload.toString('hex'), f.wire, 'payload bytes');
        dev.answer(req, '2.04');
        t.match(await sub.result, { ok: true, coapCode: '2.04' });
      },
    },
    {
      section: `${f.section}; Core §5.4.1 (Read)`,
      name: `${f.format} ${f.name}: a Read asks for it with Accept and decodes the device's answer`,
      run: async (t, { e, dev, ep }: Ctx) => {
        const sub = await e.lwm2m.submit(ep, { op: 'read', path: f.path, format: f.format });
        const req = await dev.request();
        t.equal(uint(opt(req, 'Accept')), f.format, 'Accept');
        dev.answer(req, '2.05', [{ name: 'Content-Format', value: u16(f.format) }], Buffer.from(f.answer, 'hex'));
        t.match(await sub.result, { ok: true, records: [{ path: f.path, value: f.read }] });
      },
    },
  ]),
);

// --- the format a device announces becomes its default (Core §5.3.1: ct of the root link) ---
table<{ e: Edge }>(
  'conformance: the announced content format is the default',
  async (t) => ({ e: await edge(t) }),
  (
    [
      ['</>;rt="oma.lwm2m";ct=110,</3/0>', ['lwm2m=1.1', 'b=U'], 110],
      ['</>;rt="oma.lwm2m";ct=112,</3/0>', ['lwm2m=1.1', 'b=U'], 112],
      ['</>;rt="oma.lwm2m";ct=11543,</3/0>', ['lwm2m=1.0', 'b=U'], 11543],
      ['</3/0>', ['lwm2m=1.1', 'b=U'], 11542],
    ] as const
  ).map(([links, query, format], i) => ({
    section: 'Core §5.3.1 (Register: ct of the root link), §7.4',
    name: `${links} → ${format}`,
    run: async (t, { e }) => {
      const dev = await RawDevice.open(t, e.port);
      const ep = `urn:dev:ct-${i}`;
      t.equal((await dev.register(ep, links, [...query])).code, '2.01');
      t.equal(e.lwm2m.device(ep)?.contentFormat, format, 'chosen format');
      const sub = await e.lwm2m.submit(ep, { op: 'read', path: '/3/0/0' });
      const req = await dev.request();
      t.equal(uint(opt(req, 'Accept')), format, 'a Read without format asks for it');
      dev.answer(req, '4.04');
      await sub.result;
    },
  })),
);

// --- LwM2M JSON single-resource Writes to a 1.0 device (issue 20 item 3) ---
table<Ctx>(
  'conformance: LwM2M JSON single-resource form (1.0 device with ct=11543)',
  async (t) => {
    const e = await edge(t);
    const dev = await RawDevice.open(t, e.port);
    const ep = 'urn:dev:json10';
    t.equal((await dev.register(ep, '</>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>', ['lwm2m=1.0', 'b=U'])).code, '2.01');
    t.equal(e.lwm2m.device(ep)?.contentFormat, 11543, 'the device announced 11543');
    return { e, dev, ep };
  },
  [
    ...(
      [
        ['/3/0/14', '+07:00', '{"bn":"/3/0/","e":[{"n":"14","sv":"+07:00"}]}'],
        ['/3/0/13', 1700000000, '{"bn":"/3/0/","e":[{"n":"13","v":1700000000}]}'],
      ] as const
    ).map(([path, value, wire]) => ({
      section: 'LwM2M 1.0 §6.4.4, Core 1.1.1 §7.4 (JSON); Core §5.4.3 (Write)',
      name: `a default-format Write of ${path} names the resource under its instance`,
      run: async (t: Test, { e, dev, ep }: Ctx) => {
        const sub = await e.lwm2m.submit(ep, { op: 'write', path, value });
        const req = await dev.request();
        t.equal(req.code, '0.03', `${path}: PUT (Core §5.4.3)`);
        t.equal(uint(opt(req, 'Content-Format')), 11543, `${path}: Content-Format 11543`);
        t.equal(req.payload.toString(), wire, `${path}: bn the instance, n the resource (1.0 §6.4.4; 1.1.1 §7.4.5)`);
        dev.answer(req, '2.04');
        t.match(await sub.result, { ok: true, coapCode: '2.04' });
      },
    })),
    // a read answer in either form is understood (1.0 §6.4.4: bn + n is the path)
    ...['{"bn":"/3/0/14","e":[{"sv":"+08:00"}]}', '{"bn":"/3/0/","e":[{"n":"14","sv":"+08:00"}]}'].map((body) => ({
      section: 'LwM2M 1.0 §6.4.4: bn + n is the path; Core §5.4.1 (Read)',
      name: `a Read answer ${body} is understood`,
      run: async (t: Test, { e, dev, ep }: Ctx) => {
        const sub = await e.lwm2m.submit(ep, { op: 'read', path: '/3/0/14' });
        const req = await dev.request();
        dev.answer(req, '2.05', [{ name: 'Content-Format', value: u16(11543) }], body);
        t.match(await sub.result, { ok: true, records: [{ path: '/3/0/14', value: '+08:00' }] }, `read answer ${body}`);
      },
    })),
  ],
);

// --- libcoap: Send in SenML CBOR, bytes from a file ---
table<{ e: Edge }>('conformance: content formats with libcoap coap-client-notls', async (t) => ({ e: await edge(t) }), [
  {
    section: 'Core §7.4 (SenML CBOR), §5.5 (Send)',
    name: 'libcoap: Send of hand-written SenML CBOR [{0: "/3303/0/5700", 2: 19.5}] is decoded',
    run: async (t, { e }) => {
      const s = createSocket('udp4');
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
      const port = String(s.address().port);
      await new Promise<void>((r) => s.close(() => r()));
      const base = `coap://127.0.0.1:${e.port}`;
      const ep = 'urn:imei:861234567890301';
      const reg = await coapClient([
        '-p',
        port,
        '-m',
        'post',
        '-t',
        '40',
        '-e',
        '</>;rt="oma.lwm2m";ct=112,</3303/0>',
        `${base}/rd?ep=${ep}&lt=300&lwm2m=1.1`,
      ]);
      t.match(reg, /c:2\.01/);
      t.equal(e.lwm2m.device(ep)?.contentFormat, 112);
      const file = join(tempDir('yw-conf-cbor-'), 'send.cbor');
      writeFileSync(file, Buffer.from(`81a2006c${hex('/3303/0/5700')}02fb4033800000000000`, 'hex'));
      const send = await coapClient(['-p', port, '-m', 'post', '-t', '112', '-f', file, `${base}/dp`]);
      t.match(send, /c:2\.04/, 'Send answered 2.04');
      await until('reading', () => e.agent.store.pendingCount() >= 1);
      const rs = decodeBatch(e.agent.store.sealBatch('gw-lwm2m', 100)!.payload).readings.filter(
        (r) => r.deviceId === ep,
      );
      t.same(
        rs.map((r) => [r.metric, r.value]),
        [['temperature', 19.5]],
        'the reading of the CBOR record',
      );
    },
  },
]);
