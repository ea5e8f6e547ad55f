/**
 * Devices the agent has heard from: first and last heard, uplinks and readings since first heard,
 * protocol, profile and address (for status, Health and `yiwang-edge devices`). Kept in memory and,
 * with a database, in the store file (edge/store/heard-devices.ts) so that they survive a restart:
 * changes are written in one transaction at most every `flushMs` and at `close()` (a crash loses
 * at most that much of last-heard times and counts, never the readings). Bounded: past `max`
 * devices the one heard longest ago is forgotten and counted (`evicted`). The forgotten ids waiting
 * to be deleted from the table are bounded too: at `max` of them (a flood of new ids between two
 * flushes) they are written at once; if that write fails they are let go and counted
 * (`unsavedRemovals`) — their rows stay until the next start, which trims the table to the cap.
 */
import type Database from 'better-sqlite3';
import { HeardDevicesTable, type HeardDeviceRow } from '../store/heard-devices.js';
import { definedProps } from '../../common/defined.js';

/** A heard device: the stored row is the record (one shape in memory and on disk). */
export type DeviceSeen = HeardDeviceRow;

/** Default count cap of the devices kept (docs/reference/limits.md). */
export const DEVICES_HEARD_MAX = 20_000;

/** What the tracker may learn about a device when it writes it (profile, network address). */
export type DeviceFacts = (deviceId: string) => { profile?: string; address?: string };

export interface DeviceTrackerOptions {
  /** The store's database: devices are kept across restarts. Without one, in memory only. */
  db?: Database.Database;
  max?: number;
  flushMs?: number;
  facts?: DeviceFacts;
}

/** Profile and LwM2M address of a device as the running agent knows them (read late: the agent is built after the tracker). */
export function agentFacts(
  agent: () =>
    | {
        profiles?: { profileFor(id: string): { id: string } | undefined };
        lwm2m?: { device(id: string): { peer: { address: string; port: number } } | undefined } | undefined;
      }
    | undefined,
): DeviceFacts {
  return (id) => {
    const a = agent();
    let profile: string | undefined;
    try {
      profile = a?.profiles?.profileFor(id)?.id;
    } catch {
      profile = undefined;
    }
    const reg = a?.lwm2m?.device(id);
    return definedProps({ profile, address: reg ? `${reg.peer.address}:${reg.peer.port}` : undefined });
  };
}

export class DeviceTracker {
  /** Map order is recency: the first entry is the device heard longest ago. */
  private readonly seen = new Map<string, DeviceSeen>();
  private readonly dirty = new Set<string>();
  private readonly removed = new Set<string>();
  private readonly table: HeardDevicesTable | undefined;
  private readonly max: number;
  private readonly flushMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private evictedTotal = 0;
  private unsavedRemovals = 0;

  constructor(private readonly o: DeviceTrackerOptions = {}) {
    this.max = o.max ?? DEVICES_HEARD_MAX;
    this.flushMs = o.flushMs ?? 2000;
    if (o.db) {
      this.table = new HeardDevicesTable(o.db);
      this.evictedTotal = this.table.evicted;
      for (const d of this.table.load()) this.seen.set(d.deviceId, d);
      this.evictOverCap();
      if (this.removed.size) this.schedule();
    }
  }

  touch(deviceId: string, readings: number, protocol = '', now = Date.now()): void {
    let d = this.seen.get(deviceId);
    if (d) {
      this.seen.delete(deviceId); // re-insert: most recently heard last
      d.lastSeen = now;
      d.uplinks++;
      d.readings += readings;
      if (protocol) d.protocol = protocol;
    } else {
      d = { deviceId, firstSeen: now, lastSeen: now, uplinks: 1, readings, protocol, profile: '', address: '' };
      this.removed.delete(deviceId);
    }
    this.seen.set(deviceId, d);
    this.dirty.add(deviceId);
    this.evictOverCap();
    this.schedule();
  }

  private evictOverCap(): void {
    while (this.seen.size > this.max) {
      const id = this.seen.keys().next().value as string;
      this.seen.delete(id);
      this.dirty.delete(id);
      if (this.table) this.removed.add(id); // in memory only, there is no row to delete
      this.evictedTotal++;
    }
    if (this.removed.size >= this.max && this.table) {
      this.flush();
      if (this.removed.size >= this.max) {
        this.unsavedRemovals += this.removed.size;
        this.removed.clear();
      }
    }
  }

  private schedule(): void {
    if (!this.table || this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.flushMs);
    this.timer.unref();
  }

  /** Writes the changes since the last flush (one transaction); on failure they are kept for the next. */
  flush(): void {
    if (!this.table || (this.dirty.size === 0 && this.removed.size === 0)) return;
    const changed: DeviceSeen[] = [];
    for (const id of this.dirty) {
      const d = this.seen.get(id);
      if (!d) continue;
      const f = this.o.facts?.(id);
      if (f?.profile) d.profile = f.profile;
      if (f?.address) d.address = f.address;
      changed.push(d);
    }
    try {
      this.table.save(changed, [...this.removed], this.evictedTotal);
      this.dirty.clear();
      this.removed.clear();
    } catch {
      this.schedule(); // disk full or busy: retried later, the figures stay in memory
    }
  }

  /** Before the store closes: writes what changed and stops the timer. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
    this.closed = true;
  }

  list(): DeviceSeen[] {
    return [...this.seen.values()].map((d) => ({ ...d })).sort((a, b) => a.deviceId.localeCompare(b.deviceId));
  }

  /** Devices heard within `windowMs`. */
  online(windowMs: number, now = Date.now()): number {
    let n = 0;
    for (const d of this.seen.values()) if (now - d.lastSeen <= windowMs) n++;
    return n;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Devices kept, the cap, how many were forgotten at the cap since the store was created, and forgotten ids whose row deletion could not be written (since this start). */
  stats(): { held: number; cap: number; evicted: number; unsavedRemovals: number } {
    return { held: this.seen.size, cap: this.max, evicted: this.evictedTotal, unsavedRemovals: this.unsavedRemovals };
  }
  /** Forgotten ids waiting for the next flush (bounded by the cap). */
  get pendingRemovals(): number {
    return this.removed.size;
  }
}
