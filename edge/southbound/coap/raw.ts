/** Raw binary uplinks: bytes → readings through a built-in layout named in the URI path. */
import { YiwangError, isYiwangError } from '../../../common/errors.js';
import { Priority, type ClockQuality } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { BUILTIN_LAYOUTS } from '../../profiles/builtin-layouts.js';
import { decodePayload } from '../../profiles/layout/index.js';
import '../../errors.js';

export function decodeRawUplink(layoutName: string, deviceId: string, payload: Buffer, now: number, clock: ClockQuality): Reading[] {
  const layout = BUILTIN_LAYOUTS.get(layoutName);
  if (!layout) throw new YiwangError('EDGE_ERR_UNKNOWN_LAYOUT', `no layout ${JSON.stringify(layoutName)} (have: ${[...BUILTIN_LAYOUTS.keys()].join(', ')})`);
  let decoded;
  try {
    decoded = decodePayload(layout, payload);
  } catch (err) {
    if (isYiwangError(err)) throw new YiwangError('EDGE_ERR_PAYLOAD', `${layoutName}: ${err.code}: ${err.message}`, { cause: err });
    throw err;
  }
  const readings: Reading[] = [];
  for (const v of decoded.values) {
    readings.push({ deviceId, metric: v.name, unit: v.unit ?? '', ts: now, value: v.value, clock, priority: Priority.PRIORITY_NORMAL });
  }
  if (readings.length === 0) throw new YiwangError('EDGE_ERR_PAYLOAD', `${layoutName}: no field has a value`);
  return readings;
}
