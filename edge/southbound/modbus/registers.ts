/**
 * Register maps: bindings grouped into as few read requests as possible (neighbouring registers
 * of one function code merged up to `maxBlock`), and values decoded from the words read
 * (type, word order, bit, scale, offset).
 */
import { MODBUS_TYPE_WORDS, type ModbusBinding, type ModbusRegisterBinding } from '../serial/binding.js';

export interface ReadBlock {
  function: 1 | 2 | 3 | 4;
  address: number;
  /** Registers (function 3/4) or bits (function 1/2) to read. */
  count: number;
  bindings: ModbusRegisterBinding[];
}

/** Groups bindings into read requests; a gap is read through when the merged block stays within maxBlock. */
export function planBlocks(b: ModbusBinding): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  for (const fn of [1, 2, 3, 4] as const) {
    const regs = b.registers.filter((r) => r.function === fn).sort((x, y) => x.address - y.address);
    let cur: ReadBlock | undefined;
    for (const r of regs) {
      const end = r.address + MODBUS_TYPE_WORDS[r.type];
      if (cur && end - cur.address <= b.maxBlock) {
        cur.count = Math.max(cur.count, end - cur.address);
        cur.bindings.push(r);
      } else {
        cur = { function: fn, address: r.address, count: end - r.address, bindings: [r] };
        blocks.push(cur);
      }
    }
  }
  return blocks;
}

/** The raw value of one binding from the 16-bit words of its block (word order applied). */
export function rawValue(r: ModbusRegisterBinding, words: readonly number[]): number | boolean {
  if (r.type === 'bool') return (((words[0] ?? 0) >> (r.bit ?? 0)) & 1) === 1;
  const n = MODBUS_TYPE_WORDS[r.type];
  const ordered = r.wordOrder === 'big' ? words.slice(0, n) : words.slice(0, n).reverse();
  const buf = Buffer.alloc(n * 2);
  ordered.forEach((w, i) => {
    buf.writeUInt16BE(w & 0xffff, i * 2);
  });
  switch (r.type) {
    case 'uint16':
      return buf.readUInt16BE(0);
    case 'int16':
      return buf.readInt16BE(0);
    case 'uint32':
      return buf.readUInt32BE(0);
    case 'int32':
      return buf.readInt32BE(0);
    case 'float32':
      return buf.readFloatBE(0);
    case 'uint64':
      return Number(buf.readBigUInt64BE(0));
    case 'int64':
      return Number(buf.readBigInt64BE(0));
    case 'float64':
      return buf.readDoubleBE(0);
  }
}

/** Applies scale and offset without binary noise (0.1 × 253 = 25.3, not 25.300000000000001). */
export function scaled(r: ModbusRegisterBinding, raw: number): number {
  if (r.scale === 1 && r.offset === 0) return raw;
  const v = raw * r.scale + r.offset;
  return Number.isFinite(v) ? Number(v.toPrecision(12)) : v;
}

export interface DecodedValue {
  binding: ModbusRegisterBinding;
  value: number | boolean;
}

/** Values of every binding in a block from the data read (words for 3/4, bits for 1/2). */
export function decodeBlock(block: ReadBlock, data: readonly number[] | readonly boolean[]): DecodedValue[] {
  return block.bindings.map((binding) => {
    const at = binding.address - block.address;
    if (block.function <= 2) return { binding, value: Boolean((data as readonly boolean[])[at]) };
    const words = (data as readonly number[]).slice(at, at + MODBUS_TYPE_WORDS[binding.type]);
    const raw = rawValue(binding, words);
    return { binding, value: typeof raw === 'boolean' ? raw : scaled(binding, raw) };
  });
}

/** Encodes a value into words (simulators and tests): the inverse of rawValue. */
export function encodeValue(type: ModbusRegisterBinding['type'], wordOrder: 'big' | 'little', value: number): number[] {
  const n = MODBUS_TYPE_WORDS[type];
  const buf = Buffer.alloc(n * 2);
  switch (type) {
    case 'bool':
    case 'uint16':
      buf.writeUInt16BE(value & 0xffff, 0);
      break;
    case 'int16':
      buf.writeInt16BE(value, 0);
      break;
    case 'uint32':
      buf.writeUInt32BE(value, 0);
      break;
    case 'int32':
      buf.writeInt32BE(value, 0);
      break;
    case 'float32':
      buf.writeFloatBE(value, 0);
      break;
    case 'uint64':
      buf.writeBigUInt64BE(BigInt(value), 0);
      break;
    case 'int64':
      buf.writeBigInt64BE(BigInt(value), 0);
      break;
    case 'float64':
      buf.writeDoubleBE(value, 0);
      break;
  }
  const words = Array.from({ length: n }, (_, i) => buf.readUInt16BE(i * 2));
  return wordOrder === 'big' ? words : words.reverse();
}
