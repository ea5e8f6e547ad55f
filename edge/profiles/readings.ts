/**
 * A profile's decode pipeline, pure: bytes → values (layout or script) → readings named by the
 * profile's metrics, checked for type and valid range; rule alarms (alarms.ts) run after it.
 */
import { randomUUID } from 'node:crypto';
import { YiwangError } from '../../common/errors.js';
import { pb, Priority, type ClockQuality, type Event } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';
import { decodePayload, type LayoutValue } from './layout/index.js';
import { decimalsOf, roundTo } from './layout/primitives.js';
import type { ScriptSandbox } from './sandbox.js';
import type { MetricDef, PriorityName, Profile, ScalarValue, SeverityName } from './types.js';

export const PRIORITY: Readonly<Record<PriorityName, Priority>> = {
  alarm: Priority.PRIORITY_ALARM,
  normal: Priority.PRIORITY_NORMAL,
  bulk: Priority.PRIORITY_BULK,
};
const SEVERITY: Readonly<Record<SeverityName, number>> = {
  info: pb.Event.Severity.INFO,
  warning: pb.Event.Severity.WARNING,
  critical: pb.Event.Severity.CRITICAL,
};

export interface DecodeContext {
  deviceId: string;
  ts: number;
  clock: ClockQuality;
}

/** An Event raised by a profile (rules, range checks); always priority alarm on the wire. */
export function profileEvent(
  ctx: DecodeContext,
  profile: Profile,
  type: string,
  severity: SeverityName,
  active: boolean,
  message: string,
  attributes: Record<string, string>,
): Event {
  return {
    id: randomUUID(),
    deviceId: ctx.deviceId,
    type,
    severity: SEVERITY[severity],
    tsMs: ctx.ts,
    clock: ctx.clock,
    message,
    attributes: { profile: profile.id, ...attributes },
    active,
  };
}

/** The payload's values, from the layout or the script. Throws PROFILE_ERR_* (layout) or PROFILE_ERR_SCRIPT/SANDBOX_*. */
export function decodeValues(
  profile: Profile,
  sandbox: ScriptSandbox | undefined,
  bytes: Uint8Array,
): { type?: string; values: LayoutValue[] } {
  if (profile.layout) return decodePayload(profile.layout, bytes);
  if (profile.script) {
    if (!sandbox) throw new YiwangError('PROFILE_ERR_SCRIPT', `${profile.file}: the script sandbox is not running`);
    return sandbox.decodeUplink(bytes);
  }
  if (profile.wire) return profile.wire.decode(bytes);
  throw new YiwangError('PROFILE_ERR_FORMAT', `${profile.file}: has no [layout] or [script] to decode a payload`);
}

/** Decoded values → readings named by the profile's metrics (all values when it declares none). */
export function valuesToReadings(profile: Profile, values: readonly LayoutValue[], ctx: DecodeContext): Reading[] {
  const out: Reading[] = [];
  const base = { deviceId: ctx.deviceId, ts: ctx.ts, clock: ctx.clock, priority: Priority.PRIORITY_NORMAL };
  // Without [metrics] — or with a transport's frame decoder, whose values the binding already names
  // (as the adapter's readings are) — every value passes; checkReadings applies [metrics].
  if (profile.metrics.size === 0 || profile.wire) {
    for (const v of values) out.push({ ...base, metric: v.name, unit: v.unit ?? '', value: v.value });
    return out;
  }
  for (const v of values) {
    for (const m of byFrom(profile).get(v.name) ?? [])
      out.push({ ...base, metric: m.name, unit: m.unit || (v.unit ?? ''), value: v.value });
  }
  return out;
}

const fromIndex = new WeakMap<Profile, Map<string, MetricDef[]>>();
function byFrom(p: Profile): Map<string, MetricDef[]> {
  let m = fromIndex.get(p);
  if (!m) {
    m = new Map();
    for (const d of p.metrics.values()) if (!d.lwm2m) m.set(d.from, [...(m.get(d.from) ?? []), d]);
    fromIndex.set(p, m);
  }
  return m;
}

/** value × scale, rounded to the decimals the two decimals can have (1.13 × 1000 = 1130, not 1129.9999999999998). */
export function scaled(value: number, scale: number): number {
  const v = roundTo(value * scale, Math.min(15, decimalsOf(value) + decimalsOf(scale)));
  return v === 0 ? 0 : v;
}

function typeOf(v: ScalarValue): 'number' | 'boolean' | 'string' {
  return typeof v as 'number' | 'boolean' | 'string';
}

/**
 * Applies the metric definitions to readings already named by metric: unit, priority, type and valid
 * range. A value outside the range (or of the wrong type) is dropped (`out_of_range = "reject"`) or
 * kept (`"flag"`); either way an `out_of_range` event says so. Readings of metrics the profile does
 * not declare pass unchanged.
 */
export function checkReadings(
  profile: Profile,
  readings: readonly Reading[],
  ctx: DecodeContext,
  events: Event[],
): Reading[] {
  if (profile.metrics.size === 0) return [...readings];
  const out: Reading[] = [];
  for (const r of readings) {
    const d = profile.metrics.get(r.metric);
    if (!d) {
      out.push(r);
      continue;
    }
    const checked: Reading = { ...r, unit: d.unit || r.unit, priority: PRIORITY[d.priority] };
    if (d.scale !== undefined && typeof r.value === 'number') checked.value = scaled(r.value, d.scale);
    let problem: string | undefined;
    if (typeOf(r.value) !== d.type) problem = `is a ${typeOf(r.value)}, the profile declares ${d.type}`;
    else if (
      d.type === 'number' &&
      ((d.min !== undefined && (checked.value as number) < d.min) ||
        (d.max !== undefined && (checked.value as number) > d.max))
    ) {
      problem = `is outside its valid range ${d.min ?? '-∞'}..${d.max ?? '∞'}`;
    }
    if (problem === undefined) {
      out.push(checked);
      continue;
    }
    const flagged = d.outOfRange === 'flag';
    events.push(
      profileEvent(
        { ...ctx, deviceId: r.deviceId, ts: r.ts },
        profile,
        'out_of_range',
        'warning',
        true,
        `${r.metric} = ${String(checked.value)} ${problem}; the reading was ${flagged ? 'kept (flagged)' : 'rejected'}`,
        { metric: r.metric, value: String(checked.value), action: flagged ? 'flagged' : 'rejected' },
      ),
    );
    if (flagged) out.push(checked);
  }
  return out;
}
