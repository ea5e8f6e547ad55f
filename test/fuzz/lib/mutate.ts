/**
 * Byte-level mutation of corpus inputs. A mutation is a list of operations with numeric
 * parameters, so the same operations serve two drivers: fast-check (test/fuzz/fuzz-*.test.ts)
 * draws and shrinks them as plain records, the long-run engine (lib/engine.ts) draws them from a
 * seeded PRNG. Operations: bit flip, byte set (boundary values), insertion and deletion, truncation,
 * chunk duplication and swapping, splicing with another corpus input, dictionary tokens (inserted,
 * written over bytes, or in place of a word), length and number tweaks (binary length bytes and
 * ASCII digit runs), and amplification (a chunk repeated up to the size cap: catches work that
 * grows faster than the input).
 */
import { prng } from '../../helpers/prng.js';

export interface MutationOp {
  /** Which operation (taken modulo the number of operations). */
  readonly kind: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

export interface MutationContext {
  /** Other inputs to splice with. */
  readonly pool: readonly Uint8Array[];
  /** Tokens of the format (keywords, punctuation, magic bytes). */
  readonly dictionary: readonly Uint8Array[];
  /** Largest input produced (bytes). */
  readonly maxLen: number;
}

const BOUNDARY = [
  0x00, 0x01, 0x02, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x20, 0x30, 0x39, 0x22, 0x5c, 0x2c, 0x3b, 0x3d, 0x26, 0x0a, 0x0d,
  0x7b, 0x5b, 0x3c,
];
const NUMBERS = [
  '0',
  '1',
  '-1',
  '255',
  '256',
  '65535',
  '65536',
  '2147483647',
  '4294967296',
  '9007199254740993',
  '9223372036854775807',
  '1e308',
  '1e309',
  '-1e309',
  '1e-400',
  '0.1',
  '-0',
  '99999999999999999999999',
  'NaN',
  'Infinity',
  'nan',
  'inf',
];

function cat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** The ASCII digit run at or after `from` (wrapping), or undefined. */
function digitRun(b: Uint8Array, from: number): [number, number] | undefined {
  for (let k = 0; k < b.length; k++) {
    const i = (from + k) % b.length;
    if (isDigit(b[i])) {
      let s = i;
      while (s > 0 && isDigit(b[s - 1])) s--;
      let e = i;
      while (e < b.length && isDigit(b[e])) e++;
      return [s, e];
    }
  }
  return undefined;
}

type Op = (b: Uint8Array, o: MutationOp, ctx: MutationContext) => Uint8Array;

const OPS: readonly Op[] = [
  // 0 bit flip
  (b, o) => {
    if (b.length === 0) return b;
    const out = Uint8Array.from(b);
    out[o.a % b.length]! ^= 1 << (o.b % 8);
    return out;
  },
  // 1 byte set to a boundary value or any value
  (b, o) => {
    if (b.length === 0) return Uint8Array.of(o.b & 0xff);
    const out = Uint8Array.from(b);
    out[o.a % b.length] = o.c % 2 ? BOUNDARY[o.b % BOUNDARY.length]! : o.b & 0xff;
    return out;
  },
  // 2 insert 1-8 bytes
  (b, o) => {
    const at = o.a % (b.length + 1);
    const r = prng(o.c);
    const ins = Uint8Array.from({ length: 1 + (o.b % 8) }, () =>
      r() < 0.5 ? BOUNDARY[Math.floor(r() * BOUNDARY.length)]! : Math.floor(r() * 256),
    );
    return cat(b.subarray(0, at), ins, b.subarray(at));
  },
  // 3 delete 1-16 bytes
  (b, o) => {
    const at = o.a % (b.length + 1);
    return cat(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + (o.b % 16))));
  },
  // 4 truncate (keep a prefix or a suffix)
  (b, o) => (o.b % 4 === 0 ? b.subarray(o.a % (b.length + 1)) : b.subarray(0, o.a % (b.length + 1))),
  // 5 duplicate a chunk somewhere
  (b, o) => {
    const from = o.a % (b.length + 1);
    const chunk = b.slice(from, from + 1 + (o.b % 32));
    const at = o.c % (b.length + 1);
    return cat(b.subarray(0, at), chunk, b.subarray(at));
  },
  // 6 splice with another input of the pool
  (b, o, ctx) => {
    if (ctx.pool.length === 0) return b;
    const other = ctx.pool[o.b % ctx.pool.length]!;
    return cat(b.subarray(0, o.a % (b.length + 1)), other.subarray(o.c % (other.length + 1)));
  },
  // 7 insert a dictionary token
  (b, o, ctx) => {
    if (ctx.dictionary.length === 0) return b;
    const at = o.a % (b.length + 1);
    return cat(b.subarray(0, at), ctx.dictionary[o.b % ctx.dictionary.length]!, b.subarray(at));
  },
  // 8 overwrite with a dictionary token
  (b, o, ctx) => {
    if (ctx.dictionary.length === 0) return b;
    const tok = ctx.dictionary[o.b % ctx.dictionary.length]!;
    const at = o.a % (b.length + 1);
    return cat(b.subarray(0, at), tok, b.subarray(Math.min(b.length, at + tok.length)));
  },
  // 9 length/number tweak: an ASCII digit run gets another number, else a byte moves by a small delta
  (b, o) => {
    if (b.length === 0) return b;
    const run = o.c % 2 ? digitRun(b, o.a % b.length) : undefined;
    if (run) {
      const n = new TextEncoder().encode(NUMBERS[o.b % NUMBERS.length]);
      return cat(b.subarray(0, run[0]), n, b.subarray(run[1]));
    }
    const out = Uint8Array.from(b);
    const i = o.a % b.length;
    const deltas = [1, -1, 2, -2, 16, -16, 0x80, 0x7f];
    out[i] = (out[i]! + deltas[o.b % deltas.length]!) & 0xff;
    if (o.b % 5 === 0 && i + 1 < b.length) out[i + 1] = (o.b >> 3) & 0xff; // a 16-bit field's other byte
    return out;
  },
  // 10 amplify: repeat a chunk many times (up to the size cap)
  (b, o, ctx) => {
    if (b.length === 0) return b;
    const from = o.a % b.length;
    const chunk = b.subarray(from, Math.min(b.length, from + 1 + (o.b % 64)));
    const times = Math.min(2 + (o.c % 4096), Math.floor((ctx.maxLen - b.length) / chunk.length));
    if (times < 1) return b;
    const rep = new Uint8Array(chunk.length * times);
    for (let i = 0; i < times; i++) rep.set(chunk, i * chunk.length);
    return cat(b.subarray(0, from), rep, b.subarray(from));
  },
  // 11 swap two chunks
  (b, o) => {
    if (b.length < 2) return b;
    const len = 1 + (o.c % Math.max(1, Math.floor(b.length / 2)));
    const i = o.a % (b.length - len + 1);
    const j = o.b % (b.length - len + 1);
    const out = Uint8Array.from(b);
    out.set(b.subarray(i, i + len), j);
    out.set(b.subarray(j, j + len), i);
    return out;
  },
  // 12 overwrite a region with bytes copied from elsewhere
  (b, o) => {
    if (b.length < 2) return b;
    const out = Uint8Array.from(b);
    const len = 1 + (o.c % 16);
    const src = b.subarray(o.a % b.length, (o.a % b.length) + len);
    out.set(src.subarray(0, Math.max(0, b.length - (o.b % b.length))), o.b % b.length);
    return out;
  },
  // 13 replace a word (a run of letters, digits, '_') with a dictionary token: keys, names, enum values
  (b, o, ctx) => {
    if (b.length === 0 || ctx.dictionary.length === 0) return b;
    const isWord = (c: number | undefined): boolean =>
      c !== undefined &&
      ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f);
    for (let k = 0; k < b.length; k++) {
      const i = (o.a + k) % b.length;
      if (!isWord(b[i])) continue;
      let s = i;
      while (s > 0 && isWord(b[s - 1])) s--;
      let e = i;
      while (e < b.length && isWord(b[e])) e++;
      return cat(b.subarray(0, s), ctx.dictionary[o.b % ctx.dictionary.length]!, b.subarray(e));
    }
    return b;
  },
];

export const OP_COUNT = OPS.length;

/** Applies the operations in order; the result never exceeds ctx.maxLen. */
export function applyOps(input: Uint8Array, ops: readonly MutationOp[], ctx: MutationContext): Uint8Array {
  let b = input;
  for (const o of ops) {
    b = OPS[o.kind % OPS.length]!(b, o, ctx);
    if (b.length > ctx.maxLen) b = b.subarray(0, ctx.maxLen);
  }
  return b;
}

/** 1-8 random operations (more small stacks than large ones, as AFL does). */
export function randomOps(rnd: () => number): MutationOp[] {
  const n = 1 + Math.floor(rnd() * rnd() * 8);
  const u32 = (): number => Math.floor(rnd() * 4294967296);
  return Array.from({ length: n }, () => ({ kind: Math.floor(rnd() * OPS.length), a: u32(), b: u32(), c: u32() }));
}

/** Random bytes (for inputs made from nothing). */
export function randomBytes(rnd: () => number, maxLen: number): Uint8Array {
  return Uint8Array.from({ length: Math.floor(rnd() * (maxLen + 1)) }, () => Math.floor(rnd() * 256));
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
