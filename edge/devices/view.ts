/**
 * What `yiwang-edge devices list/show` and `status` see of the devices: pre-registered ones
 * (`devices add`), ones the agent heard from (kept across restarts, heard.ts), LwM2M
 * registrations, merged by id, each with one state:
 *   online      heard within the online window (or an LwM2M registration that is current)
 *   silent      heard before, not within the window (or an LwM2M registration expired or ended)
 *   waiting     pre-registered, never heard
 * "Pre-registered" (added by the technician) and an LwM2M registration (the device's own Register
 * with the LwM2M server) are different things and are shown apart.
 */
import type { DeviceSeen } from './heard.js';
import type { DeviceRegistry, RegisteredDevice } from './registry.js';
import type { LastReading, LastReadings } from './last-readings.js';

export type DeviceState = 'online' | 'silent' | 'waiting';

export interface DeviceSummary {
  id: string;
  state: DeviceState;
  kind: string;
  profile: string;
  /** Added with `yiwang-edge devices add` (key, meter address, expected id). Not the LwM2M registration (see DeviceDetail.lwm2mRegistration). */
  preRegistered: boolean;
  /** Adapter it was last heard over: coap, lwm2m, serial, hj212 ('' = never heard). */
  protocol: string;
  firstSeen: number | null;
  lastSeen: number | null;
  /** Uplinks and readings since first heard. */
  uplinks: number;
  readings: number;
  pendingCommands: number;
  /** Set when the device's stored key no longer opens (gateway re-keyed): EDGE_ERR_DEVICE_KEY_SEALED. */
  keyError?: RegisteredDevice['keyError'];
}

/** The device's own LwM2M registration with this gateway's LwM2M server. */
export interface Lwm2mRegistration {
  /** registered: current; expired: no Update within its lifetime (+ grace); deregistered: the device sent De-register. */
  state: 'registered' | 'expired' | 'deregistered';
  /** When it entered that state (ISO time) when known. */
  since: string | null;
  registrationId: string;
  /** Address and port it registered from. */
  address: string;
  version: string;
  binding: string;
  /** Queue mode (binding with Q): it sleeps between uplinks and requests wait for it to wake. */
  queueMode: boolean;
  /** Requests can be sent now (registered, and awake when in queue mode). */
  reachable: boolean;
  lifetimeS: number;
  registeredAt: string;
  lastUpdateAt: string;
  expiresAt: string;
  objects: string[];
}

export interface DeviceDetail extends DeviceSummary {
  /** Address given at pre-registration (bus address, meter number). */
  address: string;
  /** Address it was last heard from, when the adapter knows it. */
  heardFrom: string;
  hasKey: boolean;
  /** DTLS PSK identity (never the key); null when the device has none. */
  pskIdentity: string | null;
  /** LwM2M bootstrap key identity (never the key); null when the device has none. */
  bootstrapIdentity: string | null;
  tags: Record<string, string>;
  lastReadings: LastReading[];
  commands: { open: unknown[]; recent: unknown[] };
  /** The LwM2M server's registration record as GET /v1/lwm2m/devices lists it; null when none. */
  lwm2m: Record<string, unknown> | null;
  lwm2mRegistration: Lwm2mRegistration | null;
}

/** What the views read; the agent provides it (edge/api/technician-wiring.ts). */
export interface DeviceSources {
  registry: DeviceRegistry;
  seen: () => DeviceSeen[];
  last: LastReadings;
  onlineWindowMs: number;
  lwm2mDevices?: () => Record<string, unknown>[];
  lwm2mRequests?: (endpoint: string) => { open: unknown[]; recent: unknown[] };
  /** The LwM2M server's lifecycle events of a device, newest first (deregistered, offline, online …). */
  lwm2mEvents?: (endpoint: string) => { kind: string; detail: string; at: string }[];
  profileOf?: (deviceId: string) => string | undefined;
}

export function deviceSummaries(src: DeviceSources, now = Date.now()): DeviceSummary[] {
  const out = new Map<string, DeviceSummary>();
  const storedProfile = new Map<string, string>();
  const get = (id: string): DeviceSummary => {
    let d = out.get(id);
    if (!d) {
      d = {
        id,
        state: 'waiting',
        kind: '',
        profile: '',
        preRegistered: false,
        protocol: '',
        firstSeen: null,
        lastSeen: null,
        uplinks: 0,
        readings: 0,
        pendingCommands: 0,
      };
      out.set(id, d);
    }
    return d;
  };
  for (const r of src.registry.list())
    Object.assign(
      get(r.id),
      { kind: r.kind, profile: r.profile, preRegistered: true },
      r.keyError ? { keyError: r.keyError } : {},
    );
  for (const s of src.seen()) {
    const d = get(s.deviceId);
    Object.assign(d, {
      protocol: s.protocol,
      firstSeen: s.firstSeen,
      lastSeen: s.lastSeen,
      uplinks: s.uplinks,
      readings: s.readings,
      state: now - s.lastSeen <= src.onlineWindowMs ? 'online' : 'silent',
    });
    if (s.profile) storedProfile.set(s.deviceId, s.profile);
  }
  for (const l of src.lwm2mDevices?.() ?? []) {
    const d = get(String(l.endpoint));
    d.kind ||= 'lwm2m';
    d.protocol ||= 'lwm2m';
    d.pendingCommands = typeof l.pendingRequests === 'number' ? l.pendingRequests : 0;
    const updated = Date.parse(String(l.lastUpdateAt));
    if (Number.isFinite(updated) && (d.lastSeen === null || updated > d.lastSeen)) d.lastSeen = updated;
    const registered = Date.parse(String(l.registeredAt));
    if (Number.isFinite(registered) && (d.firstSeen === null || registered < d.firstSeen)) d.firstSeen = registered;
    d.state = l.online === true ? 'online' : d.lastSeen !== null ? 'silent' : d.state;
  }
  for (const d of out.values()) if (!d.profile) d.profile = src.profileOf?.(d.id) ?? storedProfile.get(d.id) ?? '';
  return [...out.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** Registered, expired or deregistered, from the registration and the server's lifecycle events. */
export function lwm2mRegistration(
  l: Record<string, unknown>,
  events: { kind: string; at: string }[],
  now = Date.now(),
): Lwm2mRegistration {
  const lastUpdateAt = String(l.lastUpdateAt);
  let state: Lwm2mRegistration['state'] = 'registered';
  let since: string | null = l.online === true ? String(l.registeredAt) : null;
  if (l.online !== true) {
    const ended = events.find((e) => e.kind === 'deregistered' || e.kind === 'offline' || e.kind === 'online');
    state = ended?.kind === 'deregistered' ? 'deregistered' : 'expired';
    since =
      ended && ended.kind !== 'online' ? ended.at : Date.parse(String(l.expiresAt)) <= now ? String(l.expiresAt) : null;
  }
  return {
    state,
    since,
    registrationId: String(l.registrationId ?? ''),
    address: String(l.address ?? ''),
    version: String(l.lwm2m ?? ''),
    binding: String(l.binding ?? ''),
    queueMode: l.queueMode === true,
    reachable: l.reachable === true,
    lifetimeS: Number(l.lifetimeS ?? 0),
    registeredAt: String(l.registeredAt ?? ''),
    lastUpdateAt,
    expiresAt: String(l.expiresAt ?? ''),
    objects: Array.isArray(l.objects) ? l.objects.map(String) : [],
  };
}

export function deviceDetail(src: DeviceSources, id: string, now = Date.now()): DeviceDetail | undefined {
  const s = deviceSummaries(src, now).find((d) => d.id === id);
  if (!s) return undefined;
  const reg: RegisteredDevice | undefined = src.registry.get(id);
  const heard = src.seen().find((d) => d.deviceId === id);
  const lwm2m = src.lwm2mDevices?.().find((l) => l.endpoint === id) ?? null;
  let commands: { open: unknown[]; recent: unknown[] } = { open: [], recent: [] };
  if (lwm2m && src.lwm2mRequests) commands = src.lwm2mRequests(id);
  return {
    ...s,
    address: reg?.address ?? '',
    heardFrom: heard?.address ?? '',
    hasKey: reg?.hasKey ?? false,
    pskIdentity: reg?.pskIdentity ?? null,
    bootstrapIdentity: reg?.bootstrapIdentity ?? null,
    tags: reg?.tags ?? {},
    lastReadings: src.last.of(id),
    commands,
    lwm2m,
    lwm2mRegistration: lwm2m
      ? lwm2mRegistration(lwm2m, lwm2m.online === true ? [] : (src.lwm2mEvents?.(id) ?? []), now)
      : null,
  };
}

export function countByState(list: readonly DeviceSummary[]): Record<DeviceState, number> {
  const c: Record<DeviceState, number> = { online: 0, silent: 0, waiting: 0 };
  for (const d of list) c[d.state]++;
  return c;
}
