/**
 * DL/T 645-2007 framing:  [FE…] 68 A0..A5 68 C L DATA CS 16
 * - A0..A5: meter address, BCD, least significant byte first (shown reversed: 000000000161).
 * - C: D7 direction (1 = from the meter), D6 abnormal reply, D5 follow-up frame, D4..D0 function.
 * - DATA: every byte sent +0x33 (removed here); CS: byte sum from the first 0x68 through DATA.
 * - Any number of 0xFE wake-up bytes may precede the frame.
 */
import { YiwangError, type ErrorCode } from '../../../common/errors.js';
import { addressFromBytes, addressToBytes, byteSum } from './bcd.js';

export const DLT645_START = 0x68;
export const DLT645_END = 0x16;
export const DLT645_PREAMBLE = 0xfe;
export const DLT645_DATA_OFFSET = 0x33;
export const DLT645_ADDRESS_BYTES = 6;
/** Address every meter answers (read-address requests on a one-meter bus). */
export const DLT645_WILDCARD_ADDRESS = 'AAAAAAAAAAAA';
/** Broadcast address (time sync); meters do not reply. */
export const DLT645_BROADCAST_ADDRESS = '999999999999';
/** Frame overhead: 68, 6 address bytes, 68, C, L, CS, 16. */
const OVERHEAD = 12;

/** Function codes (control bits D4..D0). */
export const DLT645_FN = {
  SECURITY: 0x03,
  BROADCAST_TIME: 0x08,
  READ_DATA: 0x11,
  READ_FOLLOW_UP: 0x12,
  READ_ADDRESS: 0x13,
  WRITE_DATA: 0x14,
  WRITE_ADDRESS: 0x15,
  FREEZE: 0x16,
  CHANGE_RATE: 0x17,
  CHANGE_PASSWORD: 0x18,
  DEMAND_RESET: 0x19,
  METER_CLEAR: 0x1a,
  EVENT_CLEAR: 0x1b,
  REMOTE_CONTROL: 0x1c,
  OUTPUT_CONTROL: 0x1d,
} as const;

export interface Dlt645Control {
  /** D7: true when the frame comes from the meter (a reply). */
  fromMeter: boolean;
  /** D6: the meter could not carry out the request (data is an error byte). */
  abnormal: boolean;
  /** D5: more data follows in a follow-up frame (read with function 0x12). */
  followUp: boolean;
  /** D4..D0: function code, see DLT645_FN. */
  fn: number;
}

export function decodeControl(c: number): Dlt645Control {
  return { fromMeter: (c & 0x80) !== 0, abnormal: (c & 0x40) !== 0, followUp: (c & 0x20) !== 0, fn: c & 0x1f };
}

export function encodeControl(c: Dlt645Control): number {
  return (c.fromMeter ? 0x80 : 0) | (c.abnormal ? 0x40 : 0) | (c.followUp ? 0x20 : 0) | (c.fn & 0x1f);
}

export interface Dlt645Frame {
  /** Displayed address, 12 hex digits, most significant first. */
  address: string;
  /** Raw control byte; see decodeControl. */
  control: number;
  /** Data field with the +0x33 offset removed. */
  data: Uint8Array;
  /** Number of 0xFE bytes in front of the frame (decode) or to send (encode). */
  preamble: number;
}

export interface Dlt645FrameInput {
  address: string;
  control: number;
  data?: Uint8Array;
  preamble?: number;
}

function err(code: ErrorCode, detail: string): YiwangError {
  return new YiwangError(code, `DL/T 645: ${detail}`);
}

/** Builds a frame; the data is given without the +0x33 offset. */
export function encodeFrame(f: Dlt645FrameInput): Buffer {
  const addr = addressToBytes(f.address, DLT645_ADDRESS_BYTES);
  if (!addr) throw err('DLT645_ERR_ADDRESS', `bad meter address ${JSON.stringify(f.address)}`);
  const data = f.data ?? new Uint8Array(0);
  if (data.length > 255) throw err('DLT645_ERR_DATA', `data field of ${data.length} bytes exceeds 255`);
  const pre = f.preamble ?? 0;
  if (!Number.isInteger(pre) || pre < 0 || pre > 16) throw err('DLT645_ERR_FRAME', `preamble of ${pre} bytes`);
  const out = Buffer.alloc(pre + OVERHEAD + data.length, DLT645_PREAMBLE);
  let i = pre;
  out[i++] = DLT645_START;
  out.set(addr, i);
  i += DLT645_ADDRESS_BYTES;
  out[i++] = DLT645_START;
  out[i++] = f.control & 0xff;
  out[i++] = data.length;
  for (const b of data) out[i++] = (b + DLT645_DATA_OFFSET) & 0xff;
  out[i] = byteSum(out, pre, i);
  out[i + 1] = DLT645_END;
  return out;
}

/** Checks the frame starting at `at` whose bytes are all present; throws the coded error. */
function frameAt(buf: Uint8Array, at: number, preamble: number): Dlt645Frame {
  const len = buf[at + 9]!;
  const end = at + OVERHEAD + len;
  if (buf[end - 1] !== DLT645_END) throw err('DLT645_ERR_FRAME', `no 0x16 end byte after ${len} data bytes`);
  const cs = byteSum(buf, at, end - 2);
  if (cs !== buf[end - 2]) {
    throw err(
      'DLT645_ERR_CHECKSUM',
      `checksum 0x${buf[end - 2]!.toString(16).padStart(2, '0')} should be 0x${cs.toString(16).padStart(2, '0')}`,
    );
  }
  const data = new Uint8Array(len);
  for (let k = 0; k < len; k++) data[k] = (buf[at + 10 + k]! - DLT645_DATA_OFFSET) & 0xff;
  return { address: addressFromBytes(buf.subarray(at + 1, at + 7)), control: buf[at + 8]!, data, preamble };
}

/** Decodes exactly one frame (optionally preceded by 0xFE bytes, nothing after it). */
export function decodeFrame(input: Uint8Array): Dlt645Frame {
  if (!(input instanceof Uint8Array)) throw err('DLT645_ERR_FRAME', 'input is not bytes');
  let at = 0;
  while (at < input.length && input[at] === DLT645_PREAMBLE) at++;
  if (input.length - at < OVERHEAD)
    throw err('DLT645_ERR_FRAME', `frame of ${input.length - at} bytes is shorter than ${OVERHEAD}`);
  if (input[at] !== DLT645_START)
    throw err('DLT645_ERR_FRAME', `starts with 0x${input[at]!.toString(16)} instead of 0x68`);
  if (input[at + 7] !== DLT645_START) throw err('DLT645_ERR_FRAME', 'second 0x68 missing after the address');
  const total = OVERHEAD + input[at + 9]!;
  if (input.length - at < total)
    throw err('DLT645_ERR_FRAME', `truncated: L=${input[at + 9]} needs ${total} bytes, got ${input.length - at}`);
  if (input.length - at > total)
    throw err('DLT645_ERR_FRAME', `${input.length - at - total} bytes after the end of the frame`);
  return frameAt(input, at, at);
}

export type Dlt645Scan =
  /** A checked frame; drop `consumed` bytes from the buffer. */
  | { kind: 'frame'; frame: Dlt645Frame; consumed: number }
  /** No complete frame yet; the first `skip` bytes are noise and may be dropped. */
  | { kind: 'partial'; skip: number }
  /** A frame-shaped run of bytes that failed a check; drop `consumed` bytes and scan again. */
  | { kind: 'invalid'; error: YiwangError; consumed: number };

/**
 * Finds the next frame in a receive buffer (serial bytes arrive in arbitrary pieces).
 * Leading noise is skipped; a start byte whose frame fails a check is dropped by one byte so that
 * a real frame hidden behind it is still found.
 */
export function scanFrame(buf: Uint8Array): Dlt645Scan {
  let at = buf.indexOf(DLT645_START);
  while (at >= 0) {
    if (buf.length - at < 10) return { kind: 'partial', skip: at };
    if (buf[at + 7] === DLT645_START) {
      const total = OVERHEAD + buf[at + 9]!;
      if (buf.length - at < total) return { kind: 'partial', skip: at };
      let pre = 0;
      while (pre < at && buf[at - pre - 1] === DLT645_PREAMBLE) pre++;
      try {
        return { kind: 'frame', frame: frameAt(buf, at, pre), consumed: at + total };
      } catch (e) {
        return { kind: 'invalid', error: e as YiwangError, consumed: at + 1 };
      }
    }
    at = buf.indexOf(DLT645_START, at + 1);
  }
  return { kind: 'partial', skip: buf.length };
}
