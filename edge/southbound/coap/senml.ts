/**
 * SenML JSON (RFC 8428) → readings. Base fields (bn, bt, bu, bv) apply to the records that follow;
 * times below 2^28 are relative to now; `t` absent means "now" (gateway clock).
 */
import { YiwangError } from '../../../common/errors.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import type { Reading, ReadingValue } from '../../../proto/reading.js';
import '../../errors.js';

export const METRIC_RE = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,127}$/;
const MAX_RECORDS = 5000;
const RELATIVE_LIMIT_S = 2 ** 28;

interface Options {
  /** Device id from the URI path; when absent, the base name (bn) identifies the device. */
  deviceId?: string;
  now: number;
  /** Clock quality of gateway-stamped readings. */
  gatewayClock: ClockQuality;
}

function fail(detail: string): never {
  throw new YiwangError('EDGE_ERR_SENML', detail);
}

const num = (rec: Record<string, unknown>, k: string, i: number): number | undefined => {
  const v = rec[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`record ${i}: ${k} must be a finite number`);
  return v;
};
const str = (rec: Record<string, unknown>, k: string, i: number): string | undefined => {
  const v = rec[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') fail(`record ${i}: ${k} must be a string`);
  return v;
};

export function parseSenmlJson(payload: Buffer, opts: Options): Reading[] {
  let pack: unknown;
  try {
    pack = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return fail(`not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(pack)) fail('a SenML pack is a JSON array of records');
  if (pack.length === 0) fail('empty pack');
  if (pack.length > MAX_RECORDS) fail(`more than ${MAX_RECORDS} records`);
  let bn = '', bt = 0, bu = '', bv = 0;
  const out: Reading[] = [];
  pack.forEach((raw: unknown, i: number) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`record ${i} is not an object`);
    const rec = raw as Record<string, unknown>;
    const ver = num(rec, 'bver', i);
    if (ver !== undefined && ver > 10) fail(`record ${i}: unsupported bver ${ver}`);
    bn = str(rec, 'bn', i) ?? bn;
    bt = num(rec, 'bt', i) ?? bt;
    bu = str(rec, 'bu', i) ?? bu;
    bv = num(rec, 'bv', i) ?? bv;
    const n = str(rec, 'n', i) ?? '';
    const present = ['v', 'vs', 'vb', 'vd', 's'].filter((k) => rec[k] !== undefined);
    if (present.length === 0) {
      if (rec.bn !== undefined || rec.bt !== undefined || rec.bu !== undefined || rec.bv !== undefined) return; // base-only record
      fail(`record ${i} has no value`);
    }
    if (present.length > 1) fail(`record ${i} has more than one value (${present.join(', ')})`);
    let value: ReadingValue;
    switch (present[0]) {
      case 'v': value = (num(rec, 'v', i) as number) + bv; break;
      case 's': value = (num(rec, 's', i) as number) + bv; break;
      case 'vs': value = str(rec, 'vs', i) as string; break;
      case 'vd': value = str(rec, 'vd', i) as string; break;
      default:
        if (typeof rec.vb !== 'boolean') fail(`record ${i}: vb must be a boolean`);
        value = rec.vb;
    }
    let deviceId: string, metric: string;
    if (opts.deviceId) {
      deviceId = opts.deviceId;
      metric = bn + n;
    } else {
      if (!bn) fail(`record ${i}: no device — give bn or POST to /senml/{deviceId}`);
      deviceId = bn.replace(/[:/]$/, '');
      metric = n;
    }
    if (!METRIC_RE.test(metric)) fail(`record ${i}: bad metric name ${JSON.stringify(metric)}`);
    const t = (num(rec, 't', i) ?? 0) + bt;
    const stamped = rec.t !== undefined || rec.bt !== undefined || bt !== 0;
    let ts: number, clock: ClockQuality;
    if (!stamped || Math.abs(t) < RELATIVE_LIMIT_S) {
      ts = Math.round(opts.now + t * 1000);
      clock = opts.gatewayClock;
    } else {
      ts = Math.round(t * 1000);
      clock = ClockQuality.CLOCK_DEVICE;
    }
    const unit = str(rec, 'u', i) ?? bu;
    if (unit.length > 32) fail(`record ${i}: unit too long`);
    out.push({ deviceId, metric, unit, ts, value, clock, priority: Priority.PRIORITY_NORMAL });
  });
  if (out.length === 0) fail('pack holds no readings');
  return out;
}
