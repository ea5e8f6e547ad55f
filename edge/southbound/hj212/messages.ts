/**
 * Typed HJ 212 data uploads: real-time (CN 2011), minute (2051), hourly (2061) and daily (2031)
 * data turned into readings {metric (2017 code + snake_case name), stat, value, unit, flag}.
 * Legacy HJ/T 212-2005 factor codes are mapped to 2017 codes; data flags are kept as quality.
 */
import { YiwangError } from '../../../common/errors.js';
import { fallbackName, lookupFactor } from './codes.js';
import { cpFactors, cpParams, flagBits, type Hj212Packet } from './segment.js';

export type Hj212DataKind = 'realtime' | 'minute' | 'hourly' | 'daily';

export const HJ212_DATA_CN: Readonly<Record<string, Hj212DataKind>> = {
  '2011': 'realtime',
  '2051': 'minute',
  '2061': 'hourly',
  '2031': 'daily',
};

export type Hj212Stat = 'rtd' | 'avg' | 'min' | 'max' | 'cou' | 'zs_rtd' | 'zs_avg' | 'zs_min' | 'zs_max';

const STATS: Readonly<Record<string, Hj212Stat>> = {
  Rtd: 'rtd',
  Avg: 'avg',
  Min: 'min',
  Max: 'max',
  Cou: 'cou',
  ZsRtd: 'zs_rtd',
  ZsAvg: 'zs_avg',
  ZsMin: 'zs_min',
  ZsMax: 'zs_max',
};

export type Hj212Quality =
  | 'normal'
  | 'stopped'
  | 'maintenance'
  | 'manual'
  | 'fault'
  | 'calibration'
  | 'over_limit'
  | 'comm_error'
  | 'unknown';

/** Data flags (xxx-Flag) of HJ 212-2017. Other letters are kept with quality `unknown`. */
export const HJ212_DATA_FLAGS: Readonly<Record<string, Hj212Quality>> = {
  N: 'normal',
  F: 'stopped',
  M: 'maintenance',
  S: 'manual',
  D: 'fault',
  C: 'calibration',
  T: 'over_limit',
  B: 'comm_error',
};

export interface Hj212Metric {
  /** HJ 212-2017 code. */
  code: string;
  /** snake_case name (from the code table, or derived from the code when unknown). */
  name: string;
  /** The code as received when it was a legacy HJ/T 212-2005 code (B01, 011, 060 …). */
  legacyCode?: string;
}

export interface Hj212Reading {
  metric: Hj212Metric;
  stat: Hj212Stat;
  value: number;
  /** Unit of the value: the factor's unit, or its emission unit for `cou`; null when unknown. */
  unit: string | null;
  /** The factor's data flag and its quality, or null when the instrument sent none. */
  flag: { code: string; quality: Hj212Quality } | null;
  /** xxx-SampleTime, when sent. */
  sampleTime?: string;
  /** xxx-EFlag (equipment flag), when sent. */
  eflag?: string;
}

export interface Hj212DataMessage {
  kind: Hj212DataKind;
  cn: string;
  st?: string;
  mn: string;
  qn?: string;
  /** Whether the instrument's Flag asks for a data reply (CN 9014). */
  needsReply: boolean;
  /** Packet numbers of a split upload. */
  pnum?: number;
  pno?: number;
  /** DataTime as sent (14 digits, or 17 with milliseconds). */
  dataTime: string;
  /** DataTime in epoch ms (the instrument's clock, in the configured UTC offset). */
  timestamp: number;
  readings: Hj212Reading[];
  /** Fields that were not turned into readings (unknown suffixes, empty values). */
  ignored: string[];
}

export interface Hj212MessageOptions {
  /** UTC offset of instrument clocks in minutes; default 480 (China Standard Time). */
  utcOffsetMinutes?: number;
}

function bad(detail: string): YiwangError {
  return new YiwangError('HJ212_ERR_VALUE', `HJ 212: ${detail}`);
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parses YYYYMMDDhhmmss (optionally +3 digits of ms) into epoch ms; HJ212_ERR_VALUE when malformed. */
export function parseDataTime(text: string, utcOffsetMinutes = 480): number {
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d{3})?$/.exec(text);
  if (!m) throw bad(`time ${JSON.stringify(text.slice(0, 24))} is not YYYYMMDDhhmmss`);
  const n = (i: number): number => Number(m[i]);
  const [y, mo, d, h, mi, s] = [n(1), n(2), n(3), n(4), n(5), n(6)];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && !leap ? 28 : DAYS[mo - 1]!) || h > 23 || mi > 59 || s > 59) {
    throw bad(`time ${text} is not a valid date`);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, m[7] ? Number(m[7]) : 0) - utcOffsetMinutes * 60_000;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Turns a data upload packet into readings. */
export function decodeDataMessage(p: Hj212Packet, opts: Hj212MessageOptions = {}): Hj212DataMessage {
  const kind = HJ212_DATA_CN[p.cn];
  if (!kind) throw new YiwangError('HJ212_ERR_CN', `HJ 212: CN ${p.cn} is not a data upload (2011, 2051, 2061, 2031)`);
  if (!p.mn) throw new YiwangError('HJ212_ERR_MN', `HJ 212: data upload CN ${p.cn} without MN`);
  const params = cpParams(p);
  const dataTime = params.get('DataTime');
  if (dataTime === undefined) throw bad(`data upload CN ${p.cn} without DataTime`);
  const timestamp = parseDataTime(dataTime, opts.utcOffsetMinutes ?? 480);
  const readings: Hj212Reading[] = [];
  const ignored: string[] = [];
  for (const [code, fields] of cpFactors(p)) {
    const f = lookupFactor(code);
    const metric: Hj212Metric = f ? { code: f.code, name: f.name } : { code, name: fallbackName(code) };
    if (f?.legacyCode) metric.legacyCode = f.legacyCode;
    const flagText = fields.get('Flag');
    let flag: Hj212Reading['flag'] = null;
    if (flagText !== undefined) {
      if (!/^[A-Za-z]{1,2}$/.test(flagText))
        throw bad(`${code}-Flag=${JSON.stringify(flagText.slice(0, 16))} is not a data flag`);
      flag = { code: flagText, quality: HJ212_DATA_FLAGS[flagText] ?? 'unknown' };
    }
    const sampleTime = fields.get('SampleTime');
    if (sampleTime !== undefined) parseDataTime(sampleTime);
    const eflag = fields.get('EFlag');
    for (const [field, text] of fields) {
      const stat = STATS[field];
      if (!stat) {
        if (field !== 'Flag' && field !== 'SampleTime' && field !== 'EFlag') ignored.push(`${code}-${field}`);
        continue;
      }
      if (text === '') {
        ignored.push(`${code}-${field} (empty)`);
        continue;
      }
      if (!NUMBER.test(text)) throw bad(`${code}-${field}=${JSON.stringify(text.slice(0, 24))} is not a number`);
      const r: Hj212Reading = {
        metric,
        stat,
        value: Number(text),
        unit: (stat === 'cou' ? f?.totalUnit : f?.unit) ?? null,
        flag,
      };
      if (sampleTime !== undefined) r.sampleTime = sampleTime;
      if (eflag !== undefined) r.eflag = eflag;
      readings.push(r);
    }
  }
  const msg: Hj212DataMessage = {
    kind,
    cn: p.cn,
    mn: p.mn,
    needsReply: flagBits(p.flag).needsReply,
    dataTime,
    timestamp,
    readings,
    ignored,
  };
  if (p.st !== undefined) msg.st = p.st;
  if (p.qn !== undefined) msg.qn = p.qn;
  if (p.pnum !== undefined) {
    msg.pnum = p.pnum;
    if (p.pno !== undefined) msg.pno = p.pno;
  }
  return msg;
}

export interface Hj212Identity {
  /** Expected access password. */
  pw?: string;
  /** Expected MN, or the set of MNs allowed on this port. */
  mn?: string | readonly string[] | ReadonlySet<string>;
}

/** Checks PW and MN; throws HJ212_ERR_PASSWORD or HJ212_ERR_MN. */
export function verifyIdentity(p: Pick<Hj212Packet, 'pw' | 'mn'>, expect: Hj212Identity): void {
  const mn = expect.mn;
  if (mn !== undefined) {
    const ok =
      typeof mn === 'string'
        ? p.mn === mn
        : p.mn !== undefined && (mn instanceof Set ? mn.has(p.mn) : (mn as readonly string[]).includes(p.mn));
    if (!ok) throw new YiwangError('HJ212_ERR_MN', `HJ 212: MN ${JSON.stringify(p.mn ?? '')} is not registered here`);
  }
  if (expect.pw !== undefined && p.pw !== expect.pw)
    throw new YiwangError('HJ212_ERR_PASSWORD', `HJ 212: wrong PW from MN ${p.mn ?? '?'}`);
}
