/** A wire Event (from a batch) as the store keeps it: one conversion for every store implementation. */
import type { EventInput } from '../../proto/reading.js';
import type { NewEvent, Severity } from './types.js';

const SEVERITIES: Severity[] = ['info', 'warning', 'critical'];

/** Converts a wire Event into a NewEvent of a gateway. */
export function newEventOf(gatewayId: string, e: EventInput): NewEvent {
  const ts = Number(e.tsMs ?? 0);
  return {
    gatewayId,
    deviceId: e.deviceId ?? '',
    type: e.type ?? '',
    severity: SEVERITIES[e.severity ?? 0] ?? 'info',
    tsMs: ts,
    message: e.message ?? '',
    attributes: { ...(e.attributes ?? {}) },
    active: e.active ?? false,
    sourceId: e.id ?? '',
  };
}
