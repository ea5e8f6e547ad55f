/**
 * Device presence as the edge reports it. A boolean reading of metric `online` is the edge's
 * presence report of a device (the LwM2M server sends `online=false` when a device de-registers or
 * its lifetime expires, `online=true` when an offline device registers again). Both store backends
 * judge a device's online state after a batch with `nextPresence`, in the ingest transaction:
 *  - an offline report newer than anything else heard of the device makes it offline at once and
 *    raises a `device_offline` alarm (warning); the registry keeps the report's time as a negative
 *    `deadline_ms` (a deadline is otherwise positive: no other column is needed, and the deadline
 *    sweep only looks at online devices);
 *  - an older one (store-and-forward delivers alarm-priority readings first, or the device was
 *    heard since) changes nothing;
 *  - while reported offline, only something heard later than the report (a reading, an online
 *    report) brings the device back: its deadline is judged anew and the alarm cleared
 *    (`device_offline`, active=false);
 *  - otherwise the usual rule: online while heard within its interval × missed reports.
 */
import type { Reading } from '../../proto/reading.js';
import type { NewEvent } from './types.js';

/** Metric of the edge's presence reports (boolean readings). */
export const PRESENCE_METRIC = 'online';
/** Type of the alarm raised for a device the edge reports offline (cleared when it is back). */
export const DEVICE_OFFLINE = 'device_offline';

/** What one batch says about one device (its readings added in timestamp order). */
export interface DeviceSeen {
  n: number;
  /** Newest reading of any kind. */
  last: number;
  /** Newest sign of life: a reading other than an offline report (-Infinity: none). */
  alive: number;
  /** Newest presence report (of equal times the last in the batch). */
  report?: { ts: number; online: boolean };
}

/** Adds one reading (call in timestamp order, ties in batch order). */
export function addSeen(m: Map<string, DeviceSeen>, r: Pick<Reading, 'deviceId' | 'metric' | 'ts' | 'value'>): void {
  let d = m.get(r.deviceId);
  if (!d) {
    d = { n: 0, last: Number.NEGATIVE_INFINITY, alive: Number.NEGATIVE_INFINITY };
    m.set(r.deviceId, d);
  }
  d.n++;
  d.last = Math.max(d.last, r.ts);
  const presence = r.metric === PRESENCE_METRIC && typeof r.value === 'boolean';
  if (presence && (!d.report || r.ts >= d.report.ts)) d.report = { ts: r.ts, online: r.value as boolean };
  if (!presence || r.value === true) d.alive = Math.max(d.alive, r.ts);
}

/** A device's registry state before the batch (what both backends lock or read). */
export interface PresencePrev {
  online: boolean;
  deadline_ms: number;
  interval_s: number;
  last_reading_ts: number;
}

export interface PresenceNext {
  online: boolean;
  /** To store in deadline_ms (negative: reported offline at -deadline). */
  deadline: number;
  /** `left`: reported offline now (raise the alarm); `back`: heard again after such a report (clear it). */
  change?: 'left' | 'back';
  /** When the change happened (the report's or the reading's time). */
  atMs?: number;
}

/** When a device was reported offline (still in force), from its stored deadline. */
export const reportedOfflineAt = (deadlineMs: number): number | undefined => (deadlineMs < 0 ? -deadlineMs : undefined);

/** The device's online state and deadline after a batch (see the file comment). */
export function nextPresence(
  prev: PresencePrev | undefined,
  seen: DeviceSeen,
  nowMs: number,
  deadlineOf: (lastMs: number, intervalS: number) => number,
): PresenceNext {
  const interval = prev?.interval_s ?? 0;
  const leftAt = prev ? reportedOfflineAt(prev.deadline_ms) : undefined;
  const r = seen.report;
  if (r && !r.online && r.ts >= Math.max(prev?.last_reading_ts ?? Number.NEGATIVE_INFINITY, seen.alive)) {
    if (leftAt !== undefined && r.ts <= leftAt) return { online: false, deadline: -leftAt };
    return {
      online: false,
      deadline: -r.ts,
      ...(leftAt === undefined ? { change: 'left' as const, atMs: r.ts } : {}),
    };
  }
  if (leftAt !== undefined) {
    if (seen.alive <= leftAt) return { online: false, deadline: -leftAt };
    const deadline = deadlineOf(Math.min(seen.alive, nowMs), interval);
    return { online: deadline > nowMs, deadline, change: 'back', atMs: Math.min(seen.alive, nowMs) };
  }
  const deadline = Math.max(prev?.deadline_ms ?? 0, deadlineOf(Math.min(seen.last, nowMs), interval));
  return { online: deadline > nowMs, deadline };
}

/** The alarm (left) or its clear (back) of a presence change, as the cloud stores it. */
export function presenceEvent(gatewayId: string, deviceId: string, p: PresenceNext): NewEvent | undefined {
  if (!p.change) return undefined;
  const left = p.change === 'left';
  return {
    gatewayId,
    deviceId,
    type: DEVICE_OFFLINE,
    severity: left ? 'warning' : 'info',
    tsMs: p.atMs ?? 0,
    message: left
      ? `device ${deviceId} offline: gateway ${gatewayId} reports it gone (de-registered or lifetime expired)`
      : `device ${deviceId} back online`,
    attributes: { source: 'edge' },
    active: left,
    sourceId: '',
  };
}
