/**
 * Conformance, Client Registration interface (OMA-TS-LightweightM2M_Core 1.1.1 §5.3: Register
 * §5.3.1, Update §5.3.2, De-register §5.3.3; lifetime; queue mode, Core §6.4),
 * and the start of the Bootstrap interface (Core §6.1; the whole bootstrap, over DTLS, is in
 * ../bootstrap.test.ts). Three
 * implementations on the wire: raw datagrams, libcoap's coap-client-notls, the project's simulator.
 */
import type { NamedOption } from 'coap-packet';
import { until } from '../../../../helpers/wait.js';
import { RawDevice, coapClient, edge, sim, table, type Edge } from './table.js';

// --- raw datagrams: what the server answers, option by option (issue 20 item 7) ---
interface RawCtx {
  e: Edge;
  dev: RawDevice;
  /** Location-Path of the well-formed registration. */
  loc: Buffer[];
}
table<RawCtx>(
  'conformance: registration on the wire (raw datagrams)',
  async (t) => {
    const e = await edge(t);
    return { e, dev: await RawDevice.open(t, e.port), loc: [] };
  },
  [
    {
      section: 'Core §5.3.1, Transport §6.2 (Register)',
      name: 'Register without Content-Format: 4.00 with a coded diagnostic',
      run: async (t, { dev }) => {
        // A registration needs its object links in link format
        const noCf = await dev.register('urn:dev:no-cf', '</1/0>,</3/0>', undefined, null);
        t.equal(noCf.code, '4.00', 'Register without Content-Format: 4.00 (Core §6.2.1)');
        t.match(noCf.payload.toString(), /^LWM2M_ERR_REGISTRATION: object links need Content-Format 40/);
      },
    },
    {
      section: 'Core §5.3.1, Transport §6.2 (Register)',
      name: 'Register without a payload: 4.00',
      run: async (t, { dev }) => {
        const noLinks = await dev.register('urn:dev:no-links', '');
        t.equal(noLinks.code, '4.00', 'Register without a payload: 4.00 (Core §6.2.1)');
        t.match(noLinks.payload.toString(), /^LWM2M_ERR_REGISTRATION: Register needs the object links/);
      },
    },
    {
      section: 'Core §5.3.1, Transport §6.2 (Register)',
      name: 'a well-formed Register: 2.01 with Location-Path rd/<id>',
      run: async (t, ctx) => {
        const good = await ctx.dev.register('urn:dev:good', '</1/0>,</3/0>');
        t.equal(good.code, '2.01', 'a well-formed Register still gets 2.01 (Core §6.2.1)');
        ctx.loc = good.options.filter((o) => o.name === 'Location-Path').map((o) => o.value);
        t.equal(ctx.loc[0]?.toString(), 'rd', 'the location is under /rd');
        t.equal(ctx.loc.length, 2, 'rd/<registration id>');
      },
    },
    {
      section: 'Core §5.3.2, Transport §6.2 (Update)',
      name: 'an Update carrying object links without Content-Format 40: 4.00',
      run: async (t, { dev, loc }) => {
        const upd = await dev.call(
          '0.02',
          [...loc.map((v): NamedOption => ({ name: 'Uri-Path', value: v }))],
          '</1/0>,</3/0>,</3303/0>',
        );
        t.equal(upd.code, '4.00', 'an Update carrying object links without Content-Format 40: 4.00 (Core §6.2.2)');
      },
    },
    {
      section: 'Core §5.3.2, Transport §6.2 (Update)',
      name: 'an Update without links needs no Content-Format: 2.04',
      run: async (t, { dev, loc }) => {
        const bare = await dev.call('0.02', [...loc.map((v): NamedOption => ({ name: 'Uri-Path', value: v }))]);
        t.equal(bare.code, '2.04', 'an Update without links needs no Content-Format (Core §6.2.2)');
      },
    },
    {
      section: 'Core §5.3.1 (Register)',
      name: 'only the well-formed registration is held',
      run: async (t, { e }) => {
        t.same(
          e.lwm2m.devices().map((d) => d.endpoint),
          ['urn:dev:good'],
          'only the well-formed registration is held',
        );
      },
    },
    {
      section: 'Core §6.1.3, Transport §6.4.1 (Bootstrap-Request)',
      name: 'a Bootstrap-Request (POST /bs?ep=…) is answered 2.04, then the server starts with Bootstrap-Delete /0',
      run: async (t, { e, dev }) => {
        const bs = await dev.call('0.02', [
          { name: 'Uri-Path', value: Buffer.from('bs') },
          { name: 'Uri-Query', value: Buffer.from('ep=urn:dev:bs') },
        ]);
        t.equal(bs.code, '2.04', 'Bootstrap-Request: 2.04 Changed (plain CoAP under nosec "open": a NoSec account)');
        const del = await dev.request();
        t.equal(del.code, '0.04', 'then a CON DELETE');
        t.same(
          del.options.filter((o) => o.name === 'Uri-Path').map((o) => o.value.toString()),
          ['0'],
          'of /0 (every Security instance but the bootstrap account)',
        );
        dev.answer(del, '4.00', [], 'this raw device stops here');
        t.equal(e.lwm2m.device('urn:dev:bs'), undefined, 'nothing registered');
      },
    },
  ],
);

// --- libcoap's coap-client-notls: a second implementation on the wire ---
interface CoapCtx {
  e: Edge;
  base: string;
  loc: string;
}
table<CoapCtx>(
  'conformance: registration with libcoap coap-client-notls',
  async (t) => {
    const e = await edge(t);
    return { e, base: `coap://127.0.0.1:${e.port}`, loc: '' };
  },
  [
    {
      section: 'Core §5.3.1, Transport §6.2 (Register)',
      name: 'libcoap: Register without Content-Format or without links gets 4.00',
      run: async (t, { e, base }) => {
        const noCf = await coapClient([
          '-m',
          'post',
          '-e',
          '</1/0>,</3/0>',
          `${base}/rd?ep=urn:imei:861234567890101&lt=120`,
        ]);
        t.match(noCf, /c:4\.00/, 'no -t 40: 4.00');
        t.match(noCf, /LWM2M_ERR_REGISTRATION/, 'with the coded diagnostic');
        const empty = await coapClient(['-m', 'post', '-t', '40', `${base}/rd?ep=urn:imei:861234567890102&lt=120`]);
        t.match(empty, /c:4\.00/, 'no payload: 4.00');
        t.same(e.lwm2m.devices(), [], 'neither is held');
      },
    },
    {
      section: 'Core §5.3.1, Transport §6.2 (Register)',
      name: 'libcoap: the same Register with -t 40 and links: 2.01',
      run: async (t, { e, base }) => {
        const ok = await coapClient([
          '-m',
          'post',
          '-t',
          '40',
          '-e',
          '</1/0>,</3/0>',
          `${base}/rd?ep=urn:imei:861234567890103&lt=120`,
        ]);
        t.match(ok, /c:2\.01/, 'the same Register with -t 40 and links: 2.01');
        t.same(
          e.lwm2m.devices().map((d) => d.endpoint),
          ['urn:imei:861234567890103'],
        );
      },
    },
    {
      section: 'Core §5.3.1, Transport §6.2 (Register parameters)',
      name: 'libcoap: Register with lwm2m, b=UQ and a root link: 2.01, parameters taken',
      run: async (t, ctx) => {
        const ok = await coapClient([
          '-m',
          'post',
          '-t',
          '40',
          '-e',
          '</>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>',
          `${ctx.base}/rd?ep=urn:imei:861234567890104&lt=120&lwm2m=1.0&b=UQ`,
        ]);
        t.match(ok, /c:2\.01/);
        ctx.loc = /Location-Path:rd, Location-Path:([0-9a-f]+)/.exec(ok)?.[1] ?? '';
        t.not(ctx.loc, '', 'Location-Path rd/<id>');
        const d = ctx.e.lwm2m.device('urn:imei:861234567890104')!;
        t.same(
          [d.version, d.binding, d.queueMode, d.lifetimeS, d.contentFormat],
          ['1.0', 'UQ', true, 120, 11543],
          'lwm2m, b (Q: queue mode), lt and the ct of the root link',
        );
      },
    },
    {
      section: 'Core §5.3.2, Transport §6.2 (Update)',
      name: 'libcoap: Update with a new lifetime: 2.04',
      run: async (t, { e, base, loc }) => {
        t.match(await coapClient(['-m', 'post', `${base}/rd/${loc}?lt=600`]), /c:2\.04/);
        t.equal(e.lwm2m.device('urn:imei:861234567890104')!.lifetimeS, 600, 'lifetime updated');
      },
    },
    {
      section: 'Core §5.3.3, Transport §6.2 (De-register)',
      name: 'libcoap: De-register: 2.02, then an Update of it: 4.04',
      run: async (t, { e, base, loc }) => {
        t.match(await coapClient(['-m', 'delete', `${base}/rd/${loc}`]), /c:2\.02/);
        t.equal(e.lwm2m.device('urn:imei:861234567890104')!.online, false, 'offline after de-register');
        t.match(
          await coapClient(['-m', 'post', `${base}/rd/${loc}?lt=600`]),
          /c:4\.04.*LWM2M_ERR_NOT_REGISTERED/s,
          'update after de-register: 4.04',
        );
      },
    },
  ],
);

// --- the simulator (edge/profiles/lwm2m-sim-device.ts) ---
interface SimCtx {
  e: Edge;
}
table<SimCtx>(
  'conformance: registration with the simulator',
  async (t) => ({
    e: await edge(t, { lwm2m: { lifetime_grace_ms: 0, awake_window_ms: 1000, request_timeout_ms: 1000 } }),
  }),
  [
    {
      section: 'Core §5.3.1 (Register), §6.2.1 parameters',
      name: 'Register 1.1 with ct=110: online, parameters and objects kept, SenML JSON chosen',
      run: async (t, { e }) => {
        const d = await sim(t, e, { format: 110, lifetimeS: 300 });
        t.equal(await d.register(), '2.01');
        t.match(d.location, /^rd\/[0-9a-f]+$/, 'Location-Path rd/<id>');
        const r = e.lwm2m.device(d.opts.endpoint)!;
        t.same(
          [r.online, r.version, r.binding, r.queueMode, r.lifetimeS, r.contentFormat],
          [true, '1.1', 'U', false, 300, 110],
        );
        t.same(
          e.lwm2m.devices().find((x) => x.endpoint === d.opts.endpoint)!.objects,
          ['/1/0', '/3/0', '/3303/0'],
          'object links (the root link is not an object)',
        );
        t.ok(
          e.lwm2m.events(d.opts.endpoint).some((ev) => ev.kind === 'registered'),
          'a registered event',
        );
      },
    },
    {
      section: 'Core §5.3.2 (Update)',
      name: 'Update with lt and without parameters: 2.04; lifetime changed',
      run: async (t, { e }) => {
        const d = await sim(t, e);
        t.equal(await d.register(), '2.01');
        t.equal(await d.update(['lt=900']), '2.04');
        t.equal(e.lwm2m.device(d.opts.endpoint)!.lifetimeS, 900);
        t.equal(await d.update(), '2.04', 'an empty Update refreshes the registration');
        t.equal(e.lwm2m.device(d.opts.endpoint)!.lifetimeS, 900, 'and keeps the lifetime');
      },
    },
    {
      section: 'Core §5.3.3 (De-register)',
      name: 'De-register: 2.02, offline, deregistered event; Update afterwards: 4.04',
      run: async (t, { e }) => {
        const d = await sim(t, e);
        t.equal(await d.register(), '2.01');
        const loc = d.location;
        t.equal(await d.deregister(), '2.02');
        t.equal(e.lwm2m.device(d.opts.endpoint)!.online, false);
        await until('deregistered event', () =>
          e.lwm2m.events(d.opts.endpoint).some((ev) => ev.kind === 'deregistered'),
        );
        d.location = loc;
        t.equal(await d.update(), '4.04', 'the registration is gone');
      },
    },
    {
      section: 'Core §5.3.1 (Lifetime), §5.3.2',
      name: 'a registration not updated within its lifetime expires: offline with an event',
      run: async (t, { e }) => {
        const d = await sim(t, e, { lifetimeS: 1 });
        t.equal(await d.register(), '2.01');
        await until('registration expired', () => e.lwm2m.device(d.opts.endpoint)!.online === false, 5000);
        await until('offline event', () => e.lwm2m.events(d.opts.endpoint).some((ev) => ev.kind === 'offline'));
        t.match(
          e.lwm2m.events(d.opts.endpoint).find((ev) => ev.kind === 'offline'),
          { detail: /registration expired \(lifetime 1 s\)/ },
        );
        t.equal(await d.update(), '4.04', 'an Update after expiry: 4.04 (the client must register again)');
      },
    },
    {
      section: 'Core §6.4 (Queue Mode), §5.3.1 Q parameter',
      name: 'the 1.1 Q parameter and the 1.0 binding UQ both mean queue mode',
      run: async (t, { e }) => {
        const q = await sim(t, e);
        t.equal(await q.register(['Q']), '2.01');
        t.equal(e.lwm2m.device(q.opts.endpoint)!.queueMode, true, 'Q');
        const uq = await sim(t, e, { version: '1.0', binding: 'UQ' });
        t.equal(await uq.register(), '2.01');
        t.equal(e.lwm2m.device(uq.opts.endpoint)!.queueMode, true, 'b=UQ');
        const u = await sim(t, e);
        t.equal(await u.register(), '2.01');
        t.equal(e.lwm2m.device(u.opts.endpoint)!.queueMode, false, 'b=U without Q');
      },
    },
    {
      section: 'Core §6.4 (Queue Mode)',
      name: 'a request for a sleeping queue-mode device waits for its next Update, then is delivered',
      run: async (t, { e }) => {
        const d = await sim(t, e, { binding: 'UQ' });
        const ep = d.opts.endpoint;
        t.equal(await d.register(), '2.01');
        d.sleep();
        await until(
          'awake window over',
          () => e.lwm2m.devices().find((x) => x.endpoint === ep)!.reachable === false,
          5000,
        );
        const sub = await e.lwm2m.submit(ep, { op: 'read', path: '/3/0/0' });
        // the queue decides at submit whether the device is reachable: held now means held until it wakes
        t.equal(e.lwm2m.requests(ep).open.length, 1, 'the request is held');
        t.equal(d.requests.length, 0, 'nothing sent to the sleeping device');
        t.equal(await d.update(), '2.04', 'the device wakes with an Update');
        t.match(await sub.result, { ok: true, records: [{ path: '/3/0/0', value: 'Yiwang Sim' }] }, 'then delivered');
        t.same(
          d.requests.map((r) => [r.method, r.path]),
          [['GET', '/3/0/0']],
        );
      },
    },
  ],
);
