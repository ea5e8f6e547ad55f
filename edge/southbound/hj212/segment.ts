/**
 * HJ 212 data segment:  QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;PNUM=…;PNO=…;CP=&&…&&
 * CP content: groups separated by ";" (one per pollutant or parameter), items by "," inside a
 * group, each KEY=VALUE (e.g. `w01018-Rtd=12.3,w01018-Flag=N`). A value between "//" and "//"
 * (log text, i11001-Info) may contain any character. Parsing keeps wire order, so
 * encodeSegment(parseSegment(s)) === s.
 */
import { YiwangError } from '../../../common/errors.js';
import { decodeFrame, type Hj212FrameOptions } from './frame.js';

export type Hj212Field = readonly [key: string, value: string];
export type Hj212CpGroup = readonly Hj212Field[];

export interface Hj212Packet {
  /** Request number, YYYYMMDDhhmmsszzz (absent in many HJ/T 212-2005 uploads). */
  qn?: string;
  /** System code (32 surface-water pollution source, 91 system interaction, …). */
  st?: string;
  /** Command code (2011 real-time data, 9014 data reply, …). */
  cn: string;
  pw?: string;
  mn?: string;
  /** Flag byte: bits 7..2 protocol version (1 = 2017), bit 1 D (packets), bit 0 A (reply wanted). */
  flag?: number;
  pnum?: number;
  pno?: number;
  /** Header fields in wire order (without CP). */
  header: readonly Hj212Field[];
  /** CP content in wire order. */
  cp: readonly Hj212CpGroup[];
}

export interface Hj212FlagBits {
  /** Protocol version bits: 0 = HJ/T 212-2005, 1 = HJ 212-2017, 2+ = later revisions. */
  version: number;
  /** Bit 1 (D): the upload is split into packets with PNUM/PNO. */
  split: boolean;
  /** Bit 0 (A): the sender expects a reply. */
  needsReply: boolean;
}

export function flagBits(flag: number | undefined): Hj212FlagBits {
  const f = flag ?? 0;
  return { version: (f >> 2) & 0x3f, split: (f & 2) !== 0, needsReply: (f & 1) !== 0 };
}

function bad(detail: string): YiwangError {
  return new YiwangError('HJ212_ERR_SEGMENT', `HJ 212: ${detail}`);
}

const HEADER_RULES: Record<string, RegExp> = {
  QN: /^[0-9]{14,20}$/,
  ST: /^[0-9]{2}$/,
  CN: /^[0-9]{4}$/,
  PW: /^[\x21-\x7e]{0,32}$/,
  MN: /^[\x21-\x7e]{1,32}$/,
  Flag: /^[0-9]{1,3}$/,
  PNUM: /^[0-9]{1,4}$/,
  PNO: /^[0-9]{1,4}$/,
};

/** Splits CP content into groups and items, honouring //…// quoted values. */
function parseCp(content: string): Hj212CpGroup[] {
  const groups: Hj212CpGroup[] = [];
  if (content === '') return groups;
  let group: Hj212Field[] = [];
  let i = 0;
  for (;;) {
    if (content[i] === ';') {
      // an empty group (";;" or a leading ";"), kept for an exact round trip
      groups.push(group);
      group = [];
      if (++i === content.length) {
        groups.push(group);
        return groups;
      }
      continue;
    }
    const eq = content.indexOf('=', i);
    const key = content.slice(i, eq < 0 ? content.length : eq);
    if (eq < 0 || !/^[A-Za-z0-9_-]+$/.test(key))
      throw bad(`CP item ${JSON.stringify(content.slice(i, i + 24))} is not KEY=VALUE`);
    let j = eq + 1;
    if (content.startsWith('//', j)) {
      const close = content.indexOf('//', j + 2);
      if (close < 0) throw bad(`CP value of ${key} opens "//" without closing it`);
      j = close + 2;
    } else {
      while (j < content.length && content[j] !== ',' && content[j] !== ';') j++;
    }
    const value = content.slice(eq + 1, j);
    if (value.includes('&&') && !value.startsWith('//')) throw bad(`CP value of ${key} contains "&&"`);
    group.push([key, value]);
    if (j === content.length) {
      groups.push(group);
      return groups;
    }
    const sep = content[j];
    i = j + 1;
    if (sep === ',') {
      if (i === content.length || content[i] === ',' || content[i] === ';') throw bad(`empty CP item after ${key}`);
    } else if (sep === ';') {
      groups.push(group);
      group = [];
      if (i === content.length) {
        groups.push(group); // trailing ";" kept as an empty group
        return groups;
      }
    } else {
      throw bad(`CP value of ${key} is followed by ${JSON.stringify(sep)}`);
    }
  }
}

/** Parses and checks a data segment. */
export function parseSegment(segment: string): Hj212Packet {
  if (typeof segment !== 'string') throw bad('segment is not a string');
  const cpAt = segment.startsWith('CP=&&') ? 0 : segment.indexOf(';CP=&&') + 1;
  if (cpAt === 0 && !segment.startsWith('CP=&&')) throw bad('no CP=&&…&& field');
  if (segment.length < cpAt + 7 || !segment.endsWith('&&'))
    throw bad('CP=&& is not closed by && at the end of the segment');
  const headText = segment.slice(0, Math.max(cpAt - 1, 0));
  const header: Hj212Field[] = [];
  const seen = new Set<string>();
  if (headText !== '') {
    for (const part of headText.split(';')) {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      if (eq < 0 || !/^[A-Za-z]+$/.test(key))
        throw bad(`header field ${JSON.stringify(part.slice(0, 24))} is not KEY=VALUE`);
      if (seen.has(key)) throw bad(`header field ${key} appears twice`);
      seen.add(key);
      const value = part.slice(eq + 1);
      const rule = HEADER_RULES[key];
      if (rule && !rule.test(value)) throw bad(`${key}=${JSON.stringify(value.slice(0, 40))} is malformed`);
      header.push([key, value]);
    }
  }
  const get = (k: string): string | undefined => header.find(([key]) => key === k)?.[1];
  const cn = get('CN');
  if (cn === undefined) throw bad('CN is missing');
  const p: { -readonly [K in keyof Hj212Packet]: Hj212Packet[K] } = {
    cn,
    header,
    cp: parseCp(segment.slice(cpAt + 5, -2)),
  };
  const qn = get('QN');
  const st = get('ST');
  const pw = get('PW');
  const mn = get('MN');
  if (qn !== undefined) p.qn = qn;
  if (st !== undefined) p.st = st;
  if (pw !== undefined) p.pw = pw;
  if (mn !== undefined) p.mn = mn;
  const flag = get('Flag');
  if (flag !== undefined) {
    p.flag = Number(flag);
    if (p.flag > 255) throw bad(`Flag=${flag} is above 255`);
  }
  const pnum = get('PNUM');
  const pno = get('PNO');
  if (pnum !== undefined) p.pnum = Number(pnum);
  if (pno !== undefined) p.pno = Number(pno);
  if ((p.pnum === undefined) !== (p.pno === undefined)) throw bad('PNUM and PNO must come together');
  if (p.pnum !== undefined && p.pno !== undefined && (p.pno < 1 || p.pno > p.pnum))
    throw bad(`PNO=${p.pno} is not within 1..PNUM=${p.pnum}`);
  return p;
}

function cpText(cp: readonly Hj212CpGroup[]): string {
  return cp.map((g) => g.map(([k, v]) => `${k}=${v}`).join(',')).join(';');
}

/** Writes a packet back in its own field order (exact round trip of parseSegment). */
export function encodeSegment(p: Pick<Hj212Packet, 'header' | 'cp'>): string {
  const head = p.header.map(([k, v]) => `${k}=${v}`).join(';');
  return `${head}${head ? ';' : ''}CP=&&${cpText(p.cp)}&&`;
}

export interface Hj212SegmentInput {
  qn?: string;
  st?: string;
  cn: string;
  pw?: string | undefined;
  mn?: string | undefined;
  flag?: number;
  pnum?: number;
  pno?: number;
  cp?: readonly Hj212CpGroup[];
}

/** Builds a segment in the standard field order; fields are checked like parsed ones. */
export function buildSegment(f: Hj212SegmentInput): string {
  const header: Hj212Field[] = [];
  const add = (k: string, v: string | number | undefined): void => {
    if (v !== undefined) header.push([k, String(v)]);
  };
  add('QN', f.qn);
  add('ST', f.st);
  add('CN', f.cn);
  add('PW', f.pw);
  add('MN', f.mn);
  add('Flag', f.flag);
  add('PNUM', f.pnum);
  add('PNO', f.pno);
  const text = encodeSegment({ header, cp: f.cp ?? [] });
  parseSegment(text);
  return text;
}

/** Plain CP parameters (keys without "-", e.g. DataTime, QnRtn, RtdInterval). */
export function cpParams(p: Pick<Hj212Packet, 'cp'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of p.cp) for (const [k, v] of g) if (!k.includes('-')) out.set(k, v);
  return out;
}

/** Factor fields (`code-Field=value`) grouped by factor code, in first-seen order. */
export function cpFactors(p: Pick<Hj212Packet, 'cp'>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const g of p.cp) {
    for (const [k, v] of g) {
      const dash = k.indexOf('-');
      if (dash <= 0) continue;
      const code = k.slice(0, dash);
      const fields = out.get(code) ?? new Map<string, string>();
      fields.set(k.slice(dash + 1), v);
      out.set(code, fields);
    }
  }
  return out;
}

/** Checks a whole frame (length, CRC) and parses its data segment. */
export function decodePacket(input: Uint8Array | string, opts: Hj212FrameOptions = {}): Hj212Packet {
  return parseSegment(decodeFrame(input, opts).segment);
}
