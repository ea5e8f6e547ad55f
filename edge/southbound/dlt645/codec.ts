/**
 * DL/T 645-2007 messages: read requests (incl. the broadcast address read), follow-up reads,
 * broadcast time sync; replies decoded into named values with units; abnormal replies decoded
 * into coded errors. Meter-side builders serve simulators and tests.
 */
import { YiwangError, type ErrorCode } from '../../../common/errors.js';
import { bcdByte, bcdDigitsLE, toBcdByte, writeBcd } from './bcd.js';
import {
  DLT645_BROADCAST_ADDRESS,
  DLT645_FN,
  DLT645_WILDCARD_ADDRESS,
  decodeControl,
  decodeFrame,
  encodeControl,
  encodeFrame,
  type Dlt645Frame,
} from './frame.js';
import {
  dataIdFromBytes,
  dataIdToBytes,
  decodeItemValue,
  encodeItemValue,
  lookupDataId,
  normalizeDataId,
  type Dlt645DataItem,
  type Dlt645Scalar,
  type Dlt645Value,
} from './data-ids.js';

export interface Dlt645BuildOptions {
  /** 0xFE wake-up bytes in front of the frame; default 4. */
  preamble?: number;
}

const PRE = 4;

function fail(code: ErrorCode, detail: string): never {
  throw new YiwangError(code, `DL/T 645: ${detail}`);
}

function asFrame(input: Uint8Array | Dlt645Frame): Dlt645Frame {
  return input instanceof Uint8Array ? decodeFrame(input) : input;
}

const request = (fn: number): number => encodeControl({ fromMeter: false, abnormal: false, followUp: false, fn });

/** Read one data identifier (function 0x11). */
export function buildReadRequest(address: string, di: string, opts: Dlt645BuildOptions = {}): Buffer {
  return encodeFrame({
    address,
    control: request(DLT645_FN.READ_DATA),
    data: dataIdToBytes(di),
    preamble: opts.preamble ?? PRE,
  });
}

/** Ask for follow-up frame `seq` (1..255) after a reply with the follow-up bit (function 0x12). */
export function buildReadFollowUpRequest(
  address: string,
  di: string,
  seq: number,
  opts: Dlt645BuildOptions = {},
): Buffer {
  if (!Number.isInteger(seq) || seq < 1 || seq > 255)
    fail('DLT645_ERR_DATA', `follow-up sequence ${seq} is not 1..255`);
  return encodeFrame({
    address,
    control: request(DLT645_FN.READ_FOLLOW_UP),
    data: Buffer.concat([dataIdToBytes(di), Uint8Array.of(seq)]),
    preamble: opts.preamble ?? PRE,
  });
}

/** Broadcast address read (function 0x13 to AA…AA): the only meter on the bus answers with its address. */
export function buildReadAddressRequest(opts: Dlt645BuildOptions = {}): Buffer {
  return encodeFrame({
    address: DLT645_WILDCARD_ADDRESS,
    control: request(DLT645_FN.READ_ADDRESS),
    preamble: opts.preamble ?? PRE,
  });
}

export interface Dlt645Clock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Broadcast time sync (function 0x08 to 99…99), meter local time; meters do not reply. */
export function buildTimeSync(t: Dlt645Clock, opts: Dlt645BuildOptions = {}): Buffer {
  const parts = [t.second, t.minute, t.hour, t.day, t.month, t.year - 2000];
  const ranges: readonly (readonly [number, number])[] = [
    [0, 59],
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 99],
  ];
  parts.forEach((v, i) => {
    if (!Number.isInteger(v) || v < ranges[i]![0] || v > ranges[i]![1])
      fail('DLT645_ERR_DATA', `time sync field ${i} = ${v} out of range`);
  });
  return encodeFrame({
    address: DLT645_BROADCAST_ADDRESS,
    control: request(DLT645_FN.BROADCAST_TIME),
    data: Uint8Array.from(parts.map(toBcdByte)),
    preamble: opts.preamble ?? PRE,
  });
}

export type Dlt645Request =
  | { kind: 'read'; address: string; di: string; seq?: number; extra?: Uint8Array }
  | { kind: 'read-address'; address: string }
  | { kind: 'time-sync'; address: string; time: string }
  | { kind: 'other'; address: string; fn: number; data: Uint8Array };

/** Decodes a master's request (used by meter simulators). */
export function decodeRequest(input: Uint8Array | Dlt645Frame): Dlt645Request {
  const f = asFrame(input);
  const c = decodeControl(f.control);
  if (c.fromMeter || c.abnormal) fail('DLT645_ERR_CONTROL', `control 0x${f.control.toString(16)} is not a request`);
  if (c.fn === DLT645_FN.READ_DATA || c.fn === DLT645_FN.READ_FOLLOW_UP) {
    if (f.data.length < 4) fail('DLT645_ERR_DATA', `read request with ${f.data.length} data bytes`);
    const di = dataIdFromBytes(f.data);
    if (c.fn === DLT645_FN.READ_FOLLOW_UP) {
      if (f.data.length !== 5) fail('DLT645_ERR_DATA', `follow-up read with ${f.data.length} data bytes`);
      return { kind: 'read', address: f.address, di, seq: f.data[4]! };
    }
    return f.data.length > 4
      ? { kind: 'read', address: f.address, di, extra: f.data.slice(4) }
      : { kind: 'read', address: f.address, di };
  }
  if (c.fn === DLT645_FN.READ_ADDRESS) return { kind: 'read-address', address: f.address };
  if (c.fn === DLT645_FN.BROADCAST_TIME && f.data.length === 6) {
    const [ss = -1, mi = -1, hh = -1, dd = -1, mo = -1, yy = -1] = [...f.data].map(bcdByte);
    if ([ss, mi, hh, dd, mo, yy].some((n) => n < 0)) fail('DLT645_ERR_DATA', 'time sync bytes are not BCD');
    const p = (n: number): string => String(n).padStart(2, '0');
    return { kind: 'time-sync', address: f.address, time: `20${p(yy)}-${p(mo)}-${p(dd)} ${p(hh)}:${p(mi)}:${p(ss)}` };
  }
  return { kind: 'other', address: f.address, fn: c.fn, data: f.data };
}

export type Dlt645Response =
  /** Normal reply to a read: the identifier, its named values (empty when unknown) and the raw value bytes. */
  | {
      kind: 'data';
      address: string;
      di: string;
      item?: Dlt645DataItem;
      values: Dlt645Value[];
      raw: Uint8Array;
      followUp: boolean;
      seq?: number;
    }
  /** Reply to the address read. */
  | { kind: 'address'; address: string }
  /** Normal reply to any other function (write, freeze, …). */
  | { kind: 'ack'; address: string; fn: number; data: Uint8Array }
  /** Abnormal reply: the meter refused; `error` is the coded error, `flags` the error-byte bits. */
  | { kind: 'exception'; address: string; fn: number; errorByte: number; flags: string[]; error: YiwangError };

/** Bits of the error byte of an abnormal reply, with their coded error (most specific first). */
const EXCEPTION_BITS: readonly [number, string, ErrorCode][] = [
  [1, 'no_data', 'DLT645_ERR_REMOTE_NO_DATA'],
  [2, 'unauthorized', 'DLT645_ERR_REMOTE_UNAUTHORIZED'],
  [3, 'rate_unchangeable', 'DLT645_ERR_REMOTE_RATE'],
  [4, 'too_many_year_zones', 'DLT645_ERR_REMOTE_LIMIT'],
  [5, 'too_many_day_periods', 'DLT645_ERR_REMOTE_LIMIT'],
  [6, 'too_many_tariffs', 'DLT645_ERR_REMOTE_LIMIT'],
  [0, 'other', 'DLT645_ERR_REMOTE_OTHER'],
];

/** Decodes the error byte of an abnormal reply into flag names and one coded error. */
export function decodeException(errorByte: number, context = ''): { flags: string[]; error: YiwangError } {
  const hits = EXCEPTION_BITS.filter(([bit]) => (errorByte & (1 << bit)) !== 0);
  const flags = hits.map(([, name]) => name);
  const code = hits[0]?.[2] ?? 'DLT645_ERR_REMOTE_OTHER';
  const detail = `DL/T 645: meter refused${context ? ` ${context}` : ''}: error byte 0x${errorByte.toString(16).padStart(2, '0')} (${flags.join(', ') || 'no bit set'})`;
  return { flags, error: new YiwangError(code, detail) };
}

/** Decodes a meter's reply. Framing, checksum and content problems throw coded errors. */
export function decodeResponse(input: Uint8Array | Dlt645Frame): Dlt645Response {
  const f = asFrame(input);
  const c = decodeControl(f.control);
  if (!c.fromMeter) fail('DLT645_ERR_CONTROL', `control 0x${f.control.toString(16)} is a request, not a reply`);
  if (!/^[0-9]{12}$/.test(f.address)) fail('DLT645_ERR_ADDRESS', `reply from non-BCD address ${f.address}`);
  if (c.abnormal) {
    if (f.data.length < 1) fail('DLT645_ERR_DATA', 'abnormal reply without an error byte');
    const { flags, error } = decodeException(f.data[0]!, `function 0x${c.fn.toString(16)} from ${f.address}`);
    return { kind: 'exception', address: f.address, fn: c.fn, errorByte: f.data[0]!, flags, error };
  }
  if (c.fn === DLT645_FN.READ_DATA || c.fn === DLT645_FN.READ_FOLLOW_UP) {
    const tail = c.fn === DLT645_FN.READ_FOLLOW_UP ? 1 : 0;
    if (f.data.length < 4 + tail) fail('DLT645_ERR_DATA', `read reply with ${f.data.length} data bytes`);
    const di = dataIdFromBytes(f.data);
    const raw = f.data.slice(4, f.data.length - tail);
    const item = lookupDataId(di);
    const values = item ? decodeItemValue(item, raw) : [];
    const base = { kind: 'data' as const, address: f.address, di, values, raw, followUp: c.followUp };
    const withItem = item ? { ...base, item } : base;
    return tail ? { ...withItem, seq: f.data[f.data.length - 1]! } : withItem;
  }
  if (c.fn === DLT645_FN.READ_ADDRESS) {
    if (f.data.length !== 6) fail('DLT645_ERR_DATA', `address reply with ${f.data.length} data bytes`);
    const d = bcdDigitsLE(f.data);
    if (!d) fail('DLT645_ERR_ADDRESS', 'address reply is not BCD');
    return { kind: 'address', address: d.digits };
  }
  return { kind: 'ack', address: f.address, fn: c.fn, data: f.data };
}

/**
 * The values of a read reply, checked against the request: abnormal replies throw their coded
 * error, replies for another meter or identifier throw DLT645_ERR_MISMATCH.
 */
export function expectReadValues(
  input: Uint8Array | Dlt645Frame,
  expect: { address?: string; di: string },
): Dlt645Value[] {
  const r = decodeResponse(input);
  if (r.kind === 'exception') throw r.error;
  if (r.kind !== 'data') fail('DLT645_ERR_CONTROL', `expected a read reply, got ${r.kind}`);
  const di = normalizeDataId(expect.di);
  if (expect.address && /^[0-9]{12}$/.test(expect.address) && r.address !== expect.address) {
    fail('DLT645_ERR_MISMATCH', `reply from ${r.address}, expected ${expect.address}`);
  }
  if (r.di !== di) fail('DLT645_ERR_MISMATCH', `reply for ${r.di}, expected ${di}`);
  if (!r.item) fail('DLT645_ERR_DATA_ID', `no layout known for ${di}`);
  return r.values;
}

const reply = (fn: number, abnormal = false, followUp = false): number =>
  encodeControl({ fromMeter: true, abnormal, followUp, fn });

export interface Dlt645ReplyOptions extends Dlt645BuildOptions {
  followUp?: boolean;
  /** Sequence number for replies to follow-up reads (function 0x12). */
  seq?: number;
}

/** Meter side: normal read reply with values (named) or raw value bytes. Default preamble 0. */
export function buildReadResponse(
  address: string,
  di: string,
  value: Uint8Array | readonly Dlt645Value[] | Record<string, Dlt645Scalar>,
  opts: Dlt645ReplyOptions = {},
): Buffer {
  let raw: Uint8Array;
  if (value instanceof Uint8Array) raw = value;
  else {
    const item = lookupDataId(di) ?? fail('DLT645_ERR_DATA_ID', `no layout known for ${di}`);
    raw = encodeItemValue(item, value);
  }
  const seq = opts.seq === undefined ? [] : [opts.seq & 0xff];
  const fn = opts.seq === undefined ? DLT645_FN.READ_DATA : DLT645_FN.READ_FOLLOW_UP;
  const data = Buffer.concat([dataIdToBytes(di), raw, Uint8Array.from(seq)]);
  return encodeFrame({
    address,
    control: reply(fn, false, opts.followUp ?? false),
    data,
    preamble: opts.preamble ?? 0,
  });
}

/** Meter side: reply to the address read. */
export function buildReadAddressResponse(address: string, opts: Dlt645BuildOptions = {}): Buffer {
  if (!/^[0-9]{12}$/.test(address)) fail('DLT645_ERR_ADDRESS', `bad meter address ${JSON.stringify(address)}`);
  const data = writeBcd(Number(address), 6, 0) ?? fail('DLT645_ERR_ADDRESS', address);
  return encodeFrame({ address, control: reply(DLT645_FN.READ_ADDRESS), data, preamble: opts.preamble ?? 0 });
}

/** Meter side: abnormal reply to function `fn` with an error byte (bit 1 = no data, bit 2 = unauthorised, …). */
export function buildExceptionResponse(
  address: string,
  fn: number,
  errorByte: number,
  opts: Dlt645BuildOptions = {},
): Buffer {
  return encodeFrame({
    address,
    control: reply(fn, true),
    data: Uint8Array.of(errorByte & 0xff),
    preamble: opts.preamble ?? 0,
  });
}
