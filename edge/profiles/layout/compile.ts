/** compileLayout: validates a [layout] table and builds the immutable Layout (docs/reference/layout.md). */
import { YiwangError } from '../../../common/errors.js';
import { AMBIGUOUS_CHECKSUMS, CHECKSUMS, type ByteOrder } from './checksums.js';
import type { ChecksumRule, FieldOp, FrameRules, Layout, Message, RecordType, Records, SwitchSource } from './types.js';
import { Spec, isTable, show, suggest } from './spec-reader.js';
import { compileFields, type FieldScope } from './compile-field.js';
import { intCodec, type IntType } from './primitives.js';
import { RestLengthOp } from './field-ops.js';
import { generateDecoder } from './codegen.js';

const LAYOUT_KEYS = [
  'endian',
  'length',
  'min_length',
  'max_length',
  'checksum',
  'fields',
  'switch',
  'messages',
  'tag',
  'records',
];
const MESSAGE_KEYS = ['when', 'length', 'min_length', 'max_length', 'checksum', 'fields'];
const RECORD_KEYS = ['tag', 'fields'];
const CHECKSUM_KEYS = ['type', 'range', 'at', 'endian'];
const MESSAGE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const MAX_LEN = 65535;

function checksumRule(spec: Spec, v: unknown, path: string, order: ByteOrder): ChecksumRule {
  const table = typeof v === 'string' ? { type: v } : v;
  if (!isTable(table))
    spec.fail(undefined, `must be a checksum name or a table { type, range, at, endian } (got ${show(v)})`);
  const c: Spec = new Spec(spec.where, path, table);
  c.allow(CHECKSUM_KEYS);
  const type = c.str('type');
  if (type === undefined) c.fail('type', `is required: one of ${[...CHECKSUMS.keys()].join(', ')}`);
  const ambiguous = AMBIGUOUS_CHECKSUMS.get(type.toLowerCase());
  if (ambiguous !== undefined) c.fail('type', `"${type}" is ambiguous: say which one, ${ambiguous}`);
  const algorithm = CHECKSUMS.get(type);
  if (algorithm === undefined)
    c.fail(
      'type',
      `must be one of ${[...CHECKSUMS.keys()].join(', ')} (got ${show(type)})${suggest(type, CHECKSUMS.keys())}`,
    );
  const w = algorithm.width;
  const at = c.int('at', -MAX_LEN, MAX_LEN) ?? -w;
  if (at < 0 && at + w > 0)
    c.fail('at', `places the ${w}-byte checksum past the payload end (use at = ${-w} for the last ${w} bytes)`);
  let from = 0;
  let to = at === 0 ? -1 : at - 1;
  if (at === 0) from = w;
  const r = c.raw('range');
  if (r !== undefined) {
    if (
      !Array.isArray(r) ||
      r.length !== 2 ||
      !r.every((x) => typeof x === 'number' && Number.isInteger(x) && Math.abs(x) <= MAX_LEN)
    ) {
      c.bad('range', '[first, last]: two byte offsets, inclusive; negative counts from the end (-1 = last byte)');
    }
    [from, to] = r as [number, number];
    if (Math.sign(from + 0.5) === Math.sign(to + 0.5) && from > to)
      c.fail('range', `starts after it ends (${from} > ${to})`);
  }
  // The checksum must not cover itself (only decidable here when all offsets count from the same end).
  if ([from, to, at].every((x) => x >= 0) || [from, to, at].every((x) => x < 0)) {
    if (at <= to && at + w - 1 >= from) c.fail('at', `lies inside the range it checks (${from}..${to})`);
  }
  const bo = (c.str('endian', ['big', 'little']) as ByteOrder | undefined) ?? algorithm.order ?? order;
  return { label: `checksum ${algorithm.name}`, algorithm, order: bo, from, to, at };
}

function checksums(spec: Spec, order: ByteOrder): ChecksumRule[] {
  const v = spec.raw('checksum');
  if (v === undefined) return [];
  const base = spec.keyPath('checksum');
  if (Array.isArray(v)) return v.map((x, i) => checksumRule(spec, x, `${base}[${i}]`, order));
  return [checksumRule(spec, v, base, order)];
}

/**
 * Length keys and checksums of spec, with what `ops` need from the payload. `own`: the fields declared
 * at this level, whose length_of fields count up to this level's trailer.
 */
function frameRules(spec: Spec, ops: readonly FieldOp[], sums: ChecksumRule[], own: readonly FieldOp[]): FrameRules {
  const length = spec.int('length', 1, MAX_LEN);
  const minLength = spec.int('min_length', 0, MAX_LEN);
  const maxLength = spec.int('max_length', 1, MAX_LEN);
  if (length !== undefined && (minLength !== undefined || maxLength !== undefined))
    spec.fail('length', 'is an exact length; leave out min_length and max_length');
  if (minLength !== undefined && maxLength !== undefined && minLength > maxLength)
    spec.fail('min_length', `is above max_length (${minLength} > ${maxLength})`);
  let head = 0;
  let tail = 0;
  for (const op of ops) {
    if (op.fromEnd) tail = Math.max(tail, -op.at);
    else head = Math.max(head, op.at + op.size);
  }
  for (const c of sums) {
    const w = c.algorithm.width;
    // The checksum bytes are reserved at the head or the tail; a range only needs its bytes to exist.
    if (c.at < 0) tail = Math.max(tail, -c.at);
    else head = Math.max(head, c.at + w);
    if (c.to >= 0) head = Math.max(head, c.to + 1);
  }
  for (const op of own) if (op instanceof RestLengthOp) op.tail = tail;
  const need = head + tail;
  if (length !== undefined && length < need)
    spec.fail('length', `is ${length}, but the fields and checksums need ${need} bytes`);
  if (maxLength !== undefined && maxLength < need)
    spec.fail('max_length', `is ${maxLength}, but the fields and checksums need ${need} bytes`);
  return { length, minLength, maxLength, checksums: sums, needHead: head, needTail: tail };
}

/** Where message and record fields start: after the last header field placed from the payload start. */
function headEnd(ops: readonly FieldOp[]): number {
  return ops.reduce((mx, op) => (op.fromEnd ? mx : Math.max(mx, op.at + op.size)), 0);
}

function whenValues(ms: Spec, src: SwitchSource): number[] {
  const w = ms.raw('when');
  if (w === undefined) ms.fail('when', `is required: the value(s) of "${src.name}" that select this message`);
  const list = Array.isArray(w) ? w : [w];
  if (list.length === 0) ms.bad('when', 'a value or a non-empty array of values');
  return list.map((x) => {
    if (typeof x === 'string') {
      const r = src.enumNames?.get(x);
      if (r === undefined)
        ms.fail(
          'when',
          `names ${show(x)}, which is not in the enum of "${src.name}"${src.enumNames ? suggest(x, src.enumNames.keys()) : ' (it has no enum; use integers)'}`,
        );
      return r;
    }
    if (typeof x !== 'number' || !Number.isInteger(x) || x < src.rawMin || x > src.rawMax) {
      ms.bad(
        'when',
        `an integer from ${src.rawMin} to ${src.rawMax} (a raw value of "${src.name}"), an enum name, or an array of them`,
      );
    }
    return x;
  });
}

function compileMessages(
  root: Spec,
  order: ByteOrder,
  header: { ops: FieldOp[] },
  layoutFrame: FrameRules,
  scope: FieldScope,
  names: Set<string>,
) {
  const switchName = root.str('switch');
  const ms0 = root.child('messages');
  if (switchName === undefined)
    root.fail('switch', 'is required with messages: the name of the layout field that holds the message type');
  if (ms0 === undefined)
    root.fail(
      'messages',
      `is required with switch: one table per message type, [layout.messages.<name>] with when = <value of "${switchName}">`,
    );
  const ms: Spec = ms0;
  const src = scope.sources.get(switchName);
  if (src === undefined) {
    root.fail(
      'switch',
      `must name an integer field (or bit field) of layout.fields; there is none called ${show(switchName)}${suggest(switchName, scope.sources.keys())}`,
    );
  }
  const messages = new Map<string, Message>();
  const byRaw = new Map<number, Message>();
  for (const [name, v] of Object.entries(ms.table)) {
    if (!MESSAGE_NAME.test(name)) ms.fail(name, 'is not a valid message name (letters, digits, _ . -)');
    if (!isTable(v)) ms.bad(name, 'a table');
    const spec: Spec = new Spec(root.where, ms.keyPath(name), v, `message "${name}"`);
    spec.allow(MESSAGE_KEYS);
    const when = whenValues(spec, src);
    const mscope: FieldScope = { names: new Set(scope.names), sources: new Map(), allowFromEnd: true };
    const body = compileFields(spec, 'fields', order, { fromEnd: false, pos: headEnd(header.ops) }, mscope);
    for (const n of mscope.names) names.add(n);
    const frame = frameRules(spec, [...header.ops, ...body.ops], checksums(spec, order), body.ops);
    if (layoutFrame.length !== undefined && frame.length !== undefined && frame.length !== layoutFrame.length) {
      spec.fail('length', `is ${frame.length}, but the layout's length is ${layoutFrame.length}`);
    }
    const msg: Message = { name, when, frame, fields: body.ops };
    for (const raw of when) {
      const other = byRaw.get(raw);
      if (other !== undefined) spec.fail('when', `value ${raw} already selects message "${other.name}"`);
      byRaw.set(raw, msg);
    }
    messages.set(name, msg);
  }
  if (messages.size === 0) root.fail('messages', 'must define at least one message');
  return { src, messages, byRaw };
}

function compileRecords(
  root: Spec,
  order: ByteOrder,
  header: FieldOp[],
  headerNames: ReadonlySet<string>,
  names: Set<string>,
): Records {
  const tagType = root.str('tag');
  const rs0 = root.child('records');
  if (tagType === undefined)
    root.fail(
      'tag',
      'is required with records: the unsigned type of the tag that starts each record, e.g. "u8" or "u16"',
    );
  if (rs0 === undefined)
    root.fail('records', 'is required with tag: one table per record type, [layout.records.<name>] with tag = <value>');
  const rs: Spec = rs0;
  const m = /^(u8|u16|u24|u32)(le|be)?$/.exec(tagType);
  if (!m) root.fail('tag', `must be an unsigned integer type: u8, u16, u24 or u32 (got ${show(tagType)})`);
  const codec = intCodec(m[1] as IntType, (m[2] === 'le' ? 'little' : m[2] === 'be' ? 'big' : order) === 'little');
  const byTag = new Map<number, RecordType>();
  const list: RecordType[] = [];
  for (const [name, v] of Object.entries(rs.table)) {
    if (!MESSAGE_NAME.test(name)) rs.fail(name, 'is not a valid record name (letters, digits, _ . -)');
    if (!isTable(v)) rs.bad(name, 'a table');
    const spec: Spec = new Spec(root.where, rs.keyPath(name), v, `record "${name}"`);
    spec.allow(RECORD_KEYS);
    const t = spec.raw('tag');
    const tags = (Array.isArray(t) ? t : [t]).map((x) => {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > codec.max)
        spec.bad('tag', `an integer from 0 to ${codec.max} (a ${m[1]} tag value) or an array of them`);
      return x;
    });
    if (tags.length === 0) spec.bad('tag', 'a value or a non-empty array');
    const rscope: FieldScope = { names: new Set(headerNames), sources: new Map(), allowFromEnd: false };
    const body = compileFields(spec, 'fields', order, { fromEnd: false, pos: 0 }, rscope);
    for (const n of rscope.names) names.add(n);
    const size = body.ops.reduce((mx, op) => Math.max(mx, op.at + op.size), 0);
    const rec: RecordType = { name, tags, size, fields: body.ops };
    for (const tag of tags) {
      const other = byTag.get(tag);
      if (other !== undefined)
        spec.fail('tag', `value 0x${tag.toString(16).toUpperCase()} already starts record "${other.name}"`);
      byTag.set(tag, rec);
    }
    list.push(rec);
  }
  if (list.length === 0) root.fail('records', 'must define at least one record type');
  const start = headEnd(header);
  return { tag: codec, start, byTag, list };
}

/**
 * Validates a plain object (as parsed from TOML, e.g. the [layout] table of a profile) and compiles it.
 * `where` names the table for messages, e.g. "acme/smoke.toml [layout]". Throws
 * YiwangError('PROFILE_ERR_LAYOUT', "<where>: <key path> <problem>") on a bad spec.
 */
export function compileLayout(spec: unknown, where: string): Layout {
  if (!isTable(spec))
    throw new YiwangError('PROFILE_ERR_LAYOUT', `${where}: layout must be a table (got ${show(spec)})`);
  const root = new Spec(where, '', spec);
  root.allow(LAYOUT_KEYS);
  const order = (root.str('endian', ['big', 'little']) as ByteOrder | undefined) ?? 'big';
  const scope: FieldScope = { names: new Set(), sources: new Map(), allowFromEnd: true };
  const header = compileFields(root, 'fields', order, { fromEnd: false, pos: 0 }, scope);
  const names = new Set(scope.names);
  const hasMessages = root.has('switch') || root.has('messages');
  const hasRecords = root.has('tag') || root.has('records');
  if (hasMessages && hasRecords)
    root.fail(root.has('tag') ? 'tag' : 'records', 'cannot be combined with switch/messages in one layout');
  if (!hasMessages && !hasRecords && header.ops.length === 0)
    root.fail('fields', 'is required: a layout needs at least one field');
  const frame = frameRules(root, header.ops, checksums(root, order), header.ops);
  let sw: ReturnType<typeof compileMessages> | undefined;
  let records: Records | undefined;
  if (hasMessages) sw = compileMessages(root, order, header, frame, scope, names);
  if (hasRecords) records = compileRecords(root, order, header.ops, scope.names, names);
  const layout: Layout = {
    where,
    frame,
    fields: header.ops,
    switch: sw?.src,
    messages: sw?.messages ?? new Map(),
    messageByRaw: sw?.byRaw ?? new Map(),
    records,
    names,
    fast: undefined,
  };
  const fast = generateDecoder(layout);
  return fast === undefined ? layout : { ...layout, fast };
}
