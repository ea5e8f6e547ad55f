/**
 * The cloud store: the data plane of the cloud — batches and their idempotency keys, readings,
 * quarantine, and the registry of gateways and devices — plus gateway health (HealthStore,
 * health-store.ts). Interfaces name no technology; implementations do, chosen by store.backend in
 * open-stores.ts: SQLite (the embedded default) and PostgreSQL (postgres/, several cloud nodes).
 *
 * Map of cloud/store/ (interface → SQLite | PostgreSQL implementation):
 * - cloud-store.ts         CloudStore         → sqlite-cloud-store.ts (+ sqlite-cloud-schema.ts, sqlite-quarantine.ts)
 *                                             | postgres/pg-cloud-store.ts (+ pg-readings-*.ts, pg-quarantine.ts)
 * - health-store.ts        HealthStore        → sqlite-health.ts | postgres/pg-health.ts
 * - control-plane-store.ts ControlPlaneStore  → sqlite-control-plane-store.ts | postgres/pg-control-plane-store.ts
 * - control-plane-rows.ts, quarantine-rows.ts: rows both implementations read, and their records.
 * - open-stores.ts: the backend chosen by config; postgres/pg-stores.ts, pg-migrations.ts (versioned schema).
 * - sqlite-wal-checkpointer.ts (+ its worker): off-loop WAL checkpoints of the SQLite file.
 * Conformance suites, run on both: test/cloud/store/cloud-conformance.ts, health-conformance.ts,
 * control-plane-conformance.ts.
 */
import type { Reading } from '../../proto/reading.js';
import type { DecodedBatch, QuarantineGroup } from '../../proto/batch-codec.js';
import type { HealthStore } from './health-store.js';
// Registry records as the API returns them: one source with the dashboard.
import type { DeviceRecord, GatewayRecord } from '../http/api-types.js';
export type { DeviceRecord, GatewayRecord };

export interface StoredReading extends Reading {
  gatewayId: string;
}

/** `newestFirst`: the newest `limit` readings, newest first (default: the oldest, in time order). */
export interface ReadingQuery {
  deviceId: string;
  metric?: string;
  fromMs?: number;
  toMs?: number;
  limit?: number;
  newestFirst?: boolean;
}

/**
 * A stored batch: the readings written, and what was quarantined — the decoder's groups plus the
 * store's own (readings and events of devices that belong to another gateway, CLOUD_ERR_DEVICE_OWNER).
 * `quarantined` lists at most MAX_ACK_GROUPS groups (capQuarantine merges the rest per code): what
 * the BatchAck carries and the store keeps. For a duplicate: nothing written; the quarantine of the
 * first time, its groups as far as they are still kept.
 */
export interface IngestResult {
  status: 'stored' | 'duplicate';
  readings: number;
  quarantinedReadings: number;
  quarantined: QuarantineGroup[];
}

export interface StoreStats {
  gateways: number;
  devices: number;
  readings: number;
  batches: number;
  duplicates: number;
  quarantined: number;
}

/** One quarantined group as kept by the store (the last ingest.quarantine_keep per gateway). */
export interface QuarantineRecord extends QuarantineGroup {
  gatewayId: string;
  epoch: number;
  seq: number;
  receivedMs: number;
}

/** A gateway's quarantine: totals per code since the store was created, and the latest groups. */
export interface QuarantineSummary {
  totals: { code: string; readings: number; events: number }[];
  recent: QuarantineRecord[];
}

export interface CloudStore extends HealthStore {
  /** Durably stores a batch once per idempotency key; a known key is answered 'duplicate'. */
  ingestBatch(batch: DecodedBatch): Promise<IngestResult>;
  createGateway(id: string, secretHash: string): Promise<void>;
  gatewaySecretHash(id: string): Promise<string | undefined>;
  setGatewayOnline(id: string, online: boolean, atMs: number): Promise<void>;
  getGateway(id: string): Promise<GatewayRecord | undefined>;
  listGateways(): Promise<GatewayRecord[]>;
  /** Revoked gateways: id → when (what the gateways table shows as status `revoked`). */
  revokedGateways(): Promise<Map<string, number>>;
  listDevices(gatewayId?: string): Promise<DeviceRecord[]>;
  getDevice(id: string): Promise<DeviceRecord | undefined>;
  /**
   * Moves a device to another gateway (an operator's decision: a device belongs to the gateway that
   * reported it first, and another gateway's data for it is quarantined). Throws CLOUD_ERR_NOT_FOUND
   * for an unknown device or gateway.
   */
  moveDevice(id: string, gatewayId: string): Promise<DeviceRecord>;
  /** What was quarantined from a gateway's batches (newest groups first, at most `limit`). */
  quarantine(gatewayId: string, limit?: number): Promise<QuarantineSummary>;
  /** Readings of one device in time order (ties in arrival order), or newest first with `newestFirst`. */
  readings(q: ReadingQuery): Promise<StoredReading[]>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
