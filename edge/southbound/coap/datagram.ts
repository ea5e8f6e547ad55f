/**
 * Checks of a CoAP datagram (RFC 7252 §3) before anything is built from it, and of the options
 * of a request the agent's CoAP server answers. coap-packet's parser reads past the end of an
 * option without complaint (a truncated Uri-Path "senml" arrives as "se") and accepts a payload
 * marker with no payload; node-coap then answered 5.00 (or a wrong 4.04) to what is the device's
 * error. Here every structural error is named, so that the device is told 4.00 or 4.02.
 */
import type { ParsedPacket } from 'coap-packet';

export const TYPE_CON = 0;
export const TYPE_NON = 1;
export const TYPE_ACK = 2;
export const TYPE_RST = 3;

export interface Header {
  type: number;
  /** Token length (0-15 as sent; 9-15 are a format error). */
  tkl: number;
  /** The code byte: class << 5 | detail. */
  code: number;
  messageId: number;
}

/** The fixed 4-byte header, or undefined when the datagram is shorter or not CoAP version 1. */
export function readHeader(msg: Buffer): Header | undefined {
  if (msg.length < 4 || msg[0]! >> 6 !== 1) return undefined;
  return { type: (msg[0]! >> 4) & 3, tkl: msg[0]! & 0x0f, code: msg[1]!, messageId: msg.readUInt16BE(2) };
}

/**
 * What is wrong with the token, options and payload marker of a message whose header is `h`
 * (RFC 7252 §3.1), or undefined when they are well-formed.
 */
export function formatError(msg: Buffer, h: Header): string | undefined {
  if (h.tkl > 8) return `token length ${h.tkl} (0-8 allowed)`;
  let i = 4 + h.tkl;
  if (i > msg.length) return `token of ${h.tkl} bytes runs past the end of the datagram`;
  let number = 0;
  while (i < msg.length) {
    const b = msg[i++]!;
    if (b === 0xff) return i === msg.length ? 'payload marker without a payload' : undefined;
    let delta = b >> 4;
    let len = b & 0x0f;
    if (delta === 15 || len === 15)
      return `reserved option ${delta === 15 ? 'delta' : 'length'} 15 after option ${number}`;
    if (delta === 13) {
      if (i >= msg.length) return 'option delta runs past the end';
      delta = msg[i++]! + 13;
    } else if (delta === 14) {
      if (i + 2 > msg.length) return 'option delta runs past the end';
      delta = msg.readUInt16BE(i) + 269;
      i += 2;
    }
    if (len === 13) {
      if (i >= msg.length) return 'option length runs past the end';
      len = msg[i++]! + 13;
    } else if (len === 14) {
      if (i + 2 > msg.length) return 'option length runs past the end';
      len = msg.readUInt16BE(i) + 269;
      i += 2;
    }
    number += delta;
    if (i + len > msg.length) return `option ${number} (${len} bytes) runs past the end of the datagram`;
    i += len;
  }
  return undefined;
}

export const OPTION_NUMBERS: Record<string, number> = {
  'If-Match': 1,
  'Uri-Host': 3,
  ETag: 4,
  'If-None-Match': 5,
  Observe: 6,
  'Uri-Port': 7,
  'Location-Path': 8,
  OSCORE: 9,
  'Uri-Path': 11,
  'Content-Format': 12,
  'Max-Age': 14,
  'Uri-Query': 15,
  'Hop-Limit': 16,
  Accept: 17,
  'Q-Block1': 19,
  'Location-Query': 20,
  Block2: 23,
  Block1: 27,
  Size2: 28,
  'Q-Block2': 31,
  'Proxy-Uri': 35,
  'Proxy-Scheme': 39,
  Size1: 60,
  'No-Response': 258,
  'OCF-Accept-Content-Format-Version': 2049,
  'OCF-Content-Format-Version': 2053,
};

export const optionNumber = (name: string | number): number =>
  typeof name === 'number' ? name : (OPTION_NUMBERS[name] ?? Number(name));

/** Value lengths RFC 7252 §5.10 (and RFC 7959, 7641, 9175) allow: [min, max]. */
const LENGTHS = new Map<number, [number, number]>([
  [3, [1, 255]],
  [6, [0, 3]],
  [7, [0, 2]],
  [11, [0, 255]],
  [12, [0, 2]],
  [15, [0, 255]],
  [17, [0, 2]],
  [23, [0, 3]],
  [27, [0, 3]],
  [35, [1, 1034]],
  [39, [1, 255]],
  [60, [0, 4]],
  [292, [0, 8]],
]);
/** Critical options (odd numbers) the server acts on; any other critical option answers 4.02. */
const CRITICAL_UNDERSTOOD = new Set([3, 7, 11, 15, 17, 23, 27]);
/** Options that may appear at most once, each with its bit in a request's `seen` mask. */
const SINGLE = new Map([3, 6, 7, 12, 17, 23, 27, 35, 39, 60].map((n, i) => [n, 1 << i]));

/** What a request's option means to the uplink server, looked up once per option name. */
interface OptionRule {
  n: number;
  critical: boolean;
  min: number;
  max: number;
  bit: number;
  unsupported: boolean;
  proxy: boolean;
}
function ruleFor(n: number): OptionRule {
  const [min, max] = LENGTHS.get(n) ?? [0, Infinity];
  const critical = (n & 1) === 1;
  return {
    n,
    critical,
    min,
    max,
    bit: SINGLE.get(n) ?? 0,
    proxy: n === 35 || n === 39,
    unsupported: critical && !CRITICAL_UNDERSTOOD.has(n),
  };
}
const RULES = new Map(Object.entries(OPTION_NUMBERS).map(([name, n]) => [name, ruleFor(n)]));

export interface OptionProblem {
  code: '4.02' | '4.15' | '5.05';
  detail: string;
}

/** A request's options as the intake needs them. */
export interface RequestOptions {
  problem?: OptionProblem;
  block1?: Buffer;
  /** Size1: the total size the client announces. */
  size1?: number;
  contentFormat: boolean;
  observe: boolean;
}

/**
 * One pass over a parsed request's options (RFC 7252 §5.4): an unrecognised critical option, a
 * critical option of the wrong length or repeated is a 4.02 Bad Option; proxying is 5.05 (the
 * RFC's code: the agent is no proxy); a Content-Format that is too long or repeated is 4.15.
 * Elective options the server does not use are ignored, as the RFC says.
 */
export function inspectOptions(packet: ParsedPacket): RequestOptions {
  const out: RequestOptions = { contentFormat: false, observe: false };
  let seen = 0;
  for (const o of packet.options) {
    const r = (typeof o.name === 'string' ? RULES.get(o.name) : undefined) ?? ruleFor(optionNumber(o.name));
    const len = o.value.length;
    if (r.proxy)
      return { ...out, problem: { code: '5.05', detail: 'the agent is no proxy (Proxy-Uri / Proxy-Scheme)' } };
    if (r.unsupported) return { ...out, problem: { code: '4.02', detail: `critical option ${r.n} not supported` } };
    const bad = len < r.min || len > r.max;
    const repeated = (seen & r.bit) !== 0;
    seen |= r.bit;
    if (r.n === 12) {
      if (bad || repeated)
        return {
          ...out,
          problem: {
            code: '4.15',
            detail: repeated ? 'Content-Format repeated' : `Content-Format of ${len} bytes (0-2)`,
          },
        };
      out.contentFormat = true;
    } else if (r.critical && (bad || repeated)) {
      return {
        ...out,
        problem: {
          code: '4.02',
          detail: repeated ? `option ${r.n} repeated` : `option ${r.n} of ${len} bytes (${r.min}-${r.max} allowed)`,
        },
      };
    } else if (r.n === 27) out.block1 = o.value;
    else if (r.n === 6) out.observe = true;
    else if (r.n === 60 && !bad) out.size1 = optionUint(o.value);
  }
  return out;
}

/** An unsigned option value (big-endian, 0-4 bytes as CoAP encodes it). */
export function optionUint(buf: Buffer): number {
  let v = 0;
  for (const b of buf) v = v * 256 + b;
  return v;
}

export function uintOption(v: number): Buffer {
  const bytes: number[] = [];
  for (let x = v; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return Buffer.from(bytes);
}
