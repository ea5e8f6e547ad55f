/**
 * Conformance, Information Reporting interface (OMA-TS-LightweightM2M_Core 1.1.1 §5.5: Observe,
 * Notify, Cancel Observation, Observe-Composite, Cancel Observation-Composite; CoAP Observe,
 * RFC 7641; notifications in blocks, RFC 7959 §2.6) against the project's simulator and a device
 * of raw datagrams (issue 20 item 5). Send (/dp), also of this interface, is in send.test.ts.
 */
import { generate, type ParsedPacket } from 'coap-packet';
import { val } from '../../../../../edge/southbound/lwm2m/core/index.js';
import type { SimLwm2mDevice } from '../../../../../edge/profiles/lwm2m-sim-device.js';
import { until } from '../../../../helpers/wait.js';
import { RawDevice, edge, opt, sim, table, u16, uint, uriPath, type Edge } from './table.js';

interface SimCtx {
  e: Edge;
  dev: SimLwm2mDevice;
  ep: string;
  run: (spec: unknown) => Promise<unknown>;
}

table<SimCtx>(
  'conformance: information reporting with the simulator (SenML JSON device)',
  async (t) => {
    const e = await edge(t);
    const dev = await sim(t, e, { format: 110 });
    t.equal(await dev.register(), '2.01');
    const ep = dev.opts.endpoint;
    return { e, dev, ep, run: async (spec) => (await e.lwm2m.submit(ep, spec)).result };
  },
  [
    {
      section: 'Core §5.5.1 (Observe), RFC 7641 §3.1',
      name: 'Observe of a resource: GET Observe=0, the first value comes with the answer',
      run: async (t, { e, dev, ep, run }) => {
        t.match(await run({ op: 'observe', path: '/3303/0/5700' }), {
          ok: true,
          records: [{ path: '/3303/0/5700', value: 21.5 }],
        });
        const r = dev.requests.at(-1)!;
        t.same([r.method, r.path, r.observe], ['GET', '/3303/0/5700', 0]);
        t.ok(dev.observations.has('/3303/0/5700'), 'the device holds the observation');
        t.ok(
          e.lwm2m.observations.list(ep).some((o) => o.paths.map(String).includes('/3303/0/5700')),
          'and so does the server',
        );
      },
    },
    {
      section: 'Core §5.5.1 (Observe), RFC 7641 §3.1',
      name: 'Observe of an object instance: every resource of it',
      run: async (t, { dev, run }) => {
        const res = (await run({ op: 'observe', path: '/3/0' })) as { ok: boolean; records: { path: string }[] };
        t.equal(res.ok, true);
        t.same(res.records.map((r) => r.path).sort(), ['/3/0/0', '/3/0/1', '/3/0/3', '/3/0/9']);
        t.ok(dev.observations.has('/3/0'));
      },
    },
    {
      section: 'Core §5.5.2 (Notify), RFC 7641 §4.2, §4.5',
      name: 'a CON notification is acknowledged and becomes a reading; a NON one too',
      run: async (t, { e, dev }) => {
        const before = e.lwm2m.counters.notifications;
        dev.set('/3303/0/5700', val.float(23.25));
        t.equal(await dev.notify('/3303/0/5700'), 1, 'CON notification acknowledged');
        dev.set('/3303/0/5700', val.float(24));
        await dev.notify('/3303/0/5700', false);
        await until('both notifications taken', () => e.lwm2m.counters.notifications === before + 2);
        t.equal(e.lwm2m.counters.notifications, before + 2);
      },
    },
    {
      section: 'Core §5.5 (Observe-Composite), RFC 8132 FETCH + RFC 7641',
      name: 'Observe-Composite: FETCH Observe=0 of a path list; its notifications are taken',
      run: async (t, { e, dev, run }) => {
        t.match(await run({ op: 'observe-composite', paths: ['/3/0/9', '/3303/0/5701'] }), {
          ok: true,
          records: [
            { path: '/3/0/9', value: 90 },
            { path: '/3303/0/5701', value: 'Cel' },
          ],
        });
        const r = dev.requests.at(-1)!;
        t.same([r.method, r.observe, r.contentFormat], ['FETCH', 0, 110]);
        const before = e.lwm2m.counters.notifications;
        dev.set('/3/0/9', val.integer(80));
        t.equal(await dev.notify('/3/0/9'), 2, 'the /3/0 and the composite observation notify');
        await until('composite notification taken', () => e.lwm2m.counters.notifications >= before + 2);
      },
    },
    {
      section: 'Core §5.5 (Cancel Observation-Composite), RFC 7641 §3.6',
      name: 'Cancel-Observe-Composite: FETCH Observe=1 of the same paths',
      run: async (t, { dev, run }) => {
        t.match(await run({ op: 'cancel-observe-composite', paths: ['/3/0/9', '/3303/0/5701'] }), { ok: true });
        const r = dev.requests.at(-1)!;
        t.same([r.method, r.observe], ['FETCH', 1]);
        t.notOk(dev.observations.has('/3/0/9,/3303/0/5701'), 'the device dropped it');
      },
    },
    {
      section: 'Core §5.5.3 (Cancel Observation), RFC 7641 §3.6',
      name: 'Cancel Observation: GET Observe=1; the observation is forgotten on both sides',
      run: async (t, { e, dev, ep, run }) => {
        t.match(await run({ op: 'cancel-observe', path: '/3303/0/5700' }), { ok: true });
        const r = dev.requests.at(-1)!;
        t.same([r.method, r.path, r.observe], ['GET', '/3303/0/5700', 1]);
        t.notOk(dev.observations.has('/3303/0/5700'));
        t.notOk(e.lwm2m.observations.list(ep).some((o) => o.paths.map(String).includes('/3303/0/5700')));
      },
    },
  ],
);

// --- raw datagrams: Observe of an object, unknown tokens, notifications in blocks ---
interface RawCtx {
  e: Edge;
  dev: RawDevice;
  ep: string;
  first?: ParsedPacket;
}
const text = 'Open Mobile Alliance Lightweight'; // 32 bytes: two blocks of 16

table<RawCtx>(
  'conformance: information reporting on the wire (raw datagrams)',
  async (t) => {
    const e = await edge(t);
    const dev = await RawDevice.open(t, e.port);
    const ep = 'urn:dev:observer';
    t.equal((await dev.register(ep, '</1/0>,</3/0>,</3303/0>')).code, '2.01');
    t.equal(e.lwm2m.device(ep)?.contentFormat, 11542, 'device default: TLV');
    return { e, dev, ep };
  },
  [
    {
      section: 'Core §5.5.1 (Observe of an object), §7.4 TLV',
      name: 'Observe of an object: GET /3303 Observe=0, the TLV answer decoded instance by instance',
      run: async (t, { e, dev, ep }) => {
        const sub = await e.lwm2m.submit(ep, { op: 'observe', path: '/3303' });
        const req = await dev.request();
        t.same([req.code, uriPath(req), uint(opt(req, 'Observe'))], ['0.01', '3303', 0]);
        // instance 0 (7 bytes): resource 5700, float32 21.5
        const tlv = Buffer.from([0x07, 0x00, 0xe4, 0x16, 0x44, 0x41, 0xac, 0x00, 0x00]);
        dev.answer(
          req,
          '2.05',
          [
            { name: 'Observe', value: Buffer.from([1]) },
            { name: 'Content-Format', value: u16(11542) },
          ],
          tlv,
        );
        t.match(await sub.result, { ok: true, records: [{ path: '/3303/0/5700', value: 21.5 }] });
      },
    },
    {
      section: 'RFC 7641 §3.6, RFC 7252 §4.2',
      name: 'a CON notification on a token no observation holds is rejected with a Reset',
      run: async (t, { dev }) => {
        dev.sendRaw(
          generate({
            confirmable: true,
            messageId: 0x4444,
            token: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
            code: '2.05',
            options: [
              { name: 'Observe', value: Buffer.from([3]) },
              { name: 'Content-Format', value: Buffer.alloc(0) },
            ],
            payload: Buffer.from('x'),
          }),
        );
        t.match(await dev.next((x) => x.messageId === 0x4444, 2000), { reset: true });
      },
    },
    {
      section: 'RFC 7959 §2.6, RFC 7641 §3.1',
      name: 'Observe answered in blocks: the rest is fetched with GET, Block2 and no Observe, on a fresh token',
      run: async (t, ctx) => {
        const { e, dev, ep } = ctx;
        const sub = await e.lwm2m.submit(ep, { op: 'observe', path: '/3/0/0', format: 0 });
        const first = await dev.request();
        ctx.first = first;
        t.equal(first.code, '0.01', 'GET');
        t.equal(uint(opt(first, 'Observe')), 0, 'Observe=0 registers (RFC 7641 §3.1)');
        t.equal(uint(opt(first, 'Accept')), 0, 'Accept: the requested format');
        t.equal(uriPath(first), '3/0/0');
        dev.answer(
          first,
          '2.05',
          [
            { name: 'Observe', value: Buffer.from([7]) },
            { name: 'Content-Format', value: Buffer.alloc(0) },
            { name: 'Block2', value: Buffer.from([0x08]) }, // num 0, more, szx 0 (16 bytes)
          ],
          text.slice(0, 16),
        );
        const second = await dev.request();
        t.equal(second.code, '0.01', 'the rest is fetched with GET');
        t.equal(opt(second, 'Observe'), undefined, 'the block request carries no Observe (RFC 7959 §2.6)');
        t.not(
          second.token.toString('hex'),
          first.token.toString('hex'),
          'and a fresh token (RFC 7959 §3.4, Figure 13)',
        );
        t.equal(uint(opt(second, 'Block2')), 0x10, 'Block2 1/0/16 (RFC 7959 §2.4)');
        t.equal(uriPath(second), '3/0/0', 'same target');
        dev.answer(
          second,
          '2.05',
          [
            { name: 'Content-Format', value: Buffer.alloc(0) },
            { name: 'Block2', value: Buffer.from([0x10]) },
          ],
          text.slice(16),
        );
        t.match(
          await sub.result,
          { ok: true, coapCode: '2.05', records: [{ path: '/3/0/0', value: text }] },
          'value joined',
        );
        t.equal(
          await dev.next((x) => x.confirmable, 300),
          undefined,
          'no further request: one observation, no re-registration',
        );
      },
    },
    {
      section: 'RFC 7641 §4.2',
      name: "a notification on the observation's token is acknowledged (the observation lives under the first token)",
      run: async (t, { dev, first }) => {
        dev.sendRaw(
          generate({
            confirmable: true,
            messageId: 0x3333,
            token: first!.token,
            code: '2.05',
            options: [
              { name: 'Observe', value: Buffer.from([8]) },
              { name: 'Content-Format', value: Buffer.alloc(0) },
            ],
            payload: Buffer.from('Notified'),
          }),
        );
        const ack = await dev.next((x) => x.messageId === 0x3333);
        t.match(ack, { ack: true, code: '0.00' }, 'the notification is acknowledged (RFC 7641 §4.2)');
      },
    },
    {
      section: 'Core §5.5.3 (Cancel Observation), RFC 7641 §3.6',
      name: "cancel-observe: GET Observe=1 on the observation's token and format; the answer's value delivered",
      run: async (t, { e, dev, ep, first }) => {
        const cancel = await e.lwm2m.submit(ep, { op: 'cancel-observe', path: '/3/0/0' });
        const c = await dev.request();
        t.equal(c.code, '0.01', 'cancel is a GET');
        t.equal(uint(opt(c, 'Observe')), 1, 'with Observe=1 (RFC 7641 §3.6)');
        t.equal(c.token.toString('hex'), first!.token.toString('hex'), "with the observation's token (RFC 7641 §3.6)");
        t.equal(
          uint(opt(c, 'Accept')),
          0,
          "asking for the observation's format, not the device default (RFC 7641 §3.6: same options as the registration)",
        );
        dev.answer(c, '2.05', [{ name: 'Content-Format', value: Buffer.alloc(0) }], 'Final value');
        t.match(
          await cancel.result,
          { ok: true, coapCode: '2.05', records: [{ path: '/3/0/0', value: 'Final value' }] },
          "the cancel answer's value is delivered like a read's",
        );
        const again = await e.lwm2m.submit(ep, { op: 'cancel-observe', path: '/3/0/0' });
        t.match(await again.result, { ok: false, error: { code: 'LWM2M_ERR_REQUEST' } }, 'the observation is gone');
      },
    },
  ],
);
