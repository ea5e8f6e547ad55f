/**
 * Byte-level readers and writers: integers, IEEE floats, BCD, bit ranges, decimal-exact scaling.
 * Callers check that the bytes read lie within b (decode.ts checks the frame length and each record
 * against the payload, explain.ts each field), so the readers index b without checks.
 */

export type IntType = 'u8' | 'u16' | 'u24' | 'u32' | 'i8' | 'i16' | 'i24' | 'i32';
export const INT_TYPES: readonly IntType[] = ['u8', 'u16', 'u24', 'u32', 'i8', 'i16', 'i24', 'i32'];

export interface IntCodec {
  readonly type: IntType;
  readonly size: number;
  readonly signed: boolean;
  /** Offsets of the bytes from the most significant to the least (big endian: 0, 1, …). */
  readonly offsets: readonly number[];
  readonly min: number;
  readonly max: number;
  read(b: Uint8Array, o: number): number;
  /** v must be an integer in [min, max]. */
  write(b: Uint8Array, o: number, v: number): void;
}

function unsignedReader(size: number, little: boolean): (b: Uint8Array, o: number) => number {
  switch (size) {
    case 1:
      return (b, o) => b[o]!;
    case 2:
      return little ? (b, o) => b[o]! | (b[o + 1]! << 8) : (b, o) => (b[o]! << 8) | b[o + 1]!;
    case 3:
      return little
        ? (b, o) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)
        : (b, o) => (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
    default:
      return little
        ? (b, o) => b[o + 3]! * 0x1000000 + ((b[o + 2]! << 16) | (b[o + 1]! << 8) | b[o]!)
        : (b, o) => b[o]! * 0x1000000 + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
  }
}

/** Byte offsets, most significant first: big or little endian, optionally with the two 16-bit words swapped (CDAB / BADC). */
export function byteOffsets(size: number, little: boolean, wordSwap = false): number[] {
  const o = Array.from({ length: size }, (_, i) => (little ? size - 1 - i : i));
  return wordSwap && size === 4 ? [...o.slice(2), ...o.slice(0, 2)] : o;
}

export function intCodec(type: IntType, little: boolean, wordSwap = false): IntCodec {
  const size = Number(type.slice(1)) / 8;
  const signed = type[0] === 'i';
  const full = 2 ** (8 * size);
  const half = full / 2;
  const offsets = byteOffsets(size, little, wordSwap);
  const [p0, p1, p2, p3] = offsets;
  const readU =
    wordSwap && size === 4 // offsets has four entries
      ? (b: Uint8Array, o: number) => b[o + p0!]! * 0x1000000 + ((b[o + p1!]! << 16) | (b[o + p2!]! << 8) | b[o + p3!]!)
      : unsignedReader(size, little);
  const read = signed
    ? (b: Uint8Array, o: number) => {
        const u = readU(b, o);
        return u >= half ? u - full : u;
      }
    : readU;
  const write = (b: Uint8Array, o: number, v: number): void => {
    let u = v < 0 ? v + full : v;
    for (let i = size - 1; i >= 0; i--) {
      const byte = u % 256;
      u = (u - byte) / 256;
      b[o + offsets[i]!] = byte;
    }
  };
  return { type, size, signed, offsets, min: signed ? -half : 0, max: signed ? half - 1 : full - 1, read, write };
}

const scratch = new DataView(new ArrayBuffer(8));

/** IEEE float of size bytes at o; offsets as from byteOffsets. */
export function readFloat(b: Uint8Array, o: number, size: 4 | 8, offsets: readonly number[]): number {
  for (let i = 0; i < size; i++) scratch.setUint8(i, b[o + offsets[i]!]!);
  return size === 4 ? scratch.getFloat32(0) : scratch.getFloat64(0);
}

export function writeFloat(b: Uint8Array, o: number, size: 4 | 8, offsets: readonly number[], v: number): void {
  if (size === 4) scratch.setFloat32(0, v);
  else scratch.setFloat64(0, v);
  for (let i = 0; i < size; i++) b[o + offsets[i]!] = scratch.getUint8(i);
}

/** The shortest decimal that is the same float32 (0x41CD999A → 25.7, not 25.700000762939453). */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  for (let p = 1; p < 9; p++) {
    const c = Number(x.toPrecision(p));
    if (Math.fround(c) === x) return c;
  }
  return Number(x.toPrecision(9));
}

/** The two digits of each BCD byte ("00".."99"), undefined where a nibble is above 9. */
const BCD_PAIRS: readonly (string | undefined)[] = Array.from({ length: 256 }, (_, x) =>
  x >> 4 > 9 || (x & 15) > 9 ? undefined : `${x >> 4}${x & 15}`,
);

/** BCD digits of n bytes (most significant first unless reversed), or undefined if a nibble is above 9. */
export function readBcd(b: Uint8Array, o: number, n: number, reverse: boolean): string | undefined {
  let s = '';
  for (let i = 0; i < n; i++) {
    const pair = BCD_PAIRS[b[reverse ? o + n - 1 - i : o + i]!];
    if (pair === undefined) return undefined;
    s += pair;
  }
  return s;
}

/** The BCD value as an integer (n ≤ 7 bytes), or -1 if a nibble is above 9. */
export function readBcdNumber(b: Uint8Array, o: number, n: number, reverse: boolean): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const byte = b[reverse ? o + n - 1 - i : o + i]!;
    const hi = byte >> 4;
    const lo = byte & 15;
    if (hi > 9 || lo > 9) return -1;
    v = v * 100 + hi * 10 + lo;
  }
  return v;
}

/** digits: exactly 2n decimal digits. */
export function writeBcd(b: Uint8Array, o: number, n: number, reverse: boolean, digits: string): void {
  for (let i = 0; i < n; i++) {
    const byte = ((digits.charCodeAt(2 * i) - 48) << 4) | (digits.charCodeAt(2 * i + 1) - 48);
    b[reverse ? o + n - 1 - i : o + i] = byte;
  }
}

/** Bytes as an unsigned integer, most significant first (after reverse); n ≤ 6. */
export function readBytesAsUint(b: Uint8Array, o: number, n: number, reverse: boolean): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + b[reverse ? o + n - 1 - i : o + i]!;
  return v;
}

export function writeUintAsBytes(b: Uint8Array, o: number, n: number, reverse: boolean, v: number): void {
  for (let i = n - 1; i >= 0; i--) {
    const byte = v % 256;
    v = (v - byte) / 256;
    b[reverse ? o + n - 1 - i : o + i] = byte;
  }
}

const HEX = '0123456789ABCDEF';
export function readHex(b: Uint8Array, o: number, n: number, reverse: boolean): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const byte = b[reverse ? o + n - 1 - i : o + i]!;
    s += HEX[byte >> 4]! + HEX[byte & 15]!;
  }
  return s;
}

/** Bits lo..lo+width-1 of an unsigned container value (bit 0 = least significant). */
export function extractBits(container: number, lo: number, width: number): number {
  return Math.floor(container / 2 ** lo) % 2 ** width;
}

export function insertBits(container: number, lo: number, width: number, v: number): number {
  const cleared = container - extractBits(container, lo, width) * 2 ** lo;
  return cleared + v * 2 ** lo;
}

/** Decimal places in the shortest representation of x (0.1 → 1, 1e-7 → 7, 25 → 0). */
export function decimalsOf(x: number): number {
  const s = String(Math.abs(x));
  const e = s.indexOf('e');
  const mant = e < 0 ? s : s.slice(0, e);
  const exp = e < 0 ? 0 : Number(s.slice(e + 1));
  const dot = mant.indexOf('.');
  return Math.max(0, (dot < 0 ? 0 : mant.length - dot - 1) - exp);
}

export function roundTo(v: number, decimals: number): number {
  if (!Number.isFinite(v) || Math.abs(v) >= 1e21) return v;
  const r = Number(v.toFixed(decimals));
  return r === 0 ? 0 : r; // no -0
}

export interface Scaling {
  /** raw → value */
  apply(raw: number): number;
  /** value → raw, not yet rounded to an integer */
  invert(v: number): number;
  /** When linear, apply(r) computes exactly (r * mul + add) / div (for the code generator); otherwise only apply(). */
  readonly linear: { readonly mul: number; readonly add: number; readonly div: number } | undefined;
}

/**
 * value = raw * scale + offset, decimal-exact for integer raws: with decimal scale and offset
 * (0.1, -40) it computes (raw * 1 - 400) / 10 in exact integers and divides once, so the result is
 * the double nearest the decimal (25.7 - 40 → -14.3, never -14.299999999999997).
 * rawAbsMax bounds |raw| (integer raws); integerRaw = false (floats) computes raw * scale + offset.
 * decimals, when given, rounds the value last.
 */
export function scaling(
  scale: number,
  offset: number,
  integerRaw: boolean,
  decimals?: number,
  rawAbsMax = 2 ** 32,
): Scaling {
  const invert = (v: number): number => (v - offset) / scale;
  let linear: Scaling['linear'];
  if (!integerRaw || (Number.isInteger(scale) && Number.isInteger(offset))) {
    linear = { mul: scale, add: offset, div: 1 };
  } else {
    const d = Math.max(decimalsOf(scale), decimalsOf(offset));
    const p = 10 ** d;
    const mul = Math.round(scale * p);
    const add = Math.round(offset * p);
    if (d <= 15 && mul / p === scale && add / p === offset && rawAbsMax * Math.abs(mul) + Math.abs(add) <= 2 ** 53) {
      const g = gcd(gcd(Math.abs(mul), Math.abs(add)), p);
      linear = { mul: mul / g, add: add / g, div: p / g };
    }
  }
  let apply: (r: number) => number;
  if (linear !== undefined) {
    const { mul, add, div } = linear;
    apply = div === 1 ? (mul === 1 && add === 0 ? (r) => r : (r) => r * mul + add) : (r) => (r * mul + add) / div;
  } else {
    const d = Math.max(decimalsOf(scale), decimalsOf(offset));
    apply = (r) => roundTo(r * scale + offset, d);
  }
  if (decimals !== undefined) {
    const unrounded = apply;
    apply = (r) => roundTo(unrounded(r), decimals);
    linear = undefined;
  }
  return {
    apply,
    invert: linear !== undefined && linear.div !== 1 ? (v) => (v * linear.div - linear.add) / linear.mul : invert,
    linear,
  };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
