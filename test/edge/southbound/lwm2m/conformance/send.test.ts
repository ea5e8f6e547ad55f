/**
 * Conformance, Send operation of the Information Reporting interface (OMA-TS-LightweightM2M_Core
 * 1.1.1 §5.5 Send; Transport 1.1.1 §6.4: POST /dp): from the simulator in SenML JSON and SenML
 * CBOR, from raw datagrams, and from libcoap's coap-client-notls (a second implementation).
 */
import { createSocket } from 'node:dgram';
import { Lwm2mPath, val } from '../../../../../edge/southbound/lwm2m/core/index.js';
import { decodeBatch } from '../../../../../proto/batch-codec.js';
import { until } from '../../../../helpers/wait.js';
import { RawDevice, coapClient, edge, sim, table, type Edge } from './table.js';

interface Ctx {
  e: Edge;
  raw: RawDevice;
}

/** Every reading the agent holds for `ep` (the store is emptied: take them once). */
function readingsOf(e: Edge, ep: string): { metric: string; value: unknown; ts: number }[] {
  const b = e.agent.store.sealBatch('gw-lwm2m', 1000);
  if (!b) return [];
  return decodeBatch(b.payload)
    .readings.filter((r) => r.deviceId === ep)
    .map((r) => ({ metric: r.metric, value: r.value, ts: Number(r.ts) }));
}

async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

table<Ctx>(
  'conformance: Send (/dp)',
  async (t) => {
    const e = await edge(t);
    return { e, raw: await RawDevice.open(t, e.port) };
  },
  [
    {
      section: 'Core §5.5 (Send), Transport §6.4; Core §7.4 SenML JSON',
      name: 'Send in SenML JSON with the device time: 2.04, a reading with that time',
      run: async (t, { e }) => {
        const d = await sim(t, e);
        t.equal(await d.register(), '2.01');
        t.equal(
          await d.send([{ path: Lwm2mPath.of(3303, 0, 5700), value: val.float(18.5), time: 1_700_000_000 }], 110),
          '2.04',
        );
        await until('reading stored', () => e.agent.store.pendingCount() >= 1);
        const r = readingsOf(e, d.opts.endpoint).find((x) => x.metric === 'temperature');
        t.same([r?.value, r?.ts], [18.5, 1_700_000_000_000]);
      },
    },
    {
      section: 'Core §5.5 (Send), Transport §6.4; Core §7.4 SenML CBOR',
      name: 'Send in SenML CBOR of two resources: 2.04, both readings',
      run: async (t, { e }) => {
        const d = await sim(t, e);
        t.equal(await d.register(), '2.01');
        t.equal(
          await d.send(
            [
              { path: Lwm2mPath.of(3303, 0, 5700), value: val.float(-4.25) },
              { path: Lwm2mPath.of(3, 0, 9), value: val.integer(77) },
            ],
            112,
          ),
          '2.04',
        );
        await until('readings stored', () => e.agent.store.pendingCount() >= 2);
        const rs = readingsOf(e, d.opts.endpoint);
        t.same(
          [rs.find((x) => x.metric === 'temperature')?.value, rs.find((x) => x.metric === 'battery_level')?.value],
          [-4.25, 77],
        );
      },
    },
    {
      section: 'Core §5.5 (Send): only a registered client may send',
      name: 'Send from an address with no registration: 4.04 LWM2M_ERR_NOT_REGISTERED',
      run: async (t, { raw }) => {
        const p = await raw.send('[{"n":"/3303/0/5700","v":1}]', 110);
        t.equal(p.code, '4.04');
        t.match(p.payload.toString(), /^LWM2M_ERR_NOT_REGISTERED/);
      },
    },
    {
      section: 'Core §5.5 (Send), RFC 7252 §5.8.2',
      name: 'raw: Send of hand-written SenML JSON with base name: 2.04; a malformed payload: 4.00',
      run: async (t, { e, raw }) => {
        t.equal((await raw.register('urn:dev:sender', '</1/0>,</3303/0>')).code, '2.01');
        const ok = await raw.send('[{"bn":"/3303/0/","n":"5700","v":12.5,"t":1700000100}]', 110);
        t.equal(ok.code, '2.04');
        await until('reading stored', () => e.agent.store.pendingCount() >= 1);
        t.same(
          readingsOf(e, 'urn:dev:sender').map((r) => [r.metric, r.value, r.ts]),
          [['temperature', 12.5, 1_700_000_100_000]],
        );
        const bad = await raw.send('[{"n":"/3303/0/5700","v":', 110);
        t.equal(bad.code, '4.00', 'a payload that does not decode');
        t.match(bad.payload.toString(), /^LWM2M_ERR_/);
      },
    },
    {
      section: 'Core §5.5 (Send), Transport §6.4; libcoap as the client',
      name: 'libcoap: Register, then Send in SenML JSON from the same address: 2.04 and the reading',
      run: async (t, { e }) => {
        const port = await freePort();
        const base = `coap://127.0.0.1:${e.port}`;
        const reg = await coapClient([
          '-p',
          String(port),
          '-m',
          'post',
          '-t',
          '40',
          '-e',
          '</>;ct=110,</3303/0>',
          `${base}/rd?ep=urn:imei:861234567890201&lt=300&lwm2m=1.1`,
        ]);
        t.match(reg, /c:2\.01/);
        const send = await coapClient([
          '-p',
          String(port),
          '-m',
          'post',
          '-t',
          '110',
          '-e',
          '[{"n":"/3303/0/5700","v":31.5}]',
          `${base}/dp`,
        ]);
        t.match(send, /c:2\.04/, 'Send answered 2.04');
        await until('reading stored', () => e.agent.store.pendingCount() >= 1);
        t.same(
          readingsOf(e, 'urn:imei:861234567890201').map((r) => [r.metric, r.value]),
          [['temperature', 31.5]],
        );
      },
    },
  ],
);
