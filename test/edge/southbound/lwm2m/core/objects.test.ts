import t from 'tap';
import {
  BUILTIN_OBJECTS,
  DEFAULT_REGISTRY,
  ObjectRegistry,
  createDefaultRegistry,
  exec,
  metricName,
  parsePath,
  res,
  snakeCase,
} from '../../../../../edge/southbound/lwm2m/core/index.js';
import { throwsCode } from '../../../../helpers/errors.js';

/** The objects the hand-written tables had before the model came from the registry (issue 20). */
const REQUIRED = [0, 1, 3, 4, 5, 19, 3300, 3303, 3304, 3316, 3407, 3408, 3421, 3423, 3424, 3428, 3429, 3431, 3435];

t.test('every required object is defined and valid', async (t) => {
  const ids = DEFAULT_REGISTRY.list().map((o) => o.id);
  for (const id of [...REQUIRED, 6, 7]) t.ok(ids.includes(id), `object ${id} is built in`);
  t.equal(BUILTIN_OBJECTS.length, ids.length, 'one definition per id');
  t.same(
    BUILTIN_OBJECTS.map((o) => o.id),
    [...ids].sort((a, b) => a - b),
    'sorted by id',
  );
  for (const o of BUILTIN_OBJECTS) t.ok(o.resources.length > 0, `${o.id} ${o.name} has resources`);
});

t.test('known definitions', async (t) => {
  const r = (o: number, id: number) => DEFAULT_REGISTRY.resource(o, id);
  t.match(r(3, 0), { name: 'Manufacturer', type: 'string', operations: 'R', multiple: false, mandatory: false });
  t.match(r(3, 4), { name: 'Reboot', type: 'none', operations: 'E', mandatory: true });
  t.match(r(3, 7), { type: 'integer', multiple: true, units: 'mV' });
  t.match(r(3, 13), { type: 'time', operations: 'RW' });
  t.match(r(1, 1), { name: 'Lifetime', type: 'integer', operations: 'RW', mandatory: true, units: 's' });
  t.match(r(5, 0), { name: 'Package', type: 'opaque', operations: 'W' });
  t.match(r(19, 0), { name: 'Data', type: 'opaque', multiple: true });
  t.match(r(3303, 5700), { name: 'Sensor Value', type: 'float', mandatory: true, units: 'Cel' });
  t.match(r(3428, 3), { name: 'PM2.5', type: 'float', units: 'ug/m3' });
  t.match(r(3421, 25), { type: 'float', units: 'Wh', mandatory: true });
  t.match(r(3424, 1), { name: 'Cumulated water volume', units: 'm3' });
  t.match(r(3407, 6046), { name: 'Smoke Sensor State', type: 'boolean', mandatory: true });
  t.match(r(3431, 1), { name: 'Occupancy', type: 'boolean' });
  t.match(r(3435, 2), { name: 'Actual filling percentage', units: '/100' });
  t.match(r(3429, 1), { name: 'Angle', units: 'rad' });
  t.equal(DEFAULT_REGISTRY.object(3)?.multiple, false);
  t.equal(DEFAULT_REGISTRY.object(3303)?.multiple, true);
  t.equal(DEFAULT_REGISTRY.resource(3, 999), undefined);
  t.equal(DEFAULT_REGISTRY.object(12345), undefined);
});

t.test('3408 manhole cover documents its inverted open flag', async (t) => {
  const flag = DEFAULT_REGISTRY.resource(3408, 3);
  t.match(flag, { name: 'Cover Open Status', type: 'boolean', mandatory: true });
  t.match(flag?.note, /INVERTED/);
  t.match(flag?.note, /true = cover open/);
  t.match(DEFAULT_REGISTRY.object(3408)?.note, /OPEN/);
  t.equal(DEFAULT_REGISTRY.resource(3408, 2)?.units, 'deg');
});

t.test('metric names when no profile matches', async (t) => {
  const m = (p: string) => metricName(parsePath(p), DEFAULT_REGISTRY);
  t.equal(m('/3303/0/5700'), 'temperature');
  t.equal(m('/3303/1/5700'), 'temperature_1');
  t.equal(m('/3303/0/5601'), 'temperature_min');
  t.equal(m('/3304/0/5700'), 'humidity');
  t.equal(m('/3316/0/5700'), 'voltage');
  t.equal(m('/3300/0/5700'), 'generic_sensor');
  t.equal(m('/3428/0/3'), 'pm2_5');
  t.equal(m('/3428/0/1'), 'pm10');
  t.equal(m('/3428/0/9'), 'so2');
  t.equal(m('/3408/0/3'), 'cover_open');
  t.equal(m('/3408/0/2'), 'cover_tilt');
  t.equal(m('/3407/0/6046'), 'smoke');
  t.equal(m('/3424/0/1'), 'water_volume');
  t.equal(m('/3421/0/25'), 'active_energy_import');
  t.equal(m('/3429/0/1'), 'tilt_angle');
  t.equal(m('/3431/0/1'), 'occupied');
  t.equal(m('/3435/0/2'), 'filling_percentage');
  t.equal(m('/3/0/9'), 'battery_level');
  t.equal(m('/3/0/7/1'), 'power_source_voltage_1');
  t.equal(m('/4/0/2'), 'radio_signal_strength');
  t.equal(m('/32000/0/7'), 'lwm2m_32000_7', 'an object the registry lacks');
  for (const o of BUILTIN_OBJECTS) {
    for (const r of o.resources)
      t.match(metricName(parsePath(`/${o.id}/0/${r.id}`), DEFAULT_REGISTRY), /^[a-z0-9]+(_[a-z0-9]+)*$/);
  }
  t.equal(snakeCase('Active power+ (QI+QIV)'), 'active_power_qi_qiv');
  throwsCode(t, () => metricName(parsePath('/3/0'), DEFAULT_REGISTRY), 'LWM2M_ERR_PATH');
});

t.test('registry validates definitions', async (t) => {
  const reg = createDefaultRegistry();
  reg.add({
    id: 32000,
    name: 'Vendor',
    version: '1.0',
    multiple: true,
    mandatory: false,
    resources: [res(1, 'Level', 'R', 'float')],
  });
  t.equal(reg.resource(32000, 1)?.type, 'float');
  t.equal(DEFAULT_REGISTRY.object(32000), undefined, 'the shared registry is untouched');
  const bad =
    (resources: ReturnType<typeof res>[], id = 10242) =>
    () =>
      new ObjectRegistry([{ id, name: 'X', version: '1.0', multiple: true, mandatory: false, resources }]);
  throwsCode(t, bad([res(1, 'A', 'R', 'float'), res(1, 'B', 'R', 'float')]), 'LWM2M_ERR_MODEL', /twice/);
  throwsCode(t, bad([res(70000, 'A', 'R', 'float')]), 'LWM2M_ERR_MODEL');
  throwsCode(t, bad([], 70000), 'LWM2M_ERR_MODEL');
  throwsCode(t, bad([{ ...exec(1, 'Go'), type: 'float' }]), 'LWM2M_ERR_MODEL');
  throwsCode(t, bad([{ ...res(1, 'A', 'R', 'float'), type: 'decimal' as 'float' }]), 'LWM2M_ERR_MODEL', /unknown type/);
});
