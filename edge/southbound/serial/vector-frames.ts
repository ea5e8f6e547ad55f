/**
 * A serial profile's test vectors: the `hex` of a vector is what the device puts on the wire in
 * answer to one poll — the reply frames, concatenated, in poll order — and it is decoded exactly
 * as the poller decodes it, with the profile's `[transport.serial]` binding:
 *
 *   Modbus RTU  one reply per read block of the binding (planBlocks order: function 1, 2, 3, 4,
 *               then by address); CRC-16/MODBUS, function and byte count checked; an exception
 *               reply skips its block (as the poller does)
 *   DL/T 645    one reply frame per `items` entry, in order (FE preambles allowed); checksums,
 *               identifiers checked by the codec; an abnormal reply skips its item
 *   CJ/T 188    the same with the CJ/T 188 codec
 *
 * Errors are the codec's (DLT645_ERR_CHECKSUM, CJT188_ERR_CHECKSUM …) or SERIAL_ERR_CHECKSUM /
 * SERIAL_ERR_REPLY for Modbus, so a bad-frame vector names the error the bus would count.
 */
import { isYiwangError, YiwangError } from '../../../common/errors.js';
import { CHECKSUMS } from '../../profiles/layout/checksums.js';
import { expectReadValues as cjtValues } from '../cjt188/codec.js';
import { CJT188_FRAMING } from '../cjt188/poller.js';
import { expectReadValues as dltValues } from '../dlt645/codec.js';
import { DLT645_FRAMING } from '../dlt645/poller.js';
import { decodeBlock, planBlocks } from '../modbus/registers.js';
import {
  validateSerialBinding,
  type Cjt188Binding,
  type Dlt645Binding,
  type MeterItemBinding,
  type ModbusBinding,
  type SerialBinding,
} from './binding.js';
import { itemReadings, meterFrames, type MeterFraming, type NamedValue } from './meter-poll.js';

/** What a profile keeps to decode its vectors (edge/profiles/types.ts WireDecoder). */
export interface SerialWireDecoder {
  readonly protocol: string;
  decode(bytes: Uint8Array): { values: NamedValue[] };
}

const crc16 = CHECKSUMS.get('crc16-modbus')!;

function reply(detail: string): YiwangError {
  return new YiwangError('SERIAL_ERR_REPLY', `Modbus RTU: ${detail}`);
}

/** The Modbus RTU replies of one poll → values named by the binding's registers. */
export function decodeModbusReplies(b: ModbusBinding, bytes: Uint8Array): NamedValue[] {
  const out: NamedValue[] = [];
  let off = 0;
  let unit: number | undefined;
  for (const [i, block] of planBlocks(b).entries()) {
    const at = `reply ${i + 1} (function ${block.function}, address ${block.address}, count ${block.count})`;
    if (bytes.length - off < 5) throw reply(`${at}: missing (${bytes.length - off} bytes left)`);
    if (unit !== undefined && bytes[off] !== unit)
      throw reply(`${at}: from unit ${bytes[off]}, the poll's first reply came from unit ${unit}`);
    unit = bytes[off];
    const fn = bytes[off + 1];
    const len = fn === (block.function | 0x80) ? 5 : 5 + bytes[off + 2]!;
    if (bytes.length - off < len) throw reply(`${at}: ${len} bytes announced, ${bytes.length - off} left`);
    const crc = crc16.compute(bytes, off, off + len - 2);
    if (crc !== (bytes[off + len - 2]! | (bytes[off + len - 1]! << 8))) {
      // the bytes to type, as the layout checksum errors give them (issue 17)
      const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
      const want = `${hex(crc & 0xff)} ${hex(crc >> 8)}`,
        got = `${hex(bytes[off + len - 2]!)} ${hex(bytes[off + len - 1]!)}`;
      throw new YiwangError(
        'SERIAL_ERR_CHECKSUM',
        `Modbus RTU: ${at}: bad CRC: bytes ${off + len - 2}..${off + len - 1} must be ${want} (CRC-16/MODBUS 0x${hex(crc >> 8)}${hex(crc & 0xff)}, low byte first), the vector has ${got}`,
      );
    }
    const frame = bytes.subarray(off, off + len);
    off += len;
    if (fn === (block.function | 0x80)) continue; // exception: the poller skips the refused block
    if (fn !== block.function) throw reply(`${at}: function ${fn}, expected ${block.function}`);
    const want = block.function <= 2 ? Math.ceil(block.count / 8) : block.count * 2;
    if (frame[2] !== want) throw reply(`${at}: ${frame[2]} data bytes, expected ${want}`);
    const data = frame.subarray(3, 3 + want);
    const values =
      block.function <= 2
        ? Array.from({ length: block.count }, (_, k) => ((data[k >> 3]! >> (k & 7)) & 1) === 1)
        : Array.from({ length: block.count }, (_, k) => (data[2 * k]! << 8) | data[2 * k + 1]!);
    for (const v of decodeBlock(block, values))
      out.push({ name: v.binding.metric, value: v.value, ...(v.binding.unit ? { unit: v.binding.unit } : {}) });
  }
  if (off !== bytes.length) throw reply(`${bytes.length - off} bytes after the last expected reply`);
  return out;
}

/** The meter's reply frames of one poll → values named by the items' bindings. */
function decodeMeterReplies<F>(
  items: readonly MeterItemBinding[],
  bytes: Uint8Array,
  f: MeterFraming<F>,
  values: (frame: F, item: MeterItemBinding) => NamedValue[],
): NamedValue[] {
  const { frames, partial } = meterFrames(bytes, f);
  const replies: F[] = [];
  for (const x of frames) {
    if ('error' in x) throw x.error;
    if (f.fromMeter(x.frame)) replies.push(x.frame);
  }
  if (partial) throw new YiwangError('SERIAL_ERR_REPLY', `${f.label}: incomplete frame after reply ${replies.length}`);
  if (replies.length !== items.length)
    throw new YiwangError(
      'SERIAL_ERR_REPLY',
      `${f.label}: ${replies.length} reply frames, the binding reads ${items.length} items`,
    );
  const out: NamedValue[] = [];
  items.forEach((item, i) => {
    let vs: NamedValue[];
    try {
      vs = values(replies[i]!, item);
    } catch (e) {
      if (isYiwangError(e) && /_ERR_REMOTE/.test(e.code)) return; // refused item: skipped, as the poller does
      throw e;
    }
    out.push(...itemReadings(item, vs, (metric, v): NamedValue => ({ ...v, name: metric })));
  });
  return out;
}

function meterValues(
  items: readonly MeterItemBinding[],
  bytes: Uint8Array,
  b: Dlt645Binding | Cjt188Binding,
): NamedValue[] {
  return b.protocol === 'dlt645'
    ? decodeMeterReplies(items, bytes, DLT645_FRAMING, (frame, item) => dltValues(frame, { di: item.di }))
    : decodeMeterReplies(items, bytes, CJT188_FRAMING, (frame, item) => cjtValues(frame, { di: item.di }));
}

/** Decodes the wire replies of one poll with a validated binding. */
export function decodePollReplies(b: SerialBinding, bytes: Uint8Array): NamedValue[] {
  return b.protocol === 'modbus' ? decodeModbusReplies(b, bytes) : meterValues(b.items, bytes, b);
}

/** The decoder a profile with `[transport.serial]` keeps for its vectors (called by the profile loader). */
export function serialWireDecoder(spec: unknown, where: string): SerialWireDecoder {
  const b = validateSerialBinding(spec, where);
  return { protocol: b.protocol, decode: (bytes) => ({ values: decodePollReplies(b, bytes) }) };
}
