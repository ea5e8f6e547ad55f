/**
 * Profiles in the running agent: loads the library and overlay directories, rescans them for
 * changes (no restart needed), picks each device's profile, and serves the adapters' hooks —
 * raw CoAP and LwM2M object 19 decoding, LwM2M metric names — plus `process`, the step between
 * adapters and the store that checks readings against the metrics and raises rule alarms.
 * This is the composition; the parts:
 * - profile-set.ts: a load of the directories (signature, index, sandboxes); script-sandboxes.ts
 * - device-profiles.ts: which profile each device has (pins, facts, learned facts, why)
 * - uplink-decoder.ts: payloads → readings, counted
 * - reading-checks.ts: metric checks, rule alarms and events after the store committed
 * - alarm-upkeep.ts: rule alarm state flushed and pruned
 * - lwm2m-hooks.ts: object 19 decoding, metric names, the observe bindings' trigger
 */
import type { YiwangError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { ClockQuality } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';
import type { EventSink } from '../store/event-sink.js';
import { pruneAlarmStates } from './alarm-upkeep.js';
import { AlarmEngine } from './alarms.js';
import type { AlarmStateStore } from './alarm-state.js';
import { DeviceProfiles } from './device-profiles.js';
import { ProfileIndex, type DeviceFacts, type Explanation } from './index-match.js';
import { binaryReadings, lwm2mMetricName, observeOnAssign, type PathLike } from './lwm2m-hooks.js';
import type { BindingValidators } from './validate.js';
import { dirsSignature, loadProfileSet } from './profile-set.js';
import { ReadingChecks, type CheckedReadings } from './reading-checks.js';
import type { ScriptSandbox } from './sandbox.js';
import { disposeSandboxes, replaceSandboxes } from './script-sandboxes.js';
import type { Profile } from './types.js';
import { UplinkDecoder } from './uplink-decoder.js';

export type { CheckedReadings } from './reading-checks.js';

export interface ProfileRuntimeOptions {
  /** Profile directories in order: the library first, overlays after (a later one replaces the same vendor/model). */
  dirs: readonly string[];
  /** The adapters' section validators and vector decoders (`PROFILE_BINDINGS`, edge/profile-bindings.ts). */
  bindings: BindingValidators;
  /** Rescan interval; 0 = load once. */
  reloadMs: number;
  events: EventSink;
  log: Logger;
  /** Facts the adapters know about a device (LwM2M registration …). */
  facts?: (deviceId: string) => Partial<DeviceFacts> | undefined;
  /** Where rule alarm state survives restarts (the agent: a table in its store file); default: memory only. */
  alarmState?: AlarmStateStore;
  /**
   * An LwM2M device got a profile whose binding lists observations: at each Register (see
   * `lwm2mRegistered`) and when its profile changes (new facts, a reloaded profile set).
   */
  lwm2mObserve?: (endpoint: string, profile: Profile) => void;
}

export class ProfileRuntime {
  index = new ProfileIndex([]);
  readonly alarms: AlarmEngine;
  readonly sandboxes = new Map<string, ScriptSandbox>();
  /** Load problems of the current set (bad files, duplicates, overlaps). */
  errors: YiwangError[] = [];
  generation = 0;
  /** Shared with the parts (decoder, checks): never replaced. */
  readonly counters = { decoded: 0, failed: 0, rejected: 0, events: 0, reloads: 0 };
  private readonly log: Logger;
  private readonly devices: DeviceProfiles;
  private readonly decoder: UplinkDecoder;
  private readonly checks: ReadingChecks;
  private signature = '';
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;

  constructor(private readonly o: ProfileRuntimeOptions) {
    this.log = o.log.child({ component: 'profiles' });
    this.alarms = new AlarmEngine(o.alarmState);
    this.devices = new DeviceProfiles(this, this.log, o.facts, observeOnAssign(o.facts, o.lwm2mObserve));
    this.decoder = new UplinkDecoder(this.sandboxes, this.counters);
    this.checks = new ReadingChecks(this, this.devices, this.alarms, o.events, this.counters, this.log);
  }

  async start(): Promise<void> {
    await this.reload();
    if (this.o.reloadMs > 0) {
      this.timer = setInterval(() => {
        // a failed rescan keeps the running set and is tried again on the next tick
        this.rescan().catch((err: unknown) => this.log.error({ err: (err as Error).message }, 'profile rescan failed'));
      }, this.o.reloadMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    disposeSandboxes(this.sandboxes);
  }

  /** Reloads when a profile file was added, changed or removed. Resolves when done. */
  async rescan(): Promise<boolean> {
    if (this.reloading !== undefined) {
      await this.reloading;
      return false;
    }
    if (dirsSignature(this.o.dirs) === this.signature) return false;
    await this.reload();
    return true;
  }

  async reload(): Promise<void> {
    if (this.reloading !== undefined) return this.reloading;
    this.reloading = (async () => {
      const set = await loadProfileSet(this.o.dirs, this.sandboxes, this.o.bindings);
      replaceSandboxes(this.sandboxes, set.sandboxes);
      this.index = set.index;
      this.errors = set.errors;
      pruneAlarmStates(this.alarms, set.index, set.errors.length === 0, this.log);
      this.signature = set.signature;
      this.generation++;
      this.counters.reloads++;
      for (const o of set.overridden)
        this.log.info({ profile: o.id, file: o.by, replaces: o.was }, 'overlay profile replaces a library profile');
      for (const e of set.errors) this.log.error({ code: e.code, err: e.message }, 'profile not loaded');
      this.log.info(
        { profiles: set.index.size, errors: set.errors.length, generation: this.generation },
        'profiles loaded',
      );
    })();
    try {
      await this.reloading;
    } finally {
      this.reloading = undefined;
    }
  }

  /**
   * Binds a device to a profile by id, whatever its match rules (the serial and HJ 212 adapters
   * name the profile of a device from their device files). While that profile is loaded it wins.
   */
  pin(deviceId: string, profileId: string): void {
    this.devices.pin(deviceId, profileId);
  }

  /** The device's profile (cached per reload generation), or undefined. */
  profileFor(deviceId: string, extra?: Partial<DeviceFacts>): Profile | undefined {
    return this.devices.profileFor(deviceId, extra);
  }

  /** An LwM2M device registered (again): its profile is matched anew (objects may have changed) and its observe bindings requested. */
  lwm2mRegistered(endpoint: string): Profile | undefined {
    return this.devices.rematch(endpoint);
  }

  /** Why a device gets its profile (every candidate with each rule). */
  why(deviceId: string, extra?: Partial<DeviceFacts>): Explanation {
    return this.devices.why(deviceId, extra);
  }

  /**
   * A raw CoAP uplink (`/raw/{path}/{deviceId}`): readings by the profile whose coap_path is `path`
   * or which matches the device; undefined when none does. Throws the profile's coded error.
   */
  decodeRaw(
    path: string,
    deviceId: string,
    bytes: Uint8Array,
    now: number,
    clock: ClockQuality,
  ): Reading[] | undefined {
    const p = this.profileFor(deviceId, { coapPath: path });
    if (!UplinkDecoder.decodes(p)) return undefined;
    return this.decoder.decode(p, bytes, { deviceId, ts: now, clock });
  }

  /** LwM2M object 19 payloads; without a profile the bytes are kept as hex (as the server does without a decoder). */
  decodeBinary = (deviceId: string, bytes: Uint8Array, _path: PathLike, ts: number): Reading[] =>
    binaryReadings(this.profileFor(deviceId), deviceId, bytes, ts, this.decoder);

  /** LwM2M metric names from the profile's `metrics.*.lwm2m` paths. */
  metricNamer = (deviceId: string, path: PathLike): string | undefined =>
    lwm2mMetricName(this.profileFor(deviceId), path);

  /**
   * Between adapters and the store: checks readings of devices with a profile against its metrics
   * (type, range → rejected or flagged). Alarm rules and events wait for `committed()`, so an event
   * never derives from readings the store has not kept.
   */
  check(readings: Reading[]): CheckedReadings {
    return this.checks.check(readings);
  }

  /** check() and committed() at once, for callers without a store in between (tools, tests). */
  process(readings: Reading[]): Reading[] {
    return this.checks.process(readings);
  }
}
