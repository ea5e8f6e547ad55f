/**
 * Modbus RTU replies as the agent reads them: the library's Modbus profiles' wire decoders
 * (edge/southbound/serial/vector-frames.ts decodeModbusReplies: per-block replies, CRC, function,
 * byte count, exception replies), and the register decoding the poller applies to what
 * modbus-serial returns (edge/southbound/modbus/registers.ts decodeBlock: the input read as 16-bit
 * words and as bits, for every read block of every binding, including short reads). Each input is
 * also turned into well-formed replies (right unit, function, byte count and CRC, data from the
 * input) so that mutations reach the value decoders. Round trip: encodeValue → rawValue for every
 * register type and word order.
 */
import fc from 'fast-check';
import { CHECKSUMS } from '../../../edge/profiles/layout/checksums.js';
import {
  decodeBlock,
  encodeValue,
  planBlocks,
  rawValue,
  type ReadBlock,
} from '../../../edge/southbound/modbus/registers.js';
import {
  MODBUS_TYPE_WORDS,
  type ModbusBinding,
  type ModbusRegisterBinding,
  type ModbusValueType,
} from '../../../edge/southbound/serial/binding.js';
import { decodeModbusReplies } from '../../../edge/southbound/serial/vector-frames.js';
import { codedBy, InvariantError, roundTrip, type FuzzTarget, type Seed } from '../lib/target.js';
import { assertSame } from '../lib/roundtrip.js';
import { all, hex, sharedVectors } from './common.js';
import { libraryProfiles } from './profiles.js';
import { serialProfileSeeds } from './serial-common.js';
import { validateSerialBinding } from '../../../edge/southbound/serial/binding.js';

const isCoded = codedBy(['SERIAL_ERR_']);
const crc16 = CHECKSUMS.get('crc16-modbus')!;

const bindings: ModbusBinding[] = (await libraryProfiles())
  .filter((p) => (p.transport.serial as { protocol?: string } | undefined)?.protocol === 'modbus')
  .map((p) => validateSerialBinding(p.transport.serial, p.id) as ModbusBinding);

/** What the poller does with the data modbus-serial hands back for each block. */
function decodeBlocks(b: ModbusBinding, input: Uint8Array): void {
  let at = 0;
  for (const block of planBlocks(b)) {
    const n = Math.min(block.count, Math.floor((input.length - at) / 2));
    const words = Array.from({ length: n }, (_, k) => (input[at + 2 * k]! << 8) | input[at + 2 * k + 1]!);
    const bits = Array.from({ length: block.count }, (_, k) => (((input[at + (k >> 3)] ?? 0) >> (k & 7)) & 1) === 1);
    at += 2 * n;
    for (const v of decodeBlock(block, block.function <= 2 ? bits : words)) {
      if (typeof v.value !== 'number' && typeof v.value !== 'boolean')
        throw new InvariantError(`${v.binding.metric}: value of type ${typeof v.value}`);
    }
  }
}

/** Replies of a whole poll built from the input's bytes, well-formed down to the CRC. */
function replies(b: ModbusBinding, input: Uint8Array): Uint8Array {
  const frames: number[] = [];
  let at = 0;
  for (const block of planBlocks(b) as ReadBlock[]) {
    const want = block.function <= 2 ? Math.ceil(block.count / 8) : block.count * 2;
    const data = Array.from({ length: want }, (_, k) => input[(at + k) % Math.max(1, input.length)] ?? 0);
    at += want;
    const f = [input[0] ?? 1, block.function, want, ...data];
    const crc = crc16.compute(Uint8Array.from(f), 0, f.length);
    frames.push(...f, crc & 0xff, crc >> 8);
  }
  return Uint8Array.from(frames);
}

function run(input: Uint8Array): unknown {
  const steps: (() => unknown)[] = [];
  for (const b of bindings) {
    steps.push(
      () => decodeModbusReplies(b, input),
      () => decodeBlocks(b, input),
      () => decodeModbusReplies(b, replies(b, input)),
    );
  }
  all(isCoded, steps);
  return undefined;
}

async function seeds(): Promise<Seed[]> {
  const out: Seed[] = sharedVectors<{ id: string; hex: string; wire_suffix?: string }>('modbus_rtu.json').map((v) =>
    hex(`vector-${v.id}`, v.hex + (v.wire_suffix ?? '')),
  );
  out.push(...(await serialProfileSeeds('modbus')));
  for (const [i, b] of bindings.entries())
    out.push({
      name: `replies-binding-${i}`,
      bytes: replies(
        b,
        Uint8Array.from({ length: 64 }, (_, k) => (k * 37) & 0xff),
      ),
    });
  return out;
}

const TYPES = Object.keys(MODBUS_TYPE_WORDS).filter((t) => t !== 'bool') as ModbusValueType[];
const valueFor = (type: ModbusValueType): fc.Arbitrary<number> => {
  switch (type) {
    case 'uint16':
      return fc.integer({ min: 0, max: 0xffff });
    case 'int16':
      return fc.integer({ min: -0x8000, max: 0x7fff });
    case 'uint32':
      return fc.integer({ min: 0, max: 0xffffffff });
    case 'int32':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'float32':
      return fc.float({ noNaN: true }).map((x) => (Object.is(x, -0) ? 0 : x));
    case 'uint64':
      return fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    case 'int64':
      return fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    default:
      return fc.double({ noNaN: true }).map((x) => (Object.is(x, -0) ? 0 : x));
  }
};

const target: FuzzTarget = {
  name: 'modbus',
  description: 'Modbus RTU poll replies of the library profiles, and register blocks as the poller decodes them',
  seeds,
  dictionary: [
    [0x01],
    [0x03],
    [0x04],
    [0x02],
    [0x83],
    [0x84],
    [0x81],
    [0x02, 0x00],
    [0xff, 0xff],
    [0x7f, 0xff],
    [0x80, 0x00],
    [0x7f, 0x80, 0x00, 0x00],
    [0xff, 0xc0, 0x00, 0x00],
  ].map((b) => Uint8Array.from(b)),
  usPerByte: 100, // a meter's bytes arrive at line rate (about 1 ms each at 9600 baud)
  maxLen: 1024,
  run,
  isCoded,
  roundTrips: [
    roundTrip(
      'rawValue(encodeValue(value))',
      fc.constantFrom(...TYPES).chain((type) =>
        fc.record({
          type: fc.constant(type),
          order: fc.constantFrom('big', 'little' as const),
          value: valueFor(type),
        }),
      ),
      ({ type, order, value }) => {
        const binding = {
          metric: 'm',
          function: 3,
          address: 0,
          type,
          wordOrder: order,
          scale: 1,
          offset: 0,
        } as unknown as ModbusRegisterBinding;
        assertSame(`${type} ${order}`, rawValue(binding, encodeValue(type, order as 'big' | 'little', value)), value);
      },
    ),
  ],
};
export default target;
