/**
 * Modbus RTU over a real socat pty pair against the modbus-serial slave simulator: registers read
 * and decoded; a slave that stops answering goes offline while the others keep being polled;
 * replies with a corrupted CRC are counted and rejected.
 */
import t from 'tap';
import { silentLogger } from '../../../../common/log.js';
import { ClockQuality } from '../../../../proto/index.js';
import { SerialAdapter } from '../../../../edge/southbound/serial/adapter.js';
import { ModbusSlaveSim } from '../../../../scripts/sim/modbus-slave.js';
import { encodeValue } from '../../../../edge/southbound/modbus/registers.js';
import { until } from '../../../helpers/wait.js';
import { CaptureSink, deviceFile, ptyPair, quickSerialConfig } from '../serial/setup.js';

const BINDING = {
  protocol: 'modbus',
  registers: [
    { metric: 'pm2_5', function: 4, address: 0, type: 'uint16', unit: 'ug/m3' },
    { metric: 'temperature', function: 4, address: 1, type: 'int16', scale: 0.1, unit: 'Cel' },
    { metric: 'flow', function: 3, address: 10, type: 'float32', word_order: 'little', unit: 'm3/s' },
    { metric: 'total', function: 3, address: 12, type: 'uint32', unit: 'm3' },
    { metric: 'alarm', function: 3, address: 14, type: 'bool', bit: 3 },
    { metric: 'pump_on', function: 1, address: 0 },
  ],
};

function unitMap(
  pm: number,
  tempTenths: number,
  flow: number,
  total: number,
): Parameters<ModbusSlaveSim['units']['set']>[1] {
  const holding = new Map<number, number>();
  encodeValue('float32', 'little', flow).forEach((w, i) => {
    holding.set(10 + i, w);
  });
  encodeValue('uint32', 'big', total).forEach((w, i) => {
    holding.set(12 + i, w);
  });
  holding.set(14, 0b1000);
  return {
    input: new Map([
      [0, pm],
      [1, tempTenths & 0xffff],
    ]),
    holding,
    coils: new Map([[0, true]]),
  };
}

t.test('registers are read and decoded; a dead slave goes offline; bad CRCs are counted and rejected', async (t) => {
  const pty = await ptyPair();
  const sim = new ModbusSlaveSim(pty.b);
  sim.units.set(1, unitMap(35, -52, 1.5, 123456));
  sim.units.set(2, unitMap(80, 213, 0.25, 7));
  sim.units.set(3, unitMap(1, 1, 1, 1));
  sim.corruptCrc.add(3);
  await sim.start();
  const sink = new CaptureSink();
  const devices = deviceFile({
    bus: [{ name: 'rs485', path: pty.a, protocol: 'modbus' }],
    device: [
      { bus: 'rs485', address: 1, id: 'aq-1', serial: BINDING },
      { bus: 'rs485', address: 2, id: 'aq-2', serial: BINDING },
      { bus: 'rs485', address: 3, id: 'noisy', serial: BINDING },
    ],
  });
  const adapter = new SerialAdapter({
    config: quickSerialConfig(),
    sink,
    log: silentLogger(),
    clock: () => ClockQuality.CLOCK_GATEWAY_SYNCED,
    devices,
  });
  await adapter.start();
  t.teardown(async () => {
    await adapter.stop();
    await sim.stop();
    await pty.unplug();
  });
  const bus = adapter.buses[0]!;
  const dev = (id: string) => bus.status().devices.find((d) => d.deviceId === id)!;

  await until('both good slaves polled', () => sink.of('aq-1').length >= 6 && sink.of('aq-2').length >= 6);
  const latest = (id: string) =>
    Object.fromEntries(
      sink
        .of(id)
        .slice(-6)
        .map((r) => [r.metric, [r.value, r.unit]]),
    );
  t.same(
    latest('aq-1'),
    {
      pm2_5: [35, 'ug/m3'],
      temperature: [-5.2, 'Cel'],
      flow: [1.5, 'm3/s'],
      total: [123456, 'm3'],
      alarm: [true, ''],
      pump_on: [true, ''],
    },
    'unit 1 decoded',
  );
  t.same(
    latest('aq-2'),
    {
      pm2_5: [80, 'ug/m3'],
      temperature: [21.3, 'Cel'],
      flow: [0.25, 'm3/s'],
      total: [7, 'm3'],
      alarm: [true, ''],
      pump_on: [true, ''],
    },
    'unit 2 decoded',
  );
  t.equal(sink.of('aq-1').length % 6, 0, 'whole polls only: six readings each');

  await until('corrupted replies rejected and the noisy slave offline', () => dev('noisy').state === 'offline');
  t.ok(bus.status().counters.checksumErrors >= 2, `CRC errors counted (${bus.status().counters.checksumErrors})`);
  t.equal(sink.of('noisy').length, 0, 'nothing stored from replies with a bad CRC');
  t.match(dev('noisy').lastError, /SERIAL_ERR_CHECKSUM/);

  sim.dead.add(2);
  await until('slave 2 marked offline', () => dev('aq-2').state === 'offline');
  t.match(dev('aq-2').lastError, /SERIAL_ERR_TIMEOUT/);
  const before = sink.of('aq-1').length;
  const aq2Before = sink.of('aq-2').length;
  await until('slave 1 still polled while slave 2 is dead', () => sink.of('aq-1').length >= before + 18);
  t.equal(sink.of('aq-2').length, aq2Before, 'no readings from the dead slave');
  t.equal(dev('aq-1').state, 'online');
  t.equal(dev('aq-1').consecutiveFailures, 0);

  sim.dead.delete(2);
  await until('slave 2 back online after its backoff', () => dev('aq-2').state === 'online', 10_000);
  t.ok(sink.of('aq-2').length > aq2Before, 'readings again from slave 2');
});
