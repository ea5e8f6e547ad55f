/** Readings for batch codec tests: a builder and a sample covering every value kind, unit, clock and priority. */
import { ClockQuality, Priority } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';

/** Timestamp of the sample's first readings (ms). */
export const SAMPLE_BASE_MS = 1_700_000_000_000;

/** A reading with a device clock and normal priority unless `extra` says otherwise. */
export const reading = (
  deviceId: string,
  metric: string,
  unit: string,
  ts: number,
  value: Reading['value'],
  extra: Partial<Reading> = {},
): Reading => ({
  deviceId,
  metric,
  unit,
  ts,
  value,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
  ...extra,
});

const base = SAMPLE_BASE_MS;
/** Two devices; ints, floats, a bool and a string; units and none; an alarm; an unsynchronised clock. */
export const SAMPLE_READINGS: Reading[] = [
  reading('urn:imei:860000000000001', 'temperature', 'Cel', base, 21.5),
  reading('urn:imei:860000000000001', 'temperature', 'Cel', base + 60_000, 21.7),
  reading('urn:imei:860000000000001', 'temperature', 'Cel', base + 120_000, 21.6),
  reading('urn:imei:860000000000001', 'humidity', '%RH', base, 40),
  reading('urn:imei:860000000000001', 'humidity', '%RH', base + 120_000, 42),
  reading('urn:imei:860000000000001', 'cover_open', '', base + 90_000, true, { priority: Priority.PRIORITY_ALARM }),
  reading('meter-7', 'volume_total', 'm3', base + 5, 123456.789, { clock: ClockQuality.CLOCK_GATEWAY_UNSYNCED }),
  reading('meter-7', 'firmware', '', base + 5, 'v1.2.3'),
  reading('meter-7', 'flow_rate', 'l/min', base + 5, Math.PI),
];
