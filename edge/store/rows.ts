/** A reading row of the edge store as read back for a batch (raw arrays: the hot path of a drain). */
import type { Reading, ReadingValue } from '../../proto/reading.js';

export type RowArray = [
  id: number,
  device: string,
  metric: string,
  unit: string,
  ts: number,
  kind: number,
  num: number | null,
  str: string | null,
  clock: number,
  priority: number,
];

/** The columns of a RowArray, in order, for SELECTs. */
export const ROW_COLUMNS = 'id, device, metric, unit, ts, kind, num, str, clock, priority';

export const KIND = { number: 0, boolean: 1, string: 2 } as const;

export function fromRow([, device, metric, unit, ts, kind, num, str, clock, priority]: RowArray): Reading {
  const value: ReadingValue = kind === 0 ? (num as number) : kind === 1 ? num === 1 : (str as string);
  return { deviceId: device, metric, unit, ts, value, clock, priority };
}
