/**
 * What the profile runtime gives the LwM2M server: object 19 payloads decoded by the device's
 * profile (hex without one), metric names from the profile's `metrics.*.lwm2m` paths, and the
 * trigger of its observe bindings (lwm2m-observe.ts) when an LwM2M device gets a profile.
 */
import { ClockQuality } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';
import type { DeviceFacts } from './index-match.js';
import type { DecodeContext } from './readings.js';
import { UplinkDecoder } from './uplink-decoder.js';
import type { Profile } from './types.js';

/** The Uri-Path of LwM2M object 19 / a resource path as the adapters give it. */
export interface PathLike {
  readonly ids: readonly number[];
  toString(): string;
}

/** LwM2M object 19 payload readings; without a profile that decodes, the bytes are kept as hex (as the server does without a decoder). */
export function binaryReadings(
  p: Profile | undefined,
  deviceId: string,
  bytes: Uint8Array,
  ts: number,
  decoder: UplinkDecoder,
): Reading[] {
  if (!UplinkDecoder.decodes(p)) {
    return [
      {
        deviceId,
        metric: 'binary_payload',
        unit: '',
        ts,
        value: Buffer.from(bytes).toString('hex'),
        clock: ClockQuality.CLOCK_GATEWAY_SYNCED,
        priority: 0,
      },
    ];
  }
  const ctx: DecodeContext = { deviceId, ts, clock: ClockQuality.CLOCK_GATEWAY_SYNCED };
  return decoder.decode(p, bytes, ctx);
}

/** The metric whose `lwm2m` path is the resource's (object/instance/resource), or undefined. */
export function lwm2mMetricName(p: Profile | undefined, path: PathLike): string | undefined {
  if (!p || p.metrics.size === 0) return undefined;
  const key = `/${path.ids.slice(0, 3).join('/')}`;
  for (const d of p.metrics.values()) if (d.lwm2m === key) return d.name;
  return undefined;
}

/**
 * For DeviceProfiles' `onAssigned`: requests the observe bindings of a profile that lists
 * observations when the device is an LwM2M one (the adapters' facts name its endpoint).
 */
export function observeOnAssign(
  facts: ((deviceId: string) => Partial<DeviceFacts> | undefined) | undefined,
  lwm2mObserve: ((endpoint: string, profile: Profile) => void) | undefined,
): (deviceId: string, profile: Profile) => void {
  return (deviceId, profile) => {
    if (profile.transport.lwm2m?.observe.length && facts?.(deviceId)?.lwm2mEndpoint !== undefined)
      lwm2mObserve?.(deviceId, profile);
  };
}
