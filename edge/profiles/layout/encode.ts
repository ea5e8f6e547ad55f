/** encodePayload: named values → bytes (downlinks, simulators); the inverse of decodePayload. */
import { YiwangError } from '../../../common/errors.js';
import type { FieldOp, FrameRules, Layout, LayoutValues, Message, RawOverrides, RecordType } from './types.js';
import { checksumPlace } from './decode.js';
import { isTable, show, suggest } from './spec-reader.js';

function encodeError(problem: string): YiwangError {
  return new YiwangError('PROFILE_ERR_ENCODE', problem);
}

function selectMessage(
  layout: Layout,
  values: LayoutValues,
  type: string | undefined,
): { msg: Message | undefined; ov: RawOverrides } {
  const sw = layout.switch;
  if (sw === undefined) {
    if (type !== undefined && layout.records === undefined) {
      throw new YiwangError('PROFILE_ERR_MESSAGE_TYPE', `this layout has no message types (got type "${type}")`);
    }
    return { msg: undefined, ov: undefined };
  }
  const names = [...layout.messages.keys()];
  let msg: Message | undefined;
  if (type !== undefined) {
    msg = layout.messages.get(type);
    if (msg === undefined)
      throw new YiwangError(
        'PROFILE_ERR_MESSAGE_TYPE',
        `no message "${type}" in this layout (known: ${names.join(', ')})${suggest(type, names)}`,
      );
  }
  const given = sw.rawFromValues(values);
  if (given !== undefined) {
    const byRaw = layout.messageByRaw.get(given);
    if (byRaw === undefined)
      throw new YiwangError(
        'PROFILE_ERR_MESSAGE_TYPE',
        `value "${sw.name}" = ${show(values[sw.name])} selects no message of this layout (known: ${names.join(', ')})`,
      );
    if (msg !== undefined && byRaw !== msg)
      throw encodeError(`value "${sw.name}" = ${show(values[sw.name])} selects message "${byRaw.name}", not "${type}"`);
    return { msg: byRaw, ov: undefined };
  }
  if (msg === undefined)
    throw new YiwangError(
      'PROFILE_ERR_MESSAGE_TYPE',
      `this layout has several message types: pass the type (${names.join(', ')}) or a value "${sw.name}"`,
    );
  return { msg, ov: new Map([[sw.name, msg.when[0]!]]) }; // when is never empty (compile.ts)
}

function selectRecords(layout: Layout, values: LayoutValues, type: string | undefined): RecordType[] {
  const rec = layout.records;
  if (rec === undefined) return [];
  if (type === undefined)
    return rec.list.filter((r) => r.fields.some((op) => op.names.some((n) => values[n] !== undefined)));
  return type
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((n) => {
      const r = rec.list.find((x) => x.name === n);
      if (r === undefined)
        throw new YiwangError(
          'PROFILE_ERR_MESSAGE_TYPE',
          `no record "${n}" in this layout (known: ${rec.list.map((x) => x.name).join(', ')})`,
        );
      return r;
    });
}

function write(ops: readonly FieldOp[], b: Uint8Array, base: number, values: LayoutValues, ov: RawOverrides): void {
  for (const op of ops) op.encode(b, op.fromEnd ? b.length + op.at : base + op.at, values, ov);
}

/**
 * Inverse of decodePayload for the fields it wrote (for downlinks and simulators). `type` picks the
 * message of a layout with messages (or give the message-type value); for a layout with records it
 * is a comma-separated list of record names, by default every record whose values are given.
 */
export function encodePayload(
  layout: Layout,
  given: Record<string, number | boolean | string>,
  type?: string,
): Uint8Array {
  if (!isTable(given)) throw encodeError('values must be an object of name → number, boolean or string');
  // Own properties only: a field called "constructor" must not find Object.prototype.constructor.
  const values: LayoutValues = Object.assign(Object.create(null) as Record<string, number | boolean | string>, given);
  for (const k of Object.keys(values)) {
    if (!layout.names.has(k))
      throw encodeError(`unknown value "${k}": the layout has no field of that name${suggest(k, layout.names)}`);
  }
  const { msg, ov } = selectMessage(layout, values, type);
  const records = selectRecords(layout, values, type);
  const frames: FrameRules[] = msg === undefined ? [layout.frame] : [layout.frame, msg.frame];
  let head = Math.max(...frames.map((f) => f.needHead));
  const tail = Math.max(...frames.map((f) => f.needTail));
  const rec = layout.records;
  const recordsEnd = rec === undefined ? 0 : rec.start + records.reduce((s, r) => s + rec.tag.size + r.size, 0);
  head = Math.max(head, recordsEnd);
  const exact = msg?.frame.length ?? layout.frame.length;
  const total = exact ?? Math.max(head + tail, ...frames.map((f) => f.minLength ?? 0));
  if (total < head + tail)
    throw encodeError(`the fields need ${head + tail} bytes, but the layout's length is ${total}`);
  if (rec !== undefined && recordsEnd + tail !== total)
    throw encodeError(`the records fill ${recordsEnd + tail} bytes, but the layout's length is ${total}`);
  for (const f of frames)
    if (f.maxLength !== undefined && total > f.maxLength)
      throw encodeError(`the payload would be ${total} bytes, the layout allows at most ${f.maxLength}`);
  const b = new Uint8Array(total);
  write(layout.fields, b, 0, values, ov);
  if (msg !== undefined) write(msg.fields, b, 0, values, ov);
  if (rec !== undefined) {
    let pos = rec.start;
    for (const r of records) {
      rec.tag.write(b, pos, r.tags[0]!); // tags is never empty (compile.ts)
      write(r.fields, b, pos + rec.tag.size, values, undefined);
      pos += rec.tag.size + r.size;
    }
  }
  for (const c of [...(msg?.frame.checksums ?? []), ...layout.frame.checksums]) {
    const p = checksumPlace(c, total, 'encoded payload');
    let v = c.algorithm.compute(b, p.from, p.to + 1);
    const w = c.algorithm.width;
    for (let i = 0; i < w; i++) {
      const byte = v % 256;
      v = (v - byte) / 256;
      b[c.order === 'little' ? p.at + i : p.at + w - 1 - i] = byte;
    }
  }
  return b;
}
