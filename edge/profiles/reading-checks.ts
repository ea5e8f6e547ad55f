/**
 * The step between the adapters and the store: readings of devices with a profile are checked
 * against its metrics (type, range → rejected or flagged); alarm rules and the events they and the
 * range checks raise wait until the store has committed the readings, so an event never derives from
 * readings the store has not kept.
 */
import type { Logger } from '../../common/log.js';
import type { Event } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';
import type { EventSink } from '../store/event-sink.js';
import type { AlarmEngine } from './alarms.js';
import { flushAlarms } from './alarm-upkeep.js';
import type { CurrentSet, DeviceProfiles } from './device-profiles.js';
import { checkReadings, type DecodeContext } from './readings.js';

/** Readings checked against their profiles, and what to do once they are durably stored. */
export interface CheckedReadings {
  readings: Reading[];
  /**
   * Call after the readings are committed: runs the alarm rules on them, raises their events and the
   * range checks' events, then stores the rule state. Not called when the store refused or already had them.
   */
  committed(): void;
}

interface DevicePart {
  readings: Reading[];
  raise: () => void;
}

/** raise/committed of readings that no profile checks. */
const NOTHING = (): void => {};

export class ReadingChecks {
  constructor(
    private readonly set: CurrentSet,
    private readonly devices: DeviceProfiles,
    private readonly alarms: AlarmEngine,
    private readonly events: EventSink,
    private readonly counters: { rejected: number; events: number },
    private readonly log: Logger,
  ) {}

  /** Checks the readings now; their alarm rules and events wait for `committed()`. */
  check(readings: Reading[]): CheckedReadings {
    if (this.set.index.size === 0 || readings.length === 0) return { readings, committed: NOTHING };
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

  /** check() and committed() at once, for callers without a store in between (tools, tests). */
  process(readings: Reading[]): Reading[] {
    const c = this.check(readings);
    c.committed();
    return c.readings;
  }

  private raiseAll(parts: { raise: () => void }[]): void {
    for (const p of parts) p.raise();
    flushAlarms(this.alarms, this.log);
  }

  private checkEach(readings: Reading[]): DevicePart[] {
    const byDevice = new Map<string, Reading[]>();
    for (const r of readings) {
      const list = byDevice.get(r.deviceId);
      if (list) list.push(r);
      else byDevice.set(r.deviceId, [r]);
    }
    return [...byDevice].map(([d, rs]) => this.checkDevice(d, rs));
  }

  /** `readings`: one device's, at least one. */
  private checkDevice(deviceId: string, readings: Reading[]): DevicePart {
    this.devices.learn(deviceId, readings);
    const p = this.devices.profileFor(deviceId);
    if (!p) return { readings, raise: NOTHING };
    const events: Event[] = [];
    const ctx: DecodeContext = { deviceId, ts: readings[0]!.ts, clock: readings[0]!.clock };
    const checked = checkReadings(p, readings, ctx, events);
    this.counters.rejected += readings.length - checked.length;
    return {
      readings: checked,
      raise: () => {
        this.alarms.evaluate(p, checked, ctx, events);
        for (const e of events) {
          try {
            this.events.raise(e);
            this.counters.events++;
          } catch (err) {
            this.log.error({ deviceId, type: e.type, err: (err as Error).message }, 'profile event not stored');
          }
        }
      },
    };
  }
}
