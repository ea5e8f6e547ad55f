/**
 * The cloud store: one interface, an SQLite implementation (embedded default) and, for scale, a
 * PostgreSQL one later — both must pass test/cloud/store/conformance.ts.
 */
import type { Reading } from '../../proto/reading.js';
import type { DecodedBatch } from '../../proto/batch-codec.js';
import type { FleetHealthStore } from './health-store.js';

export interface GatewayRecord {
  id: string;
  createdMs: number;
  online: boolean;
  lastSeenMs: number | null;
  lastBatchMs: number | null;
  batches: number;
  readings: number;
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

export interface StoredReading extends Reading { gatewayId: string }

export interface ReadingQuery { deviceId: string; metric?: string; fromMs?: number; toMs?: number; limit?: number }

export interface IngestResult { status: 'stored' | 'duplicate'; readings: number }

export interface StoreStats { gateways: number; devices: number; readings: number; batches: number; duplicates: number }

export interface CloudStore extends FleetHealthStore {
  /** Durably stores a batch once per idempotency key; a known key is answered 'duplicate'. */
  ingestBatch(batch: DecodedBatch): Promise<IngestResult>;
  createGateway(id: string, secretHash: string): Promise<void>;
  gatewaySecretHash(id: string): Promise<string | undefined>;
  setGatewayOnline(id: string, online: boolean, atMs: number): Promise<void>;
  getGateway(id: string): Promise<GatewayRecord | undefined>;
  listGateways(): Promise<GatewayRecord[]>;
  listDevices(gatewayId?: string): Promise<DeviceRecord[]>;
  getDevice(id: string): Promise<DeviceRecord | undefined>;
  /** Readings of one device in time order (ties in arrival order). */
  readings(q: ReadingQuery): Promise<StoredReading[]>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
