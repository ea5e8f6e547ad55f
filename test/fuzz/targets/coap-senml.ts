/**
 * The CoAP uplink server's SenML decoding (edge/southbound/coap/senml.ts, POST /senml[/{id}]),
 * called through whichever entry point the module has: parseSenml(payload, 'json' | 'cbor', opts)
 * returning { readings, refused }, or the older parseSenmlJson returning readings.
 */
import * as senml from '../../../edge/southbound/coap/senml.js';
import { ClockQuality } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { codedBy } from '../lib/target.js';
import { asBuffer, checkReadings } from './common.js';

export const NOW = 1_714_557_600_000;
export const isEdgeCoded = codedBy(['EDGE_ERR_']);

type Parse = (payload: Buffer, ...rest: unknown[]) => unknown;
const api = senml as unknown as Record<string, Parse | undefined>;

/** Readings of a SenML uplink (checked against their contract); undefined when the module has no decoder for `format`. */
export function coapSenml(input: Uint8Array, format: 'json' | 'cbor', deviceId?: string): Reading[] | undefined {
  const opts = { now: NOW, gatewayClock: ClockQuality.CLOCK_GATEWAY_SYNCED, ...(deviceId ? { deviceId } : {}) };
  let r: unknown;
  if (api.parseSenml) r = api.parseSenml(asBuffer(input), format, opts);
  else if (format === 'json' && api.parseSenmlJson) r = api.parseSenmlJson(asBuffer(input), opts);
  else return undefined;
  const readings = Array.isArray(r) ? (r as Reading[]) : (r as { readings: Reading[] }).readings;
  checkReadings(readings, `POST /senml${deviceId ? `/${deviceId}` : ''} (${format})`);
  return readings;
}
