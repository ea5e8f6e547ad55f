/**
 * Where Events (proto `Event`: alarms and state changes, always priority alarm) are raised: by the
 * camera adapter, by profile rules (edge/profiles/reading-checks.ts) and by the agent. The store's outbox
 * implements it (outbox.ts: the event is committed before raise() returns), as do the
 * local event tables of profile alarms and cameras (sqlite-event-store.ts). It lives in the store, the stage
 * the events flow into, so that raising one never makes a stage import an adapter.
 */
import type { Event } from '../../proto/index.js';

export interface EventSink {
  raise(event: Event): void;
}
