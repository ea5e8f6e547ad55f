/** The dashboard's view of the REST API (docs/reference/http-api.md). */
export type Status = 'online' | 'degraded' | 'offline';
export interface Rate { total: number; online: number; rate: number | null }
export interface Figures { gateways: { total: number; online: number; degraded: number; offline: number }; devices: Rate; cameras: Rate; backlog: { rows: number; bytes: number }; alarms: { open: number } }
export interface Summary extends Figures { atMs: number; byDistrict: (Figures & { key: string })[]; byType: { key: string; devices: Rate }[] }
export interface GatewayRow { id: string; status: Status; reasons: string[]; sinceMs: number; lastHeardMs: number | null; district: string; site: string; group: string; backlogRows: number; backlogBytes: number; oldestAgeMs: number; devicesOnline: number; devicesTotal: number; camerasOnline: number; camerasTotal: number; agentVersion: string; configVersion: string; rsrpDbm: number | null }
export interface Page { total: number; offset: number; items: GatewayRow[] }
export interface EventRec { id: number; gatewayId: string; deviceId: string; type: string; severity: 'info' | 'warning' | 'critical'; tsMs: number; message: string; active: boolean; alarm: boolean; ackedMs: number | null; ackedBy: string | null }
export interface Device { id: string; type: string; online: boolean; lastReadingTs: number; intervalS: number }
export interface Health { storeRows: number; storeBytes: number; storeCapBytes: number; oldestAgeMs: number; clockSynced: boolean; configVersion: string; configError: string; agentVersion: string; uptimeS: number; devicesOnline: number; devicesTotal: number; camerasOnline: number; camerasTotal: number; link: { technology: string; rsrpDbm: number; sinrDb: number } | null; dropped: Record<string, number> }
export interface Detail {
  gateway: { id: string; batches: number; readings: number };
  status: { status: Status; reasons: string[]; sinceMs: number; lastHeardMs: number | null; tags: { district: string; site: string; group: string }; health: Health | null };
  devices: { total: number; online: number }; alarms: { open: number }; events: EventRec[]; backlog: { tsMs: number; rows: number; bytes: number }[];
}

let token = localStorage.getItem('yiwang-token') ?? '';
export const setToken = (t: string): void => { token = t; localStorage.setItem('yiwang-token', t); };
export const tokenQuery = (): string => (token ? `?access_token=${encodeURIComponent(token)}` : '');

export class Unauthorized extends Error {}

export async function api<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const res = await fetch(path, {
    method: init?.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status === 401) throw new Unauthorized('token required');
  const data = (await res.json()) as T & { error?: { code: string; message: string } };
  if (!res.ok) throw new Error(`${data.error?.code ?? res.status}: ${data.error?.message ?? ''}`);
  return data;
}
