/**
 * CJ/T 188-2004 framing:  [FE…] 68 T A0..A6 C L DATA CS 16
 * - T: meter type 0x10..0x49 (1x water, 2x heat, 3x gas, 4x other).
 * - A0..A6: address, BCD, least significant byte first (A5..A6 = manufacturer code).
 * - C: D7 direction (1 = from the meter), D6 abnormal reply, D5..D0 function.
 * - DATA: DI (2 bytes), SER (1), content; no +0x33 offset (unlike DL/T 645).
 * - CS: byte sum from 0x68 through DATA.
 */
import { YiwangError, type ErrorCode } from '../../../common/errors.js';
import { addressFromBytes, addressToBytes, byteSum } from '../dlt645/bcd.js';

export const CJT188_START = 0x68;
export const CJT188_END = 0x16;
export const CJT188_PREAMBLE = 0xfe;
export const CJT188_ADDRESS_BYTES = 7;
export const CJT188_WILDCARD_ADDRESS = 'AAAAAAAAAAAAAA';
/** 68, T, 7 address bytes, C, L, CS, 16. */
const OVERHEAD = 13;

/** Function codes (control bits D5..D0). */
export const CJT188_FN = {
  READ_DATA: 0x01,
  READ_ADDRESS: 0x03,
  WRITE_DATA: 0x04,
  READ_KEY_VERSION: 0x09,
  WRITE_ADDRESS: 0x15,
  WRITE_SYNC_DATA: 0x16,
} as const;

export const CJT188_METER_TYPES: Readonly<Record<number, string>> = {
  0x10: 'cold_water',
  0x11: 'hot_water',
  0x12: 'drinking_water',
  0x13: 'reclaimed_water',
  0x20: 'heat',
  0x21: 'cooling',
  0x30: 'gas',
  0x40: 'electricity',
};

export type Cjt188Family = 'water' | 'heat' | 'gas' | 'other';

export function isMeterType(t: number): boolean {
  return Number.isInteger(t) && t >= 0x10 && t <= 0x49;
}

/** Family of a meter type: 1x water, 2x heat, 3x gas, 4x other. */
export function meterFamily(t: number): Cjt188Family {
  return (['water', 'heat', 'gas', 'other'] as const)[(t >> 4) - 1] ?? 'other';
}

export interface Cjt188Control {
  fromMeter: boolean;
  abnormal: boolean;
  fn: number;
}

export function decodeControl(c: number): Cjt188Control {
  return { fromMeter: (c & 0x80) !== 0, abnormal: (c & 0x40) !== 0, fn: c & 0x3f };
}

export function encodeControl(c: Cjt188Control): number {
  return (c.fromMeter ? 0x80 : 0) | (c.abnormal ? 0x40 : 0) | (c.fn & 0x3f);
}

export interface Cjt188Frame {
  meterType: number;
  /** Displayed address, 14 hex digits, most significant first. */
  address: string;
  control: number;
  data: Uint8Array;
  preamble: number;
}

export interface Cjt188FrameInput {
  meterType: number;
  address: string;
  control: number;
  data?: Uint8Array;
  preamble?: number;
}

function err(code: ErrorCode, detail: string): YiwangError {
  return new YiwangError(code, `CJ/T 188: ${detail}`);
}

export function encodeFrame(f: Cjt188FrameInput): Buffer {
  if (!isMeterType(f.meterType)) throw err('CJT188_ERR_METER_TYPE', `meter type ${f.meterType} is not 0x10..0x49`);
  const addr = addressToBytes(f.address, CJT188_ADDRESS_BYTES);
  if (!addr) throw err('CJT188_ERR_ADDRESS', `bad meter address ${JSON.stringify(f.address)}`);
  const data = f.data ?? new Uint8Array(0);
  if (data.length > 255) throw err('CJT188_ERR_DATA', `data field of ${data.length} bytes exceeds 255`);
  const pre = f.preamble ?? 0;
  if (!Number.isInteger(pre) || pre < 0 || pre > 16) throw err('CJT188_ERR_FRAME', `preamble of ${pre} bytes`);
  const out = Buffer.alloc(pre + OVERHEAD + data.length, CJT188_PREAMBLE);
  let i = pre;
  out[i++] = CJT188_START;
  out[i++] = f.meterType;
  out.set(addr, i);
  i += CJT188_ADDRESS_BYTES;
  out[i++] = f.control & 0xff;
  out[i++] = data.length;
  out.set(data, i);
  i += data.length;
  out[i] = byteSum(out, pre, i);
  out[i + 1] = CJT188_END;
  return out;
}

function frameAt(buf: Uint8Array, at: number, preamble: number): Cjt188Frame {
  const len = buf[at + 10]!;
  const end = at + OVERHEAD + len;
  if (buf[end - 1] !== CJT188_END) throw err('CJT188_ERR_FRAME', `no 0x16 end byte after ${len} data bytes`);
  const cs = byteSum(buf, at, end - 2);
  if (cs !== buf[end - 2]) {
    throw err(
      'CJT188_ERR_CHECKSUM',
      `checksum 0x${buf[end - 2]!.toString(16).padStart(2, '0')} should be 0x${cs.toString(16).padStart(2, '0')}`,
    );
  }
  const meterType = buf[at + 1]!;
  if (!isMeterType(meterType))
    throw err('CJT188_ERR_METER_TYPE', `meter type 0x${meterType.toString(16)} is not 0x10..0x49`);
  return {
    meterType,
    address: addressFromBytes(buf.subarray(at + 2, at + 9)),
    control: buf[at + 9]!,
    data: Uint8Array.from(buf.subarray(at + 11, at + 11 + len)),
    preamble,
  };
}

/** Decodes exactly one frame (optionally preceded by 0xFE bytes, nothing after it). */
export function decodeFrame(input: Uint8Array): Cjt188Frame {
  if (!(input instanceof Uint8Array)) throw err('CJT188_ERR_FRAME', 'input is not bytes');
  let at = 0;
  while (at < input.length && input[at] === CJT188_PREAMBLE) at++;
  if (input.length - at < OVERHEAD)
    throw err('CJT188_ERR_FRAME', `frame of ${input.length - at} bytes is shorter than ${OVERHEAD}`);
  if (input[at] !== CJT188_START)
    throw err('CJT188_ERR_FRAME', `starts with 0x${input[at]!.toString(16)} instead of 0x68`);
  const total = OVERHEAD + input[at + 10]!;
  if (input.length - at < total)
    throw err('CJT188_ERR_FRAME', `truncated: L=${input[at + 10]} needs ${total} bytes, got ${input.length - at}`);
  if (input.length - at > total)
    throw err('CJT188_ERR_FRAME', `${input.length - at - total} bytes after the end of the frame`);
  return frameAt(input, at, at);
}

export type Cjt188Scan =
  | { kind: 'frame'; frame: Cjt188Frame; consumed: number }
  | { kind: 'partial'; skip: number }
  | { kind: 'invalid'; error: YiwangError; consumed: number };

/** Finds the next frame in a receive buffer; same contract as the DL/T 645 scanFrame. */
export function scanFrame(buf: Uint8Array): Cjt188Scan {
  let at = buf.indexOf(CJT188_START);
  while (at >= 0) {
    if (buf.length - at < 2) return { kind: 'partial', skip: at };
    if (isMeterType(buf[at + 1]!)) {
      if (buf.length - at < 11) return { kind: 'partial', skip: at };
      const total = OVERHEAD + buf[at + 10]!;
      if (buf.length - at < total) return { kind: 'partial', skip: at };
      let pre = 0;
      while (pre < at && buf[at - pre - 1] === CJT188_PREAMBLE) pre++;
      try {
        return { kind: 'frame', frame: frameAt(buf, at, pre), consumed: at + total };
      } catch (e) {
        return { kind: 'invalid', error: e as YiwangError, consumed: at + 1 };
      }
    }
    at = buf.indexOf(CJT188_START, at + 1);
  }
  return { kind: 'partial', skip: buf.length };
}
