/**
 * Against an independent Modbus RTU slave: pymodbus (Debian's python3-pymodbus) on a real socat
 * pty. The agent polls an air-quality station and a water-level gauge defined by their library
 * profiles and gets exactly the profiles' vector readings; and our own simulator
 * (scripts/sim/modbus-slave.ts, used by the other serial tests) answers the same requests with the
 * same bytes as pymodbus, exceptions included. Never skipped: without python3-pymodbus for
 * /usr/bin/python3 both tests fail saying so (`npm test` installs it through scripts/test-peers.mjs;
 * by hand: `apt-get install python3-pymodbus socat`).
 */
import t, { type Test } from 'tap';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { silentLogger } from '../../../../common/log.js';
import { REPO_ROOT } from '../../../../common/paths.js';
import { ClockQuality } from '../../../../proto/index.js';
import { CHECKSUMS } from '../../../../edge/profiles/layout/checksums.js';
import { loadProfileFile } from '../../../../edge/profiles/load.js';
import { LIBRARY_DIR } from '../../../../edge/profiles/tooling.js';
import { SerialAdapter } from '../../../../edge/southbound/serial/adapter.js';
import { validateSerialBinding, type ModbusBinding } from '../../../../edge/southbound/serial/binding.js';
import { parseDeviceFile } from '../../../../edge/southbound/serial/device-file.js';
import { ModbusSlaveSim, type SimUnit } from '../../../../scripts/sim/modbus-slave.js';
import { modbusUnitFromReplies } from '../../../../scripts/sim/meters-from-profile.js';
import type { PtyPair } from '../../../../scripts/sim/pty-pair.js';
import { until } from '../../../helpers/wait.js';
import { CaptureSink, ptyPair, QUICK, quickSerialConfig } from '../serial/setup.js';
import { PROFILE_BINDINGS } from '../../../../edge/profile-bindings.js';

const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import pymodbus.server'], { encoding: 'utf8' });
/** Why pymodbus cannot be used (a test failure, not a skip), or undefined when it can. */
const missing =
  probe.status === 0
    ? undefined
    : `python3-pymodbus is not importable by ${PYTHON} (${(probe.error?.message ?? probe.stderr).trim().split('\n').pop()}); install it: apt-get install python3-pymodbus (npm test's pretest, scripts/test-peers.mjs, does)`;
const AQ = 'yiwang-ref/air-quality-station-modbus';
const WL = 'yiwang-ref/water-level-rain-modbus';

async function unitsFromVectors(): Promise<{
  units: Map<number, SimUnit>;
  expected: Map<number, Record<string, unknown>>;
}> {
  const units = new Map<number, SimUnit>();
  const expected = new Map<number, Record<string, unknown>>();
  for (const [id, name] of [
    [AQ, /severe pollution/],
    [WL, /warning level/],
  ] as const) {
    const p = loadProfileFile(join(LIBRARY_DIR, `${id}.toml`), PROFILE_BINDINGS);
    const v = p.vectors.find((x) => name.test(x.name))!;
    const { unit, sim } = modbusUnitFromReplies(
      validateSerialBinding(p.transport.serial, id) as ModbusBinding,
      Buffer.from(v.hex!, 'hex'),
    );
    units.set(unit, sim);
    expected.set(unit, { ...v.readings });
  }
  return { units, expected };
}

/** The air-quality station's and the water-level gauge's unit ids, in that order. */
function unitIds(units: Map<number, SimUnit>): [number, number] {
  const [aq, wl] = [...units.keys()];
  if (aq === undefined || wl === undefined) throw new Error(`the vectors give ${units.size} unit ids, expected 2`);
  return [aq, wl];
}

function unitsJson(units: Map<number, SimUnit>): string {
  const obj = (m?: Map<number, number | boolean>): Record<string, number | boolean> =>
    Object.fromEntries([...(m ?? new Map<number, number | boolean>())].map(([k, v]) => [String(k), v]));
  return JSON.stringify(
    Object.fromEntries(
      [...units].map(([u, s]) => [
        String(u),
        { holding: obj(s.holding), input: obj(s.input), coils: obj(s.coils), discrete: obj(s.discrete) },
      ]),
    ),
  );
}

/** pymodbus serving `units` on the device end of `pty`; resolves once it answers on the agent end. */
async function pymodbus(t: Test, pty: PtyPair, units: Map<number, SimUnit>): Promise<ChildProcess> {
  const proc = spawn(
    PYTHON,
    [join(REPO_ROOT, 'scripts', 'sim', 'modbus-slave-pymodbus.py'), pty.b, '9600', unitsJson(units)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  t.teardown(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await gone;
    }
  });
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      if (/pymodbus slave on/.test(d.toString())) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`pymodbus slave exited ${code}: ${err}`)));
  });
  // It prints before its serial port is open: ready once it answers.
  const [unit] = unitIds(units);
  const deadline = Date.now() + 15_000;
  while ((await rawReplies(pty.a, [request(unit, 3, 65000, 1)], 500))[0] === '') {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`pymodbus slave does not answer: ${err}`);
  }
  return proc;
}

const crc = CHECKSUMS.get('crc16-modbus')!;
function request(unit: number, fn: number, address: number, count: number): Buffer {
  const b = Buffer.from([unit, fn, address >> 8, address & 0xff, count >> 8, count & 0xff]);
  const c = crc.compute(b, 0, b.length);
  return Buffer.concat([b, Buffer.from([c & 0xff, c >> 8])]);
}

/** Sends raw requests on `path` and collects each reply (until the line is quiet for 300 ms, or `waitMs` without any). */
async function rawReplies(path: string, requests: Buffer[], waitMs = 3000): Promise<string[]> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((r, j) => port.open((e) => (e ? j(e) : r())));
  const out: string[] = [];
  try {
    for (const req of requests) {
      let rx = Buffer.alloc(0);
      let last = Date.now();
      const onData = (d: Buffer): void => {
        rx = Buffer.concat([rx, d]);
        last = Date.now();
      };
      port.on('data', onData);
      port.write(req);
      const started = Date.now();
      await until(
        'reply or silence',
        () => (rx.length > 0 && Date.now() - last > 300) || Date.now() - started > waitMs,
        waitMs + 5000,
        20,
      );
      port.off('data', onData);
      out.push(rx.toString('hex'));
    }
  } finally {
    await new Promise<void>((r) => port.close(() => r()));
  }
  return out;
}

t.test('profile-defined devices polled against pymodbus', async (t) => {
  if (missing) return t.fail(missing);
  const { units, expected } = await unitsFromVectors();
  const pty = await ptyPair();
  t.teardown(() => pty.unplug());
  await pymodbus(t, pty, units);
  const [aqUnit, wlUnit] = unitIds(units);
  const devices = parseDeviceFile(
    {
      bus: [{ name: 'rs485', path: pty.a, protocol: 'modbus', response_timeout_ms: 500 }],
      device: [
        { bus: 'rs485', address: aqUnit, id: 'aq', profile: AQ },
        { bus: 'rs485', address: wlUnit, id: 'wl', profile: WL },
      ],
    },
    'pymodbus.toml',
    QUICK,
    LIBRARY_DIR,
  );
  const sink = new CaptureSink();
  const adapter = new SerialAdapter({
    config: quickSerialConfig({ retries: 2 }),
    sink,
    log: silentLogger(),
    clock: () => ClockQuality.CLOCK_GATEWAY_SYNCED,
    devices,
  });
  await adapter.start();
  t.teardown(() => adapter.stop());
  const latest = (id: string): Record<string, unknown> =>
    Object.fromEntries(sink.of(id).map((r) => [r.metric, r.value]));
  await until(
    'both units read',
    () =>
      Object.keys(latest('aq')).length === Object.keys(expected.get(aqUnit)!).length &&
      Object.keys(latest('wl')).length === Object.keys(expected.get(wlUnit)!).length,
    20_000,
  );
  t.same(latest('aq'), expected.get(aqUnit), "air-quality station: the profile vector's readings");
  t.same(
    latest('wl'),
    expected.get(wlUnit),
    "water-level gauge (32-bit value, low word first): the profile vector's readings",
  );
  t.equal(adapter.status()[0]?.counters.checksumErrors, 0, 'no CRC errors');
});

t.test('our simulator answers like pymodbus, byte for byte', async (t) => {
  if (missing) return t.fail(missing);
  const { units } = await unitsFromVectors();
  const [aqUnit, wlUnit] = unitIds(units);
  const requests = [
    request(aqUnit, 4, 0, 12), // the input block
    request(aqUnit, 3, 100, 1), // the status register
    request(wlUnit, 3, 0, 6), // the gauge's holding block
    request(aqUnit, 4, 3, 2), // a slice
    request(aqUnit, 4, 200, 1), // no such register: exception 2
    request(wlUnit, 1, 0, 8), // no coils: exception 2
  ];
  const refPty = await ptyPair();
  t.teardown(() => refPty.unplug());
  await pymodbus(t, refPty, units);
  const reference = await rawReplies(refPty.a, requests);

  const simPty = await ptyPair();
  const sim = new ModbusSlaveSim(simPty.b);
  for (const [u, s] of units) sim.units.set(u, s);
  await sim.start();
  t.teardown(async () => {
    await sim.stop();
    await simPty.unplug();
  });
  const ours = await rawReplies(simPty.a, requests);

  t.equal(reference.filter((r) => r.length > 0).length, requests.length, 'pymodbus answered every request');
  t.same(ours, reference, 'same reply bytes');
  t.equal(reference[4]?.slice(2, 6), '8402', 'exception 2 for a missing register');
});
