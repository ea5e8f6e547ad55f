/** Devices the agent has heard from since start: last seen and uplink counts (for status and health). */
export interface DeviceSeen { deviceId: string; firstSeen: number; lastSeen: number; uplinks: number; readings: number }

export class DeviceTracker {
  private readonly seen = new Map<string, DeviceSeen>();

  touch(deviceId: string, readings: number, now = Date.now()): void {
    const d = this.seen.get(deviceId);
    if (d) { d.lastSeen = now; d.uplinks++; d.readings += readings; }
    else this.seen.set(deviceId, { deviceId, firstSeen: now, lastSeen: now, uplinks: 1, readings });
  }

  list(): DeviceSeen[] {
    return [...this.seen.values()].sort((a, b) => a.deviceId.localeCompare(b.deviceId));
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
}
