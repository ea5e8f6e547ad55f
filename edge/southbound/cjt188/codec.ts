/**
 * CJ/T 188-2004 messages: meter-data reads (also to the wildcard address), the broadcast address
 * read, valve control; replies decoded into named values with units; abnormal replies into coded
 * errors. DI bytes are sent as written ("90 1F"); replies with the bytes swapped ("1F 90", seen in
 * the field) are accepted. Meter-side builders serve simulators and tests.
 */
import { YiwangError, type ErrorCode } from '../../../common/errors.js';
import {
  CJT188_FN,
  CJT188_WILDCARD_ADDRESS,
  decodeControl,
  decodeFrame,
  encodeControl,
  encodeFrame,
  type Cjt188Frame,
} from './frame.js';
import {
  CJT188_DI,
  decodeContent,
  encodeContent,
  hasLayout,
  isKnownDataId,
  readStatus,
  type Cjt188ContentInput,
  type Cjt188Value,
} from './data-ids.js';

export interface Cjt188BuildOptions {
  /** 0xFE wake-up bytes before the frame; default 2 for requests, 0 for meter replies. */
  preamble?: number;
  /** Send the DI bytes swapped ("1F 90") for meters that expect that order. */
  swapDataId?: boolean;
}

function fail(code: ErrorCode, detail: string): never {
  throw new YiwangError(code, `CJ/T 188: ${detail}`);
}

function asFrame(input: Uint8Array | Cjt188Frame): Cjt188Frame {
  return input instanceof Uint8Array ? decodeFrame(input) : input;
}

function diBytes(di: string, swap = false): Uint8Array {
  if (typeof di !== 'string' || !/^[0-9A-Fa-f]{4}$/.test(di))
    fail('CJT188_ERR_DATA_ID', `data identifier ${JSON.stringify(di)} is not 4 hex digits`);
  const b = [parseInt(di.slice(0, 2), 16), parseInt(di.slice(2, 4), 16)];
  return Uint8Array.from(swap ? b.reverse() : b);
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

/** DI from the first two data bytes; swapped order is recognised for known identifiers. */
function diFrom(b: Uint8Array): { di: string; swapped: boolean } {
  const straight = hex2(b[0]!) + hex2(b[1]!);
  const swapped = hex2(b[1]!) + hex2(b[0]!);
  if (!isKnownDataId(straight) && isKnownDataId(swapped)) return { di: swapped, swapped: true };
  return { di: straight, swapped: false };
}

function checkSer(ser: number): number {
  if (!Number.isInteger(ser) || ser < 0 || ser > 255) fail('CJT188_ERR_DATA', `sequence number ${ser} is not 0..255`);
  return ser;
}

const request = (fn: number): number => encodeControl({ fromMeter: false, abnormal: false, fn });
const reply = (fn: number, abnormal = false): number => encodeControl({ fromMeter: true, abnormal, fn });

/** Read data (function 0x01); DI defaults to 901F (meter data). Use the wildcard address on a one-meter bus. */
export function buildReadRequest(
  meterType: number,
  address: string,
  req: { di?: string; ser?: number } = {},
  opts: Cjt188BuildOptions = {},
): Buffer {
  const data = Buffer.concat([
    diBytes(req.di ?? CJT188_DI.METER_DATA, opts.swapDataId),
    Uint8Array.of(checkSer(req.ser ?? 0)),
  ]);
  return encodeFrame({ meterType, address, control: request(CJT188_FN.READ_DATA), data, preamble: opts.preamble ?? 2 });
}

/** Broadcast address read (function 0x03, DI 810A, wildcard address). */
export function buildReadAddressRequest(meterType: number, ser = 0, opts: Cjt188BuildOptions = {}): Buffer {
  const data = Buffer.concat([diBytes(CJT188_DI.READ_ADDRESS, opts.swapDataId), Uint8Array.of(checkSer(ser))]);
  return encodeFrame({
    meterType,
    address: CJT188_WILDCARD_ADDRESS,
    control: request(CJT188_FN.READ_ADDRESS),
    data,
    preamble: opts.preamble ?? 2,
  });
}

export const VALVE_OPEN = 0x55;
export const VALVE_CLOSE = 0x99;

/** Valve control (function 0x04, DI A017): 0x55 opens, 0x99 closes. */
export function buildValveControl(
  meterType: number,
  address: string,
  action: 'open' | 'close',
  ser = 0,
  opts: Cjt188BuildOptions = {},
): Buffer {
  const data = Buffer.concat([
    diBytes(CJT188_DI.VALVE_CONTROL, opts.swapDataId),
    Uint8Array.of(checkSer(ser), action === 'open' ? VALVE_OPEN : VALVE_CLOSE),
  ]);
  return encodeFrame({
    meterType,
    address,
    control: request(CJT188_FN.WRITE_DATA),
    data,
    preamble: opts.preamble ?? 2,
  });
}

export type Cjt188Request =
  | { kind: 'read'; meterType: number; address: string; di: string; ser: number }
  | { kind: 'read-address'; meterType: number; address: string; ser: number }
  | { kind: 'valve'; meterType: number; address: string; ser: number; action: 'open' | 'close' }
  | { kind: 'other'; meterType: number; address: string; fn: number; data: Uint8Array };

/** Decodes a master's request (used by meter simulators). */
export function decodeRequest(input: Uint8Array | Cjt188Frame): Cjt188Request {
  const f = asFrame(input);
  const c = decodeControl(f.control);
  if (c.fromMeter || c.abnormal) fail('CJT188_ERR_CONTROL', `control 0x${f.control.toString(16)} is not a request`);
  const head = { meterType: f.meterType, address: f.address };
  if ((c.fn === CJT188_FN.READ_DATA || c.fn === CJT188_FN.READ_ADDRESS) && f.data.length === 3) {
    const { di } = diFrom(f.data);
    return c.fn === CJT188_FN.READ_DATA
      ? { kind: 'read', ...head, di, ser: f.data[2]! }
      : { kind: 'read-address', ...head, ser: f.data[2]! };
  }
  if (c.fn === CJT188_FN.WRITE_DATA && f.data.length === 4 && diFrom(f.data).di === CJT188_DI.VALVE_CONTROL) {
    const op = f.data[3]!;
    if (op !== VALVE_OPEN && op !== VALVE_CLOSE) fail('CJT188_ERR_DATA', `valve operation 0x${op.toString(16)}`);
    return { kind: 'valve', ...head, ser: f.data[2]!, action: op === VALVE_OPEN ? 'open' : 'close' };
  }
  return { kind: 'other', ...head, fn: c.fn, data: f.data };
}

interface ReplyHead {
  meterType: number;
  address: string;
}

export type Cjt188Response =
  /** Read reply: identifier, sequence number, values (empty when the layout is unknown) and raw content. */
  | (ReplyHead & { kind: 'data'; di: string; ser: number; values: Cjt188Value[]; raw: Uint8Array; diSwapped: boolean })
  /** Reply to the address read; the address is the frame's. */
  | (ReplyHead & { kind: 'address'; ser: number })
  /** Normal reply to a write (valve control, address, …) with the meter status when present. */
  | (ReplyHead & { kind: 'write-ack'; fn: number; di?: string; ser?: number; values: Cjt188Value[] })
  /** Abnormal reply; `values` holds the decoded status when present. */
  | (ReplyHead & { kind: 'exception'; fn: number; ser?: number; values: Cjt188Value[]; error: YiwangError });

function statusText(values: Cjt188Value[]): string {
  const m = new Map(values.map((v) => [v.name, v.value]));
  return m.size ? `valve ${String(m.get('valve'))}, battery ${m.get('battery_low') ? 'low' : 'ok'}` : 'no status';
}

/** Decodes a meter's reply; framing, checksum and content problems throw coded errors. */
export function decodeResponse(input: Uint8Array | Cjt188Frame): Cjt188Response {
  const f = asFrame(input);
  const c = decodeControl(f.control);
  if (!c.fromMeter) fail('CJT188_ERR_CONTROL', `control 0x${f.control.toString(16)} is a request, not a reply`);
  if (!/^[0-9]{14}$/.test(f.address)) fail('CJT188_ERR_ADDRESS', `reply from non-BCD address ${f.address}`);
  const head = { meterType: f.meterType, address: f.address };
  const d = f.data;
  if (c.abnormal) {
    let ser: number | undefined;
    let values: Cjt188Value[] = [];
    if (d.length >= 5 && isKnownDataId(diFrom(d).di)) [ser, values] = [d[2], readStatus(d.subarray(3, 5))];
    else if (d.length >= 3) [ser, values] = [d[0], readStatus(d.subarray(1, 3))];
    else if (d.length === 2) values = readStatus(d);
    const error = new YiwangError(
      'CJT188_ERR_REMOTE',
      `CJ/T 188: meter ${f.address} refused function 0x${c.fn.toString(16)} (${statusText(values)})`,
    );
    return ser === undefined
      ? { kind: 'exception', ...head, fn: c.fn, values, error }
      : { kind: 'exception', ...head, fn: c.fn, ser, values, error };
  }
  if (d.length < 3) fail('CJT188_ERR_DATA', `reply with ${d.length} data bytes has no DI and SER`);
  const { di, swapped } = diFrom(d);
  const ser = d[2]!;
  if (c.fn === CJT188_FN.READ_DATA) {
    const raw = d.slice(3);
    const values = hasLayout(di) ? decodeContent(f.meterType, di, raw) : [];
    return { kind: 'data', ...head, di, ser, values, raw, diSwapped: swapped };
  }
  if (c.fn === CJT188_FN.READ_ADDRESS) return { kind: 'address', ...head, ser };
  const values = d.length >= 5 ? readStatus(d.subarray(3, 5)) : [];
  return { kind: 'write-ack', ...head, fn: c.fn, di, ser, values };
}

/** Values of a read reply checked against the request; abnormal replies throw CJT188_ERR_REMOTE. */
export function expectReadValues(
  input: Uint8Array | Cjt188Frame,
  expect: { address?: string; di?: string; ser?: number },
): Cjt188Value[] {
  const r = decodeResponse(input);
  if (r.kind === 'exception') throw r.error;
  if (r.kind !== 'data') fail('CJT188_ERR_CONTROL', `expected a read reply, got ${r.kind}`);
  const di = (expect.di ?? CJT188_DI.METER_DATA).toUpperCase();
  if (expect.address && /^[0-9]{14}$/.test(expect.address) && r.address !== expect.address)
    fail('CJT188_ERR_MISMATCH', `reply from ${r.address}, expected ${expect.address}`);
  if (r.di !== di) fail('CJT188_ERR_MISMATCH', `reply for ${r.di}, expected ${di}`);
  if (expect.ser !== undefined && r.ser !== expect.ser)
    fail('CJT188_ERR_MISMATCH', `reply has SER ${r.ser}, expected ${expect.ser}`);
  if (!hasLayout(di)) fail('CJT188_ERR_DATA_ID', `no layout known for ${di}`);
  return r.values;
}

/** Meter side: read reply with content given as values or raw bytes. */
export function buildReadResponse(
  meterType: number,
  address: string,
  di: string,
  ser: number,
  content: Uint8Array | Cjt188ContentInput,
  opts: Cjt188BuildOptions = {},
): Buffer {
  const body = content instanceof Uint8Array ? content : encodeContent(meterType, di.toUpperCase(), content);
  const data = Buffer.concat([diBytes(di, opts.swapDataId), Uint8Array.of(checkSer(ser)), body]);
  return encodeFrame({ meterType, address, control: reply(CJT188_FN.READ_DATA), data, preamble: opts.preamble ?? 0 });
}

/** Meter side: reply to the address read. */
export function buildReadAddressResponse(
  meterType: number,
  address: string,
  ser: number,
  opts: Cjt188BuildOptions = {},
): Buffer {
  if (!/^[0-9]{14}$/.test(address)) fail('CJT188_ERR_ADDRESS', `bad meter address ${JSON.stringify(address)}`);
  const data = Buffer.concat([diBytes(CJT188_DI.READ_ADDRESS, opts.swapDataId), Uint8Array.of(checkSer(ser))]);
  return encodeFrame({
    meterType,
    address,
    control: reply(CJT188_FN.READ_ADDRESS),
    data,
    preamble: opts.preamble ?? 0,
  });
}

/** Meter side: normal reply to a write (DI, SER, status word). */
export function buildWriteAck(
  meterType: number,
  address: string,
  di: string,
  ser: number,
  status = 0,
  opts: Cjt188BuildOptions = {},
): Buffer {
  const data = Buffer.concat([
    diBytes(di, opts.swapDataId),
    Uint8Array.of(checkSer(ser), status & 0xff, (status >> 8) & 0xff),
  ]);
  return encodeFrame({ meterType, address, control: reply(CJT188_FN.WRITE_DATA), data, preamble: opts.preamble ?? 0 });
}

/** Meter side: abnormal reply (SER and status word). */
export function buildExceptionResponse(
  meterType: number,
  address: string,
  fn: number,
  ser: number,
  status: number,
  opts: Cjt188BuildOptions = {},
): Buffer {
  const data = Uint8Array.of(checkSer(ser), status & 0xff, (status >> 8) & 0xff);
  return encodeFrame({ meterType, address, control: reply(fn, true), data, preamble: opts.preamble ?? 0 });
}
