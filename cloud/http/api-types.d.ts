/**
 * Response shapes of the REST API and the live updates (docs/reference/http-api.md): the one
 * home of these types, imported by the cloud (cloud/health/types.ts, gateway-table.ts, summary.ts
 * and cloud/store/cloud-store.ts re-export them) and by the dashboard
 * (cloud/web/src). A declaration file on purpose: it holds types only and imports nothing, so the
 * browser build type-checks against it without taking any server code along (its `import type`s
 * leave no trace in dist/web). test/cloud/web/api-types.test.ts keeps it so and checks that the
 * dashboard declares none of these shapes itself.
 */

// ── gateway status and health (GET /api/v1/health/gateways/:id → status) ──

export type GatewayStatus = 'online' | 'degraded' | 'offline';
/** Status shown in the gateways table and the drill-down: a revoked gateway is `revoked` whatever its session did last. */
export type TableStatus = GatewayStatus | 'revoked';

/** Why a gateway is degraded. */
export type DegradedReason =
  | 'backlog'
  | 'store_near_cap'
  | 'clock_unsynced'
  | 'config_failed'
  | 'dropping'
  | 'disk_low'
  | 'health_missing';

/** Where a gateway (and its devices) is counted in fleet summaries; '' = not set. */
export interface GatewayTags {
  district: string;
  site: string;
  group: string;
}

export interface LinkInfo {
  technology: string;
  rsrpDbm: number;
  rsrqDb: number;
  sinrDb: number;
  rssiDbm: number;
}

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

/** A gateway's status as the drill-down shows it: a revoked one is `revoked`, with when. */
export interface GatewayStatusView extends Omit<GatewayHealthRecord, 'status'> {
  status: TableStatus;
  revokedMs?: number;
}

export interface BacklogPoint {
  tsMs: number;
  rows: number;
  bytes: number;
  oldestAgeMs: number;
}

// ── events and alarms ──

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

// ── registry records ──

export interface GatewayRecord {
  id: string;
  createdMs: number;
  online: boolean;
  lastSeenMs: number | null;
  lastBatchMs: number | null;
  batches: number;
  readings: number;
  /** When an operator revoked its credentials (null: not revoked); a revoked gateway is refused at CONNECT. */
  revokedMs: number | null;
}

export interface DeviceRecord {
  id: string;
  gatewayId: string;
  firstSeenMs: number;
  lastSeenMs: number;
  lastReadingTs: number;
  readings: number;
  /** Device type from the registry ('' when only seen in batches). */
  type: string;
  /** Expected reporting interval. */
  intervalS: number;
  /** Heard within its expected interval (times the missed-report allowance). */
  online: boolean;
  /** When it goes offline if nothing arrives (null when offline). */
  offlineAtMs: number | null;
}

// ── fleet summary (GET /api/v1/health/summary, live `summary`) ──

export interface Rate {
  total: number;
  online: number;
  rate: number | null;
}
export interface Figures {
  gateways: { total: number; online: number; degraded: number; offline: number };
  devices: Rate;
  cameras: Rate;
  backlog: { rows: number; bytes: number };
  alarms: { open: number };
}
export interface KeyedFigures extends Figures {
  key: string;
}
export interface FleetSummary extends Figures {
  atMs: number;
  byDistrict: KeyedFigures[];
  byGroup: KeyedFigures[];
  /** Only with ?sites=true. */
  bySite?: KeyedFigures[];
  byType: { key: string; devices: Rate }[];
}

// ── gateways table (GET /api/v1/health/gateways, live `gateway`) ──

export interface GatewayRow {
  id: string;
  status: TableStatus;
  /** When an operator revoked it (status `revoked`), else null. */
  revokedMs: number | null;
  reasons: DegradedReason[];
  sinceMs: number;
  lastHeardMs: number | null;
  district: string;
  site: string;
  group: string;
  backlogRows: number;
  backlogBytes: number;
  oldestAgeMs: number;
  devicesOnline: number;
  devicesTotal: number;
  camerasOnline: number;
  camerasTotal: number;
  agentVersion: string;
  configVersion: string;
  rsrpDbm: number | null;
}

// ── response bodies ──

/** GET /api/v1/health/summary: the summary and how long it took to assemble. */
export interface SummaryResponse extends FleetSummary {
  tookMs: number;
}

/** GET /api/v1/health/gateways: one page of the table. */
export interface GatewayPage {
  total: number;
  offset: number;
  items: GatewayRow[];
}

/** GET /api/v1/health/gateways/:id: the drill-down. `status` is absent for a gateway never heard of. */
export interface GatewayDetail {
  gateway: GatewayRecord;
  status?: GatewayStatusView;
  events: EventRecord[];
  backlog: BacklogPoint[];
  devices: { total: number; online: number };
  alarms: { open: number };
}

/** GET /api/v1/devices: `next` is the id to pass as ?after= for the next page (null: the last page). */
export interface DevicesResponse {
  devices: DeviceRecord[];
  next: string | null;
}

/** GET /api/v1/events */
export interface EventsResponse {
  events: EventRecord[];
}

/** GET /api/v1/alarms: the fleet's open alarms count and the alarms asked for. POST /api/v1/alarms/:id/ack answers with the EventRecord. */
export interface AlarmsResponse {
  open: number;
  alarms: EventRecord[];
}

/** The body of every error response, with a matching HTTP status. */
export interface ApiErrorBody {
  /** `retryAfterS`: sign-in locks and throttles (429), also as the Retry-After header. */
  error: { code: string; message: string; hint: string; retryAfterS?: number };
}

// ── operators (docs/reference/http-api.md, "Operators") ──

/** POST /api/v1/session: the account signed in (the session is the cookie, or `token` for client "cli"). */
export interface SignInResponse {
  name: string;
  role: string;
  districts: string[];
  groups: string[];
  idleTimeoutS: number;
  maxAgeS: number;
  /** Cookie sessions: send it as x-csrf-token on every write. */
  csrfToken?: string;
  /** client "cli": the bearer token `yws_…`. */
  token?: string;
}

/** GET /api/v1/session: who is calling. */
export interface SessionResponse {
  kind: 'user' | 'token' | 'api_key' | 'loopback' | 'anonymous' | 'system';
  name: string;
  displayName: string;
  role: string;
  districts: string[];
  groups: string[];
  permissions: string[];
  totp: boolean;
  csrfToken?: string;
}

/** GET /api/v1/live (Server-Sent Events): the data of each event name. */
export interface LiveMessages {
  summary: FleetSummary;
  gateway: GatewayRow;
  event: EventRecord;
}
