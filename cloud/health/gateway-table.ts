/**
 * The gateways table of the dashboard and the CLI: filter, sort and page over the in-memory
 * status of every gateway (20,000 rows sort in a few ms; the API returns one page).
 */
import type { DegradedReason, GatewayHealthRecord } from './types.js';

/** Status shown in the table (`revoked` whatever its session did last) and its rows: the API's types, one source with the dashboard. */
import type { GatewayRow, TableStatus } from '../http/api-types.js';
export type { GatewayRow, TableStatus };
export const TABLE_STATUSES: readonly TableStatus[] = ['online', 'degraded', 'offline', 'revoked'];

export const SORT_KEYS = ['id', 'status', 'since', 'lastHeard', 'backlog', 'oldestAge', 'devices', 'district'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface GatewayTableQuery {
  status?: TableStatus;
  reason?: string;
  /** Substring of the id, district, site or group (case-insensitive). */
  q?: string;
  district?: string;
  site?: string;
  group?: string;
  sort?: SortKey;
  desc?: boolean;
  offset?: number;
  limit?: number;
}

export function rowOf(r: GatewayHealthRecord, revokedMs: number | null = null): GatewayRow {
  const h = r.health;
  return {
    id: r.gatewayId,
    status: revokedMs === null ? r.status : 'revoked',
    revokedMs,
    reasons: r.reasons,
    sinceMs: r.sinceMs,
    lastHeardMs: r.lastHeardMs,
    district: r.tags.district,
    site: r.tags.site,
    group: r.tags.group,
    backlogRows: h?.storeRows ?? 0,
    backlogBytes: h?.storeBytes ?? 0,
    oldestAgeMs: h?.oldestAgeMs ?? 0,
    devicesOnline: h?.devicesOnline ?? 0,
    devicesTotal: h?.devicesTotal ?? 0,
    camerasOnline: h?.camerasOnline ?? 0,
    camerasTotal: h?.camerasTotal ?? 0,
    agentVersion: h?.agentVersion ?? '',
    configVersion: h?.configVersion ?? '',
    rsrpDbm: h?.link?.rsrpDbm || null,
  };
}

const RANK: Record<TableStatus, number> = { revoked: -1, offline: 0, degraded: 1, online: 2 };

const cmp: Record<SortKey, (a: GatewayRow, b: GatewayRow) => number> = {
  id: (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  status: (a, b) => RANK[a.status] - RANK[b.status],
  since: (a, b) => a.sinceMs - b.sinceMs,
  lastHeard: (a, b) => (a.lastHeardMs ?? 0) - (b.lastHeardMs ?? 0),
  backlog: (a, b) => a.backlogRows - b.backlogRows,
  oldestAge: (a, b) => a.oldestAgeMs - b.oldestAgeMs,
  devices: (a, b) => a.devicesTotal - b.devicesTotal,
  district: (a, b) => a.district.localeCompare(b.district),
};

export function queryTable(
  records: Iterable<GatewayHealthRecord>,
  q: GatewayTableQuery,
  revoked: ReadonlyMap<string, number> = new Map(),
): { total: number; offset: number; items: GatewayRow[] } {
  const needle = q.q?.toLowerCase();
  const rows: GatewayRow[] = [];
  for (const r of records) {
    const revokedMs = revoked.get(r.gatewayId) ?? null;
    if (q.status && (revokedMs === null ? r.status : 'revoked') !== q.status) continue;
    if (q.reason && !r.reasons.includes(q.reason as DegradedReason)) continue;
    if (q.district !== undefined && r.tags.district !== q.district) continue;
    if (q.site !== undefined && r.tags.site !== q.site) continue;
    if (q.group !== undefined && r.tags.group !== q.group) continue;
    if (
      needle &&
      !(
        r.gatewayId.toLowerCase().includes(needle) ||
        r.tags.district.toLowerCase().includes(needle) ||
        r.tags.site.toLowerCase().includes(needle) ||
        r.tags.group.toLowerCase().includes(needle)
      )
    )
      continue;
    rows.push(rowOf(r, revokedMs));
  }
  const by = cmp[q.sort ?? 'id'];
  const dir = q.desc ? -1 : 1;
  rows.sort((a, b) => dir * by(a, b) || cmp.id(a, b));
  const offset = Math.max(0, q.offset ?? 0);
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 1000);
  return { total: rows.length, offset, items: rows.slice(offset, offset + limit) };
}
