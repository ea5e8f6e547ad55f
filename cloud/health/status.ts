/**
 * Gateway status from its two signals: the MQTT session (connect, disconnect, will) and its
 * periodic Health. Pure functions, tested directly.
 */
import type { Health } from '../../proto/index.js';
import type { DegradedReason, GatewayStatus, HealthSnapshot } from './types.js';

export interface StatusPolicy {
  /** A backlog whose oldest reading is older than this degrades the gateway. */
  backlogAgeMs: number;
  /** store_bytes / store_cap_bytes at or above this degrades the gateway. */
  storeNearCapRatio: number;
  /** free / total disk below this degrades the gateway. */
  diskLowRatio: number;
  /** Without a Health message or session event for this long a gateway counts as offline. */
  silenceMs: number;
}

export interface StatusInput {
  sessionUp: boolean;
  lastHeardMs: number | null;
  connectedMs: number | null;
  health: HealthSnapshot | null;
  previous: HealthSnapshot | null;
  nowMs: number;
}

const num = (v: number | { toNumber(): number } | null | undefined): number =>
  v == null ? 0 : typeof v === 'number' ? v : v.toNumber();

/** The decoded Health message as the cloud keeps it. */
export function snapshotOf(h: Health, receivedMs: number): HealthSnapshot {
  const map = (m: Record<string, number | { toNumber(): number }> | null | undefined): Record<string, number> =>
    Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, num(v)]));
  const l = h.link;
  return {
    tsMs: num(h.tsMs),
    receivedMs,
    uptimeS: num(h.uptimeS),
    rssBytes: num(h.rssBytes),
    storeRows: num(h.storeRows),
    storeBytes: num(h.storeBytes),
    storeCapBytes: num(h.storeCapBytes),
    oldestAgeMs: num(h.oldestAgeMs),
    dropped: map(h.dropped),
    devicesOnline: h.devicesOnline ?? 0,
    devicesTotal: h.devicesTotal ?? 0,
    devicesByState: map(h.devicesByState),
    camerasOnline: h.camerasOnline ?? 0,
    camerasTotal: h.camerasTotal ?? 0,
    camerasByState: map(h.camerasByState),
    clockSynced: h.clockSynced ?? false,
    configVersion: h.configVersion ?? '',
    configError: h.configError ?? '',
    agentVersion: h.agentVersion ?? '',
    readingsAccepted: num(h.readingsAccepted),
    batchesAcked: num(h.batchesAcked),
    diskFreeBytes: num(h.diskFreeBytes),
    diskTotalBytes: num(h.diskTotalBytes),
    link: l
      ? {
          technology: l.technology ?? '',
          rsrpDbm: l.rsrpDbm ?? 0,
          rsrqDb: l.rsrqDb ?? 0,
          sinrDb: l.sinrDb ?? 0,
          rssiDbm: l.rssiDbm ?? 0,
        }
      : null,
  };
}

const droppedTotal = (h: HealthSnapshot): number => Object.values(h.dropped).reduce((a, b) => a + b, 0);

export function degradedReasons(i: StatusInput, p: StatusPolicy): DegradedReason[] {
  const h = i.health;
  const reasons: DegradedReason[] = [];
  // connected, but no Health for a silence window (since connect, or since the last one)
  if (i.connectedMs !== null && i.nowMs - Math.max(h?.receivedMs ?? 0, i.connectedMs) > p.silenceMs)
    reasons.push('health_missing');
  if (!h) return reasons;
  if (h.storeRows > 0 && h.oldestAgeMs > p.backlogAgeMs) reasons.push('backlog');
  if (h.storeCapBytes > 0 && h.storeBytes / h.storeCapBytes >= p.storeNearCapRatio) reasons.push('store_near_cap');
  if (!h.clockSynced) reasons.push('clock_unsynced');
  if (h.configError) reasons.push('config_failed');
  // counters restart with the agent: compare only within one agent run
  if (i.previous && h.uptimeS >= i.previous.uptimeS && droppedTotal(h) > droppedTotal(i.previous))
    reasons.push('dropping');
  if (h.diskTotalBytes > 0 && h.diskFreeBytes / h.diskTotalBytes < p.diskLowRatio) reasons.push('disk_low');
  return reasons;
}

/** online, degraded (with reasons) or offline. */
export function judge(i: StatusInput, p: StatusPolicy): { status: GatewayStatus; reasons: DegradedReason[] } {
  const silent = i.lastHeardMs === null || i.nowMs - i.lastHeardMs > p.silenceMs;
  if (!i.sessionUp || (silent && i.connectedMs === null)) return { status: 'offline', reasons: [] };
  const reasons = degradedReasons(i, p);
  return { status: reasons.length ? 'degraded' : 'online', reasons };
}
