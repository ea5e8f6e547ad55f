/**
 * Profile-driven serial devices in the running agent: the device file names library profiles
 * (`profile = "yiwang-ref/…"`) instead of register maps; simulators on real socat ptys answer with
 * the bytes of each profile's test vector; the agent polls them with the profile's binding, its
 * readings equal the vector's readings, and the profile's metric checks and alarms apply (the
 * device is bound to its profile). Modbus RTU (air-quality station and water-level gauge on one
 * bus), DL/T 645 (single-phase meter), CJ/T 188 (water meter found by broadcast discovery on a
 * bus that names its profile).
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { edgeConfig, startEdge, tempDir } from '../../../helpers/fleet.js';
import { until } from '../../../helpers/wait.js';
import { LIBRARY_DIR } from '../../../../edge/profiles/tooling.js';
import { loadProfileFile } from '../../../../edge/profiles/load.js';
import type { Profile } from '../../../../edge/profiles/types.js';
import { validateSerialBinding, type ModbusBinding } from '../../../../edge/southbound/serial/binding.js';
import type { SerialAdapter } from '../../../../edge/southbound/serial/adapter.js';
import { ModbusSlaveSim } from '../../../../scripts/sim/modbus-slave.js';
import { MeterBusSim } from '../../../../scripts/sim/meters.js';
import {
  cjt188MeterFromReplies,
  dlt645MeterFromReplies,
  modbusUnitFromReplies,
} from '../../../../scripts/sim/meters-from-profile.js';
import { ptyPair } from './setup.js';
import { PROFILE_BINDINGS } from '../../../../edge/profile-bindings.js';

const AQ = 'yiwang-ref/air-quality-station-modbus';
const WL = 'yiwang-ref/water-level-rain-modbus';
const EM = 'yiwang-ref/electricity-meter-1p-dlt645';
const WM = 'yiwang-ref/water-meter-cjt188-rs485';

async function profile(id: string): Promise<Profile> {
  return loadProfileFile(join(LIBRARY_DIR, `${id}.toml`), PROFILE_BINDINGS);
}

function vector(p: Profile, name: RegExp): { bytes: Buffer; readings: Record<string, unknown> } {
  const v = p.vectors.find((x) => name.test(x.name));
  if (!v?.hex || !v.readings) throw new Error(`${p.id}: no vector ${name}`);
  return { bytes: Buffer.from(v.hex, 'hex'), readings: { ...v.readings } };
}

t.test('devices defined by their library profiles are polled and decoded by them', async (t) => {
  const [aq, wl, em, wm] = await Promise.all([profile(AQ), profile(WL), profile(EM), profile(WM)]);
  const aqV = vector(aq, /severe pollution/);
  const wlV = vector(wl, /warning level/);
  const emV = vector(em, /overvoltage/);
  const wmV = vector(wm, /valve closed/);

  const [modbusPty, dltPty, cjtPty] = await Promise.all([ptyPair(), ptyPair(), ptyPair()]);
  const modbus = new ModbusSlaveSim(modbusPty.b);
  const aqUnit = modbusUnitFromReplies(validateSerialBinding(aq.transport.serial, AQ) as ModbusBinding, aqV.bytes);
  const wlUnit = modbusUnitFromReplies(validateSerialBinding(wl.transport.serial, WL) as ModbusBinding, wlV.bytes);
  modbus.units.set(aqUnit.unit, aqUnit.sim);
  modbus.units.set(wlUnit.unit, wlUnit.sim);
  const meters = new MeterBusSim('dlt645', dltPty.b, 9600, 'even');
  const emSim = dlt645MeterFromReplies(emV.bytes);
  meters.dlt645.set(emSim.address, emSim.meter);
  const water = new MeterBusSim('cjt188', cjtPty.b, 9600, 'even');
  const wmSim = cjt188MeterFromReplies(wmV.bytes);
  water.cjt188.set(wmSim.address, wmSim.meter);
  await Promise.all([modbus.start(), meters.start(), water.start()]);
  t.teardown(async () => {
    await Promise.all([modbus.stop(), meters.stop(), water.stop()]);
    await Promise.all([modbusPty.unplug(), dltPty.unplug(), cjtPty.unplug()]);
  });

  const dir = tempDir('yw-serial-profiles-');
  const devicesFile = join(dir, 'serial.toml');
  writeFileSync(
    devicesFile,
    `
[[bus]]
name = "rs485-1"
path = "${modbusPty.a}"
protocol = "modbus"

[[device]]
bus = "rs485-1"
address = ${aqUnit.unit}
id = "aq-dongsi"
profile = "${AQ}"

[[device]]
bus = "rs485-1"
address = ${wlUnit.unit}
id = "wl-bridge"
profile = "${WL}"

[[bus]]
name = "meters"
path = "${dltPty.a}"
protocol = "dlt645"
parity = "even"

[[device]]
bus = "meters"
address = "${emSim.address}"
id = "em-flat-3"
profile = "${EM}"

[[bus]]
name = "water"
path = "${cjtPty.a}"
protocol = "cjt188"
parity = "even"
discover = true
profile = "${WM}"
`,
  );
  const edge = await startEdge(
    edgeConfig(dir, 'gw-serial', 'secret', 'mqtt://127.0.0.1:1', {
      serial: {
        devices_file: devicesFile,
        retries: 2,
        offline_after: 3,
        response_timeout_ms: 1000,
        poll_interval_ms: 300,
        backoff_ms: 300,
        backoff_max_ms: 1000,
        reopen_ms: 100,
      },
      lwm2m: { enabled: false },
      cameras: { enabled: false },
      profiles: { reload_ms: 0 },
    }),
  );
  t.teardown(() => edge.agent.stop());
  const serial = edge.agent.adapters.find((a) => a.name === 'serial') as SerialAdapter;
  const last = (id: string): Record<string, unknown> =>
    Object.fromEntries(edge.agent.lastReadings.of(id).map((r) => [r.metric, r.value]));
  const WM_ID = `cjt188:${wmSim.address}`;

  await until(
    'every device read',
    () => ['aq-dongsi', 'wl-bridge', 'em-flat-3', WM_ID].every((id) => edge.agent.lastReadings.of(id).length > 0),
    30_000,
  );
  t.same(last('aq-dongsi'), aqV.readings, 'air-quality station: the readings of its profile vector');
  t.same(last('wl-bridge'), wlV.readings, 'water-level gauge: the readings of its profile vector');
  t.same(last('em-flat-3'), emV.readings, 'DL/T 645 meter: the readings of its profile vector');
  t.same(
    last(WM_ID),
    wmV.readings,
    'CJ/T 188 meter, discovered on a bus naming its profile: the readings of its profile vector',
  );
  const units = Object.fromEntries(edge.agent.lastReadings.of('aq-dongsi').map((r) => [r.metric, r.unit]));
  t.same([units.pm2_5, units.temperature, units.wind_direction], ['ug/m3', 'Cel', 'deg'], 'units from the profile');

  // Bound to their profiles: the profiles' alarm rules raised events for these readings.
  const events = (id: string): string[] =>
    edge.agent.profileEvents.list({ deviceId: id }).map((e) => `${e.type}:${e.active ? 'on' : 'off'}`);
  await until(
    'profile alarms raised',
    () =>
      events('aq-dongsi').length > 0 &&
      events('wl-bridge').length > 1 &&
      events('em-flat-3').length > 0 &&
      events(WM_ID).length > 0,
  );
  t.same(events('aq-dongsi'), ['pm2_5_severe:on'], 'PM2.5 312 ug/m3: the profile rule (above 250) raised once');
  t.same(events('wl-bridge').sort(), ['heavy_rain:on', 'water_level_warning:on']);
  t.same(events('em-flat-3'), ['overvoltage:on']);
  t.same(events(WM_ID), ['battery_low:on'], 'battery low raised; the valve has no earlier state to change from');
  t.equal(edge.agent.profiles.profileFor('aq-dongsi')?.id, AQ, 'the agent assigns the named profile');
  t.equal(edge.agent.profiles.profileFor(WM_ID)?.id, WM, 'a discovered meter gets its bus profile');

  // Still polled: the values keep coming, every bus is up.
  const polls = serial.status().map((b) => b.devices.reduce((n, d) => n + d.polls, 0));
  await until('buses keep polling', () =>
    serial.status().every((b, i) => b.devices.reduce((n, d) => n + d.polls, 0) > polls[i]!),
  );
  await until('every device online', () => serial.status().every((b) => b.devices.every((d) => d.state === 'online')));
  t.equal(
    serial.status().reduce((n, b) => n + b.counters.checksumErrors, 0),
    0,
    'no checksum errors',
  );
});

t.test('a device file naming a profile without a serial binding, or of another protocol, is refused', async (t) => {
  const { parseDeviceFile } = await import('../../../../edge/southbound/serial/device-file.js');
  const { throwsCode } = await import('../../../helpers/errors.js');
  const { QUICK } = await import('./setup.js');
  const bus = { name: 'b', path: '/dev/ttyX', protocol: 'dlt645' };
  throwsCode(
    t,
    () =>
      parseDeviceFile(
        { bus: [bus], device: [{ bus: 'b', address: '000000000001', profile: 'yiwang-ref/water-meter-nb' }] },
        'dev.toml',
        QUICK,
        LIBRARY_DIR,
      ),
    'SERIAL_ERR_CONFIG',
    /profile yiwang-ref\/water-meter-nb .* has no \[transport\.serial\] binding/,
  );
  throwsCode(
    t,
    () =>
      parseDeviceFile(
        { bus: [bus], device: [{ bus: 'b', address: '000000000001', profile: WM }] },
        'dev.toml',
        QUICK,
        LIBRARY_DIR,
      ),
    'SERIAL_ERR_CONFIG',
    /binding protocol cjt188 \(profile yiwang-ref\/water-meter-cjt188-rs485\) does not match bus b \(dlt645\)/,
  );
  throwsCode(
    t,
    () =>
      parseDeviceFile(
        { bus: [bus], device: [{ bus: 'b', address: '000000000001', profile: 'acme/none' }] },
        'dev.toml',
        QUICK,
        LIBRARY_DIR,
      ),
    'SERIAL_ERR_CONFIG',
    /profile acme\/none: .*none\.toml/,
  );
  const ok = parseDeviceFile(
    { bus: [bus], device: [{ bus: 'b', address: '000000000001', profile: EM }] },
    'dev.toml',
    QUICK,
    LIBRARY_DIR,
  );
  t.same(
    ok.devices[0]?.binding.protocol === 'dlt645' && ok.devices[0].binding.items.map((i) => i.di),
    ['00010000', '02010100', '02020100', '02030000', '02060000', '02800002'],
    'data identifiers from the profile',
  );
  t.equal(ok.devices[0]?.profile, EM);
});
