/**
 * Observed and sent LwM2M values → Readings. Metric names come from the object model
 * (`metricName`), unless a naming hook (device profiles, later) gives one. Object 19
 * (BinaryAppDataContainer) payloads at the binary paths go to `decodeBinary`; without a decoder
 * they become a `binary_payload` reading holding the bytes as hex.
 */
import { ClockQuality, Priority } from '../../../../proto/index.js';
import type { Reading } from '../../../../proto/reading.js';
import {
  absoluteTimeMs,
  metricName,
  readingValue,
  type Lwm2mPath,
  type Lwm2mRecord,
  type ModelLookup,
} from '../core/index.js';

/** Decodes a vendor binary payload (object 19) into readings; may throw a coded error. */
export type BinaryDecoder = (deviceId: string, bytes: Uint8Array, path: Lwm2mPath, receivedAtMs: number) => Reading[];
/** Names a metric for a device's resource; undefined falls back to the object model's name. */
export type MetricNamer = (deviceId: string, path: Lwm2mPath) => string | undefined;

export interface ReadingOptions {
  model: ModelLookup;
  /** Paths (resource level, e.g. "/19/0/0") whose opaque values are vendor binary payloads. */
  binaryPaths: ReadonlySet<string>;
  decodeBinary?: BinaryDecoder;
  metricNamer?: MetricNamer;
  gatewayClock?: () => ClockQuality;
}

function resourcePathKey(p: Lwm2mPath): string {
  return `/${p.ids.slice(0, 3).join('/')}`;
}

export function recordsToReadings(
  deviceId: string,
  records: readonly Lwm2mRecord[],
  now: number,
  o: ReadingOptions,
): Reading[] {
  const out: Reading[] = [];
  const gw = o.gatewayClock?.() ?? ClockQuality.CLOCK_GATEWAY_SYNCED;
  for (const r of records) {
    const ts = r.time === undefined ? now : absoluteTimeMs(r.time, now);
    const clock = r.time === undefined || r.time < 2 ** 28 ? gw : ClockQuality.CLOCK_DEVICE;
    if (r.value.type === 'opaque' && o.binaryPaths.has(resourcePathKey(r.path))) {
      if (o.decodeBinary) {
        out.push(...o.decodeBinary(deviceId, r.value.value, r.path, ts));
        continue;
      }
      out.push({
        deviceId,
        metric: 'binary_payload',
        unit: '',
        ts,
        value: Buffer.from(r.value.value).toString('hex'),
        clock,
        priority: Priority.PRIORITY_NORMAL,
      });
      continue;
    }
    const [objectId, , resourceId] = r.path.ids as [number, number, number];
    const metric = o.metricNamer?.(deviceId, r.path) ?? metricName(r.path, o.model);
    const unit = o.model.resource(objectId, resourceId)?.units ?? '';
    out.push({ deviceId, metric, unit, ts, value: readingValue(r.value), clock, priority: Priority.PRIORITY_NORMAL });
  }
  return out;
}
