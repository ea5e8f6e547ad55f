/**
 * Generates a straight-line decoder for a compiled layout (as protobufjs does for messages): reads,
 * scaling and checks inlined per field. It only decodes payloads that are valid; at the first failed
 * check it returns the reference decoder's result (decodeInterpreted), which throws the precise error.
 * The generated source holds only numbers and identifiers: every name, unit, table and helper is
 * passed in as a captured constant, never spliced into the code as text.
 */
import type { ChecksumRule, Decoded, FieldOp, FrameRules, Layout } from './types.js';
import type { IntLeaf } from './int-leaf.js';
import type { IntCodec } from './primitives.js';
import { BcdFieldOp, IntFieldOp, SkipOp, type BitPart } from './field-ops.js';
import { readBcd, readBcdNumber } from './primitives.js';
import { decodeInterpreted, readChecksum } from './decode.js';

/** A byte position in generated code: a literal offset, or an expression over len/base. */
interface Pos {
  lit?: number;
  expr: string;
}

const lit = (n: number): Pos => ({ lit: n, expr: String(n) });
const byteAt = (p: Pos, i: number): string => (p.lit !== undefined ? `b[${p.lit + i}]` : `b[${p.expr} + ${i}]`);

function num(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`codegen: non-finite constant ${x}`);
  return x < 0 || Object.is(x, -0) ? `(${x})` : String(x);
}

class Gen {
  readonly consts: unknown[] = [];
  private n = 0;
  ref(v: unknown): string {
    let i = this.consts.indexOf(v);
    if (i < 0) i = this.consts.push(v) - 1;
    return `k${i}`;
  }
  tmp(): string {
    return `v${this.n++}`;
  }
}

/** Expression reading an integer (the byte order and sign of codec) at p. */
function readInt(c: IntCodec, p: Pos): string {
  const at = (i: number): string => byteAt(p, c.offsets[i]!); // i = 0 is the most significant byte; i < c.size
  const msb = at(0);
  switch (c.size) {
    case 1:
      return c.signed ? `(${msb} << 24 >> 24)` : msb;
    case 2:
      return c.signed ? `((${msb} << 24 >> 16) | ${at(1)})` : `(${msb} << 8 | ${at(1)})`;
    case 3:
      return c.signed
        ? `((${msb} << 24 >> 8) | ${at(1)} << 8 | ${at(2)})`
        : `(${msb} << 16 | ${at(1)} << 8 | ${at(2)})`;
    default:
      return c.signed
        ? `(${msb} << 24 | ${at(1)} << 16 | ${at(2)} << 8 | ${at(3)})`
        : `(${msb} * 16777216 + (${at(1)} << 16 | ${at(2)} << 8 | ${at(3)}))`;
  }
}

function partExpr(p: BitPart, container: string): string {
  const u = p.width >= 32 ? container : `((${container} >>> ${p.lo}) & ${2 ** p.width - 1})`;
  return p.signed ? `(${u} << ${32 - p.width} >> ${32 - p.width})` : u;
}

function push(g: Gen, name: string, unit: string | undefined, v: string): string {
  return unit === undefined
    ? `out.push({ name: ${g.ref(name)}, value: ${v} });\n`
    : `out.push({ name: ${g.ref(name)}, value: ${v}, unit: ${g.ref(unit)} });\n`;
}

/** Code for one IntLeaf whose raw value is in variable r. */
function leafCode(g: Gen, leaf: IntLeaf, r: string): string {
  const o = leaf.options;
  const bail = 'return S(b);';
  if (!o.emit) return o.constRaw === undefined ? '' : `if (${r} !== ${num(o.constRaw)}) ${bail}\n`;
  let body = o.constRaw === undefined ? '' : `if (${r} !== ${num(o.constRaw)}) ${bail}\n`;
  const v = g.tmp();
  if (o.enumMap !== undefined) {
    body += `const ${v} = ${g.ref(o.enumMap)}.get(${r});\nif (${v} === undefined) ${bail}\n`;
  } else if (o.bool) {
    body += `const ${v} = ${r} !== 0;\n`;
  } else {
    const lin = o.scaling.linear;
    let e: string;
    if (lin === undefined) e = `${g.ref(o.scaling)}.apply(${r})`;
    else {
      e = lin.mul === 1 ? r : `${r} * ${num(lin.mul)}`;
      if (lin.add !== 0) e = `${e} + ${num(lin.add)}`;
      if (lin.div !== 1) e = `(${e}) / ${num(lin.div)}`;
    }
    body += `const ${v} = ${e};\n`;
    const out: string[] = [];
    if (o.min !== undefined) out.push(`${v} < ${num(o.min)}`);
    if (o.max !== undefined) out.push(`${v} > ${num(o.max)}`);
    if (out.length) body += `if (${out.join(' || ')}) ${bail}\n`;
  }
  body += push(g, o.name as string, o.unit, v);
  if (o.noValue === undefined) return body;
  return `if (!(${o.noValue.map((x) => `${r} === ${num(x)}`).join(' || ')})) {\n${body}}\n`;
}

/** BCD without no_value: digits read through the primitives, checks and scaling inlined like integers. */
function bcdCode(g: Gen, op: BcdFieldOp, p: Pos): string {
  const r = g.tmp();
  if (op.leaf !== undefined) {
    return `const ${r} = ${g.ref(readBcdNumber)}(b, ${p.expr}, ${op.size}, ${op.reverse});\nif (${r} < 0) return S(b);\n${leafCode(g, op.leaf, r)}`;
  }
  const t = op.text;
  let code = `const ${r} = ${g.ref(readBcd)}(b, ${p.expr}, ${op.size}, ${op.reverse});\nif (${r} === undefined) return S(b);\n`;
  if (t?.constDigits !== undefined) code += `if (${r} !== ${g.ref(t.constDigits)}) return S(b);\n`;
  if (t?.meta?.emit) code += push(g, t.meta.name, t.meta.unit, r);
  return code;
}

function opCode(g: Gen, op: FieldOp, p: Pos): string {
  if (op instanceof SkipOp) return '';
  if (op instanceof BcdFieldOp && op.noValue === undefined) return bcdCode(g, op, p);
  if (!(op instanceof IntFieldOp)) return `${g.ref(op)}.decode(b, ${p.expr}, out);\n`;
  const c = g.tmp();
  let code = `const ${c} = ${readInt(op.codec, p)};\n`;
  if (op.whole !== undefined) code += leafCode(g, op.whole, c);
  for (const part of op.parts) {
    const r = g.tmp();
    code += `const ${r} = ${partExpr(part, c)};\n${leafCode(g, part.leaf, r)}`;
  }
  return code;
}

/** Fields positioned from the payload start (base = 0), the end, or a record base. */
function bodyCode(g: Gen, ops: readonly FieldOp[], inRecord: boolean): string {
  return ops
    .map((op) => {
      const p: Pos = op.fromEnd ? { expr: `(len - ${-op.at})` } : inRecord ? { expr: `(base + ${op.at})` } : lit(op.at);
      return opCode(g, op, p);
    })
    .join('');
}

function stored(c: ChecksumRule, g: Gen): string {
  const little = c.order === 'little';
  switch (c.algorithm.width) {
    case 1:
      return 'b[a]';
    case 2:
      return little ? '(b[a + 1] << 8 | b[a])' : '(b[a] << 8 | b[a + 1])';
    default:
      return `${g.ref(readChecksum)}(b, a, 4, ${little})`;
  }
}

function frameCode(g: Gen, f: FrameRules): string {
  const bad: string[] = [];
  if (f.length !== undefined) bad.push(`len !== ${f.length}`);
  if (f.minLength !== undefined) bad.push(`len < ${f.minLength}`);
  if (f.maxLength !== undefined) bad.push(`len > ${f.maxLength}`);
  if (f.needHead + f.needTail > 0) bad.push(`len < ${f.needHead + f.needTail}`);
  let code = bad.length ? `if (${bad.join(' || ')}) return S(b);\n` : '';
  for (const c of f.checksums) {
    const off = (x: number): string => (x < 0 ? `len - ${-x}` : String(x));
    code +=
      `{\nconst f = ${off(c.from)}, t = ${off(c.to)}, a = ${off(c.at)};\n` +
      `if (f < 0 || t >= len || f > t || a < 0 || a + ${c.algorithm.width} > len || ${g.ref(c.algorithm)}.compute(b, f, t + 1) !== ${stored(c, g)}) return S(b);\n}\n`;
  }
  return code;
}

function decoderSource(g: Gen, layout: Layout): string {
  let code = `const len = b.length;\n${frameCode(g, layout.frame)}`;
  const sw = layout.switch;
  if (sw !== undefined) {
    code += `switch (${g.ref(sw)}.readRaw(b, ${sw.op.fromEnd ? `len - ${-sw.op.at}` : sw.op.at})) {\n`;
    for (const m of layout.messages.values()) {
      code += `${m.when.map((w) => `case ${num(w)}:`).join(' ')} {\n${frameCode(g, m.frame)}const out = [];\n`;
      code += `${bodyCode(g, layout.fields, false)}${bodyCode(g, m.fields, false)}return { type: ${g.ref(m.name)}, values: out };\n}\n`;
    }
    return `${code}default: return S(b);\n}\n`;
  }
  code += `const out = [];\n${bodyCode(g, layout.fields, false)}`;
  const rec = layout.records;
  if (rec !== undefined) {
    const ts = rec.tag.size;
    code +=
      `const end = len - ${layout.frame.needTail};\nlet pos = ${rec.start};\nwhile (pos < end) {\n` +
      `if (pos + ${ts} > end) return S(b);\nconst base = pos + ${ts};\nswitch (${readInt(rec.tag, { expr: 'pos' })}) {\n`;
    for (const r of rec.list) {
      code += `${r.tags.map((x) => `case ${num(x)}:`).join(' ')} {\nif (base + ${r.size} > end) return S(b);\n${bodyCode(g, r.fields, true)}pos = base + ${r.size};\nbreak;\n}\n`;
    }
    code += 'default: return S(b);\n}\n}\n';
  }
  return `${code}return { values: out };\n`;
}

/** The generated decoder of layout, or undefined when code generation is unavailable (the interpreter is used). */
export function generateDecoder(layout: Layout): ((b: Uint8Array) => Decoded) | undefined {
  const g = new Gen();
  const slow = (b: Uint8Array): Decoded => decodeInterpreted(layout, b);
  let body: string;
  try {
    body = decoderSource(g, layout);
  } catch {
    return undefined;
  }
  const prologue = g.consts.map((_, i) => `const k${i} = K[${i}];\n`).join('');
  try {
    const factory = new Function('K', 'S', `'use strict';\n${prologue}return function decode(b) {\n${body}};`) as (
      k: unknown[],
      s: typeof slow,
    ) => (b: Uint8Array) => Decoded;
    return factory(g.consts, slow);
  } catch {
    return undefined; // e.g. node --disallow-code-generation-from-strings
  }
}
