/**
 * The demo's sleeping NB-IoT sensors: a few simulated LwM2M devices (edge/profiles/lwm2m-sim-device.ts)
 * that register in queue mode (b=UQ), then wake every period, report a temperature with Send
 * (/dp, SenML JSON with the device time), stay reachable a few seconds and go back to sleep
 * (requests sent to a sleeping device are lost, as in PSM), updating their registration
 * before it expires. Requests queued for them (local API) reach them right after each wake.
 */
import { Lwm2mPath, val } from '../../edge/southbound/lwm2m/core/index.js';
import { createSimDevices, type SimLwm2mDevice, type SimTarget } from '../../edge/profiles/lwm2m-sim-device.js';

export interface Lwm2mDemoOptions {
  count: number;
  /** Time between wakes of one device. */
  periodMs: number;
  lifetimeS?: number;
  onError?: (endpoint: string, err: Error) => void;
}

export interface Lwm2mDemo {
  readonly endpoints: readonly string[];
  close(): void;
}

const TEMPERATURE = Lwm2mPath.of(3303, 0, 5700);
/** How long a device stays reachable after it reported (an NB-IoT module's RRC inactivity timer). */
const AWAKE_MS = 5000;

export async function startLwm2mDemo(target: SimTarget, o: Lwm2mDemoOptions): Promise<Lwm2mDemo> {
  const lifetimeS = o.lifetimeS ?? 120;
  const devices = await createSimDevices(o.count, target, { binding: 'UQ', lifetimeS, prefix: 'urn:imei:86100000' });
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, f: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) f();
    }, ms);
    timers.add(t);
  };
  const wake = async (d: SimLwm2mDevice, k: number, n: number, lastUpdate: number): Promise<number> => {
    const now = Date.now();
    if (!d.location) {
      await d.register();
      lastUpdate = now;
    } else if (now - lastUpdate > (lifetimeS * 1000) / 2) {
      if ((await d.update()) !== '2.04') await d.register();
      lastUpdate = now;
    }
    const celsius = Math.round((18 + 4 * Math.sin((n + k * 7) / 10)) * 100) / 100;
    d.set(TEMPERATURE.toString(), val.float(celsius));
    const code = await d.send([{ path: TEMPERATURE, value: val.float(celsius), time: Math.floor(now / 1000) }]);
    if (code === '4.04') d.location = undefined; // registration gone (agent store reset): register on the next wake
    return lastUpdate;
  };
  devices.forEach((d, k) => {
    let n = 0;
    let lastUpdate = 0;
    const cycle = (): void => {
      void wake(d, k, n++, lastUpdate)
        .then(
          (u) => {
            lastUpdate = u;
          },
          (err: Error) => o.onError?.(d.opts.endpoint, err),
        )
        .finally(() => {
          later(Math.min(AWAKE_MS, o.periodMs / 2), () => d.sleep());
          later(o.periodMs, cycle);
        });
    };
    later(Math.floor((o.periodMs * k) / o.count), cycle); // spread the wakes over the period
  });
  return {
    endpoints: devices.map((d) => d.opts.endpoint),
    close(): void {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      for (const d of devices) d.close();
    },
  };
}
