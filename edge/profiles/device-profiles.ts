/**
 * Which profile each device has in the running agent: pinned by id (serial and HJ 212 device
 * files), else matched from its facts — the adapters' (LwM2M registration …) and those learned from
 * its LwM2M Device object readings — cached per reload generation, and why (every candidate).
 */
import type { Logger } from '../../common/log.js';
import type { Reading } from '../../proto/reading.js';
import type { DeviceFacts, Explanation, ProfileIndex } from './index-match.js';
import type { Profile } from './types.js';

/** The running set as matching sees it (the profile runtime: its index is replaced at each reload). */
export interface CurrentSet {
  readonly index: ProfileIndex;
  readonly generation: number;
}

/** LwM2M Device object metrics → the facts they tell. */
const LEARNED: Readonly<Record<string, 'manufacturer' | 'model' | 'firmware'>> = {
  manufacturer: 'manufacturer',
  model_number: 'model',
  firmware_version: 'firmware',
};

export class DeviceProfiles {
  private readonly assigned = new Map<string, { profile: Profile | undefined; generation: number; via: string }>();
  private readonly learned = new Map<string, Partial<DeviceFacts>>();
  /** Devices bound to a profile by id (a serial device file or HJ 212 instrument naming it). */
  private readonly pinned = new Map<string, string>();

  /**
   * `facts`: what the adapters know about a device; `assigned`: called when a device gets a profile
   * other than the one it had (after the log line).
   */
  constructor(
    private readonly set: CurrentSet,
    private readonly log: Logger,
    private readonly facts?: (deviceId: string) => Partial<DeviceFacts> | undefined,
    private readonly onAssigned?: (deviceId: string, profile: Profile) => void,
  ) {}

  private factsOf(deviceId: string, extra: Partial<DeviceFacts> = {}): DeviceFacts {
    return { deviceId, ...(this.facts?.(deviceId) ?? {}), ...(this.learned.get(deviceId) ?? {}), ...extra };
  }

  /** Binds a device to a profile by id, whatever its match rules; while that profile is loaded it wins. */
  pin(deviceId: string, profileId: string): void {
    if (this.pinned.get(deviceId) === profileId) return;
    this.pinned.set(deviceId, profileId);
    this.assigned.delete(deviceId);
  }

  /** The device's profile (cached per reload generation), or undefined. */
  profileFor(deviceId: string, extra?: Partial<DeviceFacts>): Profile | undefined {
    const { index, generation } = this.set;
    const pinned = this.pinned.get(deviceId);
    const byPin = pinned === undefined ? undefined : index.byId.get(pinned);
    if (byPin) return byPin;
    const a = this.assigned.get(deviceId);
    if (a && a.generation === generation && (extra?.coapPath === undefined || a.via === `coap_path ${extra.coapPath}`))
      return a.profile;
    const profile = index.match(this.factsOf(deviceId, extra));
    this.assigned.set(deviceId, {
      profile,
      generation,
      via: extra?.coapPath !== undefined ? `coap_path ${extra.coapPath}` : 'facts',
    });
    if (profile && a?.profile?.id !== profile.id) {
      this.log.info({ deviceId, profile: profile.id }, 'device profile assigned');
      this.onAssigned?.(deviceId, profile);
    }
    return profile;
  }

  /** Matches the device anew (its facts may have changed, as at an LwM2M Register). */
  rematch(deviceId: string): Profile | undefined {
    this.assigned.delete(deviceId);
    return this.profileFor(deviceId);
  }

  /** Why a device gets its profile (every candidate with each rule). */
  why(deviceId: string, extra?: Partial<DeviceFacts>): Explanation {
    return this.set.index.explain(this.factsOf(deviceId, extra));
  }

  /** LwM2M Device object values (manufacturer, model number, firmware version) refine matching. */
  learn(deviceId: string, readings: readonly Reading[]): void {
    let changed = false;
    for (const r of readings) {
      const k = LEARNED[r.metric];
      if (k === undefined || typeof r.value !== 'string') continue;
      const f = this.learned.get(deviceId) ?? {};
      if (f[k] !== r.value) {
        f[k] = r.value;
        this.learned.set(deviceId, f);
        changed = true;
      }
    }
    if (changed) this.assigned.delete(deviceId);
  }
}
