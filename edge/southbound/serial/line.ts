/** Line settings of one serial bus and the timing derived from them. */
import { YiwangError } from '../../../common/errors.js';

export type Parity = 'none' | 'even' | 'odd';

export interface LineSettings {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: Parity;
  stopBits: 1 | 2;
  /** Time a device has to start and finish its reply. */
  responseTimeoutMs: number;
  /** Silence before each request; 0 = 3.5 character times (at least 2 ms), the Modbus RTU rule. */
  interFrameGapMs: number;
}

/** Bits on the wire per character: start + data + parity + stop. */
export function bitsPerChar(l: Pick<LineSettings, 'dataBits' | 'parity' | 'stopBits'>): number {
  return 1 + l.dataBits + (l.parity === 'none' ? 0 : 1) + l.stopBits;
}

/** The effective gap before a request, in ms. */
export function gapMs(l: LineSettings): number {
  if (l.interFrameGapMs > 0) return l.interFrameGapMs;
  return Math.max(2, Math.ceil((3.5 * bitsPerChar(l) * 1000) / l.baudRate));
}

/** Time to transmit `bytes` at the line's speed, in ms (rounded up). */
export function wireMs(l: LineSettings, bytes: number): number {
  return Math.ceil((bytes * bitsPerChar(l) * 1000) / l.baudRate);
}

/** A port error as SERIAL_ERR_PORT, keeping the OS reason (ENOENT = adapter absent, EACCES, EBUSY …). */
export function portError(path: string, err: unknown, doing = 'open'): YiwangError {
  const m = err instanceof Error ? err.message : String(err);
  return new YiwangError('SERIAL_ERR_PORT', `${path}: cannot ${doing}: ${m}`, { cause: err });
}
