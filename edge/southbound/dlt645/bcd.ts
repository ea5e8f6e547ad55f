/**
 * Packed BCD and meter-address helpers shared by the DL/T 645 and CJ/T 188 codecs.
 * Both protocols send numbers least significant byte first; addresses likewise (A0 first).
 * Nothing here throws: callers turn `undefined` into their own coded error.
 */

/** Value 0..99 of one packed-BCD byte, or -1 when a nibble is above 9. */
export function bcdByte(b: number): number {
  const hi = b >> 4;
  const lo = b & 0x0f;
  return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
}

/** Byte for 0..99 as packed BCD. */
export function toBcdByte(n: number): number {
  return ((Math.floor(n / 10) % 10) << 4) | (n % 10);
}

/**
 * Digits (most significant first) of little-endian packed BCD. With `signed`, bit 7 of the last
 * (most significant) byte is the sign, as in DL/T 645 (currents, powers, power factor).
 */
export function bcdDigitsLE(bytes: Uint8Array, signed = false): { digits: string; negative: boolean } | undefined {
  let digits = '';
  let negative = false;
  for (let i = bytes.length - 1; i >= 0; i--) {
    let b = bytes[i]!;
    if (signed && i === bytes.length - 1) {
      negative = (b & 0x80) !== 0;
      b &= 0x7f;
    }
    const hi = b >> 4;
    const lo = b & 0x0f;
    if (hi > 9 || lo > 9) return undefined;
    digits += String(hi) + String(lo);
  }
  return { digits, negative };
}

/** A decimal number from its digits and the count of implied decimals, parsed once (no float drift). */
export function decimalNumber(digits: string, decimals: number, negative = false): number {
  const int = digits.slice(0, digits.length - decimals) || '0';
  const frac = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : '';
  const v = Number(`${int}${frac}`);
  return negative && v !== 0 ? -v : v;
}

/** Reads little-endian BCD with implied decimals; `undefined` when a nibble is not a digit. */
export function readBcd(bytes: Uint8Array, decimals: number, signed = false): number | undefined {
  const d = bcdDigitsLE(bytes, signed);
  return d && decimalNumber(d.digits, decimals, d.negative);
}

/**
 * Encodes a number as little-endian BCD of `size` bytes with `decimals` implied decimals.
 * Returns `undefined` when it does not fit (or is negative for an unsigned field, or not finite).
 */
export function writeBcd(value: number, size: number, decimals: number, signed = false): Uint8Array | undefined {
  if (!Number.isFinite(value) || (value < 0 && !signed)) return undefined;
  const digits = Math.abs(value).toFixed(decimals).replace('.', '');
  const width = size * 2;
  if (digits.length > width) return undefined;
  const padded = digits.padStart(width, '0');
  if (signed && Number(padded[0]) > 7) return undefined;
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const pos = width - 2 * (i + 1);
    out[i] = (Number(padded[pos]) << 4) | Number(padded[pos + 1]);
  }
  if (signed && value < 0 && Number(digits) !== 0) out[size - 1]! |= 0x80;
  return out;
}

/** Upper-case hex of bytes in the given order. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s.toUpperCase();
}

/** Display form of an address sent least significant byte first (A0 first): reversed hex. */
export function addressFromBytes(bytes: Uint8Array): string {
  return toHex(Uint8Array.from(bytes).reverse());
}

/**
 * Wire bytes (A0 first) of a displayed address of `size` bytes: BCD digits, `AA` wildcard bytes.
 * Returns `undefined` when the string is malformed.
 */
export function addressToBytes(address: string, size: number): Uint8Array | undefined {
  if (typeof address !== 'string' || address.length !== size * 2) return undefined;
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const pair = address.slice(address.length - 2 * (i + 1), address.length - 2 * i).toUpperCase();
    if (pair === 'AA') out[i] = 0xaa;
    else if (/^[0-9]{2}$/.test(pair)) out[i] = parseInt(pair, 16);
    else return undefined;
  }
  return out;
}

/** Sum of bytes[start..end) modulo 256, the checksum of both meter protocols. */
export function byteSum(bytes: Uint8Array, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s = (s + bytes[i]!) & 0xff;
  return s;
}
