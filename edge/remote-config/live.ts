/**
 * What an applied remote configuration changes in the running agent, without a restart
 * (docs/reference/config-rollout.md, "What takes effect"): uplink pacing and the Health interval
 * (CloudUplink.tune) and the device allow/deny lists (DeviceFilter, on readings before profiles
 * and the store). A key the document leaves out falls back to the agent's own config file, so a
 * rollback to a document without it restores the local behaviour.
 */
import type { EdgeConfig } from '../config.js';
import type { DesiredConfig } from './schema.js';

/** Readings of denied devices (or, with an allow list, of unlisted ones) are dropped at the edge. */
export class DeviceFilter {
  private allow: Set<string> | undefined;
  private deny = new Set<string>();
  /** Readings dropped since start. */
  dropped = 0;

  /** An absent or empty allow list allows every device not denied. */
  set(allow: string[] | undefined, deny: string[] | undefined): void {
    this.allow = allow?.length ? new Set(allow) : undefined;
    this.deny = new Set(deny ?? []);
  }

  allows(deviceId: string): boolean {
    return !this.deny.has(deviceId) && (!this.allow || this.allow.has(deviceId));
  }

  keep<T extends { deviceId: string }>(readings: T[]): T[] {
    if (!this.allow && this.deny.size === 0) return readings;
    const kept = readings.filter((r) => this.allows(r.deviceId));
    this.dropped += readings.length - kept.length;
    return kept;
  }
}

export interface LiveTargets {
  uplink: { tune(t: { maxBytesPerS: number; dailyBytes: number; healthIntervalMs: number }): void };
  devices: DeviceFilter;
  /** The agent's own [sync] settings (used for keys the document leaves out). */
  base: Pick<EdgeConfig['sync'], 'max_bytes_per_s' | 'daily_bytes' | 'health_interval_ms'>;
}

/** Puts the live settings of a validated config into effect. */
export function applyLive(c: DesiredConfig, t: LiveTargets): void {
  t.uplink.tune({
    maxBytesPerS: c.sync.max_bytes_per_s ?? t.base.max_bytes_per_s,
    dailyBytes: c.sync.daily_bytes ?? t.base.daily_bytes,
    healthIntervalMs: c.sync.health_interval_ms ?? t.base.health_interval_ms,
  });
  t.devices.set(c.devices.allow, c.devices.deny);
}

/** Keys a config sets that this agent version validates and stores but does not act on (reported with APPLIED). */
export function inertKeys(c: DesiredConfig): string[] {
  const out: string[] = [];
  if (c.sampling.default_interval_s !== undefined) out.push('sampling.default_interval_s');
  for (const m of Object.keys(c.thresholds)) out.push(`thresholds.${m}`);
  for (const k of Object.keys(c.cameras)) out.push(`cameras.${k}`);
  return out;
}
