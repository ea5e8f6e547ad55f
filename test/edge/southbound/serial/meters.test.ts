/**
 * DL/T 645 and CJ/T 188 meters on real socat ptys against the meter simulators: values read and
 * decoded with their units; a dead meter goes offline while the others are polled; replies with a
 * bad checksum are counted and rejected; address discovery by broadcast read; a port that
 * vanishes (USB adapter unplugged) and comes back.
 */
import t from 'tap';
import { silentLogger } from '../../../../common/log.js';
import { ClockQuality } from '../../../../proto/index.js';
import { SerialAdapter } from '../../../../edge/southbound/serial/adapter.js';
import { MeterBusSim, singlePhaseMeter, waterMeter } from '../../../../scripts/sim/meters.js';
import { until } from '../../../helpers/wait.js';
import { CaptureSink, deviceFile, ptyPair, quickSerialConfig } from './setup.js';

const LINE = { baud_rate: 9600, parity: 'even' };

t.test('DL/T 645: values decoded, a dead meter offline, bad checksums rejected', async (t) => {
  const pty = await ptyPair();
  const sim = new MeterBusSim('dlt645', pty.b, 9600, 'even');
  sim.dlt645.set('000000000161', singlePhaseMeter(1234.56, 220.1, 5.123, 1.1275));
  sim.dlt645.set('000000000162', singlePhaseMeter(99.99, 230, 0.5, 0.115));
  sim.dlt645.set('000000000163', singlePhaseMeter(1, 1, 1, 1));
  sim.badChecksum.add('000000000163');
  await sim.start();
  const binding = {
    protocol: 'dlt645',
    items: [{ di: '00010000', metric: 'energy' }, { di: '02010100' }, { di: '02020100' }, { di: '02030000' }],
  };
  const sink = new CaptureSink();
  const adapter = new SerialAdapter({
    config: quickSerialConfig(),
    sink,
    log: silentLogger(),
    clock: () => ClockQuality.CLOCK_GATEWAY_SYNCED,
    devices: deviceFile({
      bus: [{ name: 'meters', path: pty.a, protocol: 'dlt645', ...LINE }],
      device: [
        { bus: 'meters', address: '000000000161', serial: binding },
        { bus: 'meters', address: '000000000162', serial: binding },
        { bus: 'meters', address: '000000000163', serial: binding },
      ],
    }),
  });
  await adapter.start();
  t.teardown(async () => {
    await adapter.stop();
    await sim.stop();
    await pty.unplug();
  });
  const bus = adapter.buses[0]!;
  const dev = (id: string) => bus.status().devices.find((d) => d.deviceId === id)!;
  const A = 'dlt645:000000000161';
  const B = 'dlt645:000000000162';
  const C = 'dlt645:000000000163';

  await until('two meters read', () => sink.of(A).length >= 4 && sink.of(B).length >= 4);
  const last = (id: string) =>
    Object.fromEntries(
      sink
        .of(id)
        .slice(-4)
        .map((r) => [r.metric, [r.value, r.unit]]),
    );
  t.same(last(A), {
    energy: [1234.56, 'kWh'],
    voltage_a: [220.1, 'V'],
    current_a: [5.123, 'A'],
    active_power_total: [1.1275, 'kW'],
  });
  t.same(last(B), {
    energy: [99.99, 'kWh'],
    voltage_a: [230, 'V'],
    current_a: [0.5, 'A'],
    active_power_total: [0.115, 'kW'],
  });

  await until('meter with bad checksums offline', () => dev(C).state === 'offline');
  t.ok(bus.status().counters.checksumErrors >= 2, 'checksum errors counted');
  t.match(dev(C).lastError, /SERIAL_ERR_CHECKSUM.*DLT645_ERR_CHECKSUM/);
  t.equal(sink.of(C).length, 0, 'nothing stored from bad frames');

  sim.dead.add('000000000162');
  await until('dead meter offline', () => dev(B).state === 'offline');
  const n = sink.of(A).length;
  const polledB = sim.requests.get('000000000162')!;
  await until('meter A still polled', () => sink.of(A).length >= n + 12);
  t.ok(sim.requests.get('000000000162')! - polledB <= 4, 'the dead meter is polled with backoff, not every interval');
  t.equal(dev(A).state, 'online');
});

t.test('CJ/T 188: discovery by broadcast read, values, and a port that vanishes and comes back', async (t) => {
  const pty = await ptyPair();
  let sim = new MeterBusSim('cjt188', pty.b, 9600, 'even');
  sim.cjt188.set('12345678901234', waterMeter(4321.09));
  await sim.start();
  const sink = new CaptureSink();
  const adapter = new SerialAdapter({
    config: quickSerialConfig(),
    sink,
    log: silentLogger(),
    clock: () => ClockQuality.CLOCK_GATEWAY_SYNCED,
    devices: deviceFile({
      bus: [{ name: 'water', path: pty.a, protocol: 'cjt188', discover: true, meter_type: 0x10, ...LINE }],
    }),
  });
  await adapter.start();
  t.teardown(async () => {
    await adapter.stop();
    await sim.stop();
    await pty.unplug();
  });
  const bus = adapter.buses[0]!;
  const id = 'cjt188:12345678901234';
  await until('meter discovered and read', () => sink.of(id).length >= 1);
  const r = sink.of(id).filter((x) => x.metric === 'cumulative_volume');
  t.same([r[0]?.value, r[0]?.unit], [4321.09, 'm3'], 'cumulative volume');
  t.same(
    Object.fromEntries(
      sink
        .of(id)
        .slice(0, 5)
        .map((x) => [x.metric, x.value]),
    ),
    { cumulative_volume: 4321.09, settlement_volume: 4321, status: 0, valve: 'open', battery_low: false },
  );

  // Unplug: both pty ends vanish. The bus notices and waits; plug back in: polling resumes.
  await sim.stop();
  await pty.unplug();
  await until('port seen gone', () => bus.status().port !== 'open');
  const before = sink.of(id).length;
  await pty.plug();
  sim = new MeterBusSim('cjt188', pty.b, 9600, 'even');
  sim.cjt188.set('12345678901234', waterMeter(4322.5));
  await sim.start();
  await until('port reopened', () => bus.status().port === 'open', 10_000);
  await until(
    'meter read again after the port came back',
    () => sink.of(id).some((x, i) => i >= before && x.value === 4322.5),
    10_000,
  );
  t.equal(bus.status().devices.length, 1, 'the rediscovered meter is not added twice');
});

t.test('discovery with two meters on the bus reports a collision, listed meters are still polled', async (t) => {
  const pty = await ptyPair();
  const sim = new MeterBusSim('dlt645', pty.b, 9600, 'even');
  sim.dlt645.set('000000000171', singlePhaseMeter(1, 1, 1, 1));
  sim.dlt645.set('000000000172', singlePhaseMeter(2, 2, 2, 2));
  await sim.start();
  const sink = new CaptureSink();
  const adapter = new SerialAdapter({
    config: quickSerialConfig(),
    sink,
    log: silentLogger(),
    clock: () => ClockQuality.CLOCK_GATEWAY_SYNCED,
    devices: deviceFile({
      bus: [{ name: 'm', path: pty.a, protocol: 'dlt645', discover: true, ...LINE }],
      device: [{ bus: 'm', address: '000000000172' }],
    }),
  });
  await adapter.start();
  t.teardown(async () => {
    await adapter.stop();
    await sim.stop();
    await pty.unplug();
  });
  await until('listed meter read', () => sink.of('dlt645:000000000172').length >= 2);
  t.same(
    sink.of('dlt645:000000000172')[0]?.metric,
    'forward_active_energy_total',
    'default binding: forward active energy',
  );
  t.equal(adapter.buses[0]!.status().devices.length, 1, 'no meter added from a garbled broadcast answer');
});
