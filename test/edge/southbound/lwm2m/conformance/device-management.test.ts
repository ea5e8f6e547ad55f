/**
 * Conformance, Device Management and Service Enablement interface (OMA-TS-LightweightM2M_Core
 * 1.1.1 §5.4; CoAP mapping in _Transport 1.1.1 §6.3): each operation against the project's
 * simulator (what it became on the wire: method, path, query, payload), and the checks made
 * before a request is queued (issue 20 item 6) against a device of raw datagrams.
 */
import type { Test } from 'tap';
import { CONTENT_FORMAT, decodeNode, parsePath } from '../../../../../edge/southbound/lwm2m/core/index.js';
import type { SimLwm2mDevice } from '../../../../../edge/profiles/lwm2m-sim-device.js';
import { RawDevice, edge, sim, table, type Edge } from './table.js';

interface SimCtx {
  e: Edge;
  dev: SimLwm2mDevice;
  ep: string;
  run: (spec: unknown) => Promise<unknown>;
}

table<SimCtx>(
  'conformance: device management with the simulator (TLV device)',
  async (t) => {
    const e = await edge(t);
    const dev = await sim(t, e);
    t.equal(await dev.register(), '2.01');
    const ep = dev.opts.endpoint;
    return { e, dev, ep, run: async (spec) => (await e.lwm2m.submit(ep, spec)).result };
  },
  [
    {
      section: 'Core §5.4.1 (Read), Transport §6.3: GET',
      name: 'Read of a resource: GET with Accept, value decoded',
      run: async (t, { dev, run }) => {
        t.match(await run({ op: 'read', path: '/3/0/0' }), {
          ok: true,
          coapCode: '2.05',
          records: [{ path: '/3/0/0', value: 'Yiwang Sim' }],
        });
        const r = dev.requests.at(-1)!;
        t.same([r.method, r.path], ['GET', '/3/0/0']);
      },
    },
    {
      section: 'Core §5.4.1 (Read)',
      name: 'Read of an object instance: every resource of it',
      run: async (t, { run }) => {
        const res = (await run({ op: 'read', path: '/3303/0' })) as { ok: boolean; records: { path: string }[] };
        t.equal(res.ok, true);
        t.same(res.records.map((r) => r.path).sort(), ['/3303/0/5700', '/3303/0/5701'], 'both resources of /3303/0');
      },
    },
    {
      section: 'Core §5.4.1 (Read): error answers',
      name: 'Read of a missing instance: the device 4.04 is a coded result',
      run: async (t, { run }) => {
        t.match(await run({ op: 'read', path: '/3303/9/5700' }), {
          ok: false,
          coapCode: '4.04',
          error: { code: 'LWM2M_ERR_DEVICE' },
        });
      },
    },
    {
      section: 'Core §5.4.3 (Write, replace), Transport §6.3: PUT',
      name: 'Write (replace) of a resource: PUT in the device format',
      run: async (t, { dev, run }) => {
        t.match(await run({ op: 'write', path: '/3/0/14', value: '+02:00' }), { ok: true, coapCode: '2.04' });
        const r = dev.requests.at(-1)!;
        t.same([r.method, r.path, r.contentFormat], ['PUT', '/3/0/14', CONTENT_FORMAT.TLV]);
        t.same(dev.values.get('/3/0/14'), { type: 'string', value: '+02:00' });
      },
    },
    {
      section: 'Core §5.4.3 (Write, partial update), Transport §6.3: POST',
      name: 'Write (update) of an instance: POST with only the resources given',
      run: async (t, { dev, run }) => {
        t.match(await run({ op: 'write', path: '/3303/0', mode: 'update', value: { 5701: 'K' } }), {
          ok: true,
          coapCode: '2.04',
        });
        const r = dev.requests.at(-1)!;
        t.same([r.method, r.path], ['POST', '/3303/0']);
        const node = decodeNode(r.contentFormat!, r.payload, parsePath('/3303/0'));
        t.match(node, { kind: 'instance', resources: [{ id: 5701, value: { value: 'K' } }] });
        t.equal(node.kind === 'instance' ? node.resources.length : 0, 1, 'one resource only');
        t.same(dev.values.get('/3303/0/5700'), { type: 'float', value: 21.5 }, 'the others untouched');
      },
    },
    {
      section: 'Core §5.4.5 (Execute), Transport §6.3: POST',
      name: 'Execute with arguments: POST with the arguments as text/plain',
      run: async (t, { dev, run }) => {
        t.match(await run({ op: 'execute', path: '/3/0/4', args: "0='3',1" }), { ok: true, coapCode: '2.04' });
        const r = dev.requests.at(-1)!;
        t.same([r.method, r.path, r.contentFormat, r.payload.toString()], ['POST', '/3/0/4', 0, "0='3',1"]);
      },
    },
    {
      section: 'Core §5.4.6 (Create), Transport §6.3: POST on the object',
      name: 'Create of an instance: 2.01 with its location',
      run: async (t, { dev, run }) => {
        t.match(await run({ op: 'create', path: '/3303', instanceId: 1, value: { 5700: 5.5, 5701: 'Cel' } }), {
          ok: true,
          coapCode: '2.01',
          location: '/3303/1',
        });
        const r = dev.requests.at(-1)!;
        t.same([r.method, r.path], ['POST', '/3303']);
        t.same(dev.values.get('/3303/1/5700'), { type: 'float', value: 5.5 });
      },
    },
    {
      section: 'Core §5.4.2 (Discover), Transport §6.3: GET Accept 40',
      name: 'Discover of an instance: link format',
      run: async (t, { run }) => {
        t.match(await run({ op: 'discover', path: '/3303/1' }), { ok: true, links: /<\/3303\/1\/5700>/ });
      },
    },
    {
      section: 'Core §5.4.4 (Write-Attributes), §5.1.2; Transport §6.3: PUT with Uri-Query',
      name: 'Write-Attributes: PUT, no payload, attributes as query; null clears one',
      run: async (t, { dev, run }) => {
        t.match(
          await run({
            op: 'write-attributes',
            path: '/3303/0/5700',
            attributes: { pmin: 10, pmax: 60, st: 0.5, gt: null },
          }),
          { ok: true },
        );
        const r = dev.requests.at(-1)!;
        t.same([r.method, r.path, r.payload.length], ['PUT', '/3303/0/5700', 0]);
        t.same(r.query, ['pmin=10', 'pmax=60', 'st=0.5', 'gt']);
      },
    },
    {
      section: 'Core §5.4 (Read-Composite), Transport §6.3: FETCH',
      name: 'Read-Composite: FETCH of a SenML path list, records of each path',
      run: async (t, { dev, run }) => {
        t.match(await run({ op: 'read-composite', paths: ['/3/0/0', '/3303/1/5700'] }), {
          ok: true,
          records: [
            { path: '/3/0/0', value: 'Yiwang Sim' },
            { path: '/3303/1/5700', value: 5.5 },
          ],
        });
        const r = dev.requests.at(-1)!;
        t.same(
          [r.method, r.contentFormat],
          ['FETCH', CONTENT_FORMAT.SENML_JSON],
          'TLV device: composite in SenML JSON',
        );
      },
    },
    {
      section: 'Core §5.4 (Write-Composite, iPATCH): not supported',
      name: 'write-composite is not an operation of the server: refused up front',
      run: async (t, { e, ep, dev }) => {
        const before = dev.requests.length;
        await t.rejects(e.lwm2m.submit(ep, { op: 'write-composite', paths: ['/3/0/14'] }), {
          code: 'LWM2M_ERR_REQUEST',
          message: /op must be one of/,
        });
        t.equal(dev.requests.length, before, 'nothing sent');
      },
    },
    {
      section: 'Core §5.4.7 (Delete), Transport §6.3: DELETE',
      name: 'Delete of an instance: DELETE, 2.02; a Read of it afterwards 4.04',
      run: async (t, { dev, run }) => {
        t.match(await run({ op: 'delete', path: '/3303/1' }), { ok: true, coapCode: '2.02' });
        t.same([dev.requests.at(-1)!.method, dev.requests.at(-1)!.path], ['DELETE', '/3303/1']);
        t.match(await run({ op: 'read', path: '/3303/1/5700' }), { ok: false, coapCode: '4.04' });
      },
    },
  ],
);

// --- request checks before anything is queued (issue 20 item 6), raw device ---
interface RawCtx {
  e: Edge;
  dev: RawDevice;
  ep: string;
}
type Refusal = [section: string, name: string, spec: unknown, code: string, message: RegExp];
const wa = (attributes: Record<string, number | null>) => ({ op: 'write-attributes', path: '/3/0/9', attributes });
const refusals: Refusal[] = [
  [
    'RFC 7252 §5.10.3, §12.3',
    'format 65536: Content-Format/Accept are 0..65535',
    { op: 'read', path: '/3/0/0', format: 65536 },
    'LWM2M_ERR_REQUEST',
    /0\.\.65535/,
  ],
  ['RFC 7252 §12.3', 'format -1', { op: 'read', path: '/3/0/0', format: -1 }, 'LWM2M_ERR_REQUEST', /0\.\.65535/],
  ['Core §5.1.2', 'pmin > pmax', wa({ pmin: 60, pmax: 10 }), 'LWM2M_ERR_REQUEST', /pmin 60 is greater than pmax 10/],
  ['Core §5.1.2', 'negative pmin', wa({ pmin: -1 }), 'LWM2M_ERR_REQUEST', /pmin must be a whole number of seconds/],
  ['Core §5.1.2', 'negative pmax', wa({ pmax: -5 }), 'LWM2M_ERR_REQUEST', /pmax must be/],
  ['Core §5.1.2: seconds, integer', 'fractional pmin', wa({ pmin: 1.5 }), 'LWM2M_ERR_REQUEST', /pmin must be/],
  ['Core §5.1.2', 'epmin > epmax', wa({ epmin: 9, epmax: 3 }), 'LWM2M_ERR_REQUEST', /epmin 9 is greater than epmax 3/],
  ['Core §5.1.2', 'negative step', wa({ st: -1 }), 'LWM2M_ERR_REQUEST', /st must be/],
  ['Core §5.1.2', 'lt + 2·st ≥ gt', wa({ lt: 10, gt: 12, st: 1 }), 'LWM2M_ERR_REQUEST', /lt \+ 2·st/],
  ['Core §5.1.2', 'lt ≥ gt', wa({ lt: 10, gt: 5 }), 'LWM2M_ERR_REQUEST', /lt 10 must be less than gt 5/],
  [
    'Core §5.4.3',
    'Write to a read-only resource',
    { op: 'write', path: '/3/0/0', value: 'x' },
    'LWM2M_ERR_OPERATION',
    /\/3\/0\/0 \(Manufacturer\) cannot be written: its operations in the object model are "R"/,
  ],
  [
    'Core §5.4.3',
    'Write to an instance of a read-only multiple resource',
    { op: 'write', path: '/3/0/6/0', value: 1 },
    'LWM2M_ERR_OPERATION',
    /cannot be written/,
  ],
  [
    'Core §5.4.5',
    'Execute on a non-executable resource',
    { op: 'execute', path: '/3/0/0' },
    'LWM2M_ERR_OPERATION',
    /\/3\/0\/0 \(Manufacturer\) cannot be executed: its operations in the object model are "R"/,
  ],
  [
    'Core §5.4.5',
    'Execute on a writable resource',
    { op: 'execute', path: '/3/0/14' },
    'LWM2M_ERR_OPERATION',
    /cannot be executed: its operations in the object model are "RW"/,
  ],
];
type Allowed = [section: string, name: string, spec: unknown];
const allowed: Allowed[] = [
  ['Core §5.4.5', 'Execute on Reboot (operations "E")', { op: 'execute', path: '/3/0/4' }],
  [
    'Core §5.4.3',
    'Write to UTC Offset (operations "RW")',
    { op: 'write', path: '/3/0/14', value: '+01:00', format: 0 },
  ],
  [
    'Core §5.4.3',
    'Write to a vendor object the model does not know',
    { op: 'write', path: '/32769/0/1', value: 'v', format: 0 },
  ],
  ['Core §5.4.5', 'Execute on a vendor resource', { op: 'execute', path: '/32769/0/2' }],
  [
    'Core §5.1.2',
    'pmin = pmax, lt + 2·st < gt',
    { op: 'write-attributes', path: '/3/0/9', attributes: { pmin: 10, pmax: 10, lt: 1, gt: 5, st: 1 } },
  ],
  ['RFC 7252 §12.3', 'format 65535 is a Content-Format', { op: 'read', path: '/3/0/9', format: 65535 }],
];

table<RawCtx>(
  'conformance: requests the model or CoAP cannot carry are refused before they are queued',
  async (t) => {
    const e = await edge(t);
    const dev = await RawDevice.open(t, e.port);
    const ep = 'urn:dev:checks';
    t.equal((await dev.register(ep, '</1/0>,</3/0>,</32769/0>')).code, '2.01');
    return { e, dev, ep };
  },
  [
    ...refusals.map(([section, name, spec, code, message]) => ({
      section,
      name: `refused: ${name}`,
      run: async (t: Test, { e, ep }: RawCtx) => {
        await t.rejects(e.lwm2m.submit(ep, spec), { code, message }, `${name} (${section})`);
      },
    })),
    {
      section: 'docs: requests are checked against the model',
      name: 'nothing of the refused requests was queued',
      run: async (t, { e, ep }) => {
        t.same(e.lwm2m.requests(ep), { open: [], recent: [] }, 'nothing was queued');
      },
    },
    // allowed: what the model says may be done, and what it does not know (vendor objects)
    ...allowed.map(([section, name, spec]) => ({
      section,
      name: `allowed: ${name}`,
      run: async (t: Test, { e, ep, dev }: RawCtx) => {
        const sub = await e.lwm2m.submit(ep, spec);
        const req = await dev.request();
        dev.answer(req, '2.04');
        t.match(await sub.result, { ok: true }, name);
      },
    })),
  ],
);
