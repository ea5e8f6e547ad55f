/**
 * PostgreSQL implementation of CloudStore (cloud/store/cloud-store.ts), the port of
 * cloud/store/sqlite-cloud-store.ts for several cloud nodes on one database:
 * - ingest: group commit of concurrent batches, COPY of readings, set-wise writes, locks in one
 *   order (pg-readings-ingest.ts);
 * - readings partitioned per UTC day, created on demand within a window, dropped by retention
 *   (pg-readings-partitions.ts); COPY text encoding (pg-readings-copy.ts);
 * - health (pg-health.ts) and quarantine (pg-quarantine.ts).
 * The schema is migration 1 (pg-migrations.ts); this store neither creates it nor closes the pool:
 * the composition root owns the PgDatabase. Every database failure is a CLOUD_ERR_STORE.
 */
import { YiwangError } from '../../../common/errors.js';
import type { DecodedBatch } from '../../../proto/batch-codec.js';
import type { CounterDeltas } from '../../health/counters.js';
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
} from '../../health/types.js';
import type {
  CloudStore,
  DeviceRecord,
  GatewayRecord,
  IngestResult,
  QuarantineSummary,
  ReadingQuery,
  StoreStats,
  StoredReading,
} from '../cloud-store.js';
import {
  DEFAULT_DEVICE_POLICY,
  type DevicePolicy,
  type DeviceQuery,
  type GatewayHealthWrite,
} from '../health-store.js';
import { type PgDatabase, type PgQueryable, storeError } from './pg-database.js';
import { NO_TAGS, PgHealth, type PgDeviceRow, pgDeviceRecord } from './pg-health.js';
import { PgQuarantine } from './pg-quarantine.js';
import { pgReadingValue } from './pg-readings-copy.js';
import { DEFAULT_INGEST_OPTIONS, PgIngest, type PgIngestOptions, type PgIngestStats } from './pg-readings-ingest.js';
import { PgReadingsPartitions, type RetentionResult } from './pg-readings-partitions.js';

export interface PgCloudStoreOptions {
  devicePolicy?: DevicePolicy;
  /** Quarantined groups kept per gateway (ingest.quarantine_keep). */
  quarantineKeep?: number;
  /** Window in which concurrent batches share a transaction (ms, default 2). */
  commitMs?: number;
  /** Days of readings kept (0, the default: forever). */
  readingsKeepDays?: number;
  /** Days batch idempotency keys are kept (default 30; 0: forever). */
  batchKeysKeepDays?: number;
  /** How far ahead of the cloud's clock a reading may be (ingest.max_future_ms, default one day). */
  maxFutureMs?: number;
  /** Group and queue limits of ingest (defaults: DEFAULT_INGEST_OPTIONS). */
  ingest?: Partial<Omit<PgIngestOptions, 'commitMs'>>;
}

interface GatewayRow {
  id: string;
  created_ms: number;
  online: boolean;
  last_seen_ms: number | null;
  last_batch_ms: number | null;
  batches: number;
  readings: number;
  revoked_ms: number | null;
}
interface ReadingRow {
  device_id: string;
  metric: string;
  ts: number;
  unit: string;
  kind: number;
  num: number | null;
  str: string | null;
  clock: number;
  priority: number;
  gateway_id: string;
}

const GATEWAY_COLUMNS = 'id, created_ms, online, last_seen_ms, last_batch_ms, batches, readings, revoked_ms';
const gw = (r: GatewayRow): GatewayRecord => ({
  id: r.id,
  createdMs: r.created_ms,
  online: r.online,
  lastSeenMs: r.last_seen_ms,
  lastBatchMs: r.last_batch_ms,
  batches: r.batches,
  readings: r.readings,
  revokedMs: r.revoked_ms ?? null,
});

/** The statement of CloudStore.readings (an index scan of the partitions its time range selects). */
export function readingsQuery(q: ReadingQuery): { sql: string; args: unknown[] } {
  const args: unknown[] = [q.deviceId, q.fromMs ?? -8.64e15, q.toMs ?? 8.64e15, q.limit ?? 1000];
  let metric = '';
  if (q.metric) {
    args.push(q.metric);
    metric = ' AND metric = $5';
  }
  return {
    sql: `SELECT device_id, metric, ts, unit, kind, num, str, clock, priority, gateway_id FROM readings
      WHERE device_id = $1 AND ts >= $2 AND ts <= $3${metric}
      ORDER BY ${q.newestFirst ? 'ts DESC, id DESC' : 'ts, id'} LIMIT $4`,
    args,
  };
}

/** Figures of the store beyond StoreStats (for metrics and tests). */
export interface PgCloudStoreCounters extends PgIngestStats {
  partitionsCreated: number;
  partitionConflicts: number;
}

export class PgCloudStore implements CloudStore {
  private readonly health: PgHealth;
  private readonly quarantined: PgQuarantine;
  private readonly ingest: PgIngest;
  readonly partitions: PgReadingsPartitions;

  private constructor(
    readonly db: PgDatabase,
    o: PgCloudStoreOptions,
  ) {
    this.health = new PgHealth(db, o.devicePolicy ?? DEFAULT_DEVICE_POLICY);
    this.quarantined = new PgQuarantine(db, o.quarantineKeep ?? 100);
    this.partitions = new PgReadingsPartitions(db, {
      readingsKeepDays: o.readingsKeepDays ?? 0,
      batchKeysKeepDays: o.batchKeysKeepDays ?? 30,
      maxFutureMs: o.maxFutureMs ?? 86_400_000,
    });
    this.ingest = new PgIngest(db, this.health, this.quarantined, this.partitions, {
      ...DEFAULT_INGEST_OPTIONS,
      ...o.ingest,
      commitMs: o.commitMs ?? DEFAULT_INGEST_OPTIONS.commitMs,
    });
  }

  /** A store on a migrated database (pg-migrations.ts); the caller keeps the PgDatabase and closes it after the store. */
  static async open(db: PgDatabase, o: PgCloudStoreOptions = {}): Promise<PgCloudStore> {
    return new PgCloudStore(db, o);
  }

  /** Ingest, queue and partition figures of this store instance. */
  storeCounters(): PgCloudStoreCounters {
    return {
      ...this.ingest.stats,
      partitionsCreated: this.partitions.created,
      partitionConflicts: this.partitions.conflicts,
    };
  }

  /** Runs `fn`, a database failure becoming CLOUD_ERR_STORE (a coded error passes as it is). */
  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw storeError(what, err);
    }
  }

  ingestBatch(batch: DecodedBatch): Promise<IngestResult> {
    return this.ingest.submit(batch);
  }

  /**
   * Retention: drops day partitions of readings older than readingsKeepDays, deletes such rows
   * from readings_old in chunks, prunes batch keys older than batchKeysKeepDays, and creates the
   * partitions of today and tomorrow ahead of ingest. Run it from one node at a time (the
   * leader); concurrent runs are safe, only wasted.
   */
  runRetention(nowMs: number): Promise<RetentionResult> {
    return this.guard('retention', () => this.partitions.runRetention(nowMs));
  }

  async createGateway(id: string, secretHash: string): Promise<void> {
    const created = await this.guard('create gateway', () =>
      this.db.tx((c) => this.insertGateway(c, id, secretHash, undefined, Date.now())),
    );
    if (!created) throw new YiwangError('CLOUD_ERR_CONFLICT', `gateway ${id} exists`);
  }

  /** Inserts a gateway (and its tags) inside the caller's transaction; false when the id exists. */
  async insertGateway(
    c: PgQueryable,
    id: string,
    secretHash: string,
    tags: GatewayTags | undefined,
    nowMs: number,
  ): Promise<boolean> {
    const t: GatewayTags = tags ?? NO_TAGS;
    const r = await c.query(
      `INSERT INTO gateways (id, secret_hash, created_ms, district, site, grp) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING`,
      [id, secretHash, nowMs, t.district, t.site, t.group],
    );
    if (r.rowCount !== 1) return false;
    await this.health.onGatewayCreated(c, id, t, nowMs); // counted under the tags just written
    return true;
  }

  /** Records a revocation inside the caller's transaction; false when unknown or revoked already. */
  async markRevoked(c: PgQueryable, id: string, atMs: number): Promise<boolean> {
    const r = await c.query('UPDATE gateways SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL', [atMs, id]);
    return r.rowCount === 1;
  }

  /** When the gateway was revoked: null when not, undefined when there is no such gateway. */
  async revokedAt(c: PgQueryable, id: string): Promise<number | null | undefined> {
    const r = await c.query<{ revoked_ms: number | null }>('SELECT revoked_ms FROM gateways WHERE id = $1', [id]);
    return r.rows[0]?.revoked_ms;
  }

  /**
   * Deletes a gateway and what the cloud store keeps of it inside the caller's transaction: health
   * and counters (pg-health.ts removeGateway) and batch keys (a gateway created later with the id
   * starts afresh). Readings, events and quarantine totals stay as history. With devices and not
   * `withDevices` nothing is deleted.
   */
  async deleteGateway(
    c: PgQueryable,
    id: string,
    withDevices: boolean,
    nowMs: number,
  ): Promise<{ removed: boolean; devices: number }> {
    const r = await this.health.removeGateway(c, id, withDevices, nowMs);
    if (r.removed) await c.query('DELETE FROM batches WHERE gateway_id = $1', [id]);
    return r;
  }

  async gatewaySecretHash(id: string): Promise<string | undefined> {
    return this.guard('gateway secret', async () => {
      const [r] = await this.db.query<{ secret_hash: string }>('SELECT secret_hash FROM gateways WHERE id = $1', [id]);
      return r?.secret_hash;
    });
  }

  async setGatewayOnline(id: string, online: boolean, atMs: number): Promise<void> {
    await this.guard('gateway online', () =>
      this.db.query('UPDATE gateways SET online = $1, last_seen_ms = $2 WHERE id = $3', [online, atMs, id]),
    );
  }

  async getGateway(id: string): Promise<GatewayRecord | undefined> {
    return this.guard('gateway', async () => {
      const [r] = await this.db.query<GatewayRow>(`SELECT ${GATEWAY_COLUMNS} FROM gateways WHERE id = $1`, [id]);
      return r && gw(r);
    });
  }

  async listGateways(): Promise<GatewayRecord[]> {
    return this.guard('gateways', async () =>
      (await this.db.query<GatewayRow>(`SELECT ${GATEWAY_COLUMNS} FROM gateways ORDER BY id`)).map(gw),
    );
  }

  async revokedGateways(): Promise<Map<string, number>> {
    return this.guard('revoked gateways', async () => {
      const rows = await this.db.query<{ id: string; revoked_ms: number }>(
        'SELECT id, revoked_ms FROM gateways WHERE revoked_ms IS NOT NULL',
      );
      return new Map(rows.map((r) => [r.id, r.revoked_ms]));
    });
  }

  async listDevices(gatewayId?: string): Promise<DeviceRecord[]> {
    return this.guard('devices', async () => {
      const rows =
        gatewayId === undefined
          ? await this.db.query<PgDeviceRow>('SELECT * FROM devices ORDER BY id')
          : await this.db.query<PgDeviceRow>('SELECT * FROM devices WHERE gateway_id = $1 ORDER BY id', [gatewayId]);
      return rows.map((r) => pgDeviceRecord(r, this.health.policy));
    });
  }

  async getDevice(id: string): Promise<DeviceRecord | undefined> {
    return this.guard('device', async () => {
      const [r] = await this.db.query<PgDeviceRow>('SELECT * FROM devices WHERE id = $1', [id]);
      return r && pgDeviceRecord(r, this.health.policy);
    });
  }

  async moveDevice(id: string, gatewayId: string): Promise<DeviceRecord> {
    const moved = await this.guard('move device', () =>
      this.db.tx(async (c) => {
        if ((await c.query('SELECT 1 FROM gateways WHERE id = $1', [gatewayId])).rowCount !== 1)
          throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no gateway ${gatewayId}`);
        const [d] = (
          await c.query<{ gateway_id: string; type: string; interval_s: number; last_reading_ts: number }>(
            'SELECT gateway_id, type, interval_s, last_reading_ts FROM devices WHERE id = $1',
            [id],
          )
        ).rows;
        if (!d) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no device ${id}`);
        // the registry's own move: counters follow the device (pg-health.ts)
        if (d.gateway_id !== gatewayId)
          await this.health.registerIn(
            c,
            [
              {
                id,
                gatewayId,
                type: d.type,
                intervalS: d.interval_s,
                ...(d.last_reading_ts ? { lastSeenMs: d.last_reading_ts } : {}),
              },
            ],
            Date.now(),
          );
        const [row] = (await c.query<PgDeviceRow>('SELECT * FROM devices WHERE id = $1', [id])).rows;
        return row!;
      }),
    );
    return pgDeviceRecord(moved, this.health.policy);
  }

  async quarantine(gatewayId: string, limit = 100): Promise<QuarantineSummary> {
    return this.guard('quarantine', () => this.quarantined.summary(gatewayId, limit));
  }

  async readings(q: ReadingQuery): Promise<StoredReading[]> {
    return this.guard('readings', async () => {
      const { sql, args } = readingsQuery(q);
      const rows = await this.db.query<ReadingRow>(sql, args);
      return rows.map((r) => ({
        deviceId: r.device_id,
        metric: r.metric,
        ts: r.ts,
        unit: r.unit,
        clock: r.clock,
        priority: r.priority,
        gatewayId: r.gateway_id,
        value: pgReadingValue(r.kind, r.num, r.str),
      }));
    });
  }

  /** From counter rows only: nothing here counts a big table. `readings` and `batches` are those ever stored (retention does not lower them). */
  async stats(): Promise<StoreStats> {
    return this.guard('stats', async () => {
      const [r] = await this.db.query<StoreStats & Record<string, unknown>>(
        `SELECT
           coalesce((SELECT value FROM fleet_counters WHERE scope = 'fleet' AND key = '' AND metric = 'gateways_total'), 0) AS gateways,
           coalesce((SELECT value FROM fleet_counters WHERE scope = 'fleet' AND key = '' AND metric = 'devices_total'), 0) AS devices,
           coalesce((SELECT value FROM counters WHERE name = 'readings'), 0) AS readings,
           coalesce((SELECT value FROM counters WHERE name = 'batches'), 0) AS batches,
           coalesce((SELECT value FROM counters WHERE name = 'duplicates'), 0) AS duplicates,
           coalesce((SELECT sum(readings) FROM quarantine_totals), 0)::bigint AS quarantined`,
      );
      return {
        gateways: r?.gateways ?? 0,
        devices: r?.devices ?? 0,
        readings: r?.readings ?? 0,
        batches: r?.batches ?? 0,
        duplicates: r?.duplicates ?? 0,
        quarantined: r?.quarantined ?? 0,
      };
    });
  }

  // gateway health (HealthStore, cloud/store/health-store.ts), in pg-health.ts
  async loadGatewayHealth(createdSinceMs?: number): Promise<GatewayHealthRecord[]> {
    return this.guard('gateway health', () => this.health.loadGatewayHealth(createdSinceMs));
  }
  async getGatewayHealth(id: string): Promise<GatewayHealthRecord | undefined> {
    return this.guard('gateway health', () => this.health.getGatewayHealth(id));
  }
  async getGatewayHealthMany(ids: readonly string[]): Promise<Map<string, GatewayHealthRecord>> {
    return this.guard('gateway health', () => this.health.getGatewayHealthMany(ids));
  }
  async saveGatewayHealth(writes: GatewayHealthWrite[], deltas: CounterDeltas): Promise<void> {
    return this.guard('save gateway health', () => this.health.saveGatewayHealth(writes, deltas));
  }
  async setGatewayTags(id: string, tags: Partial<GatewayTags>): Promise<GatewayTags> {
    const t = await this.guard('gateway tags', () => this.health.setGatewayTags(id, tags));
    if (!t) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no gateway ${id}`);
    return t;
  }
  async registerDevices(devices: DeviceRegistration[], nowMs: number): Promise<void> {
    return this.guard('register devices', () => this.health.registerDevices(devices, nowMs));
  }
  async expireDevices(nowMs: number, limit: number): Promise<number> {
    return this.guard('expire devices', () => this.health.expireDevices(nowMs, limit));
  }
  async queryDevices(q: DeviceQuery): Promise<DeviceRecord[]> {
    return this.guard('devices', async () =>
      (await this.health.queryDevices(q)).map((r) => pgDeviceRecord(r, this.health.policy)),
    );
  }
  async counters(scope: CounterScope, key?: string): Promise<CounterRow[]> {
    return this.guard('counters', () => this.health.counters(scope, key));
  }
  async addEvents(events: NewEvent[], nowMs: number): Promise<EventRecord[]> {
    return this.guard('add events', () => this.health.addEvents(events, nowMs));
  }
  async listEvents(q: EventQuery): Promise<EventRecord[]> {
    return this.guard('events', () => this.health.listEvents(q));
  }
  async getEvent(id: number): Promise<EventRecord | undefined> {
    return this.guard('event', () => this.health.getEvent(id));
  }
  async ackEvent(id: number, by: string, atMs: number): Promise<EventRecord | undefined> {
    return this.guard('ack event', () => this.health.ackEvent(id, by, atMs));
  }
  async backlogHistory(gatewayId: string, sinceMs: number): Promise<BacklogPoint[]> {
    return this.guard('backlog history', () => this.health.backlogHistory(gatewayId, sinceMs));
  }
  async pruneBacklog(beforeMs: number): Promise<number> {
    return this.guard('prune backlog', () => this.health.pruneBacklog(beforeMs));
  }
  async pruneEvents(keep: number, limit: number): Promise<number> {
    return this.guard('prune events', () => this.health.pruneEvents(keep, limit));
  }
  async rebuildCounters(nowMs: number): Promise<void> {
    return this.guard('rebuild counters', () => this.health.rebuild(nowMs));
  }

  /** Stops ingest (batches waiting are refused with CLOUD_ERR_STORE; the group in flight finishes). The pool stays open. */
  async close(): Promise<void> {
    await this.ingest.close();
  }
}
