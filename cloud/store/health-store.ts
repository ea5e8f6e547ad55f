/**
 * The health part of the CloudStore interface. Implementations keep the health counters
 * (cloud/health/counters.ts) in step with every change in the same transaction as the change,
 * so summaries read a few counter rows instead of scanning devices.
 */
import type { CounterDeltas } from '../health/counters.js';
import type {
  BacklogPoint,
  CounterRow,
  CounterScope,
  DeviceRegistration,
  EventQuery,
  EventRecord,
  GatewayHealthRecord,
  GatewayTags,
  NewEvent,
} from '../health/types.js';

/** How a device's online state is judged from its expected reporting interval. */
export interface DevicePolicy {
  /** Expected interval of devices registered without one (and of devices only seen in batches). */
  defaultIntervalS: number;
  /** A device is offline after this many expected reports were missed. */
  missedReports: number;
}

export const DEFAULT_DEVICE_POLICY: DevicePolicy = { defaultIntervalS: 3600, missedReports: 2 };

export interface DeviceQuery {
  gatewayId?: string;
  online?: boolean;
  type?: string;
  afterId?: string;
  limit?: number;
}

export interface GatewayHealthWrite {
  record: GatewayHealthRecord;
  backlog?: BacklogPoint;
}

export interface HealthStore {
  /** Registered gateways (created at or after `createdSinceMs`, default all) with their persisted health (offline since creation when never heard). */
  loadGatewayHealth(createdSinceMs?: number): Promise<GatewayHealthRecord[]>;
  getGatewayHealth(id: string): Promise<GatewayHealthRecord | undefined>;
  /** The health records of these gateways (those registered), by id: a rollout tick asks for its whole wave. */
  getGatewayHealthMany(ids: readonly string[]): Promise<Map<string, GatewayHealthRecord>>;
  /** Writes gateway records (with the registry's online / last seen), backlog points and the counter deltas of the changes in one transaction. */
  saveGatewayHealth(writes: GatewayHealthWrite[], deltas: CounterDeltas): Promise<void>;
  /**
   * Sets the tags given (district, site, group; '' clears one, one left out stays as it is) and
   * moves the gateway's counted figures with them; returns the tags after. CLOUD_ERR_NOT_FOUND for
   * an unknown gateway.
   */
  setGatewayTags(id: string, tags: Partial<GatewayTags>): Promise<GatewayTags>;
  /** Registers devices (or updates gateway, type, interval: a type or interval left out stays as it is) and counts them. */
  registerDevices(devices: DeviceRegistration[], nowMs: number): Promise<void>;
  /** Marks online devices whose deadline passed as offline (at most `limit`); returns how many. */
  expireDevices(nowMs: number, limit: number): Promise<number>;
  queryDevices(q: DeviceQuery): Promise<import('./cloud-store.js').DeviceRecord[]>;
  /** Counter rows of the given scopes (optionally of one key). */
  counters(scope: CounterScope, key?: string): Promise<CounterRow[]>;
  /** Stores events raised outside batches (by the cloud); clears close matching active alarms. */
  addEvents(events: NewEvent[], nowMs: number): Promise<EventRecord[]>;
  listEvents(q: EventQuery): Promise<EventRecord[]>;
  getEvent(id: number): Promise<EventRecord | undefined>;
  /** Acknowledges an alarm (idempotent); undefined when there is no such event. */
  ackEvent(id: number, by: string, atMs: number): Promise<EventRecord | undefined>;
  backlogHistory(gatewayId: string, sinceMs: number): Promise<BacklogPoint[]>;
  /**
   * Deletes up to `limit` of the oldest events beyond the newest `keep` (by id), never an alarm
   * that is not acknowledged yet (the open-alarm counters stay as they are); returns how many.
   */
  pruneEvents(keep: number, limit: number): Promise<number>;
  /** Drops backlog points older than `beforeMs`; returns how many. */
  pruneBacklog(beforeMs: number): Promise<number>;
  /** Recomputes every counter from the rows (repair and migration; scans everything). */
  rebuildCounters(nowMs: number): Promise<void>;
}
