/** The runtime form of each field kind: integers (with bit parts), floats, BCD, text, skipped bytes. */
import type { FieldOp, LayoutValue, LayoutValues, RawOverrides } from './types.js';
import { type IntLeaf, payloadError, encodeError } from './int-leaf.js';
import { show } from './spec-reader.js';
import {
  type IntCodec,
  type Scaling,
  readFloat,
  writeFloat,
  shortestFloat32,
  readBcd,
  readBcdNumber,
  writeBcd,
  readBytesAsUint,
  writeUintAsBytes,
  readHex,
  insertBits,
} from './primitives.js';

interface Placement {
  label: string;
  fromEnd: boolean;
  at: number;
}

export interface BitPart {
  readonly lo: number;
  readonly width: number;
  readonly signed: boolean;
  readonly leaf: IntLeaf;
}

/** Reads the raw integer of a part from its container value. */
export function partRaw(p: BitPart, container: number): number {
  const v = p.width >= 32 ? container : (container >>> p.lo) & (2 ** p.width - 1);
  return p.signed && v >= 2 ** (p.width - 1) ? v - 2 ** p.width : v;
}

export class IntFieldOp implements FieldOp {
  readonly label: string;
  readonly fromEnd: boolean;
  readonly at: number;
  readonly size: number;
  readonly names: readonly string[];
  constructor(
    place: Placement,
    readonly codec: IntCodec,
    readonly whole: IntLeaf | undefined,
    readonly parts: readonly BitPart[],
  ) {
    ({ label: this.label, fromEnd: this.fromEnd, at: this.at } = place);
    this.size = codec.size;
    this.names = [whole?.name, ...parts.map((p) => p.leaf.name)].filter((n): n is string => n !== undefined);
  }

  decode(b: Uint8Array, pos: number, out: LayoutValue[]): void {
    const raw = this.codec.read(b, pos);
    if (this.whole !== undefined) this.whole.decode(raw, out, pos);
    for (const p of this.parts) p.leaf.decode(partRaw(p, raw), out, pos);
  }

  encode(b: Uint8Array, pos: number, values: LayoutValues, ov: RawOverrides): void {
    let raw = this.whole?.encodeRaw(values, ov, this.parts.length === 0) ?? 0;
    for (const p of this.parts) {
      const r = p.leaf.encodeRaw(values, ov, true) ?? 0;
      raw = insertBits(raw, p.lo, p.width, r < 0 ? r + 2 ** p.width : r);
    }
    this.codec.write(b, pos, raw);
  }
}

export interface ValueMeta {
  name: string;
  emit: boolean;
  unit: string | undefined;
  min: number | undefined;
  max: number | undefined;
}

function rangeCheck(m: ValueMeta, label: string, v: number, pos: number | undefined): void {
  if ((m.min !== undefined && v < m.min) || (m.max !== undefined && v > m.max)) {
    const problem = `${v} is outside its valid range ${m.min ?? '-inf'}..${m.max ?? 'inf'}`;
    throw pos === undefined
      ? encodeError('PROFILE_ERR_RANGE', label, problem)
      : payloadError('PROFILE_ERR_RANGE', label, pos, problem);
  }
}

function push(out: LayoutValue[], m: ValueMeta, value: number | string): void {
  out.push(m.unit === undefined ? { name: m.name, value } : { name: m.name, value, unit: m.unit });
}

function given(values: LayoutValues, m: ValueMeta, label: string): number | boolean | string {
  const v = values[m.name];
  if (v === undefined) throw encodeError('PROFILE_ERR_ENCODE', label, 'no value given');
  return v;
}

export class FloatFieldOp implements FieldOp {
  readonly label: string;
  readonly fromEnd: boolean;
  readonly at: number;
  readonly names: readonly string[];
  constructor(
    place: Placement,
    readonly size: 4 | 8,
    private readonly offsets: readonly number[],
    private readonly meta: ValueMeta,
    private readonly scaling: Scaling,
  ) {
    ({ label: this.label, fromEnd: this.fromEnd, at: this.at } = place);
    this.names = [meta.name];
  }

  decode(b: Uint8Array, pos: number, out: LayoutValue[]): void {
    if (!this.meta.emit) return;
    let x = readFloat(b, pos, this.size, this.offsets);
    if (!Number.isFinite(x))
      throw payloadError('PROFILE_ERR_RANGE', this.label, pos, `float${this.size * 8} is ${x}, not a finite number`);
    if (this.size === 4) x = shortestFloat32(x);
    const v = this.scaling.apply(x);
    rangeCheck(this.meta, this.label, v, pos);
    push(out, this.meta, v);
  }

  encode(b: Uint8Array, pos: number, values: LayoutValues): void {
    const v = given(values, this.meta, this.label);
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw encodeError('PROFILE_ERR_ENCODE', this.label, `expects a finite number (got ${show(v)})`);
    rangeCheck(this.meta, this.label, v, undefined);
    const raw = this.scaling.invert(v);
    if (this.size === 4 && !Number.isFinite(Math.fround(raw)))
      throw encodeError('PROFILE_ERR_ENCODE', this.label, `${v} does not fit float32`);
    writeFloat(b, pos, this.size, this.offsets, raw);
  }
}

/** BCD: as a number (through an IntLeaf: enum, scale, range) or as a digit string. */
export class BcdFieldOp implements FieldOp {
  readonly label: string;
  readonly fromEnd: boolean;
  readonly at: number;
  readonly names: readonly string[];
  constructor(
    place: Placement,
    readonly size: number,
    readonly reverse: boolean,
    readonly leaf: IntLeaf | undefined,
    readonly text: { meta: ValueMeta | undefined; constDigits: string | undefined } | undefined,
    readonly noValue: readonly number[] | undefined,
  ) {
    ({ label: this.label, fromEnd: this.fromEnd, at: this.at } = place);
    const n = leaf?.name ?? text?.meta?.name;
    this.names = n === undefined ? [] : [n];
  }

  decode(b: Uint8Array, pos: number, out: LayoutValue[]): void {
    if (this.noValue?.includes(readBytesAsUint(b, pos, this.size, this.reverse))) return;
    if (this.leaf !== undefined) {
      const raw = readBcdNumber(b, pos, this.size, this.reverse);
      if (raw < 0) throw badBcd(this.label, b, pos, this.size);
      this.leaf.decode(raw, out, pos);
      return;
    }
    const digits = readBcd(b, pos, this.size, this.reverse);
    if (digits === undefined) throw badBcd(this.label, b, pos, this.size);
    const t = this.text;
    if (t?.constDigits !== undefined && digits !== t.constDigits) {
      throw payloadError(
        'PROFILE_ERR_CONST',
        this.label,
        pos,
        `holds "${digits}", the layout expects const "${t.constDigits}"`,
      );
    }
    if (t?.meta?.emit) push(out, t.meta, digits);
  }

  encode(b: Uint8Array, pos: number, values: LayoutValues, ov: RawOverrides): void {
    const name = this.names[0];
    if (this.noValue !== undefined && (name === undefined || values[name] === undefined)) {
      writeUintAsBytes(b, pos, this.size, this.reverse, this.noValue[0]!); // compile refuses no_value = []
      return;
    }
    let digits: string;
    if (this.leaf !== undefined) {
      digits = String(this.leaf.encodeRaw(values, ov, true) ?? 0);
    } else {
      const t = this.text;
      const v = name === undefined ? undefined : values[name];
      if (v === undefined) {
        if (t?.constDigits === undefined) throw encodeError('PROFILE_ERR_ENCODE', this.label, 'no value given');
        digits = t.constDigits;
      } else if (
        (typeof v === 'string' && /^[0-9]+$/.test(v)) ||
        (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)
      ) {
        digits = String(v);
      } else {
        throw encodeError('PROFILE_ERR_ENCODE', this.label, `expects a string of decimal digits (got ${show(v)})`);
      }
      if (digits.length > 2 * this.size)
        throw encodeError('PROFILE_ERR_ENCODE', this.label, `"${digits}" has more than ${2 * this.size} digits`);
      if (t?.constDigits !== undefined && digits.padStart(2 * this.size, '0') !== t.constDigits) {
        throw encodeError('PROFILE_ERR_ENCODE', this.label, `is const "${t.constDigits}" (got ${show(v)})`);
      }
    }
    writeBcd(b, pos, this.size, this.reverse, digits.padStart(2 * this.size, '0'));
  }
}

function badBcd(label: string, b: Uint8Array, pos: number, n: number): Error {
  return payloadError(
    'PROFILE_ERR_BCD',
    label,
    pos,
    `bytes ${readHex(b, pos, n, false)} are not BCD (a nibble is above 9)`,
  );
}

/** ascii (NUL-padded printable text) or hex (bytes shown as hex digits). */
export class TextFieldOp implements FieldOp {
  readonly label: string;
  readonly fromEnd: boolean;
  readonly at: number;
  readonly names: readonly string[];
  constructor(
    place: Placement,
    readonly size: number,
    private readonly kind: 'ascii' | 'hex',
    private readonly reverse: boolean,
    private readonly meta: ValueMeta | undefined,
    private readonly constText: string | undefined,
  ) {
    ({ label: this.label, fromEnd: this.fromEnd, at: this.at } = place);
    this.names = meta === undefined ? [] : [meta.name];
  }

  read(b: Uint8Array, pos: number): string {
    if (this.kind === 'hex') return readHex(b, pos, this.size, this.reverse);
    let end = pos + this.size;
    while (end > pos && b[end - 1] === 0) end--;
    let s = '';
    for (let i = pos; i < end; i++) {
      const c = b[i]!; // within the field: callers check its bytes lie within b
      if (c < 0x20 || c > 0x7e)
        throw payloadError(
          'PROFILE_ERR_RANGE',
          this.label,
          i,
          `byte 0x${c.toString(16).padStart(2, '0').toUpperCase()} is not printable ASCII`,
        );
      s += String.fromCharCode(c);
    }
    return s;
  }

  decode(b: Uint8Array, pos: number, out: LayoutValue[]): void {
    if (this.constText === undefined && !this.meta?.emit) return;
    const s = this.read(b, pos);
    if (this.constText !== undefined && s !== this.constText) {
      throw payloadError(
        'PROFILE_ERR_CONST',
        this.label,
        pos,
        `holds "${s}", the layout expects const "${this.constText}"`,
      );
    }
    if (this.meta?.emit) push(out, this.meta, s);
  }

  encode(b: Uint8Array, pos: number, values: LayoutValues): void {
    const given = this.meta === undefined ? undefined : values[this.meta.name];
    const v = given ?? this.constText;
    if (v === undefined) throw encodeError('PROFILE_ERR_ENCODE', this.label, 'no value given');
    if (typeof v !== 'string') throw encodeError('PROFILE_ERR_ENCODE', this.label, `expects a string (got ${show(v)})`);
    if (this.constText !== undefined && v !== this.constText)
      throw encodeError('PROFILE_ERR_ENCODE', this.label, `is const "${this.constText}" (got "${v}")`);
    if (this.kind === 'hex') {
      const h = v.replace(/\s+/g, '');
      if (!/^[0-9a-fA-F]*$/.test(h) || h.length !== 2 * this.size)
        throw encodeError('PROFILE_ERR_ENCODE', this.label, `expects ${2 * this.size} hex digits (got "${v}")`);
      for (let i = 0; i < this.size; i++)
        b[this.reverse ? pos + this.size - 1 - i : pos + i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
      return;
    }
    if (v.length > this.size || !/^[\x20-\x7e]*$/.test(v))
      throw encodeError(
        'PROFILE_ERR_ENCODE',
        this.label,
        `expects at most ${this.size} printable ASCII characters (got ${show(v)})`,
      );
    for (let i = 0; i < v.length; i++) b[pos + i] = v.charCodeAt(i);
  }
}

export class SkipOp implements FieldOp {
  readonly label: string;
  readonly fromEnd: boolean;
  readonly at: number;
  readonly names: readonly string[] = [];
  constructor(
    place: Placement,
    readonly size: number,
  ) {
    ({ label: this.label, fromEnd: this.fromEnd, at: this.at } = place);
  }
  decode(): void {}
  encode(): void {}
}

/** An integer that holds the number of bytes after it, up to the payload end minus the trailer (length_of = "rest"). */
export class RestLengthOp implements FieldOp {
  readonly label: string;
  readonly fromEnd: boolean;
  readonly at: number;
  readonly size: number;
  readonly names: readonly string[];
  /** Bytes reserved at the end (fields placed from the end, checksums); set once the frame is compiled. */
  tail = 0;
  constructor(
    place: Placement,
    private readonly codec: IntCodec,
    private readonly meta: ValueMeta | undefined,
  ) {
    ({ label: this.label, fromEnd: this.fromEnd, at: this.at } = place);
    this.size = codec.size;
    this.names = meta === undefined ? [] : [meta.name];
  }

  private expected(len: number, pos: number): number {
    return len - this.tail - pos - this.size;
  }

  decode(b: Uint8Array, pos: number, out: LayoutValue[]): void {
    const raw = this.codec.read(b, pos);
    const want = this.expected(b.length, pos);
    if (raw !== want)
      throw payloadError('PROFILE_ERR_LENGTH', this.label, pos, `says ${raw} byte(s) follow, the payload has ${want}`);
    if (this.meta?.emit) push(out, this.meta, raw);
  }

  encode(b: Uint8Array, pos: number, values: LayoutValues): void {
    const want = this.expected(b.length, pos);
    const v = this.meta === undefined ? undefined : values[this.meta.name];
    if (v !== undefined && v !== want)
      throw encodeError('PROFILE_ERR_ENCODE', this.label, `is the length of the rest (${want}), not ${show(v)}`);
    if (want < 0 || want > this.codec.max)
      throw encodeError(
        'PROFILE_ERR_ENCODE',
        this.label,
        `${want} byte(s) follow, which does not fit ${this.codec.type}`,
      );
    this.codec.write(b, pos, want);
  }
}
