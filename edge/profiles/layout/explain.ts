/**
 * explainPayload: every field of a payload with its bytes and values, and where decoding fails —
 * for integrator tools (`yiwang-edge profile decode --hex …`). Slower than decodePayload; never throws
 * for a bad payload.
 */
import { isYiwangError } from '../../../common/errors.js';
import { decodePayload } from './decode.js';
import { readHex } from './primitives.js';
import type { FieldOp, Layout, LayoutValue } from './types.js';

export interface FieldExplanation {
  /** `field "temperature"`, `fields[0]`, `record "battery" tag` … */
  readonly field: string;
  readonly at: number;
  readonly size: number;
  /** The field's bytes as hex ('' when they lie outside the payload). */
  readonly hex: string;
  readonly values: LayoutValue[];
  readonly error?: { code: string; message: string };
}

export interface Explanation {
  readonly type?: string;
  /** The result of decodePayload: its first error, if any. */
  readonly error?: { code: string; message: string };
  readonly fields: FieldExplanation[];
}

function errorOf(e: unknown): { code: string; message: string } {
  return isYiwangError(e) ? { code: e.code, message: e.message } : { code: 'ERROR', message: String(e) };
}

function explainOp(op: FieldOp, b: Uint8Array, base: number, label = op.label): FieldExplanation {
  const at = op.fromEnd ? b.length + op.at : base + op.at;
  if (at < 0 || at + op.size > b.length) {
    return {
      field: label,
      at,
      size: op.size,
      hex: '',
      values: [],
      error: {
        code: 'PROFILE_ERR_LENGTH',
        message: `bytes ${at}..${at + op.size - 1} are outside the ${b.length}-byte payload`,
      },
    };
  }
  const values: LayoutValue[] = [];
  try {
    op.decode(b, at, values);
    return { field: label, at, size: op.size, hex: readHex(b, at, op.size, false), values };
  } catch (e) {
    return { field: label, at, size: op.size, hex: readHex(b, at, op.size, false), values, error: errorOf(e) };
  }
}

export function explainPayload(layout: Layout, bytes: Uint8Array): Explanation {
  let type: string | undefined;
  let error: { code: string; message: string } | undefined;
  try {
    type = decodePayload(layout, bytes).type;
  } catch (e) {
    error = errorOf(e);
  }
  const fields = layout.fields.map((op) => explainOp(op, bytes, 0));
  const sw = layout.switch;
  if (sw !== undefined) {
    const pos = sw.op.fromEnd ? bytes.length + sw.op.at : sw.op.at;
    const msg =
      pos >= 0 && pos + sw.op.size <= bytes.length ? layout.messageByRaw.get(sw.readRaw(bytes, pos)) : undefined;
    type = msg?.name;
    for (const op of msg?.fields ?? []) fields.push(explainOp(op, bytes, 0));
  }
  const rec = layout.records;
  if (rec !== undefined) {
    const end = bytes.length - layout.frame.needTail;
    let pos = rec.start;
    while (pos + rec.tag.size <= end) {
      const r = rec.byTag.get(rec.tag.read(bytes, pos));
      const tagHex = readHex(bytes, pos, rec.tag.size, false);
      fields.push({
        field: r ? `record "${r.name}" tag` : 'record tag',
        at: pos,
        size: rec.tag.size,
        hex: tagHex,
        values: [],
        ...(r ? {} : { error: { code: 'PROFILE_ERR_MESSAGE_TYPE', message: `unknown tag 0x${tagHex}` } }),
      });
      if (r === undefined) break;
      const base = pos + rec.tag.size;
      for (const op of r.fields) fields.push(explainOp(op, bytes, base));
      pos = base + r.size;
    }
  }
  return { ...(type === undefined ? {} : { type }), ...(error === undefined ? {} : { error }), fields };
}
