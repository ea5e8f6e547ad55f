/** A kept quarantine group's row as both implementations read it, and its record. */
import type { QuarantineRecord } from './cloud-store.js';

export interface QuarantineRow {
  gateway_id: string;
  epoch: number;
  seq: number;
  received_ms: number;
  device_id: string;
  metric: string;
  code: string;
  detail: string;
  readings: number;
  events: number;
}

export const quarantineRecord = (r: QuarantineRow): QuarantineRecord => ({
  gatewayId: r.gateway_id,
  epoch: r.epoch,
  seq: r.seq,
  receivedMs: r.received_ms,
  deviceId: r.device_id,
  metric: r.metric,
  code: r.code,
  detail: r.detail,
  count: r.readings,
  ...(r.events ? { events: r.events } : {}),
});
