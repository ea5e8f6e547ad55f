/** Fleet summaries assembled from counter rows (a few hundred rows, never the device table). */
import type { CounterRow, CounterScope } from './types.js';

// The API's types, one source with the dashboard.
import type { FleetSummary, Figures, KeyedFigures, Rate } from '../http/api-types.js';
export type { FleetSummary, Figures, KeyedFigures, Rate };

const rate = (total: number, online: number): Rate => ({ total, online, rate: total > 0 ? online / total : null });

export function figuresOf(m: Map<string, number>): Figures {
  const v = (k: string): number => m.get(k) ?? 0;
  return {
    gateways: {
      total: v('gateways_total'),
      online: v('gateways_online'),
      degraded: v('gateways_degraded'),
      offline: v('gateways_offline'),
    },
    devices: rate(v('devices_total'), v('devices_online')),
    cameras: rate(v('cameras_total'), v('cameras_online')),
    backlog: { rows: v('backlog_rows'), bytes: v('backlog_bytes') },
    alarms: { open: v('alarms_open') },
  };
}

/** Groups counter rows by key; keys whose every figure is 0 are left out. */
export function byKey(rows: CounterRow[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.value === 0) continue;
    let m = out.get(r.key);
    if (!m) {
      m = new Map();
      out.set(r.key, m);
    }
    m.set(r.metric, r.value);
  }
  return out;
}

export function keyed(rows: CounterRow[]): KeyedFigures[] {
  return [...byKey(rows)].map(([key, m]) => ({ key, ...figuresOf(m) })).sort((a, b) => a.key.localeCompare(b.key));
}

export async function buildSummary(
  counters: (scope: CounterScope) => Promise<CounterRow[]>,
  withSites: boolean,
  nowMs: number,
): Promise<FleetSummary> {
  const [fleet, district, group, type, site] = await Promise.all([
    counters('fleet'),
    counters('district'),
    counters('group'),
    counters('type'),
    withSites ? counters('site') : Promise.resolve(undefined),
  ]);
  const f = byKey(fleet).get('') ?? new Map<string, number>();
  return {
    atMs: nowMs,
    ...figuresOf(f),
    byDistrict: keyed(district),
    byGroup: keyed(group),
    ...(site ? { bySite: keyed(site) } : {}),
    byType: [...byKey(type)]
      .map(([key, m]) => ({ key, devices: rate(m.get('devices_total') ?? 0, m.get('devices_online') ?? 0) }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}
