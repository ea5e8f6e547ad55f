/** SQLite implementation of CloudStore: WAL, FULL sync, group commit of concurrent batches. */
import { preparePrivateDatabase } from '../../common/private-files.js';
import Database from 'better-sqlite3';
import { GroupCommitter } from '../../common/group-commit.js';
import { YiwangError } from '../../common/errors.js';
import { MAX_ACK_GROUPS, capQuarantine, type DecodedBatch, type QuarantineGroup } from '../../proto/batch-codec.js';
import type { ReadingValue } from '../../proto/reading.js';
import type {
  CloudStore,
  DeviceRecord,
  GatewayRecord,
  IngestResult,
  QuarantineSummary,
  ReadingQuery,
  StoreStats,
  StoredReading,
} from './cloud-store.js';
import { CLOUD_COLUMNS, CLOUD_DDL, CLOUD_INDEXES, addMissingColumns } from './sqlite-cloud-schema.js';
import { SqliteWalCheckpointer } from './sqlite-wal-checkpointer.js';
import { SqliteQuarantine } from './sqlite-quarantine.js';
import { SqliteHealth, deviceRecord, type DeviceRow } from './sqlite-health.js';
import { DEFAULT_DEVICE_POLICY, type DevicePolicy, type DeviceQuery, type GatewayHealthWrite } from './health-store.js';
import type { CounterDeltas } from '../health/counters.js';
import { addSeen, type DeviceSeen } from '../health/presence.js';
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

interface GatewayRow {
  id: string;
  created_ms: number;
  online: number;
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

const gw = (r: GatewayRow): GatewayRecord => ({
  id: r.id,
  createdMs: r.created_ms,
  online: r.online === 1,
  lastSeenMs: r.last_seen_ms,
  lastBatchMs: r.last_batch_ms,
  batches: r.batches,
  readings: r.readings,
  revokedMs: r.revoked_ms ?? null,
});
const kindOf = (v: ReadingValue): number => (typeof v === 'number' ? 0 : typeof v === 'boolean' ? 1 : 2);

/** Options of the SQLite store beyond its path and commit window. */
export interface SqliteCloudStoreOptions {
  /** Quarantined groups kept per gateway (ingest.quarantine_keep). */ quarantineKeep?: number;
}

export class SqliteCloudStore implements CloudStore {
  private readonly db: Database.Database;
  private readonly committer: GroupCommitter<DecodedBatch, IngestResult>;
  private readonly s;
  private readonly health: SqliteHealth;
  private readonly quarantined: SqliteQuarantine;
  readonly checkpointer: SqliteWalCheckpointer | undefined;

  constructor(
    path: string,
    commitMs = 2,
    devicePolicy: DevicePolicy = DEFAULT_DEVICE_POLICY,
    options: SqliteCloudStoreOptions = {},
  ) {
    preparePrivateDatabase(path); // 0700 directory when created, 0600 file and sidecars (issue 16)
    const db = new Database(path);
    this.db = db;
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    // WAL checkpoints in a worker thread, not inside a commit on the event loop (sqlite-wal-checkpointer.ts)
    this.checkpointer = path === ':memory:' ? undefined : new SqliteWalCheckpointer(db, path);
    db.exec(CLOUD_DDL);
    addMissingColumns(db, CLOUD_COLUMNS);
    db.exec(CLOUD_INDEXES);
    this.health = new SqliteHealth(db, devicePolicy);
    this.quarantined = new SqliteQuarantine(db, options.quarantineKeep ?? 100);
    this.s = {
      claimKey: db.prepare(
        'INSERT OR IGNORE INTO batches (gateway_id, epoch, seq, received_ms, readings, quarantined) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertReading: db.prepare(
        'INSERT INTO readings (device_id, metric, ts, unit, kind, num, str, clock, priority, gateway_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      upsertDevice:
        db.prepare(`INSERT INTO devices (id, gateway_id, first_seen_ms, last_seen_ms, last_reading_ts, readings) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET last_seen_ms = excluded.last_seen_ms,
          last_reading_ts = max(last_reading_ts, excluded.last_reading_ts), readings = readings + excluded.readings`),
      gatewayBatch: db.prepare(
        'UPDATE gateways SET last_batch_ms = ?, last_seen_ms = ?, batches = batches + 1, readings = readings + ? WHERE id = ?',
      ),
      count: db.prepare(
        'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value',
      ),
    };
    this.committer = new GroupCommitter<DecodedBatch, IngestResult>({
      windowMs: commitMs,
      maxItems: 256,
      commit: (batches) => this.db.transaction(() => batches.map((b) => this.write(b)))(),
    });
  }

  /**
   * Device ownership: a device belongs to the first gateway that reported it (or the one it was
   * registered with); another gateway's readings and events for it are quarantined, never stored,
   * and the device stays where it is until an operator moves it (moveDevice).
   */
  private owned(b: DecodedBatch): {
    readings: DecodedBatch['readings'];
    events: DecodedBatch['events'];
    refused: QuarantineGroup[];
    states: ReturnType<SqliteHealth['devicesBefore']>;
  } {
    // one look-up per device of the batch: its state before the batch, which onBatch needs as well
    const ids = new Set(b.readings.map((r) => r.deviceId));
    for (const e of b.events) if (e.deviceId) ids.add(e.deviceId);
    const states = this.health.devicesBefore(ids);
    const refused = new Map<string, { readings: number; events: number }>();
    const foreign = (id: string): boolean => {
      const o = states.get(id)?.gateway_id;
      if (o === undefined || o === b.gatewayId) return false;
      if (!refused.has(id)) refused.set(id, { readings: 0, events: 0 });
      return true;
    };
    const readings = b.readings.filter((r) => {
      if (!foreign(r.deviceId)) return true;
      refused.get(r.deviceId)!.readings++;
      return false;
    });
    const events = b.events.filter((e) => {
      if (!e.deviceId || !foreign(e.deviceId)) return true;
      refused.get(e.deviceId)!.events++;
      return false;
    });
    return {
      readings,
      events,
      states,
      refused: [...refused].map(([deviceId, n]) => ({
        deviceId,
        metric: '',
        code: 'CLOUD_ERR_DEVICE_OWNER',
        count: n.readings,
        ...(n.events ? { events: n.events } : {}),
        detail: `device belongs to another gateway: ${n.readings} readings and ${n.events} events refused (an operator can move it)`,
      })),
    };
  }

  private write(b: DecodedBatch): IngestResult {
    const now = Date.now();
    const { readings, events, refused, states } = this.owned(b);
    const quarantined = capQuarantine([...b.quarantined, ...refused], MAX_ACK_GROUPS); // as the ack lists them
    const quarantinedReadings = quarantined.reduce((n, g) => n + g.count, 0);
    if (this.s.claimKey.run(b.gatewayId, b.epoch, b.seq, now, readings.length, quarantinedReadings).changes === 0) {
      this.s.count.run('duplicates', 1);
      return { status: 'duplicate', readings: 0, ...this.quarantined.ofBatch(b.gatewayId, b.epoch, b.seq) };
    }
    const perDevice = new Map<string, DeviceSeen>();
    // Per-device order: readings go in in timestamp order (ties keep batch order).
    const ordered = readings.map((r, i) => ({ r, i })).sort((x, y) => x.r.ts - y.r.ts || x.i - y.i);
    for (const { r } of ordered) {
      const k = kindOf(r.value);
      this.s.insertReading.run(
        r.deviceId,
        r.metric,
        r.ts,
        r.unit,
        k,
        k === 0 ? r.value : k === 1 ? (r.value ? 1 : 0) : null,
        k === 2 ? r.value : null,
        r.clock,
        r.priority,
        b.gatewayId,
      );
      addSeen(perDevice, r);
    }
    const before = new Map([...perDevice.keys()].map((id) => [id, states.get(id)]));
    for (const [id, d] of perDevice) this.s.upsertDevice.run(id, b.gatewayId, now, now, d.last, d.n);
    this.health.onBatch(b.gatewayId, before, perDevice, events, now);
    this.s.gatewayBatch.run(now, now, readings.length, b.gatewayId);
    this.s.count.run('readings', readings.length);
    this.quarantined.add(b.gatewayId, b.epoch, b.seq, now, quarantined);
    return { status: 'stored', readings: readings.length, quarantinedReadings, quarantined };
  }

  ingestBatch(batch: DecodedBatch): Promise<IngestResult> {
    return this.committer.submit(batch).catch((err: unknown) => {
      throw new YiwangError('CLOUD_ERR_STORE', `ingest commit failed: ${(err as Error).message}`, { cause: err });
    });
  }

  async createGateway(id: string, secretHash: string): Promise<void> {
    const now = Date.now();
    const created = this.db.transaction(() => this.insertGateway(id, secretHash, undefined, now))();
    if (!created) throw new YiwangError('CLOUD_ERR_CONFLICT', `gateway ${id} exists`);
  }

  /** The connection, shared by the control-plane store (cloud/store/sqlite-control-plane-store.ts) so that a claim's writes are one transaction. */
  get database(): Database.Database {
    return this.db;
  }

  /** Inserts a gateway (and its tags) inside the caller's transaction on `database`; false when the id exists. */
  insertGateway(id: string, secretHash: string, tags: GatewayTags | undefined, nowMs: number): boolean {
    const r = this.db
      .prepare(
        'INSERT OR IGNORE INTO gateways (id, secret_hash, created_ms, district, site, grp) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, secretHash, nowMs, tags?.district ?? '', tags?.site ?? '', tags?.group ?? '');
    if (r.changes === 1) this.health.onGatewayCreated(id, nowMs); // counted under the tags just written
    return r.changes === 1;
  }

  /** Records a revocation inside the caller's transaction on `database`; false when unknown or revoked already. */
  markRevoked(id: string, atMs: number): boolean {
    return (
      this.db.prepare('UPDATE gateways SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL').run(atMs, id)
        .changes === 1
    );
  }

  /** When the gateway was revoked: null when not, undefined when there is no such gateway. */
  revokedAt(id: string): number | null | undefined {
    const r = this.db.prepare('SELECT revoked_ms FROM gateways WHERE id = ?').get(id) as
      | { revoked_ms: number | null }
      | undefined;
    return r?.revoked_ms;
  }

  /**
   * Deletes a gateway and what the cloud store keeps of it inside the caller's transaction on
   * `database`: health and counters (cloud/store/sqlite-health.ts removeGateway) and batch keys (a
   * gateway created later with the id starts afresh). Readings, events and quarantine totals stay
   * as history. With devices and not `withDevices` nothing is deleted.
   */
  deleteGateway(id: string, withDevices: boolean, nowMs: number): { removed: boolean; devices: number } {
    const r = this.health.removeGateway(id, withDevices, nowMs);
    if (!r.removed) return r;
    this.db.prepare('DELETE FROM batches WHERE gateway_id = ?').run(id);
    return r;
  }

  async gatewaySecretHash(id: string): Promise<string | undefined> {
    return (
      this.db.prepare('SELECT secret_hash FROM gateways WHERE id = ?').get(id) as { secret_hash: string } | undefined
    )?.secret_hash;
  }

  async setGatewayOnline(id: string, online: boolean, atMs: number): Promise<void> {
    this.db.prepare('UPDATE gateways SET online = ?, last_seen_ms = ? WHERE id = ?').run(online ? 1 : 0, atMs, id);
  }

  async getGateway(id: string): Promise<GatewayRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM gateways WHERE id = ?').get(id) as GatewayRow | undefined;
    return r && gw(r);
  }

  async listGateways(): Promise<GatewayRecord[]> {
    return (this.db.prepare('SELECT * FROM gateways ORDER BY id').all() as GatewayRow[]).map(gw);
  }

  async revokedGateways(): Promise<Map<string, number>> {
    const rows = this.db.prepare('SELECT id, revoked_ms FROM gateways WHERE revoked_ms IS NOT NULL').all() as {
      id: string;
      revoked_ms: number;
    }[];
    return new Map(rows.map((r) => [r.id, r.revoked_ms]));
  }

  async listDevices(gatewayId?: string): Promise<DeviceRecord[]> {
    const rows =
      gatewayId === undefined
        ? this.db.prepare('SELECT * FROM devices ORDER BY id').all()
        : this.db.prepare('SELECT * FROM devices WHERE gateway_id = ? ORDER BY id').all(gatewayId);
    return (rows as DeviceRow[]).map((r) => deviceRecord(r, this.health.policy));
  }

  async getDevice(id: string): Promise<DeviceRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow | undefined;
    return r && deviceRecord(r, this.health.policy);
  }

  async moveDevice(id: string, gatewayId: string): Promise<DeviceRecord> {
    if (!this.db.prepare('SELECT 1 FROM gateways WHERE id = ?').get(gatewayId))
      throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no gateway ${gatewayId}`);
    const d = this.db
      .prepare('SELECT gateway_id, type, interval_s, last_reading_ts FROM devices WHERE id = ?')
      .get(id) as { gateway_id: string; type: string; interval_s: number; last_reading_ts: number } | undefined;
    if (!d) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no device ${id}`);
    // the registry's own move: counters follow the device (cloud/store/sqlite-health.ts)
    if (d.gateway_id !== gatewayId)
      this.health.registerDevices(
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
    return (await this.getDevice(id))!;
  }

  async quarantine(gatewayId: string, limit = 100): Promise<QuarantineSummary> {
    return this.quarantined.summary(gatewayId, limit);
  }

  async readings(q: ReadingQuery): Promise<StoredReading[]> {
    const where = ['device_id = @deviceId', 'ts >= @from', 'ts <= @to'];
    if (q.metric) where.push('metric = @metric');
    const rows = this.db
      .prepare(
        `SELECT * FROM readings WHERE ${where.join(' AND ')} ORDER BY ${q.newestFirst ? 'ts DESC, id DESC' : 'ts, id'} LIMIT @limit`,
      )
      .all({
        deviceId: q.deviceId,
        metric: q.metric,
        from: q.fromMs ?? -8.64e15,
        to: q.toMs ?? 8.64e15,
        limit: q.limit ?? 1000,
      }) as ReadingRow[];
    return rows.map((r) => ({
      deviceId: r.device_id,
      metric: r.metric,
      ts: r.ts,
      unit: r.unit,
      clock: r.clock,
      priority: r.priority,
      gatewayId: r.gateway_id,
      value: r.kind === 0 ? (r.num as number) : r.kind === 1 ? r.num === 1 : (r.str as string),
    }));
  }

  async stats(): Promise<StoreStats> {
    const c = Object.fromEntries(
      (this.db.prepare('SELECT name, value FROM counters').all() as { name: string; value: number }[]).map((x) => [
        x.name,
        x.value,
      ]),
    );
    const n = (t: string): number => (this.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return {
      gateways: n('gateways'),
      devices: n('devices'),
      readings: c.readings ?? 0,
      batches: n('batches'),
      duplicates: c.duplicates ?? 0,
      quarantined: this.quarantined.total(),
    };
  }

  // gateway health (HealthStore, cloud/store/health-store.ts), in cloud/store/sqlite-health.ts
  async loadGatewayHealth(createdSinceMs?: number): Promise<GatewayHealthRecord[]> {
    return this.health.loadGatewayHealth(createdSinceMs);
  }
  async getGatewayHealth(id: string): Promise<GatewayHealthRecord | undefined> {
    return this.health.getGatewayHealth(id);
  }
  async getGatewayHealthMany(ids: readonly string[]): Promise<Map<string, GatewayHealthRecord>> {
    const out = new Map<string, GatewayHealthRecord>();
    for (const id of ids) {
      const r = this.health.getGatewayHealth(id); // one indexed lookup each, in-process
      if (r) out.set(id, r);
    }
    return out;
  }
  async saveGatewayHealth(writes: GatewayHealthWrite[], deltas: CounterDeltas): Promise<void> {
    this.health.saveGatewayHealth(writes, deltas);
  }
  async setGatewayTags(id: string, tags: Partial<GatewayTags>): Promise<GatewayTags> {
    return (
      this.health.setGatewayTags(id, tags) ??
      (() => {
        throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no gateway ${id}`);
      })()
    );
  }
  async registerDevices(devices: DeviceRegistration[], nowMs: number): Promise<void> {
    this.health.registerDevices(devices, nowMs);
  }
  async expireDevices(nowMs: number, limit: number): Promise<number> {
    return this.health.expireDevices(nowMs, limit);
  }
  async queryDevices(q: DeviceQuery): Promise<DeviceRecord[]> {
    return this.health.queryDevices(q).map((r) => deviceRecord(r, this.health.policy));
  }
  async counters(scope: CounterScope, key?: string): Promise<CounterRow[]> {
    return this.health.counters(scope, key);
  }
  async addEvents(events: NewEvent[], nowMs: number): Promise<EventRecord[]> {
    return this.health.addEvents(events, nowMs);
  }
  async listEvents(q: EventQuery): Promise<EventRecord[]> {
    return this.health.listEvents(q);
  }
  async getEvent(id: number): Promise<EventRecord | undefined> {
    return this.health.getEvent(id);
  }
  async ackEvent(id: number, by: string, atMs: number): Promise<EventRecord | undefined> {
    return this.health.ackEvent(id, by, atMs);
  }
  async backlogHistory(gatewayId: string, sinceMs: number): Promise<BacklogPoint[]> {
    return this.health.backlogHistory(gatewayId, sinceMs);
  }
  async pruneBacklog(beforeMs: number): Promise<number> {
    return this.health.pruneBacklog(beforeMs);
  }
  async pruneEvents(keep: number, limit: number): Promise<number> {
    return this.health.pruneEvents(keep, limit);
  }
  async rebuildCounters(nowMs: number): Promise<void> {
    this.health.rebuild(nowMs);
  }

  async close(): Promise<void> {
    this.committer.close();
    await this.checkpointer?.stop();
    this.db.close();
  }
}
