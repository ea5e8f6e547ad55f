/**
 * The Modbus RTU frames of ../shared/vectors through the real stack: the master's request bytes
 * equal the recorded request, the recorded reply decodes to its listed values, and the same reply
 * with a corrupted CRC is rejected with SERIAL_ERR_CHECKSUM.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { SHARED_DIR } from '../../../../common/paths.js';
import { ModbusLink } from '../../../../edge/southbound/modbus/link.js';
import { validateSerialBinding, type ModbusBinding } from '../../../../edge/southbound/serial/binding.js';
import { decodeBlock, planBlocks } from '../../../../edge/southbound/modbus/registers.js';
import { rejectsCode, throwsCode } from '../../../helpers/errors.js';
import { CHECKSUMS } from '../../../../edge/profiles/layout/checksums.js';
import { decodeModbusReplies } from '../../../../edge/southbound/serial/vector-frames.js';
import { ptyPair } from '../serial/setup.js';

interface Vector {
  id: string;
  hex: string;
  valid?: boolean;
  decoded?: Record<string, unknown>;
}
const vectors = (
  JSON.parse(readFileSync(join(SHARED_DIR, 'vectors', 'modbus_rtu.json'), 'utf8')) as { vectors: Vector[] }
).vectors;
const bytes = (hex: string): Buffer => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

t.test('temperature/humidity sensor request and reply', async (t) => {
  const req = vectors.find((v) => v.id === 'th-sensor-req')!;
  const resp = vectors.find((v) => v.id === 'th-sensor-resp')!;
  t.ok(req && resp, 'vectors present');
  const pty = await ptyPair();
  const device = new SerialPort({ path: pty.b, baudRate: 9600, autoOpen: false });
  await new Promise<void>((r, j) => device.open((e) => (e ? j(e) : r())));
  let reply = bytes(resp.hex);
  const seen: Buffer[] = [];
  device.on('data', (d: Buffer) => {
    seen.push(d);
    if (Buffer.concat(seen).length >= 8) {
      device.write(reply);
      seen.length = 0;
    }
  });
  const link = new ModbusLink({
    path: pty.a,
    baudRate: 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    responseTimeoutMs: 300,
    interFrameGapMs: 0,
  });
  await link.open();
  t.teardown(async () => {
    await link.close();
    await new Promise<void>((r) => device.close(() => r()));
    await pty.unplug();
  });
  const binding = validateSerialBinding(
    {
      protocol: 'modbus',
      registers: [
        { metric: 'humidity', function: 3, address: 0, type: 'int16', scale: 0.1, unit: '%RH' },
        { metric: 'temperature', function: 3, address: 1, type: 'int16', scale: 0.1, unit: 'Cel' },
      ],
    },
    'vector',
  ) as ModbusBinding;
  const [block] = planBlocks(binding);
  if (!block) throw new Error('the binding plans no block');
  let sent: Buffer = Buffer.alloc(0);
  device.once('data', (d: Buffer) => {
    sent = d;
  });
  const words = (await link.read(1, 3, block.address, block.count)) as number[];
  t.equal(sent.subarray(0, 8).toString('hex'), bytes(req.hex).toString('hex'), 'request bytes as recorded');
  const values = Object.fromEntries(decodeBlock(block, words).map((v) => [v.binding.metric, v.value]));
  t.same(
    values,
    { humidity: resp.decoded!.humidity_pct, temperature: resp.decoded!.temperature_c },
    'decoded as listed',
  );

  reply = Buffer.from(bytes(resp.hex));
  reply[reply.length - 1]! ^= 0x01;
  await rejectsCode(t, link.read(1, 3, 0, 2), 'SERIAL_ERR_CHECKSUM');
});

t.test('CRC vectors: the master puts the recorded CRC on the wire; profile vectors check the same CRC', async (t) => {
  const crcVectors = vectors.filter((v) => v.id.startsWith('crc-'));
  t.equal(crcVectors.length, 2, 'both CRC vectors present');
  const crc = CHECKSUMS.get('crc16-modbus')!;
  for (const v of crcVectors as (Vector & { crc_decimal: number })[]) {
    const b = bytes(v.hex);
    t.equal(crc.compute(b, 0, b.length), v.crc_decimal, `${v.id}: CRC-16/MODBUS of the profile vector decoder`);
  }
  // crc-node-modbus-serial-1 is a request: read coils, unit 0x11, address 0x13, count 0x25.
  const v1 = vectors.find((v) => v.id === 'crc-node-modbus-serial-1') as Vector & { wire_suffix: string };
  const pty = await ptyPair();
  const device = new SerialPort({ path: pty.b, baudRate: 9600, autoOpen: false });
  await new Promise<void>((r, j) => device.open((e) => (e ? j(e) : r())));
  const link = new ModbusLink({
    path: pty.a,
    baudRate: 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    responseTimeoutMs: 200,
    interFrameGapMs: 0,
  });
  await link.open();
  t.teardown(async () => {
    await link.close();
    await new Promise<void>((r) => device.close(() => r()));
    await pty.unplug();
  });
  const seen: Buffer[] = [];
  device.on('data', (d: Buffer) => seen.push(d));
  await rejectsCode(t, link.read(0x11, 1, 0x13, 0x25), 'SERIAL_ERR_TIMEOUT');
  t.equal(
    Buffer.concat(seen).toString('hex'),
    Buffer.concat([bytes(v1.hex), bytes(v1.wire_suffix)]).toString('hex'),
    'request with its CRC, low byte first',
  );
});

t.test('the recorded reply decodes the same through a profile vector', async (t) => {
  const resp = vectors.find((v) => v.id === 'th-sensor-resp')!;
  const binding = validateSerialBinding(
    {
      protocol: 'modbus',
      registers: [
        { metric: 'humidity', function: 3, address: 0, type: 'int16', scale: 0.1, unit: '%RH' },
        { metric: 'temperature', function: 3, address: 1, type: 'int16', scale: 0.1, unit: 'Cel' },
      ],
    },
    'vector',
  ) as ModbusBinding;
  const values = Object.fromEntries(decodeModbusReplies(binding, bytes(resp.hex)).map((v) => [v.name, v.value]));
  t.same(values, { humidity: resp.decoded!.humidity_pct, temperature: resp.decoded!.temperature_c });
  const bad = bytes(resp.hex);
  bad[bad.length - 2]! ^= 0x01;
  throwsCode(t, () => decodeModbusReplies(binding, bad), 'SERIAL_ERR_CHECKSUM');
});
