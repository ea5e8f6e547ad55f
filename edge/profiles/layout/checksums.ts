/**
 * Checksums and CRCs a layout can verify and write. CRC names follow the CRC catalogue
 * (reveng.sourceforge.io/crc-catalogue); every algorithm carries its check value — the result over
 * the ASCII bytes "123456789" — which the tests verify.
 */

export type ByteOrder = 'big' | 'little';

export interface ChecksumAlgorithm {
  /** The name used in a layout (`checksum = { type = "crc16-modbus" }`). */
  readonly name: string;
  /** Size of the checksum in the payload, bytes. */
  readonly width: 1 | 2 | 4;
  /** Byte order the checksum is sent in unless the layout says otherwise; undefined = the layout's endian. */
  readonly order?: ByteOrder;
  /** Result over "123456789". */
  readonly check: number;
  readonly description: string;
  /** Computes over bytes[from, to) (to exclusive); callers check that the range lies within bytes. */
  compute(bytes: Uint8Array, from: number, to: number): number;
}

interface CrcParams {
  bits: 8 | 16 | 32;
  poly: number;
  init: number;
  reflected: boolean;
  xorOut: number;
}

function reflect(v: number, bits: number): number {
  let r = 0;
  for (let i = 0; i < bits; i++) if ((v >>> i) & 1) r |= 1 << (bits - 1 - i);
  return r >>> 0;
}

/** Table-driven CRC (Rocksoft model, refin = refout). */
function crc(p: CrcParams): (bytes: Uint8Array, from: number, to: number) => number {
  const mask = p.bits === 32 ? 0xffffffff : (1 << p.bits) - 1;
  const table = new Uint32Array(256);
  if (p.reflected) {
    const rpoly = reflect(p.poly, p.bits);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ rpoly : c >>> 1;
      table[i] = c >>> 0;
    }
    const init = reflect(p.init, p.bits);
    return (bytes, from, to) => {
      let c = init;
      for (let i = from; i < to; i++) c = (table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)) >>> 0;
      return ((c ^ p.xorOut) & mask) >>> 0;
    };
  }
  const shift = p.bits - 8;
  const top = 2 ** (p.bits - 1);
  for (let i = 0; i < 256; i++) {
    let c = (i << shift) >>> 0;
    for (let k = 0; k < 8; k++) c = (c & top ? (c << 1) ^ p.poly : c << 1) & mask;
    table[i] = c >>> 0;
  }
  return (bytes, from, to) => {
    let c = p.init;
    for (let i = from; i < to; i++) c = (table[((c >>> shift) ^ bytes[i]!) & 0xff]! ^ (c << 8)) & mask;
    return ((c ^ p.xorOut) & mask) >>> 0;
  };
}

function sum(modulo: number) {
  return (bytes: Uint8Array, from: number, to: number): number => {
    let s = 0;
    for (let i = from; i < to; i++) s += bytes[i]!;
    return s % modulo;
  };
}

const ALGORITHMS: readonly ChecksumAlgorithm[] = [
  {
    name: 'sum8',
    width: 1,
    check: 0xdd,
    description: 'sum of the bytes modulo 256 (DL/T 645, CJ/T 188)',
    compute: sum(0x100),
  },
  {
    name: 'lrc8',
    width: 1,
    check: 0x23,
    description: "two's complement of sum8, so that all bytes including the checksum sum to 0 (Modbus ASCII LRC)",
    compute: (b, f, t) => (0x100 - sum(0x100)(b, f, t)) & 0xff,
  },
  { name: 'sum16', width: 2, check: 0x01dd, description: 'sum of the bytes modulo 65536', compute: sum(0x10000) },
  {
    name: 'xor8',
    width: 1,
    check: 0x31,
    description: 'XOR of the bytes (BCC)',
    compute: (b, f, t) => {
      let x = 0;
      for (let i = f; i < t; i++) x ^= b[i]!;
      return x;
    },
  },
  {
    name: 'crc8',
    width: 1,
    check: 0xf4,
    description: 'CRC-8/SMBUS: poly 0x07, init 0x00, not reflected, xorout 0x00',
    compute: crc({ bits: 8, poly: 0x07, init: 0, reflected: false, xorOut: 0 }),
  },
  {
    name: 'crc8-maxim',
    width: 1,
    check: 0xa1,
    description: 'CRC-8/MAXIM-DOW (Dallas 1-Wire): poly 0x31, init 0x00, reflected, xorout 0x00',
    compute: crc({ bits: 8, poly: 0x31, init: 0, reflected: true, xorOut: 0 }),
  },
  {
    name: 'crc16-modbus',
    width: 2,
    order: 'little',
    check: 0x4b37,
    description: 'CRC-16/MODBUS: poly 0x8005, init 0xFFFF, reflected, xorout 0x0000; sent low byte first',
    compute: crc({ bits: 16, poly: 0x8005, init: 0xffff, reflected: true, xorOut: 0 }),
  },
  {
    name: 'crc16-ccitt-false',
    width: 2,
    check: 0x29b1,
    description: 'CRC-16/IBM-3740, known as CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, not reflected, xorout 0x0000',
    compute: crc({ bits: 16, poly: 0x1021, init: 0xffff, reflected: false, xorOut: 0 }),
  },
  {
    name: 'crc16-xmodem',
    width: 2,
    check: 0x31c3,
    description: 'CRC-16/XMODEM: poly 0x1021, init 0x0000, not reflected, xorout 0x0000',
    compute: crc({ bits: 16, poly: 0x1021, init: 0, reflected: false, xorOut: 0 }),
  },
  {
    name: 'crc16-kermit',
    width: 2,
    order: 'little',
    check: 0x2189,
    description:
      'CRC-16/KERMIT (the "true" CCITT CRC): poly 0x1021, init 0x0000, reflected, xorout 0x0000; sent low byte first',
    compute: crc({ bits: 16, poly: 0x1021, init: 0, reflected: true, xorOut: 0 }),
  },
  {
    name: 'crc16-x25',
    width: 2,
    order: 'little',
    check: 0x906e,
    description:
      'CRC-16/IBM-SDLC (X.25, HDLC): poly 0x1021, init 0xFFFF, reflected, xorout 0xFFFF; sent low byte first',
    compute: crc({ bits: 16, poly: 0x1021, init: 0xffff, reflected: true, xorOut: 0xffff }),
  },
  {
    name: 'crc32',
    width: 4,
    check: 0xcbf43926,
    description: 'CRC-32/ISO-HDLC (zlib, Ethernet): poly 0x04C11DB7, init 0xFFFFFFFF, reflected, xorout 0xFFFFFFFF',
    compute: crc({ bits: 32, poly: 0x04c11db7, init: 0xffffffff, reflected: true, xorOut: 0xffffffff }),
  },
];

export const CHECKSUMS: ReadonlyMap<string, ChecksumAlgorithm> = new Map(ALGORITHMS.map((a) => [a.name, a]));

/** Names people write that mean several different CRCs; a layout must say which one. */
export const AMBIGUOUS_CHECKSUMS: ReadonlyMap<string, string> = new Map([
  ['crc16-ccitt', 'crc16-ccitt-false (init 0xFFFF), crc16-xmodem (init 0x0000), crc16-kermit (reflected) or crc16-x25'],
  ['crc16', 'crc16-modbus, crc16-ccitt-false, crc16-xmodem, crc16-kermit or crc16-x25'],
  ['crc-16', 'crc16-modbus, crc16-ccitt-false, crc16-xmodem, crc16-kermit or crc16-x25'],
  ['crc16-ibm', 'crc16-modbus (init 0xFFFF) — other CRC-16/ARC variants are not built in'],
  ['crc8-dallas', 'crc8-maxim'],
  ['sum', 'sum8 or sum16'],
  ['lrc', 'lrc8'],
  ['bcc', 'xor8'],
]);

/** Bytes as spaced upper-case hex ("C3 A1"). */
export function spacedHex(b: ArrayLike<number>): string {
  return Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** A checksum value as the bytes it occupies in the frame (width bytes, in the rule's byte order). */
export function checksumBytes(value: number, width: number, little: boolean): number[] {
  const out = new Array<number>(width);
  let v = value;
  for (let i = 0; i < width; i++) {
    const byte = v % 256;
    v = (v - byte) / 256;
    out[little ? i : width - 1 - i] = byte;
  }
  return out;
}

/** "low byte first" / "high byte first" for multi-byte checksums, '' for one byte. */
export function orderWords(width: number, little: boolean): string {
  return width === 1 ? '' : little ? 'low byte first' : 'high byte first';
}
