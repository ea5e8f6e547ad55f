/**
 * What `yiwang-edge devices list/show` and `status` see of the devices: registered ones, ones the
 * agent heard from, LwM2M registrations, merged by id, each with one state:
 *   online      heard within the online window (or an LwM2M registration that is current)
 *   silent      heard before, not within the window (or an expired LwM2M registration)
 *   waiting     pre-registered, never heard since the agent started
 */
import type { DeviceSeen } from '../devices.js';
import type { DeviceRegistry, LastReading, LastReadings, RegisteredDevice } from '../device-registry.js';

export type DeviceState = 'online' | 'silent' | 'waiting';

export interface DeviceSummary {
  id: string;
  state: DeviceState;
  kind: string;
  profile: string;
  registered: boolean;
  lastSeen: number | null;
  uplinks: number;
  readings: number;
  pendingCommands: number;
  /** Set when the device's stored key no longer opens (gateway re-keyed): EDGE_ERR_DEVICE_KEY_SEALED. */
  keyError?: RegisteredDevice['keyError'];
}

export interface DeviceDetail extends DeviceSummary {
  address: string;
  hasKey: boolean;
  tags: Record<string, string>;
  lastReadings: LastReading[];
  commands: { open: unknown[]; recent: unknown[] };
  lwm2m: Record<string, unknown> | null;
}

/** What the views read; the agent provides it (edge/agent.ts). */
export interface DeviceSources {
  registry: DeviceRegistry;
  seen: () => DeviceSeen[];
  last: LastReadings;
  onlineWindowMs: number;
  lwm2mDevices?: () => Record<string, unknown>[];
  lwm2mRequests?: (endpoint: string) => { open: unknown[]; recent: unknown[] };
  profileOf?: (deviceId: string) => string | undefined;
}

export function deviceSummaries(src: DeviceSources, now = Date.now()): DeviceSummary[] {
  const out = new Map<string, DeviceSummary>();
  const get = (id: string): DeviceSummary => {
    let d = out.get(id);
    if (!d) {
      d = { id, state: 'waiting', kind: '', profile: '', registered: false, lastSeen: null, uplinks: 0, readings: 0, pendingCommands: 0 };
      out.set(id, d);
    }
    return d;
  };
  for (const r of src.registry.list()) Object.assign(get(r.id), { kind: r.kind, profile: r.profile, registered: true }, r.keyError ? { keyError: r.keyError } : {});
  for (const s of src.seen()) {
    const d = get(s.deviceId);
    Object.assign(d, { lastSeen: s.lastSeen, uplinks: s.uplinks, readings: s.readings, state: now - s.lastSeen <= src.onlineWindowMs ? 'online' : 'silent' });
  }
  for (const l of src.lwm2mDevices?.() ?? []) {
    const d = get(String(l.endpoint));
    d.kind ||= 'lwm2m';
    d.pendingCommands = typeof l.pendingRequests === 'number' ? l.pendingRequests : 0;
    const updated = Date.parse(String(l.lastUpdateAt));
    if (Number.isFinite(updated) && (d.lastSeen === null || updated > d.lastSeen)) d.lastSeen = updated;
    d.state = l.online === true ? 'online' : d.lastSeen !== null ? 'silent' : d.state;
  }
  for (const d of out.values()) if (!d.profile) d.profile = src.profileOf?.(d.id) ?? '';
  return [...out.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export function deviceDetail(src: DeviceSources, id: string, now = Date.now()): DeviceDetail | undefined {
  const s = deviceSummaries(src, now).find((d) => d.id === id);
  if (!s) return undefined;
  const reg: RegisteredDevice | undefined = src.registry.get(id);
  const lwm2m = src.lwm2mDevices?.().find((l) => l.endpoint === id) ?? null;
  let commands: { open: unknown[]; recent: unknown[] } = { open: [], recent: [] };
  if (lwm2m && src.lwm2mRequests) commands = src.lwm2mRequests(id);
  return { ...s, address: reg?.address ?? '', hasKey: reg?.hasKey ?? false, tags: reg?.tags ?? {}, lastReadings: src.last.of(id), commands, lwm2m };
}

export function countByState(list: readonly DeviceSummary[]): Record<DeviceState, number> {
  const c: Record<DeviceState, number> = { online: 0, silent: 0, waiting: 0 };
  for (const d of list) c[d.state]++;
  return c;
}
