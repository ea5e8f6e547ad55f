/** The latest value of each metric of each device, kept in memory for `yiwang-edge devices show`. */
import type { Reading } from '../../proto/reading.js';

export interface LastReading {
  metric: string;
  unit: string;
  value: unknown;
  ts: number;
}

/** The latest value of each metric of each device (bounded: devices and metrics per device). */
export class LastReadings {
  private readonly byDevice = new Map<string, Map<string, LastReading>>();
  constructor(
    private readonly maxDevices = 50_000,
    private readonly maxMetrics = 32,
  ) {}

  record(readings: readonly Reading[]): void {
    for (const r of readings) {
      let m = this.byDevice.get(r.deviceId);
      if (m)
        this.byDevice.delete(r.deviceId); // re-insert: Map order is recency
      else m = new Map();
      this.byDevice.set(r.deviceId, m);
      m.delete(r.metric);
      m.set(r.metric, { metric: r.metric, unit: r.unit, value: r.value, ts: r.ts });
      if (m.size > this.maxMetrics) m.delete(m.keys().next().value as string);
      if (this.byDevice.size > this.maxDevices) this.byDevice.delete(this.byDevice.keys().next().value as string);
    }
  }

  of(deviceId: string): LastReading[] {
    return [...(this.byDevice.get(deviceId)?.values() ?? [])].sort((a, b) => a.metric.localeCompare(b.metric));
  }
}
