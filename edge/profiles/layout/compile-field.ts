/** Compiles the `fields` arrays of a layout spec into FieldOps (see docs/reference/layout.md). */
import type { ByteOrder } from './checksums.js';
import type { FieldOp, LayoutValues, SwitchSource } from './types.js';
import { Spec, parseIntKey, show, suggest } from './spec-reader.js';
import { IntLeaf } from './int-leaf.js';
import {
  BcdFieldOp,
  FloatFieldOp,
  IntFieldOp,
  RestLengthOp,
  SkipOp,
  TextFieldOp,
  partRaw,
  type BitPart,
  type ValueMeta,
} from './field-ops.js';
import { INT_TYPES, type IntCodec, type IntType, byteOffsets, intCodec, readBcdNumber, scaling } from './primitives.js';

export interface Cursor {
  readonly fromEnd: boolean;
  readonly pos: number;
}

export interface FieldScope {
  /** Value names already used where these fields decode together (header + one message, or a record). */
  readonly names: Set<string>;
  /** Integer values a message-type switch may read, by name. */
  readonly sources: Map<string, SwitchSource>;
  /** Whether `at` may be negative (not inside records). */
  readonly allowFromEnd: boolean;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const NUMERIC = ['scale', 'offset', 'decimals', 'unit', 'min', 'max'];
const INTEGER = [...NUMERIC, 'enum', 'const', 'no_value'];
const COMMON = ['name', 'type', 'at', 'hidden'];
const KEYS = {
  int: [...COMMON, 'endian', 'word_swap', ...INTEGER, 'parts', 'length_of'],
  bits: [...COMMON, 'of', 'endian', 'word_swap', 'bit', 'bits', 'signed', ...INTEGER],
  float: [...COMMON, 'endian', 'word_swap', ...NUMERIC],
  bcd: [...COMMON, 'bytes', 'reverse', 'as', ...INTEGER],
  ascii: [...COMMON, 'bytes', 'const'],
  hex: [...COMMON, 'bytes', 'reverse', 'const'],
  skip: ['type', 'at', 'bytes'],
};
const PART_KEYS = ['name', 'bit', 'bits', 'signed', 'hidden', ...INTEGER];
export const FIELD_TYPES = [...INT_TYPES, 'float32', 'float64', 'bcd', 'ascii', 'hex', 'bits', 'skip'];
const ALIASES: Record<string, string> = {
  uint8: 'u8',
  uint16: 'u16',
  uint24: 'u24',
  uint32: 'u32',
  int8: 'i8',
  int16: 'i16',
  int24: 'i24',
  int32: 'i32',
  float: 'float32',
  double: 'float64',
  f32: 'float32',
  f64: 'float64',
  reserved: 'skip',
  padding: 'skip',
  string: 'ascii',
  bit: 'bits',
  bool: 'bits',
  boolean: 'bits',
  bytes: 'hex',
};

type Kind = keyof typeof KEYS;
interface ParsedType {
  kind: Kind;
  int?: IntType;
  float?: 4 | 8;
  order?: ByteOrder;
}

function parseType(spec: Spec): ParsedType {
  const t = spec.str('type');
  if (t === undefined) spec.fail('type', `is required: one of ${FIELD_TYPES.join(', ')}`);
  const m = /^(u8|u16|u24|u32|i8|i16|i24|i32|float32|float64)(le|be)?$/.exec(t);
  if (m) {
    const order: ByteOrder | undefined = m[2] === 'le' ? 'little' : m[2] === 'be' ? 'big' : undefined;
    const ordered = order === undefined ? {} : { order };
    if (m[1]!.startsWith('float')) return { kind: 'float', float: m[1] === 'float32' ? 4 : 8, ...ordered };
    return { kind: 'int', int: m[1] as IntType, ...ordered };
  }
  if (t === 'bcd' || t === 'ascii' || t === 'hex' || t === 'bits' || t === 'skip') return { kind: t };
  const alias = ALIASES[t.toLowerCase()];
  const hint = alias ? ` (did you mean "${alias}"?)` : suggest(t, FIELD_TYPES);
  return spec.fail(
    'type',
    `must be one of ${FIELD_TYPES.join(', ')}; an "le"/"be" suffix sets the byte order (got ${show(t)})${hint}`,
  );
}

function byteOrder(spec: Spec, fromType: ByteOrder | undefined, dflt: ByteOrder): ByteOrder {
  const e = spec.str('endian', ['big', 'little']) as ByteOrder | undefined;
  if (e !== undefined && fromType !== undefined && e !== fromType)
    spec.fail('endian', `contradicts the byte order of type ${show(spec.raw('type'))}`);
  return e ?? fromType ?? dflt;
}

/** word_swap: the two 16-bit words of a 4-byte value come in the other order (Modbus CDAB / BADC). */
function wordSwap(spec: Spec, size: number): boolean {
  const w = spec.bool('word_swap') ?? false;
  if (w && size !== 4) spec.fail('word_swap', 'applies to 4-byte types only (u32, i32, float32, of = "u32")');
  return w;
}

function checkName(spec: Spec, name: string, scope: FieldScope, key = 'name'): void {
  if (!NAME_RE.test(name))
    spec.fail(key, `must start with a letter or _ and hold only letters, digits, _ . - (got ${show(name)})`);
  if (scope.names.has(name)) spec.fail(key, `repeats the value name "${name}" (names must be unique within a message)`);
  scope.names.add(name);
}

interface RawRange {
  min: number;
  max: number;
  desc: string;
}

/** An IntLeaf from the integer keys of spec (enum, scale/offset, min/max, const, no_value, unit, hidden). */
function intLeaf(spec: Spec, name: string | undefined, label: string, raw: RawRange, singleBit: boolean): IntLeaf {
  const hidden = spec.bool('hidden') ?? false;
  let enumMap: Map<number, string> | undefined;
  let enumNames: Map<string, number> | undefined;
  const e0 = spec.child('enum');
  if (e0 !== undefined) {
    const e: Spec = e0;
    enumMap = new Map();
    enumNames = new Map();
    for (const [k, v] of Object.entries(e.table)) {
      const r = parseIntKey(k);
      if (r === undefined || r < raw.min || r > raw.max)
        e.fail(k, `must be an integer key from ${raw.min} to ${raw.max} (the raw values of ${raw.desc})`);
      if (typeof v !== 'string' || v === '') e.bad(k, 'a non-empty string');
      if (enumNames.has(v)) e.fail(k, `repeats the name ${show(v)}`);
      enumMap.set(r, v);
      enumNames.set(v, r);
    }
    if (enumMap.size === 0) spec.fail('enum', 'must name at least one value');
  }
  const numericOnly = ['scale', 'offset', 'decimals', 'min', 'max'];
  for (const k of numericOnly) {
    if (!spec.has(k)) continue;
    if (enumMap) spec.fail(k, 'cannot be combined with enum (an enum value is a name, not a number)');
    if (singleBit)
      spec.fail(k, 'does not apply to a single bit, which decodes to true/false (use bits = [lo, hi] for a number)');
  }
  const min = spec.num('min');
  const max = spec.num('max');
  if (min !== undefined && max !== undefined && min > max) spec.fail('min', `is above max (${min} > ${max})`);
  const constRaw = spec.int('const', raw.min, raw.max);
  let noValue: number[] | undefined;
  if (spec.has('no_value')) {
    const nv = spec.raw('no_value');
    const list = Array.isArray(nv) ? nv : [nv];
    noValue = list.map((x) => {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < raw.min || x > raw.max)
        spec.bad('no_value', `an integer (or array of integers) from ${raw.min} to ${raw.max}`);
      return x;
    });
    if (noValue.length === 0) spec.bad('no_value', 'a non-empty array');
  }
  const decimals = spec.int('decimals', 0, 15);
  return new IntLeaf({
    name,
    label,
    emit: name !== undefined && !hidden,
    unit: spec.str('unit'),
    rawDesc: raw.desc,
    rawMin: raw.min,
    rawMax: raw.max,
    enumMap,
    enumNames,
    bool: singleBit && !enumMap,
    scaling: scaling(
      spec.num('scale', { nonZero: true }) ?? 1,
      spec.num('offset') ?? 0,
      true,
      decimals,
      Math.max(-raw.min, raw.max),
    ),
    min,
    max,
    constRaw,
    noValue,
  });
}

function source(
  name: string,
  op: FieldOp,
  leaf: IntLeaf,
  readRaw: (b: Uint8Array, pos: number) => number,
): SwitchSource {
  const o = leaf.options;
  return {
    name,
    op,
    rawMin: o.rawMin,
    rawMax: o.rawMax,
    enumNames: o.enumNames,
    readRaw,
    rawFromValues: (values: LayoutValues) =>
      values[name] === undefined ? undefined : leaf.encodeRaw(values, undefined, true),
  };
}

/** A bit part of a container of `bits` bits; `taken` marks bits used by earlier parts. */
function bitPart(spec: Spec, containerBits: number, taken: boolean[], scope: FieldScope, key = 'name'): BitPart {
  const name = spec.str('name');
  if (name === undefined) spec.fail(key, 'is required for a bit field');
  checkName(spec, name, scope, key);
  if (spec.has('bit') === spec.has('bits'))
    spec.fail(
      'bit',
      'or bits is required, not both: bit = 3 for one bit, bits = [4, 7] for a range (bit 0 = least significant)',
    );
  let lo: number;
  let hi: number;
  if (spec.has('bit')) {
    lo = hi = spec.int('bit', 0, containerBits - 1) as number;
  } else {
    const r = spec.raw('bits');
    if (
      !Array.isArray(r) ||
      r.length !== 2 ||
      !r.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < containerBits) ||
      r[0] > r[1]
    ) {
      spec.bad('bits', `[lo, hi] with 0 <= lo <= hi <= ${containerBits - 1} (bit 0 = least significant)`);
    }
    [lo, hi] = r as [number, number];
  }
  for (let i = lo; i <= hi; i++) {
    if (taken[i])
      spec.fail(
        spec.has('bit') ? 'bit' : 'bits',
        `overlaps another bit field of the same ${containerBits}-bit value (bit ${i})`,
      );
    taken[i] = true;
  }
  const width = hi - lo + 1;
  const signed = spec.bool('signed') ?? false;
  if (signed && width < 2) spec.fail('signed', 'needs a range of at least 2 bits');
  const range: RawRange = signed
    ? { min: -(2 ** (width - 1)), max: 2 ** (width - 1) - 1, desc: `signed bits ${lo}..${hi}` }
    : { min: 0, max: 2 ** width - 1, desc: width === 1 ? `bit ${lo}` : `bits ${lo}..${hi}` };
  return { lo, width, signed, leaf: intLeaf(spec, name, `field "${name}"`, range, width === 1) };
}

function noValueKeys(spec: Spec, kind: string): void {
  for (const k of INTEGER) if (spec.has(k)) spec.fail(k, `needs a name on the ${kind} field (or use type = "skip")`);
}

/** Compiles one field; `cursor` is where a field without `at` starts. */
function compileField(spec: Spec, dfltOrder: ByteOrder, cursor: Cursor, scope: FieldScope): FieldOp {
  const t = parseType(spec);
  spec.allow(KEYS[t.kind]);
  const name = t.kind === 'bits' ? undefined : spec.str('name');
  if (name !== undefined) checkName(spec, name, scope);
  const label = name !== undefined ? `field "${name}"` : spec.path;
  const order =
    t.kind === 'int' || t.kind === 'float' || t.kind === 'bits' ? byteOrder(spec, t.order, dfltOrder) : dfltOrder;
  const little = order === 'little';
  const maxBytes = t.kind === 'bcd' ? (spec.raw('as') === 'string' ? 64 : 7) : t.kind === 'skip' ? 65535 : 255;
  const bytes = spec.int('bytes', 1, maxBytes);
  if (t.kind === 'bits') {
    const of = spec.str('of') ?? 'u8';
    const m = /^(u8|u16|u24|u32)(le|be)?$/.exec(of);
    if (!m) spec.fail('of', `must be an unsigned integer type: u8, u16, u24 or u32 (got ${show(of)})`);
    const ofOrder: ByteOrder | undefined = m[2] === 'le' ? 'little' : m[2] === 'be' ? 'big' : undefined;
    if (ofOrder !== undefined && spec.has('endian') && spec.raw('endian') !== ofOrder)
      spec.fail('endian', `contradicts of = ${show(of)}`);
    return placeBits(
      spec,
      m[1] as IntType,
      (ofOrder ?? order) === 'little',
      wordSwap(spec, Number(m[1]!.slice(1)) / 8),
      cursor,
      scope,
      label,
    );
  }
  const container = t.int;
  if ((t.kind === 'bcd' || t.kind === 'ascii' || t.kind === 'hex') && bytes === undefined)
    spec.fail('bytes', `is required for type "${t.kind}" (its length in bytes, at most ${maxBytes})`);
  const size = container !== undefined ? Number(container.slice(1)) / 8 : (t.float ?? bytes ?? 1);
  const place = placement(spec, cursor, size, scope, label);
  switch (t.kind) {
    case 'int': {
      const codec = intCodec(container as IntType, little, wordSwap(spec, size));
      if (spec.has('length_of')) return restLength(spec, name, place, codec, scope);
      const partSpecs = spec.list('parts');
      if (partSpecs !== undefined && codec.signed)
        spec.fail('parts', 'needs an unsigned integer type (u8, u16, u24, u32)');
      if (name === undefined && !spec.has('const') && partSpecs === undefined)
        spec.fail('name', 'is required (use type = "skip" for bytes to ignore, or const for a fixed value)');
      if (name === undefined && !spec.has('const')) noValueKeys(spec, 'integer');
      const whole =
        name !== undefined || spec.has('const')
          ? intLeaf(spec, name, label, { min: codec.min, max: codec.max, desc: codec.type }, false)
          : undefined;
      const taken: boolean[] = [];
      const parts = (partSpecs ?? []).map((p, i) => {
        const ps = spec.item('parts', i, p, spec.context);
        ps.allow(PART_KEYS);
        return bitPart(ps, size * 8, taken, scope);
      });
      if (partSpecs !== undefined && parts.length === 0) spec.fail('parts', 'must list at least one bit field');
      const op = new IntFieldOp(place, codec, whole, parts);
      if (whole !== undefined && name !== undefined) scope.sources.set(name, source(name, op, whole, codec.read));
      for (const p of parts)
        scope.sources.set(
          p.leaf.name as string,
          source(p.leaf.name as string, op, p.leaf, (b, pos) => partRaw(p, codec.read(b, pos))),
        );
      return op;
    }
    case 'float': {
      if (name === undefined) spec.fail('name', 'is required');
      const decimals = spec.int('decimals', 0, 15);
      const min = spec.num('min');
      const max = spec.num('max');
      if (min !== undefined && max !== undefined && min > max) spec.fail('min', `is above max (${min} > ${max})`);
      const meta: ValueMeta = { name, emit: !(spec.bool('hidden') ?? false), unit: spec.str('unit'), min, max };
      return new FloatFieldOp(
        place,
        t.float as 4 | 8,
        byteOffsets(size, little, wordSwap(spec, size)),
        meta,
        scaling(spec.num('scale', { nonZero: true }) ?? 1, spec.num('offset') ?? 0, false, decimals),
      );
    }
    case 'bcd':
      return bcdField(spec, name, label, place, bytes as number, scope);
    case 'ascii':
    case 'hex':
      return textField(spec, t.kind, name, place, bytes as number);
    case 'skip':
      return new SkipOp(place, size);
  }
}

function restLength(
  spec: Spec,
  name: string | undefined,
  place: ReturnType<typeof placement>,
  codec: IntCodec,
  scope: FieldScope,
): FieldOp {
  spec.str('length_of', ['rest']);
  if (!scope.allowFromEnd) spec.fail('length_of', 'is not supported inside records');
  if (codec.signed) spec.fail('type', 'must be unsigned for a length field');
  for (const k of [...INTEGER, 'parts']) if (spec.has(k)) spec.fail(k, 'does not apply to a length field (length_of)');
  const meta: ValueMeta | undefined =
    name === undefined
      ? undefined
      : { name, emit: !(spec.bool('hidden') ?? false), unit: undefined, min: undefined, max: undefined };
  return new RestLengthOp(place, codec, meta);
}

function placement(
  spec: Spec,
  cursor: Cursor,
  size: number,
  scope: FieldScope,
  label: string,
): { label: string; fromEnd: boolean; at: number } {
  const at = spec.int('at', -65535, 65535);
  if (at !== undefined && at < 0 && !scope.allowFromEnd)
    spec.fail('at', 'must be >= 0 inside a record (offsets count from the record start)');
  const fromEnd = at !== undefined ? at < 0 : cursor.fromEnd;
  const pos = at ?? cursor.pos;
  if (fromEnd && pos + size > 0) {
    spec.fail(
      at !== undefined ? 'at' : undefined,
      `places ${size} byte(s) at ${pos} from the payload end, past the end (the last byte is at = -1)`,
    );
  }
  return { label, fromEnd, at: pos };
}

function placeBits(
  spec: Spec,
  container: IntType,
  little: boolean,
  swap: boolean,
  cursor: Cursor,
  scope: FieldScope,
  label: string,
): FieldOp {
  const codec = intCodec(container, little, swap);
  const name = spec.str('name');
  const place = placement(spec, cursor, codec.size, scope, name !== undefined ? `field "${name}"` : label);
  const part = bitPart(spec, codec.size * 8, [], scope);
  const op = new IntFieldOp(place, codec, undefined, [part]);
  scope.sources.set(
    part.leaf.name as string,
    source(part.leaf.name as string, op, part.leaf, (b, pos) => partRaw(part, codec.read(b, pos))),
  );
  return op;
}

function bcdField(
  spec: Spec,
  name: string | undefined,
  label: string,
  place: ReturnType<typeof placement>,
  n: number,
  scope: FieldScope,
): FieldOp {
  const asString = (spec.str('as', ['number', 'string']) ?? 'number') === 'string';
  const reverse = spec.bool('reverse') ?? false;
  let noValue: number[] | undefined;
  if (spec.has('no_value')) {
    if (n > 6) spec.fail('no_value', 'is supported for BCD fields of at most 6 bytes');
    const nv = spec.raw('no_value');
    noValue = (Array.isArray(nv) ? nv : [nv]).map((x) => {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= 256 ** n)
        spec.bad('no_value', `the raw bytes as an integer (e.g. 0x${'FF'.repeat(n)})`);
      return x;
    });
    // as for integer fields: an empty list would encode a missing value as zeros, a valid reading
    if (noValue.length === 0) spec.bad('no_value', 'a non-empty array');
  }
  if (name === undefined && !spec.has('const'))
    spec.fail('name', 'is required (use type = "skip" for bytes to ignore)');
  if (asString) {
    for (const k of [...NUMERIC, 'enum'])
      if (k !== 'unit' && spec.has(k)) spec.fail(k, 'does not apply to as = "string" (the value is the digit string)');
    let constDigits: string | undefined;
    if (spec.has('const')) {
      const c = spec.raw('const');
      if (typeof c !== 'string' || !/^[0-9]+$/.test(c) || c.length > 2 * n)
        spec.bad('const', `a string of at most ${2 * n} decimal digits`);
      constDigits = c.padStart(2 * n, '0');
    }
    const meta: ValueMeta | undefined =
      name === undefined
        ? undefined
        : { name, emit: !(spec.bool('hidden') ?? false), unit: spec.str('unit'), min: undefined, max: undefined };
    return new BcdFieldOp(place, n, reverse, undefined, { meta, constDigits }, noValue);
  }
  const saved = spec.table.no_value;
  const leafSpec =
    saved === undefined ? spec : new Spec(spec.where, spec.path, { ...spec.table, no_value: undefined }, spec.context);
  const leaf = intLeaf(leafSpec, name, label, { min: 0, max: 10 ** (2 * n) - 1, desc: `${n}-byte BCD` }, false);
  const op = new BcdFieldOp(place, n, reverse, leaf, undefined, noValue);
  if (name !== undefined)
    scope.sources.set(
      name,
      source(name, op, leaf, (b, pos) => readBcdNumber(b, pos, n, reverse)),
    );
  return op;
}

function textField(
  spec: Spec,
  kind: 'ascii' | 'hex',
  name: string | undefined,
  place: ReturnType<typeof placement>,
  n: number,
): FieldOp {
  let constText: string | undefined;
  if (spec.has('const')) {
    const c = spec.raw('const');
    if (kind === 'hex') {
      const h = typeof c === 'string' ? c.replace(/\s+/g, '').toUpperCase() : '';
      if (!/^[0-9A-F]+$/.test(h) || h.length !== 2 * n) spec.bad('const', `a string of ${2 * n} hex digits`);
      constText = h;
    } else {
      if (typeof c !== 'string' || c.length > n || !/^[\x20-\x7e]*$/.test(c))
        spec.bad('const', `a string of at most ${n} printable ASCII characters`);
      constText = c;
    }
  }
  if (name === undefined && constText === undefined)
    spec.fail('name', 'is required (use type = "skip" for bytes to ignore)');
  const meta: ValueMeta | undefined =
    name === undefined
      ? undefined
      : { name, emit: !(spec.bool('hidden') ?? false), unit: undefined, min: undefined, max: undefined };
  return new TextFieldOp(place, n, kind, spec.bool('reverse') ?? false, meta, constText);
}

/** Compiles the array `key` of parent, starting at cursor; returns the ops and the cursor after them. */
export function compileFields(
  parent: Spec,
  key: string,
  order: ByteOrder,
  cursor: Cursor,
  scope: FieldScope,
): { ops: FieldOp[]; cursor: Cursor } {
  const list = parent.list(key) ?? [];
  const ops: FieldOp[] = [];
  let cur = cursor;
  list.forEach((item, i) => {
    const nm = typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : undefined;
    const spec = parent.item(key, i, item, typeof nm === 'string' ? `field "${nm}"` : '');
    const op = compileField(spec, order, cur, scope);
    ops.push(op);
    cur = { fromEnd: op.fromEnd, pos: op.at + op.size };
  });
  return { ops, cursor: cur };
}
