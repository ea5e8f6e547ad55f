/**
 * Fleet health data shared by the health service, the store and the API: gateway status with
 * reasons, the last Health snapshot, alarms and fleet summaries.
 */
// the shapes the API returns live in the API's types (the dashboard imports them from there too)
import type { GatewayStatus, Severity } from '../http/api-types.js';
export type {
  BacklogPoint,
  DegradedReason,
  EventRecord,
  GatewayHealthRecord,
  GatewayStatus,
  GatewayTags,
  HealthSnapshot,
  LinkInfo,
  Severity,
} from '../http/api-types.js';

export const GATEWAY_STATUSES: readonly GatewayStatus[] = ['online', 'degraded', 'offline'];

export interface NewEvent {
  gatewayId: string;
  deviceId: string;
  type: string;
  severity: Severity;
  tsMs: number;
  message: string;
  attributes: Record<string, string>;
  /** false: a clear of earlier raised alarms of the same gateway, device and type. */
  active: boolean;
  /** Edge-assigned id (dedupe within a gateway); '' for cloud-raised events. */
  sourceId: string;
}

export interface EventQuery {
  gatewayId?: string;
  deviceId?: string;
  type?: string;
  sinceMs?: number;
  alarmsOnly?: boolean;
  open?: boolean;
  beforeId?: number;
  afterId?: number;
  limit?: number;
}

/** A device as the registry knows it (type and expected reporting interval drive its online state; left out: kept as registered). */
export interface DeviceRegistration {
  id: string;
  gatewayId: string;
  type?: string;
  intervalS?: number;
  lastSeenMs?: number;
}

/** Counter scopes of fleet summaries. */
export type CounterScope = 'fleet' | 'district' | 'site' | 'group' | 'type' | 'gateway';
export interface CounterRow {
  scope: CounterScope;
  key: string;
  metric: string;
  value: number;
}
