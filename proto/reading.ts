/** The unit of data that flows edge → cloud, before and after the wire encoding. */
import type { yiwang } from './wire.js';

export type ReadingValue = number | boolean | string;

export interface Reading {
  deviceId: string;
  /** Canonical metric name from the device's profile, e.g. `pm2_5`. */
  metric: string;
  /** SenML unit name, '' when none. */
  unit: string;
  /** Milliseconds since the Unix epoch. */
  ts: number;
  value: ReadingValue;
  clock: yiwang.v1.ClockQuality;
  priority: yiwang.v1.Priority;
}

export type EventInput = yiwang.v1.IEvent;
