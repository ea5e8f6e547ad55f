/**
 * HJ 212 envelope (2017, kept by the 2025 revision):
 *   "##" + 4 decimal digits (data segment length in bytes) + data segment + 4 hex CRC16 + CRLF
 * CRC16: poly 0xA001 (reflected), init 0xFFFF, over the data segment only, in the HJ 212 form
 * crc = (crc >> 8) ^ byte, then 8 shift/xor rounds (../shared/vectors/README.md).
 * The deframer turns a TCP byte stream into checked segments, resynchronising on "##".
 */
import { YiwangError, type ErrorCode } from '../../../common/errors.js';

/** Maximum data segment length in HJ 212-2017. */
export const HJ212_MAX_SEGMENT = 1024;
const HEAD = 6; // "##" + 4 digits
const CRC_LEN = 4;
const CRLF = '\r\n';

export function hj212Crc16(data: Uint8Array): number {
  let crc = 0xffff;
  for (const b of data) {
    crc = (crc >> 8) ^ b;
    for (let i = 0; i < 8; i++) {
      const lsb = crc & 1;
      crc >>= 1;
      if (lsb) crc ^= 0xa001;
    }
  }
  return crc;
}

export interface Hj212FrameOptions {
  /** Largest data segment accepted or built; default 1024 (the standard), at most 9999. */
  maxSegmentLength?: number;
  /** Require the CRLF terminator (decode); default false, since the envelope is complete without it. */
  requireCrlf?: boolean;
}

export interface Hj212EncodeOptions {
  maxSegmentLength?: number;
  /** Write the CRC in lower case (some instruments do); default upper case. */
  lowercaseCrc?: boolean;
  /** Append CRLF; default true. */
  crlf?: boolean;
}

export interface Hj212RawFrame {
  /** The data segment (UTF-8 decoded). */
  segment: string;
  /** Its length in bytes, as the length field says. */
  length: number;
  /** CRC as received (4 hex digits). */
  crc: string;
}

function err(code: ErrorCode, detail: string): YiwangError {
  return new YiwangError(code, `HJ 212: ${detail}`);
}

function maxOf(o: { maxSegmentLength?: number }): number {
  const m = o.maxSegmentLength ?? HJ212_MAX_SEGMENT;
  return Number.isInteger(m) && m > 0 && m <= 9999 ? m : HJ212_MAX_SEGMENT;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Wraps a data segment into a frame. */
export function encodeFrame(segment: string, opts: Hj212EncodeOptions = {}): Buffer {
  const body = Buffer.from(segment, 'utf8');
  if (body.length > maxOf(opts))
    throw err('HJ212_ERR_TOO_LONG', `data segment of ${body.length} bytes exceeds ${maxOf(opts)}`);
  let crc = hj212Crc16(body).toString(16).toUpperCase().padStart(4, '0');
  if (opts.lowercaseCrc) crc = crc.toLowerCase();
  const tail = opts.crlf === false ? '' : CRLF;
  return Buffer.concat([
    Buffer.from(`##${String(body.length).padStart(4, '0')}`, 'ascii'),
    body,
    Buffer.from(crc + tail, 'ascii'),
  ]);
}

/** Checks one complete frame (CRLF optional unless required) and returns its data segment. */
export function decodeFrame(input: Uint8Array | string, opts: Hj212FrameOptions = {}): Hj212RawFrame {
  const b =
    typeof input === 'string'
      ? Buffer.from(input, 'utf8')
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (b.length < 2 || b[0] !== 0x23 || b[1] !== 0x23) throw err('HJ212_ERR_HEADER', 'frame does not start with "##"');
  const lenText = b.subarray(2, HEAD).toString('latin1');
  if (!/^[0-9]{4}$/.test(lenText))
    throw err('HJ212_ERR_LENGTH', `length field ${JSON.stringify(lenText)} is not 4 decimal digits`);
  const len = Number(lenText);
  const max = maxOf(opts);
  if (len > max) throw err('HJ212_ERR_TOO_LONG', `data segment of ${len} bytes exceeds ${max}`);
  const end = HEAD + len + CRC_LEN;
  const hasCrlf = b.length >= 2 && b[b.length - 2] === 0x0d && b[b.length - 1] === 0x0a;
  const rest = b.length - end;
  if (!(rest === 2 && hasCrlf) && !(rest === 0 && !opts.requireCrlf)) {
    if (rest === 0) throw err('HJ212_ERR_TRAILER', 'frame does not end with CRLF');
    const actual = b.length - HEAD - CRC_LEN - (hasCrlf ? 2 : 0);
    throw err('HJ212_ERR_LENGTH', `length field says ${len} bytes, the data segment has ${Math.max(actual, 0)}`);
  }
  const crcText = b.subarray(HEAD + len, end).toString('latin1');
  if (!/^[0-9A-Fa-f]{4}$/.test(crcText))
    throw err('HJ212_ERR_CRC', `CRC field ${JSON.stringify(crcText)} is not 4 hex digits`);
  const body = b.subarray(HEAD, HEAD + len);
  const want = hj212Crc16(body);
  if (parseInt(crcText, 16) !== want) {
    throw err('HJ212_ERR_CRC', `CRC ${crcText} should be ${want.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  let segment: string;
  try {
    segment = utf8.decode(body);
  } catch {
    throw err('HJ212_ERR_SEGMENT', 'data segment is not valid UTF-8');
  }
  return { segment, length: len, crc: crcText };
}

export type Hj212DeframeEvent =
  | { type: 'frame'; frame: Hj212RawFrame; raw: Buffer }
  | { type: 'error'; error: YiwangError; raw: Buffer };

/**
 * Splits a TCP byte stream into checked frames. Frames may be split across chunks and several may
 * share one chunk. A bad frame yields one error event and scanning resumes at the next "##";
 * stray CR/LF between frames is ignored. Memory is bounded by the largest allowed frame.
 */
export class Hj212Deframer {
  private buf: Buffer = Buffer.alloc(0);
  private readonly max: number;
  /** True after an error until the next frame: discarded noise is not reported again. */
  private resyncing = false;

  constructor(opts: { maxSegmentLength?: number } = {}) {
    this.max = maxOf(opts);
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): Hj212DeframeEvent[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    const events: Hj212DeframeEvent[] = [];
    for (;;) {
      const at = this.buf.indexOf('##');
      const noiseEnd = at < 0 ? (this.buf[this.buf.length - 1] === 0x23 ? this.buf.length - 1 : this.buf.length) : at;
      if (noiseEnd > 0) {
        const noise = this.buf.subarray(0, noiseEnd);
        if (!this.resyncing && noise.some((c) => c !== 0x0d && c !== 0x0a && c !== 0x20 && c !== 0x00)) {
          events.push({
            type: 'error',
            error: err('HJ212_ERR_HEADER', `${noise.length} bytes outside a frame discarded`),
            raw: Buffer.from(noise),
          });
        }
        this.buf = this.buf.subarray(noiseEnd);
      }
      if (at < 0 || this.buf.length < HEAD) break;
      const lenText = this.buf.subarray(2, HEAD).toString('latin1');
      const len = /^[0-9]{4}$/.test(lenText) ? Number(lenText) : -1;
      if (len < 0 || len > this.max) {
        const error =
          len < 0
            ? err('HJ212_ERR_LENGTH', `length field ${JSON.stringify(lenText)} is not 4 decimal digits`)
            : err('HJ212_ERR_TOO_LONG', `data segment of ${len} bytes exceeds ${this.max}`);
        events.push({ type: 'error', error, raw: Buffer.from(this.buf.subarray(0, HEAD)) });
        this.buf = this.buf.subarray(2);
        this.resyncing = true;
        continue;
      }
      const total = HEAD + len + CRC_LEN + 2;
      if (this.buf.length < total) break;
      const raw = Buffer.from(this.buf.subarray(0, total));
      try {
        events.push({ type: 'frame', frame: decodeFrame(raw, { maxSegmentLength: this.max, requireCrlf: true }), raw });
        this.buf = this.buf.subarray(total);
        this.resyncing = false;
      } catch (e) {
        events.push({ type: 'error', error: e as YiwangError, raw });
        // A frame whose shape is right (CRLF in place) is dropped whole; otherwise the length lied: rescan after "##".
        const shaped = raw[total - 2] === 0x0d && raw[total - 1] === 0x0a;
        this.buf = this.buf.subarray(shaped ? total : 2);
        this.resyncing = true;
      }
    }
    if (this.buf.byteOffset > 0 && this.buf.length < 64) this.buf = Buffer.from(this.buf);
    return events;
  }

  /** Drops any partial frame (e.g. after a read timeout). */
  reset(): void {
    this.buf = Buffer.alloc(0);
    this.resyncing = false;
  }
}
