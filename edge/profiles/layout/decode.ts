/** decodePayload: bytes → named values, or a YiwangError with a PROFILE_ERR_* code. */
import { YiwangError } from '../../../common/errors.js';
import type { ChecksumRule, Decoded, FieldOp, FrameRules, Layout, LayoutValue } from './types.js';
import { hex } from './int-leaf.js';
import { checksumBytes, orderWords, spacedHex } from './checksums.js';

function lengthError(what: string, problem: string): YiwangError {
  return new YiwangError('PROFILE_ERR_LENGTH', `${what}: ${problem}`);
}

/** Resolves a checksum's offsets for a payload of len bytes; throws when they do not fit. */
export function checksumPlace(c: ChecksumRule, len: number, what: string): { from: number; to: number; at: number } {
  const from = c.from < 0 ? len + c.from : c.from;
  const to = c.to < 0 ? len + c.to : c.to;
  const at = c.at < 0 ? len + c.at : c.at;
  if (from < 0 || to >= len || from > to || at < 0 || at + c.algorithm.width > len) {
    throw lengthError(what, `${len} bytes is too short for the ${c.label} over bytes ${from}..${to} at byte ${at}`);
  }
  return { from, to, at };
}

export function readChecksum(b: Uint8Array, at: number, width: number, little: boolean): number {
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + b[little ? at + width - 1 - i : at + i]!; // callers check that the bytes lie within b
  return v;
}

function checkFrame(f: FrameRules, b: Uint8Array, what: string): void {
  const len = b.length;
  if (f.length !== undefined && len !== f.length)
    throw lengthError(what, `is ${len} bytes, the layout expects exactly ${f.length}`);
  if (f.minLength !== undefined && len < f.minLength)
    throw lengthError(what, `is ${len} bytes, the layout expects at least ${f.minLength}`);
  if (f.maxLength !== undefined && len > f.maxLength)
    throw lengthError(what, `is ${len} bytes, the layout allows at most ${f.maxLength}`);
  const need = f.needHead + f.needTail;
  if (len < need) throw lengthError(what, `is ${len} bytes, its fields need at least ${need}`);
  for (const c of f.checksums) {
    const p = checksumPlace(c, len, what);
    const want = c.algorithm.compute(b, p.from, p.to + 1);
    const got = readChecksum(b, p.at, c.algorithm.width, c.order === 'little');
    if (want !== got) {
      // The bytes to type, in the frame's order (a CRC-16/MODBUS of 0xA1C3 is "C3 A1"), and the value.
      const w = c.algorithm.width;
      const little = c.order === 'little';
      const where = w === 1 ? `byte ${p.at}` : `bytes ${p.at}..${p.at + w - 1}`;
      const value = `0x${want
        .toString(16)
        .toUpperCase()
        .padStart(w * 2, '0')}${w === 1 ? '' : `, ${orderWords(w, little)}`}`;
      throw new YiwangError(
        'PROFILE_ERR_CHECKSUM',
        `${what}: ${c.label} over bytes ${p.from}..${p.to}: ${where} must be ${spacedHex(checksumBytes(want, w, little))} (${value}), the payload has ${spacedHex(b.subarray(p.at, p.at + w))}`,
      );
    }
  }
}

function run(ops: readonly FieldOp[], b: Uint8Array, base: number, out: LayoutValue[]): void {
  const len = b.length;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    op.decode(b, op.fromEnd ? len + op.at : base + op.at, out);
  }
}

function known(entries: Iterable<[string, readonly number[]]>, digits = 0): string {
  const all = [...entries].map(
    ([n, raws]) =>
      `${n}=${raws.map((r) => (digits ? `0x${r.toString(16).toUpperCase().padStart(digits, '0')}` : r)).join('|')}`,
  );
  return all.length > 12 ? `${all.slice(0, 12).join(', ')}, …` : all.join(', ');
}

/** Decodes one payload. Throws YiwangError with a PROFILE_ERR_* code (length, checksum, unknown message type, range …). */
export function decodePayload(layout: Layout, bytes: Uint8Array): Decoded {
  return layout.fast !== undefined ? layout.fast(bytes) : decodeInterpreted(layout, bytes);
}

/** The reference decoder: walks the compiled layout. The generated one falls back to it on any error. */
export function decodeInterpreted(layout: Layout, bytes: Uint8Array): Decoded {
  checkFrame(layout.frame, bytes, 'payload');
  const out: LayoutValue[] = [];
  const sw = layout.switch;
  if (sw !== undefined) {
    const pos = sw.op.fromEnd ? bytes.length + sw.op.at : sw.op.at;
    const raw = sw.readRaw(bytes, pos);
    const msg = layout.messageByRaw.get(raw);
    if (msg === undefined) {
      throw new YiwangError(
        'PROFILE_ERR_MESSAGE_TYPE',
        `field "${sw.name}" at byte ${pos}: message type ${raw} (${hex(raw)}) is not handled by this layout (known: ${known([...layout.messages.values()].map((m) => [m.name, m.when]))})`,
      );
    }
    checkFrame(msg.frame, bytes, `message "${msg.name}"`);
    run(layout.fields, bytes, 0, out);
    run(msg.fields, bytes, 0, out);
    return { type: msg.name, values: out };
  }
  run(layout.fields, bytes, 0, out);
  const rec = layout.records;
  if (rec !== undefined) {
    const end = bytes.length - layout.frame.needTail;
    let pos = rec.start;
    while (pos < end) {
      if (pos + rec.tag.size > end)
        throw lengthError(
          'payload',
          `${end - pos} byte(s) left at byte ${pos}, too few for a ${rec.tag.size}-byte record tag`,
        );
      const tag = rec.tag.read(bytes, pos);
      const r = rec.byTag.get(tag);
      if (r === undefined) {
        const h = `0x${tag
          .toString(16)
          .toUpperCase()
          .padStart(rec.tag.size * 2, '0')}`;
        throw new YiwangError(
          'PROFILE_ERR_MESSAGE_TYPE',
          `record at byte ${pos}: tag ${h} is not handled by this layout (known: ${known(
            rec.list.map((x) => [x.name, x.tags]),
            rec.tag.size * 2,
          )})`,
        );
      }
      const body = pos + rec.tag.size;
      if (body + r.size > end)
        throw lengthError(
          `record "${r.name}" at byte ${pos}`,
          `needs ${r.size} byte(s) after its tag, ${end - body} left`,
        );
      run(r.fields, bytes, body, out);
      pos = body + r.size;
    }
  }
  return { values: out };
}
