/**
 * Readings ↔ Batch. The body is columnar: per device, series (device + metric + unit + priority +
 * clock) share delta-encoded timelines; integer-valued series are decimal-scaled and delta-encoded,
 * so a day of hourly readings costs about a byte each (bench/wire-size.bench.ts).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { yiwang } from './wire.js';
import { DICTIONARY_V1 } from './dictionary.js';
import { unitFromWire, unitToWire } from './units.js';
import type { Reading, ReadingValue, EventInput } from './reading.js';
import { WIRE_ERRORS } from './errors.js';
import { YiwangError } from '../common/errors.js';

void WIRE_ERRORS;
const v1 = yiwang.v1;
const Kind = v1.ValueKind;

/** Largest body a batch may inflate to (guards against compression bombs). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_EXACT = 2 ** 52;

export interface BatchKey { gatewayId: string; epoch: number; seq: number }
export interface DecodedBatch extends BatchKey { readings: Reading[]; events: EventInput[] }

// ---------- encoding ----------

interface SeriesAcc { metric: string; unit: string; kind: yiwang.v1.ValueKind; priority: number; clock: number; ts: number[]; values: ReadingValue[] }

function kindOf(v: ReadingValue): yiwang.v1.ValueKind {
  if (typeof v === 'number') return Kind.VALUE_INT; // refined to FLOAT in encodeSeries when not decimal-exact
  return typeof v === 'boolean' ? Kind.VALUE_BOOL : Kind.VALUE_STRING;
}

/** The decimal exponent that makes every value an exact integer, or undefined (→ floats). */
export function chooseScale(values: number[]): number | undefined {
  for (let k = 0; k <= 9; k++) {
    const p = 10 ** k;
    let ok = true;
    for (const v of values) {
      const i = Math.round(v * p);
      if (!Number.isFinite(v) || Math.abs(i) > MAX_EXACT || i / p !== v) { ok = false; break; }
    }
    if (!ok) continue;
    let scale = -k;
    let ints = values.map((v) => Math.round(v * p));
    while (ints.some((i) => i !== 0) && ints.every((i) => i % 10 === 0) && scale < 18) {
      ints = ints.map((i) => i / 10);
      scale++;
    }
    return scale;
  }
  return undefined;
}

function scaleInt(v: number, scale: number): number {
  return scale <= 0 ? Math.round(v * 10 ** -scale) : Math.round(v / 10 ** scale);
}

export function unscaleInt(i: number, scale: number): number {
  return scale < 0 ? i / 10 ** -scale : i * 10 ** scale;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function encodeTimeline(ts: number[]): yiwang.v1.ITimeline {
  const deltas = ts.slice(1).map((t, i) => t - ts[i]);
  let step = 0;
  for (const d of deltas) step = gcd(step, d);
  if (step === 0) step = 1;
  if (deltas.every((d) => d === step)) return { startMs: ts[0], stepMs: step === 1 ? 0 : step, count: ts.length };
  return { startMs: ts[0], stepMs: step === 1 ? 0 : step, deltas: deltas.map((d) => d / step) };
}

/** Per-series columns: a column of all zeros is left out (the decoder reads it as zeros). */
function column<T extends number>(values: T[]): T[] {
  return values.some((v) => v !== 0) ? values : [];
}

function encodeDevice(deviceId: string, readings: Reading[]): yiwang.v1.IDeviceData {
  const bySeries = new Map<string, SeriesAcc>();
  for (const r of [...readings].sort((a, b) => a.ts - b.ts)) {
    const kind = kindOf(r.value);
    const key = `${r.metric}\u0000${r.unit}\u0000${r.priority}\u0000${r.clock}\u0000${kind}`;
    let s = bySeries.get(key);
    if (!s) bySeries.set(key, (s = { metric: r.metric, unit: r.unit, kind, priority: r.priority, clock: r.clock, ts: [], values: [] }));
    s.ts.push(r.ts);
    s.values.push(r.value);
  }
  // One shared timeline: the union of all timestamps. A series joins it when it has no duplicate
  // timestamps and would be absent from at most half of it; otherwise it gets its own timeline.
  const union = [...new Set(readings.map((r) => r.ts))].sort((a, b) => a - b);
  const timelines: number[][] = [union];
  const keyOf = (ts: number[]): string => ts.join(',');
  const timelineIndex = new Map<string, number>([[keyOf(union), 0]]);
  const cols = {
    metric: [] as string[], unit: [] as yiwang.v1.Unit[], unitText: [] as string[], kind: [] as yiwang.v1.ValueKind[],
    scale: [] as number[], timeline: [] as number[], absentCount: [] as number[], absent: [] as number[],
    priority: [] as yiwang.v1.Priority[], clock: [] as yiwang.v1.ClockQuality[],
    ints: [] as number[], floats: [] as number[], bools: [] as boolean[], strings: [] as string[],
  };
  for (const s of bySeries.values()) {
    const { unit, unitText } = unitToWire(s.unit);
    cols.metric.push(s.metric);
    cols.unit.push(unit);
    if (unit === v1.Unit.UNIT_OTHER) cols.unitText.push(unitText);
    cols.priority.push(s.priority);
    cols.clock.push(s.clock);
    const unique = new Set(s.ts).size === s.ts.length;
    if (unique && union.length - s.ts.length <= s.ts.length) {
      const present = new Set(s.ts);
      let n = 0;
      union.forEach((t, i) => { if (!present.has(t)) { cols.absent.push(i); n++; } });
      cols.timeline.push(0);
      cols.absentCount.push(n);
    } else {
      const k = keyOf(s.ts);
      let idx = timelineIndex.get(k);
      if (idx === undefined) { idx = timelines.push(s.ts) - 1; timelineIndex.set(k, idx); }
      cols.timeline.push(idx);
      cols.absentCount.push(0);
    }
    const scale = s.kind === Kind.VALUE_INT ? chooseScale(s.values as number[]) : undefined;
    if (s.kind === Kind.VALUE_INT && scale !== undefined) {
      cols.kind.push(Kind.VALUE_INT);
      cols.scale.push(scale);
      let prev = 0;
      for (const v of s.values as number[]) { const i = scaleInt(v, scale); cols.ints.push(i - prev); prev = i; }
    } else {
      cols.scale.push(0);
      if (s.kind === Kind.VALUE_INT) { cols.kind.push(Kind.VALUE_FLOAT); cols.floats.push(...(s.values as number[])); }
      else if (s.kind === Kind.VALUE_BOOL) { cols.kind.push(Kind.VALUE_BOOL); cols.bools.push(...(s.values as boolean[])); }
      else { cols.kind.push(Kind.VALUE_STRING); cols.strings.push(...(s.values as string[])); }
    }
  }
  return {
    deviceId, timelines: timelines.map(encodeTimeline), metric: cols.metric, unit: column(cols.unit), unitText: cols.unitText,
    kind: column(cols.kind), scale: column(cols.scale), timeline: column(cols.timeline), absentCount: column(cols.absentCount),
    absent: cols.absent, priority: column(cols.priority), clock: column(cols.clock),
    ints: cols.ints, floats: cols.floats, bools: cols.bools, strings: cols.strings,
  };
}

export interface EncodeOptions { codec?: yiwang.v1.BodyCodec }

/** Encodes readings (and events) into a Batch carrying the given idempotency key. */
export function encodeBatch(key: BatchKey, readings: Reading[], events: EventInput[] = [], opts: EncodeOptions = {}): Uint8Array {
  const byDevice = new Map<string, Reading[]>();
  for (const r of readings) {
    let list = byDevice.get(r.deviceId);
    if (!list) byDevice.set(r.deviceId, (list = []));
    list.push(r);
  }
  const body = v1.BatchBody.encode({ devices: [...byDevice].map(([id, rs]) => encodeDevice(id, rs)), events }).finish();
  const codec = opts.codec ?? v1.BodyCodec.BODY_DEFLATE_DICT1;
  const payload = codec === v1.BodyCodec.BODY_DEFLATE_DICT1 ? deflateRawSync(body, { level: 9, dictionary: DICTIONARY_V1 }) : body;
  return v1.Batch.encode({ ...key, codec, body: payload, readingCount: readings.length }).finish();
}

// ---------- decoding ----------

function bad(code: string, detail: string): never {
  throw new YiwangError(code, detail);
}

/** Decodes only the envelope: the idempotency key is readable without touching the body. */
export function decodeEnvelope(bytes: Uint8Array): yiwang.v1.Batch {
  let b: yiwang.v1.Batch;
  try {
    b = v1.Batch.decode(bytes);
  } catch (err) {
    return bad('WIRE_ERR_DECODE', `batch envelope: ${(err as Error).message}`);
  }
  if (!b.gatewayId) bad('WIRE_ERR_INVALID', 'batch without gateway_id');
  if (!(b.seq >= 1) || !Number.isSafeInteger(b.seq) || !Number.isSafeInteger(b.epoch)) bad('WIRE_ERR_INVALID', `batch key out of range (epoch ${b.epoch}, seq ${b.seq})`);
  return b;
}

function timelineTimes(t: yiwang.v1.ITimeline, where: string): number[] {
  const step = Number(t.stepMs ?? 0) || 1;
  let cur = Number(t.startMs ?? 0);
  const out = [cur];
  const deltas = t.deltas ?? [];
  if (deltas.length > 0) {
    if (t.count) bad('WIRE_ERR_INVALID', `${where}: timeline has both deltas and count`);
    for (const d of deltas) { cur += Number(d) * step; out.push(cur); }
  } else {
    const count = t.count ?? 0;
    if (count < 1) bad('WIRE_ERR_INVALID', `${where}: empty timeline`);
    for (let i = 1; i < count; i++) out.push((cur += step));
  }
  if (!out.every(Number.isSafeInteger)) bad('WIRE_ERR_INVALID', `${where}: timestamp out of range`);
  return out;
}

function decodeDevice(d: yiwang.v1.IDeviceData, readings: Reading[], maxReadings: number): void {
  const deviceId = d.deviceId ?? '';
  if (!deviceId) bad('WIRE_ERR_INVALID', 'device block without device_id');
  const where = `device ${deviceId}`;
  const timelines = (d.timelines ?? []).map((t, i) => {
    const n = t.deltas?.length ? t.deltas.length + 1 : (t.count ?? 0);
    if (n > maxReadings) bad('WIRE_ERR_INVALID', `${where}: timeline ${i} longer than the batch`);
    return timelineTimes(t, `${where} timeline ${i}`);
  });
  const metrics = d.metric ?? [];
  const nSeries = metrics.length;
  const perSeries = <T>(name: string, col: T[] | null | undefined, zero: T): ((i: number) => T) => {
    const c = col ?? [];
    if (c.length !== 0 && c.length !== nSeries) bad('WIRE_ERR_INVALID', `${where}: column ${name} has ${c.length} entries for ${nSeries} series`);
    return (i) => (c.length ? c[i] : zero);
  };
  const unitOf = perSeries('unit', d.unit, 0), kindOfS = perSeries('kind', d.kind, 0), scaleOf = perSeries('scale', d.scale, 0);
  const timelineOf = perSeries('timeline', d.timeline, 0), absentCountOf = perSeries('absent_count', d.absentCount, 0);
  const priorityOf = perSeries('priority', d.priority, 0), clockOf = perSeries('clock', d.clock, 0);
  const unitTexts = d.unitText ?? [], absentAll = d.absent ?? [];
  const cursor = { ints: 0, floats: 0, bools: 0, strings: 0, unitText: 0, absent: 0 };
  const cols = { ints: d.ints ?? [], floats: d.floats ?? [], bools: d.bools ?? [], strings: d.strings ?? [], unitText: unitTexts, absent: absentAll };
  const take = <K extends keyof typeof cols>(k: K, n: number, sw: string): (typeof cols)[K] => {
    if (cursor[k] + n > cols[k].length) bad('WIRE_ERR_INVALID', `${sw}: ${k} column too short`);
    const out = cols[k].slice(cursor[k], cursor[k] + n) as (typeof cols)[K];
    cursor[k] += n;
    return out;
  };
  for (let i = 0; i < nSeries; i++) {
    const metric = metrics[i];
    const sw = `${where} series ${metric || i}`;
    if (!metric) bad('WIRE_ERR_INVALID', `${where}: series ${i} without metric`);
    const unitCode = unitOf(i);
    const unit = unitFromWire(unitCode, unitCode === v1.Unit.UNIT_OTHER ? take('unitText', 1, sw)[0] : '');
    if (unit === undefined) bad('WIRE_ERR_INVALID', `${sw}: unknown unit code ${unitCode}`);
    const tl = timelines[timelineOf(i)];
    if (!tl) bad('WIRE_ERR_INVALID', `${sw}: no timeline ${timelineOf(i)}`);
    const absent = take('absent', absentCountOf(i), sw);
    let prev = -1;
    for (const a of absent) {
      if (a <= prev || a >= tl.length) bad('WIRE_ERR_INVALID', `${sw}: absent indexes not ascending within the timeline`);
      prev = a;
    }
    const absentSet = new Set(absent);
    const times = absent.length ? tl.filter((_, j) => !absentSet.has(j)) : tl;
    const n = times.length;
    if (readings.length + n > maxReadings) bad('WIRE_ERR_INVALID', `${where}: more readings than reading_count`);
    let values: ReadingValue[];
    switch (kindOfS(i)) {
      case Kind.VALUE_INT: {
        const scale = scaleOf(i);
        if (scale < -18 || scale > 18) bad('WIRE_ERR_INVALID', `${sw}: scale ${scale} out of range`);
        let acc = 0;
        values = take('ints', n, sw).map((delta) => unscaleInt((acc += Number(delta)), scale));
        break;
      }
      case Kind.VALUE_FLOAT: values = take('floats', n, sw); break;
      case Kind.VALUE_BOOL: values = take('bools', n, sw); break;
      case Kind.VALUE_STRING: values = take('strings', n, sw); break;
      default: return bad('WIRE_ERR_INVALID', `${sw}: unknown value kind ${kindOfS(i)}`);
    }
    const priority = priorityOf(i), clock = clockOf(i);
    if (!(priority in v1.Priority) || !(clock in v1.ClockQuality)) bad('WIRE_ERR_INVALID', `${sw}: unknown priority or clock quality`);
    for (let j = 0; j < n; j++) readings.push({ deviceId, metric, unit, ts: times[j], value: values[j], priority, clock });
  }
  for (const k of Object.keys(cursor) as (keyof typeof cursor)[]) {
    if (cursor[k] !== cols[k].length) bad('WIRE_ERR_INVALID', `${where}: ${cols[k].length - cursor[k]} unused entries in the ${k} column`);
  }
}

/** Decodes and validates a whole batch. Throws YiwangError WIRE_ERR_* on anything malformed. */
export function decodeBatch(bytes: Uint8Array): DecodedBatch {
  const env = decodeEnvelope(bytes);
  let raw: Uint8Array;
  if (env.codec === v1.BodyCodec.BODY_PLAIN) raw = env.body;
  else if (env.codec === v1.BodyCodec.BODY_DEFLATE_DICT1) {
    try {
      raw = inflateRawSync(env.body, { dictionary: DICTIONARY_V1, maxOutputLength: MAX_BODY_BYTES });
    } catch (err) {
      return bad('WIRE_ERR_DECODE', `batch body does not inflate: ${(err as Error).message}`);
    }
  } else return bad('WIRE_ERR_INVALID', `unknown body codec ${env.codec}`);
  let body: yiwang.v1.BatchBody;
  try {
    body = v1.BatchBody.decode(raw);
  } catch (err) {
    return bad('WIRE_ERR_DECODE', `batch body: ${(err as Error).message}`);
  }
  const readings: Reading[] = [];
  for (const d of body.devices) decodeDevice(d, readings, env.readingCount);
  if (readings.length !== env.readingCount) bad('WIRE_ERR_INVALID', `reading_count ${env.readingCount} but body holds ${readings.length}`);
  return { gatewayId: env.gatewayId, epoch: env.epoch, seq: env.seq, readings, events: body.events };
}
