/**
 * Raw binary uplinks: bytes → readings through a built-in layout named in the URI path, or else
 * through the device profile whose coap_path is that segment or which matches the device.
 */
import { YiwangError, isYiwangError } from '../../../common/errors.js';
import { Priority, type ClockQuality } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { BUILTIN_LAYOUTS } from '../../profiles/builtin-layouts.js';
import { decodePayload, type Decoded } from '../../profiles/layout/index.js';

/** The device profiles' decoder (ProfileRuntime.decodeRaw): readings, or undefined when no profile applies. */
export type RawProfileDecoder = (
  path: string,
  deviceId: string,
  payload: Uint8Array,
  now: number,
  clock: ClockQuality,
) => Reading[] | undefined;

function byProfile(
  profiles: RawProfileDecoder | undefined,
  layoutName: string,
  deviceId: string,
  payload: Buffer,
  now: number,
  clock: ClockQuality,
): Reading[] {
  let readings: Reading[] | undefined;
  try {
    readings = profiles?.(layoutName, deviceId, payload, now, clock);
  } catch (err) {
    if (isYiwangError(err))
      throw new YiwangError('EDGE_ERR_PAYLOAD', `${layoutName}: ${err.code}: ${err.message}`, { cause: err });
    throw err;
  }
  if (!readings)
    throw new YiwangError(
      'EDGE_ERR_UNKNOWN_LAYOUT',
      `no layout or profile ${JSON.stringify(layoutName)} for ${deviceId} (built-in layouts: ${[...BUILTIN_LAYOUTS.keys()].join(', ')})`,
    );
  if (readings.length === 0) throw new YiwangError('EDGE_ERR_PAYLOAD', `${layoutName}: no field has a value`);
  return readings;
}

export function decodeRawUplink(
  layoutName: string,
  deviceId: string,
  payload: Buffer,
  now: number,
  clock: ClockQuality,
  profiles?: RawProfileDecoder,
): Reading[] {
  const layout = BUILTIN_LAYOUTS.get(layoutName);
  if (!layout) return byProfile(profiles, layoutName, deviceId, payload, now, clock);
  let decoded: Decoded;
  try {
    decoded = decodePayload(layout, payload);
  } catch (err) {
    if (isYiwangError(err))
      throw new YiwangError('EDGE_ERR_PAYLOAD', `${layoutName}: ${err.code}: ${err.message}`, { cause: err });
    throw err;
  }
  const readings: Reading[] = [];
  for (const v of decoded.values) {
    readings.push({
      deviceId,
      metric: v.name,
      unit: v.unit ?? '',
      ts: now,
      value: v.value,
      clock,
      priority: Priority.PRIORITY_NORMAL,
    });
  }
  if (readings.length === 0) throw new YiwangError('EDGE_ERR_PAYLOAD', `${layoutName}: no field has a value`);
  return readings;
}
