/**
 * Profiles in the running agent: loads the library and overlay directories, rescans them for
 * changes (no restart needed), picks each device's profile, and serves the adapters' hooks —
 * raw CoAP and LwM2M object 19 decoding, LwM2M metric names — plus `process`, the step between
 * adapters and the store that checks readings against the metrics and raises rule alarms.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isYiwangError, type YiwangError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { ClockQuality, type Event } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';
import type { EventSink } from '../store/event-sink.js';
import { AlarmEngine } from './alarms.js';
import type { AlarmStateStore } from './alarm-state.js';
import { ProfileIndex, type DeviceFacts, type Explanation } from './index-match.js';
import { loadProfileDirs } from './load.js';
import { checkReadings, decodeValues, valuesToReadings, type DecodeContext } from './readings.js';
import { ScriptSandbox } from './sandbox.js';
import type { Profile } from './types.js';

export interface ProfileRuntimeOptions {
  /** Profile directories in order: the library first, overlays after (a later one replaces the same vendor/model). */
  dirs: readonly string[];
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

/** Readings checked against their profiles, and what to do once they are durably stored. */
export interface CheckedReadings {
  readings: Reading[];
  /**
   * Call after the readings are committed: runs the alarm rules on them, raises their events and the
   * range checks' events, then stores the rule state. Not called when the store refused or already had them.
   */
  committed(): void;
}

/** The Uri-Path of LwM2M object 19 / a resource path as the adapters give it. */
interface PathLike { readonly ids: readonly number[]; toString(): string }

/** raise/committed of readings that no profile checks. */
const NOTHING = (): void => {};
const LEARNED: Readonly<Record<string, 'manufacturer' | 'model' | 'firmware'>> = { manufacturer: 'manufacturer', model_number: 'model', firmware_version: 'firmware' };

export class ProfileRuntime {
  index = new ProfileIndex([]);
  readonly alarms: AlarmEngine;
  readonly sandboxes = new Map<string, ScriptSandbox>();
  /** Load problems of the current set (bad files, duplicates, overlaps). */
  errors: YiwangError[] = [];
  generation = 0;
  counters = { decoded: 0, failed: 0, rejected: 0, events: 0, reloads: 0 };
  private readonly log: Logger;
  private readonly assigned = new Map<string, { profile: Profile | undefined; generation: number; via: string }>();
  private readonly learned = new Map<string, Partial<DeviceFacts>>();
  /** Devices bound to a profile by id (a serial device file or HJ 212 instrument naming it). */
  private readonly pinned = new Map<string, string>();
  private signature = '';
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;

  constructor(private readonly o: ProfileRuntimeOptions) {
    this.log = o.log.child({ component: 'profiles' });
    this.alarms = new AlarmEngine(o.alarmState);
  }

  async start(): Promise<void> {
    await this.reload();
    if (this.o.reloadMs > 0) {
      this.timer = setInterval(() => { void this.rescan(); }, this.o.reloadMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.sandboxes.values()) s.dispose();
    this.sandboxes.clear();
  }

  /** Files, sizes and mtimes of every profile directory (cheap; a changed signature triggers a reload). */
  private scan(): string {
    const parts: string[] = [];
    const walk = (d: string, depth: number): void => {
      let entries;
      try { entries = readdirSync(d, { withFileTypes: true }); } catch { return; }
      for (const e of entries) {
        const p = join(d, e.name);
        if (e.isDirectory() && depth < 2 && !e.name.startsWith('.')) walk(p, depth + 1);
        else if (e.isFile() && /\.(toml|m?js)$/.test(e.name)) {
          try { const s = statSync(p); parts.push(`${p}:${s.size}:${s.mtimeMs}`); } catch { /* removed meanwhile */ }
        }
      }
    };
    for (const d of this.o.dirs) walk(d, 0);
    return parts.sort().join('\n');
  }

  /** Reloads when a profile file was added, changed or removed. Resolves when done. */
  async rescan(): Promise<boolean> {
    if (this.reloading) { await this.reloading; return false; }
    if (this.scan() === this.signature) return false;
    await this.reload();
    return true;
  }

  async reload(): Promise<void> {
    if (this.reloading) return this.reloading;
    this.reloading = (async () => {
      const signature = this.scan();
      const set = await loadProfileDirs(this.o.dirs);
      const errors = [...set.errors];
      const index = new ProfileIndex(set.profiles, errors);
      const next = new Map<string, ScriptSandbox>();
      for (const p of index.list()) {
        if (!p.script) continue;
        const old = this.sandboxes.get(p.id);
        if (old && old.ref.source === p.script.source && old.ref.memoryMb === p.script.memoryMb && old.ref.timeoutMs === p.script.timeoutMs) { next.set(p.id, old); continue; }
        try {
          next.set(p.id, await ScriptSandbox.create(p.script, `${p.file} [script] ${p.script.file}`));
        } catch (e) {
          if (!isYiwangError(e)) throw e;
          errors.push(e);
          index.byId.delete(p.id);
        }
      }
      for (const [id, s] of this.sandboxes) if (next.get(id) !== s) s.dispose();
      this.sandboxes.clear();
      for (const [id, s] of next) this.sandboxes.set(id, s);
      this.index = index;
      this.errors = errors;
      this.pruneAlarmStates(index, errors.length === 0);
      this.signature = signature;
      this.generation++;
      this.counters.reloads++;
      for (const o of set.overridden) this.log.info({ profile: o.id, file: o.by, replaces: o.was }, 'overlay profile replaces a library profile');
      for (const e of errors) this.log.error({ code: e.code, err: e.message }, 'profile not loaded');
      this.log.info({ profiles: index.size, errors: errors.length, generation: this.generation }, 'profiles loaded');
    })();
    try { await this.reloading; } finally { this.reloading = undefined; }
  }

  /** Drops the alarm states of rules that are gone (see AlarmEngine.prune), logging active ones. */
  private pruneAlarmStates(index: ProfileIndex, complete: boolean): void {
    const gone = this.alarms.prune((id) => index.byId.get(id)?.alarms, complete);
    if (gone.length === 0) return;
    const active = gone.filter((g) => g.active).map((g) => g.key.replace(/\u0000/g, ' '));
    this.log.info({ states: gone.length, active }, 'alarm states of removed rules forgotten');
    this.flushAlarms();
  }

  private factsOf(deviceId: string, extra: Partial<DeviceFacts> = {}): DeviceFacts {
    return { deviceId, ...(this.o.facts?.(deviceId) ?? {}), ...(this.learned.get(deviceId) ?? {}), ...extra };
  }

  /**
   * Binds a device to a profile by id, whatever its match rules (the serial and HJ 212 adapters
   * name the profile of a device from their device files). While that profile is loaded it wins.
   */
  pin(deviceId: string, profileId: string): void {
    if (this.pinned.get(deviceId) === profileId) return;
    this.pinned.set(deviceId, profileId);
    this.assigned.delete(deviceId);
  }

  /** The device's profile (cached per reload generation), or undefined. */
  profileFor(deviceId: string, extra?: Partial<DeviceFacts>): Profile | undefined {
    const pinned = this.pinned.get(deviceId);
    const byPin = pinned === undefined ? undefined : this.index.byId.get(pinned);
    if (byPin) return byPin;
    const a = this.assigned.get(deviceId);
    if (a && a.generation === this.generation && (extra?.coapPath === undefined || a.via === `coap_path ${extra.coapPath}`)) return a.profile;
    const profile = this.index.match(this.factsOf(deviceId, extra));
    this.assigned.set(deviceId, { profile, generation: this.generation, via: extra?.coapPath !== undefined ? `coap_path ${extra.coapPath}` : 'facts' });
    if (profile && a?.profile?.id !== profile.id) {
      this.log.info({ deviceId, profile: profile.id }, 'device profile assigned');
      if (profile.transport.lwm2m?.observe.length && this.o.facts?.(deviceId)?.lwm2mEndpoint !== undefined) this.o.lwm2mObserve?.(deviceId, profile);
    }
    return profile;
  }

  /** An LwM2M device registered (again): its profile is matched anew (objects may have changed) and its observe bindings requested. */
  lwm2mRegistered(endpoint: string): Profile | undefined {
    this.assigned.delete(endpoint);
    return this.profileFor(endpoint);
  }

  /** Why a device gets its profile (every candidate with each rule). */
  why(deviceId: string, extra?: Partial<DeviceFacts>): Explanation {
    return this.index.explain(this.factsOf(deviceId, extra));
  }

  private decode(p: Profile, bytes: Uint8Array, ctx: DecodeContext): Reading[] {
    try {
      const readings = valuesToReadings(p, decodeValues(p, this.sandboxes.get(p.id), bytes).values, ctx);
      this.counters.decoded++;
      return readings;
    } catch (e) {
      this.counters.failed++;
      throw e;
    }
  }

  /**
   * A raw CoAP uplink (`/raw/{path}/{deviceId}`): readings by the profile whose coap_path is `path`
   * or which matches the device; undefined when none does. Throws the profile's coded error.
   */
  decodeRaw(path: string, deviceId: string, bytes: Uint8Array, now: number, clock: ClockQuality): Reading[] | undefined {
    const p = this.profileFor(deviceId, { coapPath: path });
    if (!p || !(p.layout || p.script)) return undefined;
    return this.decode(p, bytes, { deviceId, ts: now, clock });
  }

  /** LwM2M object 19 payloads; without a profile the bytes are kept as hex (as the server does without a decoder). */
  decodeBinary = (deviceId: string, bytes: Uint8Array, _path: PathLike, ts: number): Reading[] => {
    const p = this.profileFor(deviceId);
    if (!p || !(p.layout || p.script)) {
      return [{ deviceId, metric: 'binary_payload', unit: '', ts, value: Buffer.from(bytes).toString('hex'), clock: ClockQuality.CLOCK_GATEWAY_SYNCED, priority: 0 }];
    }
    return this.decode(p, bytes, { deviceId, ts, clock: ClockQuality.CLOCK_GATEWAY_SYNCED });
  };

  /** LwM2M metric names from the profile's `metrics.*.lwm2m` paths. */
  metricNamer = (deviceId: string, path: PathLike): string | undefined => {
    const p = this.profileFor(deviceId);
    if (!p || p.metrics.size === 0) return undefined;
    const key = `/${path.ids.slice(0, 3).join('/')}`;
    for (const d of p.metrics.values()) if (d.lwm2m === key) return d.name;
    return undefined;
  };

  /**
   * Between adapters and the store: checks readings of devices with a profile against its metrics
   * (type, range → rejected or flagged). Alarm rules and events wait for `committed()`, so an event
   * never derives from readings the store has not kept.
   */
  check(readings: Reading[]): CheckedReadings {
    if (this.index.size === 0 || readings.length === 0) return { readings, committed: NOTHING };
    const first = readings[0]!.deviceId;
    let one = true;
    for (let i = 1; i < readings.length && one; i++) one = readings[i]!.deviceId === first;
    if (one) {
      // the common case (one device, usually without checks or alarms): no list, no closure
      const part = this.checkDevice(first, readings);
      if (part.raise === NOTHING) return { readings: part.readings, committed: NOTHING };
      return { readings: part.readings, committed: () => this.raiseAll([part]) };
    }
    const parts = this.checkEach(readings);
    return { readings: parts.flatMap((p) => p.readings), committed: () => this.raiseAll(parts) };
  }

  private raiseAll(parts: { raise: () => void }[]): void {
    for (const p of parts) p.raise();
    this.flushAlarms();
  }

  private flushAlarms(): void {
    try {
      this.alarms.flush();
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'profile alarm state not stored');
    }
  }

  /** check() and committed() at once, for callers without a store in between (tools, tests). */
  process(readings: Reading[]): Reading[] {
    const c = this.check(readings);
    c.committed();
    return c.readings;
  }

  private checkEach(readings: Reading[]): { readings: Reading[]; raise: () => void }[] {
    const byDevice = new Map<string, Reading[]>();
    for (const r of readings) {
      const list = byDevice.get(r.deviceId);
      if (list) list.push(r);
      else byDevice.set(r.deviceId, [r]);
    }
    return [...byDevice].map(([d, rs]) => this.checkDevice(d, rs));
  }

  private checkDevice(deviceId: string, readings: Reading[]): { readings: Reading[]; raise: () => void } {
    this.learn(deviceId, readings);
    const p = this.profileFor(deviceId);
    if (!p) return { readings, raise: NOTHING };
    const events: Event[] = [];
    const ctx: DecodeContext = { deviceId, ts: readings[0].ts, clock: readings[0].clock };
    const checked = checkReadings(p, readings, ctx, events);
    this.counters.rejected += readings.length - checked.length;
    return {
      readings: checked,
      raise: () => {
        this.alarms.evaluate(p, checked, ctx, events);
        for (const e of events) {
          try {
            this.o.events.raise(e);
            this.counters.events++;
          } catch (err) {
            this.log.error({ deviceId, type: e.type, err: (err as Error).message }, 'profile event not stored');
          }
        }
      },
    };
  }

  /** LwM2M Device object values (manufacturer, model number, firmware version) refine matching. */
  private learn(deviceId: string, readings: readonly Reading[]): void {
    let changed = false;
    for (const r of readings) {
      const k = LEARNED[r.metric];
      if (k === undefined || typeof r.value !== 'string') continue;
      const f = this.learned.get(deviceId) ?? {};
      if (f[k] !== r.value) { f[k] = r.value; this.learned.set(deviceId, f); changed = true; }
    }
    if (changed) this.assigned.delete(deviceId);
  }
}
