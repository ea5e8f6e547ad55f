/**
 * Fleet health data shared by the health service, the store and the API: gateway status with
 * reasons, the last Health snapshot, alarms and fleet summaries.
 */
export type GatewayStatus = 'online' | 'degraded' | 'offline';
export const GATEWAY_STATUSES: readonly GatewayStatus[] = ['online', 'degraded', 'offline'];

/** Why a gateway is degraded. */
export type DegradedReason = 'backlog' | 'store_near_cap' | 'clock_unsynced' | 'config_failed' | 'dropping' | 'disk_low' | 'health_missing';

/** Where a gateway (and its devices) is counted in fleet summaries; '' = not set. */
export interface GatewayTags { district: string; site: string; group: string }

export interface LinkInfo { technology: string; rsrpDbm: number; rsrqDb: number; sinrDb: number; rssiDbm: number }

/** The last Health message of a gateway, as the cloud keeps it. */
export interface HealthSnapshot {
  tsMs: number;
  receivedMs: number;
  uptimeS: number;
  rssBytes: number;
  storeRows: number;
  storeBytes: number;
  storeCapBytes: number;
  oldestAgeMs: number;
  dropped: Record<string, number>;
  devicesOnline: number;
  devicesTotal: number;
  devicesByState: Record<string, number>;
  camerasOnline: number;
  camerasTotal: number;
  camerasByState: Record<string, number>;
  clockSynced: boolean;
  configVersion: string;
  configError: string;
  agentVersion: string;
  readingsAccepted: number;
  batchesAcked: number;
  diskFreeBytes: number;
  diskTotalBytes: number;
  link: LinkInfo | null;
}

/** Persisted status of one gateway. */
export interface GatewayHealthRecord {
  gatewayId: string;
  status: GatewayStatus;
  reasons: DegradedReason[];
  /** When the current status began (for offline: offline since). */
  sinceMs: number;
  sessionUp: boolean;
  /** Last session event or Health message. */
  lastHeardMs: number | null;
  tags: GatewayTags;
  health: HealthSnapshot | null;
}

export interface BacklogPoint { tsMs: number; rows: number; bytes: number; oldestAgeMs: number }

export type Severity = 'info' | 'warning' | 'critical';

/** An event from a gateway (or raised by the cloud); warning and critical ones are alarms to acknowledge. */
export interface EventRecord {
  id: number;
  gatewayId: string;
  deviceId: string;
  type: string;
  severity: Severity;
  tsMs: number;
  receivedMs: number;
  message: string;
  attributes: Record<string, string>;
  /** Raised and not cleared yet. */
  active: boolean;
  alarm: boolean;
  ackedMs: number | null;
  ackedBy: string | null;
  clearedMs: number | null;
}

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

export interface EventQuery { gatewayId?: string; deviceId?: string; type?: string; sinceMs?: number; alarmsOnly?: boolean; open?: boolean; beforeId?: number; afterId?: number; limit?: number }

/** A device as the registry knows it (type and expected reporting interval drive its online state; left out: kept as registered). */
export interface DeviceRegistration { id: string; gatewayId: string; type?: string; intervalS?: number; lastSeenMs?: number }

/** Counter scopes of fleet summaries. */
export type CounterScope = 'fleet' | 'district' | 'site' | 'group' | 'type' | 'gateway';
export interface CounterRow { scope: CounterScope; key: string; metric: string; value: number }
