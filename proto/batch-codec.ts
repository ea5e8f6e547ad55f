/**
 * Readings ↔ Batch. The body is columnar: per device, series (device + metric + unit + priority +
 * clock) share delta-encoded timelines; integer-valued series are decimal-scaled and delta-encoded,
 * so a day of hourly readings costs about a byte each (bench/wire-size.bench.ts).
 */
import { deflateRawSync } from 'node:zlib';
import { yiwang } from './wire.js';
import { DICTIONARY_V1 } from './dictionary.js';
import { unitToWire } from './units.js';
import type { Reading, ReadingValue, EventInput } from './reading.js';
import { DEFAULT_DECODE_LIMITS, type BatchKey } from './batch-decode.js';

const v1 = yiwang.v1;
const Kind = v1.ValueKind;

/** Largest body a batch may inflate to by default (guards against compression bombs). */
export const MAX_BODY_BYTES = DEFAULT_DECODE_LIMITS.maxBodyBytes;
const MAX_EXACT = 2 ** 52;

export type { BatchKey };

// ---------- encoding ----------

interface SeriesAcc {
  metric: string;
  unit: string;
  kind: yiwang.v1.ValueKind;
  priority: number;
  clock: number;
  ts: number[];
  values: ReadingValue[];
}

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
      if (!Number.isFinite(v) || Math.abs(i) > MAX_EXACT || i / p !== v) {
        ok = false;
        break;
      }
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

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function encodeTimeline(ts: number[]): yiwang.v1.ITimeline {
  const deltas = ts.slice(1).map((t, i) => t - ts[i]!);
  let step = 0;
  for (const d of deltas) step = gcd(step, d);
  if (step === 0) step = 1;
  // every timeline is a device's or a series' timestamps, and each has at least one reading
  const startMs = ts[0]!;
  if (deltas.every((d) => d === step)) return { startMs, stepMs: step === 1 ? 0 : step, count: ts.length };
  return { startMs, stepMs: step === 1 ? 0 : step, deltas: deltas.map((d) => d / step) };
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
    if (!s) {
      s = { metric: r.metric, unit: r.unit, kind, priority: r.priority, clock: r.clock, ts: [], values: [] };
      bySeries.set(key, s);
    }
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
    metric: [] as string[],
    unit: [] as yiwang.v1.Unit[],
    unitText: [] as string[],
    kind: [] as yiwang.v1.ValueKind[],
    scale: [] as number[],
    timeline: [] as number[],
    absentCount: [] as number[],
    absent: [] as number[],
    priority: [] as yiwang.v1.Priority[],
    clock: [] as yiwang.v1.ClockQuality[],
    ints: [] as number[],
    floats: [] as number[],
    bools: [] as boolean[],
    strings: [] as string[],
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
      union.forEach((t, i) => {
        if (!present.has(t)) {
          cols.absent.push(i);
          n++;
        }
      });
      cols.timeline.push(0);
      cols.absentCount.push(n);
    } else {
      const k = keyOf(s.ts);
      let idx = timelineIndex.get(k);
      if (idx === undefined) {
        idx = timelines.push(s.ts) - 1;
        timelineIndex.set(k, idx);
      }
      cols.timeline.push(idx);
      cols.absentCount.push(0);
    }
    const scale = s.kind === Kind.VALUE_INT ? chooseScale(s.values as number[]) : undefined;
    if (s.kind === Kind.VALUE_INT && scale !== undefined) {
      cols.kind.push(Kind.VALUE_INT);
      cols.scale.push(scale);
      let prev = 0;
      for (const v of s.values as number[]) {
        const i = scaleInt(v, scale);
        cols.ints.push(i - prev);
        prev = i;
      }
    } else {
      cols.scale.push(0);
      if (s.kind === Kind.VALUE_INT) {
        cols.kind.push(Kind.VALUE_FLOAT);
        cols.floats.push(...(s.values as number[]));
      } else if (s.kind === Kind.VALUE_BOOL) {
        cols.kind.push(Kind.VALUE_BOOL);
        cols.bools.push(...(s.values as boolean[]));
      } else {
        cols.kind.push(Kind.VALUE_STRING);
        cols.strings.push(...(s.values as string[]));
      }
    }
  }
  return {
    deviceId,
    timelines: timelines.map(encodeTimeline),
    metric: cols.metric,
    unit: column(cols.unit),
    unitText: cols.unitText,
    kind: column(cols.kind),
    scale: column(cols.scale),
    timeline: column(cols.timeline),
    absentCount: column(cols.absentCount),
    absent: cols.absent,
    priority: column(cols.priority),
    clock: column(cols.clock),
    ints: cols.ints,
    floats: cols.floats,
    bools: cols.bools,
    strings: cols.strings,
  };
}

export interface EncodeOptions {
  codec?: yiwang.v1.BodyCodec;
}

/** Encodes readings (and events) into a Batch carrying the given idempotency key. */
export function encodeBatch(
  key: BatchKey,
  readings: Reading[],
  events: EventInput[] = [],
  opts: EncodeOptions = {},
): Uint8Array {
  const byDevice = new Map<string, Reading[]>();
  for (const r of readings) {
    let list = byDevice.get(r.deviceId);
    if (!list) {
      list = [];
      byDevice.set(r.deviceId, list);
    }
    list.push(r);
  }
  const body = v1.BatchBody.encode({ devices: [...byDevice].map(([id, rs]) => encodeDevice(id, rs)), events }).finish();
  const codec = opts.codec ?? v1.BodyCodec.BODY_DEFLATE_DICT1;
  const payload =
    codec === v1.BodyCodec.BODY_DEFLATE_DICT1 ? deflateRawSync(body, { level: 9, dictionary: DICTIONARY_V1 }) : body;
  return v1.Batch.encode({ ...key, codec, body: payload, readingCount: readings.length }).finish();
}

// ---------- decoding: proto/batch-decode.ts (bounded, per item) ----------

export {
  decodeBatch,
  decodeEnvelope,
  unscaleInt,
  capQuarantine,
  MAX_ACK_GROUPS,
  DEFAULT_DECODE_LIMITS,
  type DecodedBatch,
  type DecodeLimits,
  type QuarantineGroup,
} from './batch-decode.js';
