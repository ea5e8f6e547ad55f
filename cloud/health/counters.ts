/**
 * Fleet counters kept incrementally: every change of a gateway or device adds a delta to the
 * counters of each scope it belongs to (fleet, its district, site, group, gateway; devices also
 * their type). Summaries read these few rows; nothing scans devices per request.
 */
import type { CounterScope, GatewayStatus, GatewayTags, HealthSnapshot } from './types.js';

export type Metric =
  | 'gateways_total'
  | 'gateways_online'
  | 'gateways_degraded'
  | 'gateways_offline'
  | 'devices_total'
  | 'devices_online'
  | 'cameras_total'
  | 'cameras_online'
  | 'backlog_rows'
  | 'backlog_bytes'
  | 'alarms_open';

export const GATEWAY_METRICS: readonly Metric[] = [
  'gateways_total',
  'gateways_online',
  'gateways_degraded',
  'gateways_offline',
  'cameras_total',
  'cameras_online',
  'backlog_rows',
  'backlog_bytes',
];

/** The scopes a gateway's figures count in. */
export function gatewayScopes(gatewayId: string, tags: GatewayTags): [CounterScope, string][] {
  return [
    ['fleet', ''],
    ['district', tags.district],
    ['site', tags.site],
    ['group', tags.group],
    ['gateway', gatewayId],
  ];
}

/** Accumulates deltas by (scope, key, metric); zero entries are dropped when applied. */
export class CounterDeltas {
  readonly map = new Map<string, number>();

  add(scope: CounterScope, key: string, metric: Metric | string, delta: number): void {
    if (delta === 0) return;
    const k = `${scope}\u0000${key}\u0000${metric}`;
    this.map.set(k, (this.map.get(k) ?? 0) + delta);
  }

  addAll(scopes: [CounterScope, string][], metric: Metric | string, delta: number): void {
    for (const [s, k] of scopes) this.add(s, k, metric, delta);
  }

  /** Adds `sign` × every metric of a contribution to the scopes. */
  addContribution(scopes: [CounterScope, string][], c: Partial<Record<Metric, number>>, sign: 1 | -1): void {
    for (const [m, v] of Object.entries(c)) if (v) this.addAll(scopes, m, sign * v);
  }

  *entries(): Generator<[CounterScope, string, string, number]> {
    for (const [k, v] of this.map) {
      if (v === 0) continue;
      const [scope, key, metric] = k.split('\u0000'); // three parts: `add` builds every key
      yield [scope as CounterScope, key!, metric!, v];
    }
  }

  get size(): number {
    return this.map.size;
  }
}

/** What one gateway adds to the counters in a given status with a given last Health. */
export function gatewayContribution(status: GatewayStatus, h: HealthSnapshot | null): Partial<Record<Metric, number>> {
  return {
    gateways_total: 1,
    [`gateways_${status}`]: 1,
    cameras_total: h?.camerasTotal ?? 0,
    // cameras behind an offline gateway are not reachable from the cloud
    cameras_online: status === 'offline' ? 0 : (h?.camerasOnline ?? 0),
    backlog_rows: h?.storeRows ?? 0,
    backlog_bytes: h?.storeBytes ?? 0,
  };
}
