/**
 * SenML (RFC 8428) → readings, from JSON (Content-Format 110/50) or CBOR (112). Base fields (bn,
 * bt, bu, bv) apply to the records that follow; times below 2^28 s are relative to now; `t`
 * absent means "now" (gateway clock).
 *
 * Failure is per record: a record that cannot become a valid reading (wrong field types, a time
 * out of range or in the wrong unit, a value that overflows, a bad device id or metric) is refused
 * on its own and returned in `refused` with a coded reason; the pack's other records are kept.
 * A pack that is not SenML at all (not JSON/CBOR, not an array, bad base fields) — or whose every
 * record is refused — throws a coded error (the uplink is answered 4.00 with its diagnostic).
 */
import { YiwangError, isYiwangError, type ErrorCode } from '../../../common/errors.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import type { Reading, ReadingValue } from '../../../proto/reading.js';
import { decodeCbor, type CborItem } from '../lwm2m/core/codecs/cbor-items.js';
import {
  MAX_FUTURE_MS,
  MAX_TS_MS,
  MIN_TS_MS,
  checkReading,
  printable,
  type CheckContext,
  type Refusal,
} from '../../store/reading-check.js';

/** Metric names: `bn`+`n` with the device in the URI path, `n` otherwise. */
export const METRIC_RE = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,127}$/;
/** Device ids of CoAP uplinks: from a SenML base name, and in the URI path (/senml/{deviceId}, /raw/{layout}/{deviceId}). */
export const DEVICE_ID_RE = /^[A-Za-z0-9_.:@-]{1,128}$/;
export const MAX_RECORDS = 5000;
const RELATIVE_LIMIT_S = 2 ** 28;
/** Plausible units of a misread absolute time: a value this many times the seconds since the epoch. */
const TIME_SCALES: readonly [string, number][] = [
  ['milliseconds', 1e3],
  ['microseconds', 1e6],
  ['nanoseconds', 1e9],
];
/** RFC 8428 Table 4: CBOR labels. */
const CBOR_LABELS = new Map<number, string>([
  [-1, 'bver'],
  [-2, 'bn'],
  [-3, 'bt'],
  [-4, 'bu'],
  [-5, 'bv'],
  [-6, 'bs'],
  [0, 'n'],
  [1, 'u'],
  [2, 'v'],
  [3, 'vs'],
  [4, 'vb'],
  [5, 's'],
  [6, 't'],
  [7, 'ut'],
  [8, 'vd'],
]);

export interface SenmlOptions {
  /** Device id from the URI path; when absent, the base name (bn) identifies the device. */
  deviceId?: string | undefined;
  now: number;
  /** Clock quality of gateway-stamped readings (CLOCK_GATEWAY_UNSYNCED: the gateway clock is not synchronised). */
  gatewayClock: ClockQuality;
}

export interface SenmlResult {
  readings: Reading[];
  /** Records refused one by one (the store quarantines them): never empty together with `readings`. */
  refused: Refusal[];
}

function fail(detail: string): never {
  throw new YiwangError('EDGE_ERR_SENML', detail);
}

type Rec = Record<string, unknown>;

const num = (rec: Rec, k: string, where: string): number | undefined => {
  const v = rec[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${where}: ${k} must be a finite number`);
  return v;
};
const str = (rec: Rec, k: string, where: string): string | undefined => {
  const v = rec[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') fail(`${where}: ${k} must be a string`);
  return v;
};

/** A CBOR item with no JSON counterpart here (null, undefined, array, map, tag, bytes outside vd): no field check accepts it. */
class CborOther {
  constructor(readonly kind: string) {}
}

/** A CBOR item as the JSON value it stands for. */
function fromCbor(item: CborItem, label: string): unknown {
  switch (item.kind) {
    case 'int':
      return Number(item.value);
    case 'float':
    case 'text':
    case 'bool':
      return item.value;
    case 'bytes':
      return label === 'vd' ? Buffer.from(item.value).toString('base64url') : new CborOther('bytes');
    default:
      return new CborOther(item.kind);
  }
}

function cborPack(payload: Buffer): unknown[] {
  let top: CborItem;
  try {
    top = decodeCbor(payload, 2);
  } catch (err) {
    return fail(`not CBOR: ${isYiwangError(err) ? err.message : String(err)}`);
  }
  if (top.kind !== 'array') fail(`a SenML CBOR pack is an array, got CBOR ${top.kind}`);
  if (top.items.length > MAX_RECORDS) fail(`more than ${MAX_RECORDS} records`);
  return top.items.map((it) => {
    if (it.kind !== 'map') return new CborOther(it.kind);
    const rec: Rec = {};
    for (const [k, v] of it.entries) {
      const label = k.kind === 'int' ? CBOR_LABELS.get(Number(k.value)) : k.kind === 'text' ? k.value : undefined;
      if (label === undefined || label === '__proto__') continue; // unknown labels carry nothing we use
      if (Object.hasOwn(rec, label)) fail(`label ${label} appears twice in a record`);
      rec[label] = fromCbor(v, label);
    }
    return rec;
  });
}

function jsonPack(payload: Buffer): unknown[] {
  let pack: unknown;
  try {
    pack = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return fail(`not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(pack)) fail('a SenML pack is a JSON array of records');
  return pack;
}

/** Why an absolute SenML time (seconds) is implausible in a known wrong unit, or undefined. */
function scaleProblem(t: number, ctx: CheckContext): string | undefined {
  const ms = t * 1000;
  const upper = ctx.clockSynced ? Math.min(MAX_TS_MS, ctx.now + MAX_FUTURE_MS) : MAX_TS_MS;
  if (ms <= upper) return undefined;
  for (const [unit, f] of TIME_SCALES) {
    const asMs = (t / f) * 1000;
    if (asMs >= MIN_TS_MS && asMs <= upper)
      return `t=${t} looks like ${unit} since the epoch (${new Date(Math.round(asMs)).toISOString()}); SenML times are seconds — not rescaled`;
  }
  return undefined;
}

/**
 * Parses a SenML pack. Throws EDGE_ERR_SENML (or the first refusal's code when every record is
 * refused); diagnostics never carry control characters (they reach logs, terminals and the device).
 */
export function parseSenml(payload: Buffer, format: 'json' | 'cbor', opts: SenmlOptions): SenmlResult {
  try {
    return parsePack(payload, format, opts);
  } catch (err) {
    if (isYiwangError(err)) throw new YiwangError(err.code, printable(err.message, 512));
    throw err;
  }
}

function parsePack(payload: Buffer, format: 'json' | 'cbor', opts: SenmlOptions): SenmlResult {
  const pack = format === 'cbor' ? cborPack(payload) : jsonPack(payload);
  if (pack.length === 0) fail('empty pack');
  if (pack.length > MAX_RECORDS) fail(`more than ${MAX_RECORDS} records`);
  const ctx: CheckContext = { now: opts.now, clockSynced: opts.gatewayClock !== ClockQuality.CLOCK_GATEWAY_UNSYNCED };
  let bn = '',
    bt = 0,
    bu = '',
    bv = 0;
  const readings: Reading[] = [];
  const refused: Refusal<ErrorCode>[] = [];
  for (let i = 0; i < pack.length; i++) {
    const raw = pack[i];
    const where = `record ${i}`;
    const deviceOf = (): string => opts.deviceId ?? bn.replace(/[:/]$/, '');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof CborOther) {
      refused.push({
        deviceId: printable(deviceOf(), 128),
        metric: '',
        code: 'EDGE_ERR_SENML',
        detail: `${where} is not ${format === 'cbor' ? 'a CBOR map' : 'an object'}`,
      });
      continue;
    }
    const rec = raw as Rec;
    // Base fields apply to every record after them: a malformed one makes the pack unreadable.
    const ver = num(rec, 'bver', where);
    if (ver !== undefined && ver > 10) fail(`${where}: unsupported bver ${ver}`);
    bn = str(rec, 'bn', where) ?? bn;
    bt = num(rec, 'bt', where) ?? bt;
    bu = str(rec, 'bu', where) ?? bu;
    bv = num(rec, 'bv', where) ?? bv;
    const present = ['v', 'vs', 'vb', 'vd', 's'].filter((k) => rec[k] !== undefined);
    if (
      present.length === 0 &&
      (rec.bn !== undefined ||
        rec.bt !== undefined ||
        rec.bu !== undefined ||
        rec.bv !== undefined ||
        rec.bver !== undefined)
    )
      continue; // base-only record
    let metric = '';
    try {
      const n = str(rec, 'n', where) ?? '';
      metric = opts.deviceId ? bn + n : n;
      const r = record(rec, where, present, metric, opts, ctx, { bn, bt, bu, bv });
      readings.push(r);
    } catch (err) {
      if (!isYiwangError(err)) throw err;
      refused.push({
        deviceId: printable(deviceOf(), 128),
        metric: printable(metric, 128),
        code: err.code,
        detail: printable(err.message, 256),
      });
    }
  }
  if (readings.length === 0) {
    const first = refused[0];
    if (!first) fail('pack holds no readings');
    throw new YiwangError(
      first.code,
      `${first.detail}${refused.length > 1 ? ` (and ${refused.length - 1} more records refused)` : ''}`,
    );
  }
  return { readings, refused };
}

/** One record → a reading, or a coded error naming the record. */
function record(
  rec: Rec,
  where: string,
  present: string[],
  metric: string,
  opts: SenmlOptions,
  ctx: CheckContext,
  base: { bn: string; bt: number; bu: string; bv: number },
): Reading {
  if (present.length === 0) fail(`${where} has no value`);
  if (present.length > 1) fail(`${where} has more than one value (${present.join(', ')})`);
  let value: ReadingValue;
  switch (present[0]) {
    case 'v':
    case 's': {
      const v = (num(rec, present[0], where) as number) + base.bv;
      if (!Number.isFinite(v))
        throw new YiwangError('EDGE_ERR_READING_VALUE', `${where}: ${present[0]} + bv overflows a double`);
      value = v;
      break;
    }
    case 'vs':
      value = str(rec, 'vs', where) as string;
      break;
    case 'vd':
      value = str(rec, 'vd', where) as string;
      break;
    default:
      if (typeof rec.vb !== 'boolean') fail(`${where}: vb must be a boolean`);
      value = rec.vb;
  }
  let deviceId: string;
  if (opts.deviceId) deviceId = opts.deviceId;
  else {
    if (!base.bn) fail(`${where}: no device — give bn or POST to /senml/{deviceId}`);
    deviceId = base.bn.replace(/[:/]$/, '');
    if (!DEVICE_ID_RE.test(deviceId)) {
      throw new YiwangError(
        'EDGE_ERR_READING_DEVICE',
        `${where}: device id from bn ${JSON.stringify(printable(deviceId))} is not 1–128 of A-Z a-z 0-9 _ . : @ -`,
      );
    }
  }
  if (!METRIC_RE.test(metric))
    throw new YiwangError('EDGE_ERR_READING_NAME', `${where}: bad metric name ${JSON.stringify(printable(metric))}`);
  const t = (num(rec, 't', where) ?? 0) + base.bt;
  const stamped = rec.t !== undefined || base.bt !== 0;
  let ts: number, clock: ClockQuality;
  if (!stamped || Math.abs(t) < RELATIVE_LIMIT_S) {
    ts = Math.round(opts.now + t * 1000);
    clock = opts.gatewayClock;
  } else {
    const wrongUnit = scaleProblem(t, ctx);
    if (wrongUnit) throw new YiwangError('EDGE_ERR_READING_TIME_SCALE', `${where}: ${wrongUnit}`);
    ts = Math.round(t * 1000);
    clock = ClockQuality.CLOCK_DEVICE;
  }
  const unit = str(rec, 'u', where) ?? base.bu;
  const reading: Reading = { deviceId, metric, unit, ts, value, clock, priority: Priority.PRIORITY_NORMAL };
  const bad = checkReading(reading, ctx);
  if (bad) throw new YiwangError(bad.code, `${where}: ${bad.detail}`);
  return reading;
}

/** SenML JSON (kept for callers of the JSON-only API). */
export function parseSenmlJson(payload: Buffer, opts: SenmlOptions): SenmlResult {
  return parseSenml(payload, 'json', opts);
}
