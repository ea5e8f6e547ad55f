/**
 * Builds the Events the camera adapter raises (proto `Event`, always priority alarm) into an
 * EventSink (the store's interface, edge/store/event-sink.ts: the agent's outbox, which sync
 * carries to the cloud); the camera manager also keeps them in camera-events.db for the local API.
 */
import { randomUUID } from 'node:crypto';
import { pb, ClockQuality, type Event } from '../../../proto/index.js';

export type Severity = 'info' | 'warning' | 'critical';
const SEVERITY = {
  info: pb.Event.Severity.INFO,
  warning: pb.Event.Severity.WARNING,
  critical: pb.Event.Severity.CRITICAL,
};

/** Builds an Event stamped by the gateway clock. */
export function cameraEvent(
  deviceId: string,
  type: string,
  severity: Severity,
  active: boolean,
  message: string,
  attributes: Record<string, string>,
  tsMs = Date.now(),
): Event {
  return {
    id: randomUUID(),
    deviceId,
    type,
    severity: SEVERITY[severity],
    tsMs,
    clock: ClockQuality.CLOCK_GATEWAY_SYNCED,
    message,
    attributes,
    active,
  };
}
