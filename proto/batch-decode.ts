/**
 * Batch → readings, bounded and per item. Every limit is checked before anything is allocated for
 * what it bounds: reading_count against the batch limit, the inflated size against the body limit,
 * device blocks, events and the entries of every column against their limits and against each
 * other (batch-scan.ts, before protobufjs decodes a block), and a timeline's points against the
 * values present for the series that use it — a timeline is only materialised for a series whose
 * values are in the columns. So a batch costs memory in proportion to the readings it declares.
 *
 * Failure is per item: only an envelope or body that is not a protobuf message, that exceeds a
 * batch limit, or whose values disagree with its reading_count is refused whole (a thrown
 * YiwangError WIRE_ERR_*). A broken device block, series, reading or event is quarantined alone —
 * left out and reported in `quarantined`, grouped by device, metric and code — and the rest is
 * returned. Every reading of the batch is either in `readings` or counted in `quarantined`.
 */
import { inflateRawSync } from 'node:zlib';
import { yiwang } from './wire.js';
import { DICTIONARY_V1 } from './dictionary.js';
import { unitFromWire } from './units.js';
import type { Reading, ReadingValue, EventInput } from './reading.js';
import { blockValues, scanBody, ScanError, type BlockScan, type BodyScan, type EventScan } from './batch-scan.js';
import { YiwangError, type ErrorCode } from '../common/errors.js';

const v1 = yiwang.v1;
const Kind = v1.ValueKind;

/** Limits of decodeBatch; the cloud sets the first ones from its `ingest.*` options. */
export interface DecodeLimits {
  /** reading_count above it refuses the batch (WIRE_ERR_LIMIT). */
  maxReadings: number;
  /** Largest body, plain or inflated (a compression bomb stops here). */
  maxBodyBytes: number;
  /** Device blocks and events in one batch (above: refused whole). */
  maxDevices: number;
  maxEvents: number;
  /** Series in one device block (above: the block is quarantined). */
  maxSeries: number;
  /** Characters of a device id, a metric, a unit text, a string value (above: quarantined). */
  maxIdChars: number;
  maxMetricChars: number;
  maxUnitChars: number;
  maxStringChars: number;
  /** Accepted reading timestamps (ms since the epoch); outside: quarantined (WIRE_ERR_READING_RANGE). */
  minTsMs: number;
  maxTsMs: number;
}

/** JavaScript's Date range: the widest timestamps any reading can have. */
export const MAX_DATE_MS = 8.64e15;

export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = {
  maxReadings: 100_000,
  maxBodyBytes: 16 * 1024 * 1024,
  maxDevices: 100_000,
  maxEvents: 10_000,
  maxSeries: 4096,
  maxIdChars: 256,
  maxMetricChars: 128,
  maxUnitChars: 32,
  maxStringChars: 262_144,
  minTsMs: -MAX_DATE_MS,
  maxTsMs: MAX_DATE_MS,
};

/** Limits of one event (above: the event is quarantined). */
export const EVENT_LIMITS = {
  idChars: 128,
  typeChars: 128,
  messageChars: 16_384,
  attributes: 256,
  attributeChars: 4096,
} as const;

export interface BatchKey {
  gatewayId: string;
  epoch: number;
  seq: number;
}

/**
 * Readings (`count`) or events (`events`; metric '') left out of a batch, by device, metric and
 * code: what BatchAck.quarantined carries (it has no field for `events`: an event group has count 0).
 */
export interface QuarantineGroup {
  deviceId: string;
  metric: string;
  code: string;
  detail: string;
  count: number;
  events?: number;
}

/** Quarantine groups one BatchAck lists at most (capQuarantine merges the rest per code). */
export const MAX_ACK_GROUPS = 100;

/** At most `max` groups (the first ones); the rest are merged per code into one group each. */
export function capQuarantine(groups: QuarantineGroup[], max: number): QuarantineGroup[] {
  if (groups.length <= max) return groups;
  const rest = new Map<string, { g: QuarantineGroup; n: number }>();
  for (const g of groups.slice(max)) {
    const r = rest.get(g.code) ?? { g: { deviceId: '', metric: '', code: g.code, detail: '', count: 0 }, n: 0 };
    r.g.count += g.count;
    if (g.events) r.g.events = (r.g.events ?? 0) + g.events;
    r.n++;
    rest.set(g.code, r);
  }
  return [
    ...groups.slice(0, max),
    ...[...rest.values()].map(({ g, n }) => ({
      ...g,
      detail: `${n} more groups of this code (devices and metrics not listed)`,
    })),
  ];
}

export interface DecodedBatch extends BatchKey {
  readings: Reading[];
  events: EventInput[];
  quarantined: QuarantineGroup[];
}

function bad(code: ErrorCode, detail: string): never {
  throw new YiwangError(code, detail);
}

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNPRINTABLE_G = new RegExp(UNPRINTABLE.source, 'g');

/** A string fit to report (acks, logs): control characters replaced, at most `max` characters. */
export function printable(s: string, max = 64): string {
  const t = s.replace(UNPRINTABLE_G, '?');
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** A name (device id, metric, unit text) a reader can print: not empty, short enough, no control characters. */
const nameProblem = (s: string, max: number, what: string): string | undefined =>
  s.length === 0
    ? `empty ${what}`
    : s.length > max
      ? `${what} of ${s.length} characters (limit ${max})`
      : UNPRINTABLE.test(s)
        ? `${what} with control characters`
        : undefined;

class Quarantine {
  private readonly groups = new Map<string, QuarantineGroup>();
  add(deviceId: string, metric: string, code: string, detail: string, count: number, events = 0): void {
    const key = `${deviceId}\u0000${metric}\u0000${code}`;
    const g = this.groups.get(key);
    if (g) {
      g.count += count;
      if (events) g.events = (g.events ?? 0) + events;
    } else
      this.groups.set(key, {
        deviceId,
        metric,
        code,
        detail: detail.length > 200 ? `${detail.slice(0, 200)}…` : detail,
        count,
        ...(events ? { events } : {}),
      });
  }
  list(): QuarantineGroup[] {
    return [...this.groups.values()];
  }
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
  if (b.gatewayId.length > 64 || UNPRINTABLE.test(b.gatewayId))
    bad('WIRE_ERR_INVALID', `gateway_id ${JSON.stringify(printable(b.gatewayId))} is not a gateway id`);
  if (!(b.seq >= 1) || !Number.isSafeInteger(b.seq) || !Number.isSafeInteger(b.epoch))
    bad('WIRE_ERR_INVALID', `batch key out of range (epoch ${b.epoch}, seq ${b.seq})`);
  return b;
}

export function unscaleInt(i: number, scale: number): number {
  return scale < 0 ? i / 10 ** -scale : i * 10 ** scale;
}

/** Points of a timeline, from its fields alone (NaN: it has both deltas and count, or neither). */
function timelineLength(t: yiwang.v1.ITimeline): number {
  const deltas = t.deltas?.length ?? 0;
  if (deltas > 0) return t.count ? NaN : deltas + 1;
  return (t.count ?? 0) >= 1 ? (t.count as number) : NaN;
}

/** The timestamps of a timeline whose length is backed by values present (see planBlock). */
function timelineTimes(t: yiwang.v1.ITimeline, len: number): number[] {
  const start = Number(t.startMs ?? 0),
    step = Number(t.stepMs ?? 0) || 1;
  const out = new Array<number>(len);
  const deltas = t.deltas ?? [];
  if (deltas.length > 0) {
    let cur = start;
    out[0] = cur;
    for (let j = 1; j < len; j++) out[j] = cur += Number(deltas[j - 1]) * step;
  } else for (let j = 0; j < len; j++) out[j] = start + j * step;
  return out;
}

class BlockError extends Error {}

const NONE_ABSENT: readonly number[] = [];

interface SeriesPlan {
  timeline: number;
  len: number;
  absent: number;
  n: number;
  kind: number;
}

/**
 * Checks a decoded block's columns against each other before anything is expanded: every series
 * has a timeline, and the points of all series (timeline length minus absent points) add up, kind
 * by kind, to exactly the values present. Throws BlockError otherwise.
 */
function planBlock(d: yiwang.v1.DeviceData): SeriesPlan[] {
  const nSeries = d.metric.length;
  const perSeries = (name: string, col: number[]): ((i: number) => number) => {
    if (col.length !== 0 && col.length !== nSeries)
      throw new BlockError(`column ${name} has ${col.length} entries for ${nSeries} series`);
    return (i) => col[i] ?? 0;
  };
  const unitOf = perSeries('unit', d.unit),
    kindOf = perSeries('kind', d.kind),
    timelineOf = perSeries('timeline', d.timeline);
  const absentOf = perSeries('absent_count', d.absentCount);
  perSeries('scale', d.scale);
  perSeries('priority', d.priority);
  perSeries('clock', d.clock);
  const lengths = d.timelines.map(timelineLength);
  const need = [0, 0, 0, 0];
  let absent = 0,
    unitText = 0;
  const plans: SeriesPlan[] = [];
  for (let i = 0; i < nSeries; i++) {
    const timeline = timelineOf(i),
      len = lengths[timeline];
    if (len === undefined) throw new BlockError(`series ${i}: no timeline ${timeline}`);
    if (Number.isNaN(len)) throw new BlockError(`timeline ${timeline}: empty, or both deltas and count`);
    const a = absentOf(i),
      kind = kindOf(i);
    if (a > len) throw new BlockError(`series ${i}: ${a} absent points on a timeline of ${len}`);
    if (!(kind in need)) throw new BlockError(`series ${i}: unknown value kind ${kind}`);
    need[kind]! += len - a;
    absent += a;
    if (unitOf(i) === v1.Unit.UNIT_OTHER) unitText++;
    plans.push({ timeline, len, absent: a, n: len - a, kind });
  }
  const have = [d.ints.length, d.floats.length, d.bools.length, d.strings.length];
  const names = ['ints', 'floats', 'bools', 'strings'];
  for (let k = 0; k < 4; k++)
    if (need[k] !== have[k])
      throw new BlockError(`column ${names[k]} has ${have[k]} values, the series' timelines need ${need[k]}`);
  if (absent !== d.absent.length)
    throw new BlockError(`column absent has ${d.absent.length} entries, absent_count says ${absent}`);
  if (unitText !== d.unitText.length)
    throw new BlockError(`column unit_text has ${d.unitText.length} entries for ${unitText} UNIT_OTHER series`);
  return plans;
}

/** Why a series can't be read at all (quarantined whole), or undefined. */
function seriesProblem(
  d: yiwang.v1.DeviceData,
  i: number,
  unit: string | undefined,
  L: DecodeLimits,
): string | undefined {
  const unitCode = d.unit[i] ?? 0,
    scale = d.scale[i] ?? 0,
    priority = d.priority[i] ?? 0,
    clock = d.clock[i] ?? 0;
  const metricBad = nameProblem(d.metric[i]!, L.maxMetricChars, 'metric');
  if (metricBad) return metricBad;
  if (unit === undefined) return `unknown unit code ${unitCode}`;
  if (unit.length > L.maxUnitChars || UNPRINTABLE.test(unit))
    return `unit text of ${unit.length} characters or with control characters`;
  if ((d.kind[i] ?? 0) === Kind.VALUE_INT && (scale < -18 || scale > 18)) return `scale ${scale} out of range`;
  if (!(priority in v1.Priority) || !(clock in v1.ClockQuality))
    return `unknown priority ${priority} or clock quality ${clock}`;
  return undefined;
}

function decodeBlock(raw: Buffer, b: BlockScan, L: DecodeLimits, out: Reading[], q: Quarantine): void {
  const values = blockValues(b);
  const idBytes = b.idEnd - b.idStart;
  // the id as reported is only built for a refused block (not on the hot path of a good one)
  const refuse = (code: string, detail: string): void =>
    q.add(
      printable(raw.toString('utf8', b.idStart, b.idStart + Math.min(idBytes, 4 * L.maxIdChars)), L.maxIdChars),
      '',
      code,
      `device block: ${detail}`,
      values,
    );
  // limits and cross-checks on the scanned counts: nothing of the block is allocated past them
  if (idBytes > 4 * L.maxIdChars)
    return refuse('WIRE_ERR_LIMIT', `device_id of ${idBytes} bytes (limit ${L.maxIdChars} characters)`);
  if (b.series > L.maxSeries) return refuse('WIRE_ERR_LIMIT', `${b.series} series (limit ${L.maxSeries})`);
  if (b.timelines > b.series + 1) return refuse('WIRE_ERR_INVALID', `${b.timelines} timelines for ${b.series} series`);
  if (b.perSeries > b.series || b.unitText > b.series)
    return refuse('WIRE_ERR_INVALID', `a per-series column is longer than the ${b.series} series`);
  if (b.deltas > 2 * values || b.absent > values)
    return refuse(
      'WIRE_ERR_INVALID',
      `timelines (${b.deltas} deltas, ${b.absent} absent points) not backed by the ${values} values present`,
    );
  let d: yiwang.v1.DeviceData;
  try {
    d = v1.DeviceData.decode(raw.subarray(b.start, b.end));
  } catch (err) {
    return refuse('WIRE_ERR_DECODE', (err as Error).message);
  }
  if (
    d.timelines.length !== b.timelines ||
    d.metric.length !== b.series ||
    d.absent.length !== b.absent ||
    d.unitText.length !== b.unitText ||
    d.ints.length !== b.ints ||
    d.floats.length !== b.floats ||
    d.bools.length !== b.bools ||
    d.strings.length !== b.strings
  ) {
    return refuse('WIRE_ERR_DECODE', 'the block decodes to other columns than its bytes were counted for');
  }
  const deviceId = d.deviceId;
  const idBad = nameProblem(deviceId, L.maxIdChars, 'device_id');
  if (idBad) return refuse(deviceId.length > L.maxIdChars ? 'WIRE_ERR_LIMIT' : 'WIRE_ERR_INVALID', idBad);
  let plans: SeriesPlan[];
  try {
    plans = planBlock(d);
  } catch (err) {
    if (err instanceof BlockError) return refuse('WIRE_ERR_INVALID', err.message);
    throw err;
  }
  const times = new Map<number, number[]>();
  const cursor = [0, 0, 0, 0];
  let absentAt = 0,
    unitTextAt = 0;
  for (let i = 0; i < plans.length; i++) {
    const p = plans[i]!;
    const metric = d.metric[i]!;
    const unitCode = d.unit[i] ?? 0;
    const unit = unitFromWire(unitCode, unitCode === v1.Unit.UNIT_OTHER ? d.unitText[unitTextAt++]! : '');
    let absent = NONE_ABSENT;
    if (p.absent) {
      absent = d.absent.slice(absentAt, absentAt + p.absent);
      absentAt += p.absent;
    }
    const first = cursor[p.kind]!;
    cursor[p.kind]! += p.n;
    let problem = seriesProblem(d, i, unit, L);
    if (!problem && absent.some((a, j) => a >= p.len || (j > 0 && a <= absent[j - 1]!)))
      problem = 'absent indexes not ascending within the timeline';
    if (problem) {
      q.add(deviceId, printable(metric, L.maxMetricChars) || `#${i}`, 'WIRE_ERR_INVALID', problem, p.n);
      continue;
    }
    let tl = times.get(p.timeline);
    if (!tl) {
      tl = timelineTimes(d.timelines[p.timeline]!, p.len);
      times.set(p.timeline, tl);
    }
    const u = unit!,
      priority = d.priority[i] ?? 0,
      clock = d.clock[i] ?? 0;
    const scale = d.scale[i] ?? 0;
    let acc = 0,
      overflow = false,
      j = 0,
      skip = 0;
    for (let k = 0; k < p.n; k++) {
      while (skip < absent.length && absent[skip] === j) {
        j++;
        skip++;
      }
      const ts = tl[j++]!;
      let value: ReadingValue, valueBad: string | undefined;
      switch (p.kind) {
        case Kind.VALUE_INT: {
          acc += Number(d.ints[first + k]);
          if (!Number.isSafeInteger(acc)) overflow = true; // later values of the series are deltas on a lost sum
          value = unscaleInt(acc, scale);
          if (overflow) valueBad = 'integer value beyond 2^53 (precision lost)';
          break;
        }
        case Kind.VALUE_FLOAT:
          value = d.floats[first + k]!;
          if (!Number.isFinite(value)) valueBad = `value ${value}`;
          break;
        case Kind.VALUE_BOOL:
          value = d.bools[first + k]!;
          break;
        default:
          value = d.strings[first + k]!;
          if (value.length > L.maxStringChars)
            valueBad = `string of ${value.length} characters (limit ${L.maxStringChars})`;
      }
      if (!(Number.isSafeInteger(ts) && ts >= L.minTsMs && ts <= L.maxTsMs))
        q.add(
          deviceId,
          metric,
          'WIRE_ERR_READING_RANGE',
          `timestamp ${ts} outside ${tsText(L.minTsMs)} .. ${tsText(L.maxTsMs)}`,
          1,
        );
      else if (valueBad) q.add(deviceId, metric, 'WIRE_ERR_READING_VALUE', valueBad, 1);
      else out.push({ deviceId, metric, unit: u, ts, value, priority, clock });
    }
  }
}

const tsText = (ms: number): string => (Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : String(ms));

/** Decodes and checks one event; undefined (and a quarantine entry) when it can't be kept. */
function decodeEvent(raw: Buffer, e: EventScan, L: DecodeLimits, q: Quarantine): EventInput | undefined {
  const refuse = (deviceId: string, code: string, detail: string): undefined => {
    q.add(printable(deviceId, L.maxIdChars), '', code, `event: ${detail}`, 0, 1);
    return undefined;
  };
  if (e.attributes > EVENT_LIMITS.attributes)
    return refuse('', 'WIRE_ERR_LIMIT', `${e.attributes} attributes (limit ${EVENT_LIMITS.attributes})`);
  let ev: yiwang.v1.Event;
  try {
    ev = v1.Event.decode(raw.subarray(e.start, e.end));
  } catch (err) {
    return refuse('', 'WIRE_ERR_DECODE', (err as Error).message);
  }
  const deviceId = ev.deviceId,
    what = `${printable(ev.type)} ${printable(ev.id)}`;
  if (deviceId && nameProblem(deviceId, L.maxIdChars, 'device_id'))
    return refuse(deviceId, 'WIRE_ERR_INVALID', `${what}: ${nameProblem(deviceId, L.maxIdChars, 'device_id')}`);
  if (
    ev.id.length > EVENT_LIMITS.idChars ||
    ev.type.length > EVENT_LIMITS.typeChars ||
    ev.message.length > EVENT_LIMITS.messageChars
  ) {
    return refuse(deviceId, 'WIRE_ERR_LIMIT', `${what}: id, type or message too long`);
  }
  if (UNPRINTABLE.test(ev.id) || UNPRINTABLE.test(ev.type))
    return refuse(deviceId, 'WIRE_ERR_INVALID', `${what}: id or type with control characters`);
  for (const [k, v] of Object.entries(ev.attributes)) {
    if (k.length > EVENT_LIMITS.attributeChars || v.length > EVENT_LIMITS.attributeChars)
      return refuse(deviceId, 'WIRE_ERR_LIMIT', `${what}: attribute too long`);
  }
  if (!(ev.severity in v1.Event.Severity) || !(ev.clock in v1.ClockQuality))
    return refuse(
      deviceId,
      'WIRE_ERR_INVALID',
      `${what}: unknown severity ${ev.severity} or clock quality ${ev.clock}`,
    );
  const ts = Number(ev.tsMs);
  // an alarm is kept whatever its device's clock says (the cloud stamps its arrival); only an unrepresentable time is refused
  if (!Number.isSafeInteger(ts) || Math.abs(ts) > MAX_DATE_MS)
    return refuse(deviceId, 'WIRE_ERR_READING_RANGE', `${what}: timestamp ${ts} out of range`);
  return ev;
}

function inflateBody(env: yiwang.v1.Batch, L: DecodeLimits): Buffer {
  if (env.codec === v1.BodyCodec.BODY_PLAIN) {
    if (env.body.length > L.maxBodyBytes)
      bad('WIRE_ERR_LIMIT', `body of ${env.body.length} bytes (limit ${L.maxBodyBytes})`);
    return Buffer.from(env.body.buffer, env.body.byteOffset, env.body.length);
  }
  if (env.codec !== v1.BodyCodec.BODY_DEFLATE_DICT1) return bad('WIRE_ERR_INVALID', `unknown body codec ${env.codec}`);
  try {
    return inflateRawSync(env.body, { dictionary: DICTIONARY_V1, maxOutputLength: L.maxBodyBytes });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      return bad('WIRE_ERR_LIMIT', `body inflates past ${L.maxBodyBytes} bytes`);
    return bad('WIRE_ERR_DECODE', `batch body does not inflate: ${(err as Error).message}`);
  }
}

/**
 * Decodes and checks a batch. Throws YiwangError WIRE_ERR_DECODE / WIRE_ERR_INVALID / WIRE_ERR_LIMIT
 * when the batch can't be read at all; anything smaller is quarantined (see the file comment).
 */
export function decodeBatch(bytes: Uint8Array, limits: Partial<DecodeLimits> = {}): DecodedBatch {
  const L: DecodeLimits = { ...DEFAULT_DECODE_LIMITS, ...limits };
  const env = decodeEnvelope(bytes);
  if (env.readingCount > L.maxReadings)
    bad('WIRE_ERR_LIMIT', `reading_count ${env.readingCount} over the limit of ${L.maxReadings} readings per batch`);
  const raw = inflateBody(env, L);
  let scan: BodyScan;
  try {
    scan = scanBody(raw, L);
  } catch (err) {
    if (err instanceof ScanError) return bad('WIRE_ERR_DECODE', `batch body: ${err.message}`);
    if (err instanceof RangeError) return bad('WIRE_ERR_LIMIT', `batch body: ${err.message}`);
    throw err;
  }
  // one value entry per reading: the body must hold exactly what the envelope declares
  if (scan.values !== env.readingCount)
    bad('WIRE_ERR_INVALID', `reading_count ${env.readingCount} but the body holds ${scan.values} values`);
  const readings: Reading[] = [];
  const q = new Quarantine();
  for (const b of scan.blocks) decodeBlock(raw, b, L, readings, q);
  const events: EventInput[] = [];
  for (const e of scan.events) {
    const ev = decodeEvent(raw, e, L, q);
    if (ev) events.push(ev);
  }
  return { gatewayId: env.gatewayId, epoch: env.epoch, seq: env.seq, readings, events, quarantined: q.list() };
}
