/**
 * Observations become readings (CON after commit, NON accepted); lifetime expiry marks the device
 * offline with an event and an alarm reading; a new Register restores the observations.
 */
import t from 'tap';
import { until } from '../../../../helpers/wait.js';
import { createSimDevices } from '../../../../../edge/profiles/lwm2m-sim-device.js';
import { val } from '../../../../../edge/southbound/lwm2m/core/index.js';
import { decodeBatch } from '../../../../../proto/batch-codec.js';
import { Priority } from '../../../../../proto/index.js';
import { startLwm2mEdge } from './helpers.js';

t.test('observe → readings; expiry → offline event; re-register → observations restored', async (t) => {
  const e = await startLwm2mEdge({ lwm2m: { lifetime_grace_ms: 0 } });
  t.teardown(() => e.agent.stop());
  const [dev] = await createSimDevices(
    1,
    { host: '127.0.0.1', port: e.port },
    { prefix: 'urn:imei:8660000', lifetimeS: 2, format: 110 },
  );
  t.teardown(() => dev!.close());
  const ep = dev!.opts.endpoint;
  t.equal(await dev!.register([]), '2.01');
  t.equal(e.lwm2m.device(ep)!.contentFormat, 110, 'SenML JSON chosen from ct=110');

  const obs = await (await e.lwm2m.submit(ep, { op: 'observe', path: '/3303/0/5700' })).result;
  t.match(obs, { ok: true, records: [{ path: '/3303/0/5700', value: 21.5 }] }, 'first value with the Observe answer');
  const comp = await (await e.lwm2m.submit(ep, { op: 'observe-composite', paths: ['/3/0/9', '/3303/0/5701'] })).result;
  t.match(
    comp,
    {
      ok: true,
      records: [
        { path: '/3/0/9', value: 90 },
        { path: '/3303/0/5701', value: 'Cel' },
      ],
    },
    'observe-composite',
  );
  t.equal(dev!.observations.size, 2);

  dev!.set('/3303/0/5700', val.float(23.25));
  t.equal(await dev!.notify('/3303/0/5700'), 1, 'CON notification acknowledged (after commit)');
  dev!.set('/3/0/9', val.integer(80));
  await dev!.notify('/3/0/9', false); // NON
  await until('NON notification stored', () => e.lwm2m.counters.notifications === 2);

  // Lifetime 2 s, no grace, no Update: the registration expires.
  await until('registration expired', () => e.lwm2m.device(ep)!.online === false, 6000);
  await until('offline event', () => e.lwm2m.events(ep).some((ev) => ev.kind === 'offline'));
  t.match(e.lwm2m.events(ep)[0], { kind: 'offline', detail: /registration expired \(lifetime 2 s\)/ });
  await until('offline reading stored', () => e.agent.store.pendingCount() >= 6);
  const batch = decodeBatch(e.agent.store.sealBatch('gw-lwm2m', 100)!.payload).readings.filter(
    (r) => r.deviceId === ep,
  );
  const offline = batch.find((r) => r.metric === 'online')!;
  t.same([offline.value, offline.priority], [false, Priority.PRIORITY_ALARM], 'offline reading with alarm priority');
  const temps = batch.filter((r) => r.metric === 'temperature').map((r) => r.value);
  t.same(temps, [21.5, 23.25], 'temperature readings named from the object model');
  t.same(
    batch.filter((r) => r.metric === 'battery_level').map((r) => r.value),
    [90, 80],
    'composite values, NON included',
  );
  t.equal(batch.find((r) => r.metric === 'temperature')!.unit, 'Cel');

  // A notification after expiry is refused (RST): the observation is gone on the device too.
  await dev!.notify('/3303/0/5700');
  t.equal(dev!.observations.size, 1, 'device dropped the observation after the RST');

  // Re-register: the server observes again (new tokens), and notifications flow again.
  dev!.observations.clear();
  t.equal(await dev!.register(), '2.01');
  await until('observations re-established', () => dev!.observations.size === 2);
  t.same([...dev!.observations.keys()].sort(), ['/3/0/9,/3303/0/5701', '/3303/0/5700']);
  await until('online again', () => e.lwm2m.events(ep).some((ev) => ev.kind === 'online'));
  dev!.set('/3303/0/5700', val.float(30));
  const before = e.lwm2m.counters.readings;
  t.equal(await dev!.notify('/3303/0/5700'), 1);
  await until('reading after restore', () => e.lwm2m.counters.readings > before);

  // Cancel: the device gets GET Observe=1 and the observation is forgotten.
  t.match(await (await e.lwm2m.submit(ep, { op: 'cancel-observe', path: '/3303/0/5700' })).result, { ok: true });
  t.equal(dev!.observations.has('/3303/0/5700'), false);
  t.equal(e.lwm2m.observations.list(ep).length, 1);
});
