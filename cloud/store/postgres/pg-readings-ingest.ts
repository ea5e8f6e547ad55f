/**
 * Ingest into PostgreSQL: a group committer and the transaction of one group of batches.
 *
 * Batches arriving within `commitMs` (or while the previous group commits) share ONE transaction,
 * at most `maxGroupBatches` batches and `maxGroupReadings` readings; one group is in flight per
 * store, so readings get their ids (the tie-breaker of equal times) in the order batches were
 * stored. A batch's promise resolves after COMMIT only. A group that fails on its data (SQLSTATE
 * classes 22, 23, 54) is tried again batch by batch, so one bad batch fails alone; any other
 * failure rejects the whole group with CLOUD_ERR_STORE and leaves nothing of it.
 *
 * The transaction, in the lock order every node keeps (PgDatabase.tx runs it again after a
 * deadlock or a serialization failure):
 *  1. the gateways' rows (FOR UPDATE, sorted): one gateway's batches are serialized across nodes;
 *  2. the idempotency keys, claimed with INSERT … ON CONFLICT DO NOTHING RETURNING (sorted): a key
 *     already there is a duplicate, answered with the quarantine of the first time; a key another
 *     node is inserting waits for its commit, so exactly one node stores a batch;
 *  3. the devices of the new batches (FOR UPDATE, sorted): ownership is judged on locked rows, batch
 *     after batch in group order (a device created by an earlier batch of the group belongs to it);
 *  4. the readings with COPY (partitions created before the transaction: pg-readings-partitions.ts);
 *  5. devices written set-wise, never taken from another gateway: a device another node created
 *     meanwhile (this one saw it absent) makes the transaction start again, judged then on its row;
 *  6. events, key counts, gateways, quarantine, then the hot counter rows last (sorted), held only
 *     until the commit.
 */
import { YiwangError } from '../../../common/errors.js';
import { MAX_ACK_GROUPS, capQuarantine, type DecodedBatch, type QuarantineGroup } from '../../../proto/batch-codec.js';
import type { Reading } from '../../../proto/reading.js';
import { CounterDeltas } from '../../health/counters.js';
import type { IngestResult } from '../cloud-store.js';
import { newEventOf } from '../../health/event-of.js';
import { addSeen, nextPresence, presenceEvent, type DeviceSeen } from '../../health/presence.js';
import type pg from 'pg';
import { type PgDatabase, storeError } from './pg-database.js';
import { NO_TAGS, type PgDevState, type PgHealth, byCodePoint, retryTx } from './pg-health.js';
import { PgQuarantine, type QuarantineWrite } from './pg-quarantine.js';
import { copyReadings } from './pg-readings-copy.js';
import type { PgReadingsPartitions } from './pg-readings-partitions.js';

export interface PgIngestOptions {
  /** Window in which concurrent batches join one transaction (ms). */
  commitMs: number;
  /** Largest group: batches, readings (a bigger single batch is a group of its own). */
  maxGroupBatches: number;
  maxGroupReadings: number;
  /** Batches and readings waiting for a transaction at most (above: CLOUD_ERR_STORE, the gateway resends). */
  maxQueuedBatches: number;
  maxQueuedReadings: number;
}

export const DEFAULT_INGEST_OPTIONS: PgIngestOptions = {
  commitMs: 2,
  maxGroupBatches: 256,
  maxGroupReadings: 200_000,
  maxQueuedBatches: 8192,
  maxQueuedReadings: 2_000_000,
};

export interface PgIngestStats {
  /** Transactions committed. */
  groups: number;
  /** Batches refused because the queue was full. */
  queueFull: number;
  /** Groups that failed on their data and were tried again batch by batch. */
  splits: number;
}

interface Pending {
  batch: DecodedBatch;
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}

const keyOf = (b: DecodedBatch): string => PgQuarantine.key(b.gatewayId, b.epoch, b.seq);
/** SQLSTATE classes of errors caused by the data written (not by the connection or the server). */
const DATA_ERROR = /^(22|23|54)/;

export class PgIngest {
  private queue: Pending[] = [];
  private queuedReadings = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  readonly stats: PgIngestStats = { groups: 0, queueFull: 0, splits: 0 };

  constructor(
    private readonly db: PgDatabase,
    private readonly health: PgHealth,
    private readonly quarantine: PgQuarantine,
    private readonly partitions: PgReadingsPartitions,
    private readonly o: PgIngestOptions,
  ) {}

  submit(batch: DecodedBatch): Promise<IngestResult> {
    if (this.closed) return Promise.reject(new YiwangError('CLOUD_ERR_STORE', 'ingest refused: the store is closed'));
    const n = batch.readings.length;
    if (
      this.queue.length >= this.o.maxQueuedBatches ||
      (this.queue.length > 0 && this.queuedReadings + n > this.o.maxQueuedReadings)
    ) {
      this.stats.queueFull++;
      return Promise.reject(
        new YiwangError(
          'CLOUD_ERR_STORE',
          `ingest queue full (${this.queue.length} batches, ${this.queuedReadings} readings waiting for the database)`,
        ),
      );
    }
    return new Promise<IngestResult>((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      this.queuedReadings += n;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running !== undefined) return; // the running loop takes what queued meanwhile
    if (this.queue.length >= this.o.maxGroupBatches || this.queuedReadings >= this.o.maxGroupReadings) this.start();
    else if (!this.timer) this.timer = setTimeout(() => this.start(), this.o.commitMs);
  }

  private start(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.running !== undefined || this.queue.length === 0) return;
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.queue.length && !this.closed) this.schedule();
    });
  }

  private async loop(): Promise<void> {
    while (this.queue.length) {
      let readings = 0;
      let k = 0;
      while (k < this.queue.length && k < this.o.maxGroupBatches) {
        const n = this.queue[k]!.batch.readings.length;
        if (k > 0 && readings + n > this.o.maxGroupReadings) break;
        readings += n;
        k++;
      }
      const group = this.queue.splice(0, k);
      this.queuedReadings -= readings;
      await this.commit(group);
    }
  }

  private async commit(group: Pending[]): Promise<void> {
    let results: IngestResult[];
    try {
      await this.partitions.ensure(
        (function* () {
          for (const p of group) for (const r of p.batch.readings) yield r.ts;
        })(),
        Date.now(),
      );
      results = await this.db.tx((c) =>
        writeGroup(
          c,
          group.map((p) => p.batch),
          Date.now(),
          this.health,
          this.quarantine,
        ),
      );
      this.stats.groups++;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (group.length > 1 && code !== undefined && DATA_ERROR.test(code)) {
        this.stats.splits++;
        for (const p of group) await this.commit([p]);
        return;
      }
      const e = storeError('ingest commit failed', err);
      for (const p of group) p.reject(e);
      return;
    }
    group.forEach((p, i) => {
      p.resolve(results[i]!);
    });
  }

  /** Refuses what waits (CLOUD_ERR_STORE) and waits for the group in flight. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const waiting = this.queue.splice(0);
    this.queuedReadings = 0;
    const err = new YiwangError('CLOUD_ERR_STORE', 'ingest refused: the store was closed before the batch was written');
    for (const p of waiting) p.reject(err);
    await this.running;
  }
}

interface DevWrite {
  isNew: boolean;
  gatewayId: string;
  n: number;
  last: number;
  online: boolean;
  deadline: number;
}

/**
 * Device ownership: a device belongs to the first gateway that reported it (or the one it was
 * registered with); another gateway's readings and events for it are quarantined, never stored,
 * and the device stays where it is until an operator moves it.
 */
function owned(
  b: DecodedBatch,
  states: Map<string, PgDevState>,
): { readings: Reading[]; events: DecodedBatch['events']; refused: QuarantineGroup[] } {
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

/** One group's transaction (see the file comment); one result per batch, in order. */
export async function writeGroup(
  c: pg.PoolClient,
  batches: DecodedBatch[],
  now: number,
  health: PgHealth,
  quarantine: PgQuarantine,
): Promise<IngestResult[]> {
  // 1. gateways
  const tags = await health.tagsOf(
    c,
    batches.map((b) => b.gatewayId),
    'update',
  );

  // 2. keys: the first batch of a key in the group is its candidate
  const first = new Map<string, number>();
  batches.forEach((b, i) => {
    if (!first.has(keyOf(b))) first.set(keyOf(b), i);
  });
  const cands = [...first.values()].map((i) => batches[i]!);
  cands.sort((x, y) => byCodePoint(x.gatewayId, y.gatewayId) || x.epoch - y.epoch || x.seq - y.seq);
  const claimedRows = await c.query<{ gateway_id: string; epoch: number; seq: number }>(
    `INSERT INTO batches (gateway_id, epoch, seq, received_ms, readings, quarantined)
     SELECT u.g, u.e, u.s, $4, 0, 0 FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(g, e, s)
     ON CONFLICT DO NOTHING RETURNING gateway_id, epoch, seq`,
    [cands.map((b) => b.gatewayId), cands.map((b) => b.epoch), cands.map((b) => b.seq), now],
  );
  const claimed = new Set(claimedRows.rows.map((r) => PgQuarantine.key(r.gateway_id, r.epoch, r.seq)));
  const known = await quarantine.ofBatches(
    c,
    cands.filter((b) => !claimed.has(keyOf(b))),
  );

  // 3. devices of the new batches
  const storedIdx = [...first.entries()].filter(([k]) => claimed.has(k)).map(([, i]) => i);
  storedIdx.sort((a, b) => a - b);
  const ids = new Set<string>();
  for (const i of storedIdx) {
    const b = batches[i]!;
    for (const r of b.readings) ids.add(r.deviceId);
    for (const e of b.events) if (e.deviceId) ids.add(e.deviceId);
  }
  const locked = await health.lockDevices(c, ids);

  // batch after batch, as if written one by one
  const cur = new Map(locked);
  const d = new CounterDeltas();
  const devWrites = new Map<string, DevWrite>();
  const copyRows: { r: Reading; gatewayId: string }[] = [];
  const events: ReturnType<typeof newEventOf>[] = [];
  const presence: ReturnType<typeof newEventOf>[] = [];
  const perGateway = new Map<string, { batches: number; readings: number }>();
  const keyCounts: { b: DecodedBatch; readings: number; quarantined: number }[] = [];
  const qWrites: QuarantineWrite[] = [];
  const results: IngestResult[] = new Array(batches.length);
  const byKey = new Map<string, IngestResult>();
  let total = 0;
  for (const i of storedIdx) {
    const b = batches[i]!;
    const { readings, events: evs, refused } = owned(b, cur);
    const quarantined = capQuarantine([...b.quarantined, ...refused], MAX_ACK_GROUPS); // as the ack lists them
    const quarantinedReadings = quarantined.reduce((n, g) => n + g.count, 0);
    // per-device order: readings go in in timestamp order (ties keep batch order)
    const ordered = readings.map((r, k) => ({ r, k })).sort((x, y) => x.r.ts - y.r.ts || x.k - y.k);
    const perDevice = new Map<string, DeviceSeen>();
    for (const { r } of ordered) {
      copyRows.push({ r, gatewayId: b.gatewayId });
      addSeen(perDevice, r);
    }
    for (const [id, x] of perDevice) {
      const prev = cur.get(id);
      // the edge's presence reports count (cloud/health/presence.ts)
      const p = nextPresence(prev, x, now, (l, iv) => health.deadline(l, iv));
      const { online, deadline } = p;
      const pe = presenceEvent(b.gatewayId, id, p);
      if (pe) presence.push(pe);
      health.recount(d, tags, prev, { gateway_id: b.gatewayId, type: prev?.type ?? '', online });
      cur.set(id, {
        id,
        gateway_id: b.gatewayId,
        type: prev?.type ?? '',
        online,
        interval_s: prev?.interval_s ?? 0,
        deadline_ms: deadline,
        last_reading_ts: prev ? Math.max(prev.last_reading_ts, x.last) : x.last,
      });
      const w = devWrites.get(id) ?? {
        isNew: !locked.has(id),
        gatewayId: b.gatewayId,
        n: 0,
        last: Number.NEGATIVE_INFINITY,
        online,
        deadline,
      };
      w.n += x.n;
      w.last = Math.max(w.last, x.last);
      w.online = online;
      w.deadline = deadline;
      devWrites.set(id, w);
    }
    for (const e of evs) events.push(newEventOf(b.gatewayId, e));
    events.push(...presence.splice(0)); // after the batch's own events, as SQLite stores them
    const g = perGateway.get(b.gatewayId) ?? { batches: 0, readings: 0 };
    g.batches++;
    g.readings += readings.length;
    perGateway.set(b.gatewayId, g);
    total += readings.length;
    keyCounts.push({ b, readings: readings.length, quarantined: quarantinedReadings });
    if (quarantined.length) qWrites.push({ gatewayId: b.gatewayId, epoch: b.epoch, seq: b.seq, groups: quarantined });
    const res: IngestResult = { status: 'stored', readings: readings.length, quarantinedReadings, quarantined };
    results[i] = res;
    byKey.set(keyOf(b), res);
  }
  let duplicates = 0;
  batches.forEach((b, i) => {
    if (results[i]) return;
    duplicates++;
    const firstTime = byKey.get(keyOf(b)) ?? known.get(keyOf(b));
    results[i] = {
      status: 'duplicate',
      readings: 0,
      quarantinedReadings: firstTime?.quarantinedReadings ?? 0,
      // as a duplicate of an earlier group is answered (pg-quarantine.ts ofBatches): groups only with quarantined readings
      quarantined: firstTime && firstTime.quarantinedReadings > 0 ? [...firstTime.quarantined] : [],
    };
  });

  // 4. readings
  if (copyRows.length) await copyReadings(c, copyRows);

  // 5. devices: the locked ones updated, the new ones inserted unless another node made them meanwhile
  const dev = [...devWrites].sort((a, b) => byCodePoint(a[0], b[0]));
  const old = dev.filter(([, w]) => !w.isNew);
  if (old.length)
    await c.query(
      `UPDATE devices d SET last_seen_ms = $1, last_reading_ts = GREATEST(d.last_reading_ts, u.last),
         readings = d.readings + u.n, online = u.online, deadline_ms = u.dl
       FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::boolean[], $6::bigint[]) AS u(id, last, n, online, dl)
       WHERE d.id = u.id`,
      [
        now,
        old.map(([id]) => id),
        old.map(([, w]) => w.last),
        old.map(([, w]) => w.n),
        old.map(([, w]) => w.online),
        old.map(([, w]) => w.deadline),
      ],
    );
  const fresh = dev.filter(([, w]) => w.isNew);
  if (fresh.length) {
    const r = await c.query(
      `INSERT INTO devices (id, gateway_id, first_seen_ms, last_seen_ms, last_reading_ts, readings, online, deadline_ms)
       SELECT u.id, u.gw, $1, $1, u.last, u.n, u.online, u.dl
       FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::boolean[], $7::bigint[]) AS u(id, gw, last, n, online, dl)
       ON CONFLICT (id) DO NOTHING`,
      [
        now,
        fresh.map(([id]) => id),
        fresh.map(([, w]) => w.gatewayId),
        fresh.map(([, w]) => w.last),
        fresh.map(([, w]) => w.n),
        fresh.map(([, w]) => w.online),
        fresh.map(([, w]) => w.deadline),
      ],
    );
    // a device this transaction saw absent was created by another node meanwhile: start again, judge it on its row
    if (r.rowCount !== fresh.length) throw retryTx('a new device was created by another transaction');
  }

  // 6. events, keys, gateways, quarantine, counters
  for (const e of events) await health.insertEvent(c, d, e, now, tags.get(e.gatewayId) ?? NO_TAGS);
  const kc = keyCounts.filter((x) => x.readings || x.quarantined);
  if (kc.length)
    await c.query(
      `UPDATE batches b SET readings = u.r, quarantined = u.q
       FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::int[], $5::int[]) AS u(g, e, s, r, q)
       WHERE b.gateway_id = u.g AND b.epoch = u.e AND b.seq = u.s`,
      [
        kc.map((x) => x.b.gatewayId),
        kc.map((x) => x.b.epoch),
        kc.map((x) => x.b.seq),
        kc.map((x) => x.readings),
        kc.map((x) => x.quarantined),
      ],
    );
  const gw = [...perGateway].sort((a, b) => byCodePoint(a[0], b[0]));
  if (gw.length)
    await c.query(
      `UPDATE gateways g SET last_batch_ms = $1, last_seen_ms = $1, batches = g.batches + u.b, readings = g.readings + u.r
       FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS u(id, b, r) WHERE g.id = u.id`,
      [now, gw.map(([id]) => id), gw.map(([, x]) => x.batches), gw.map(([, x]) => x.readings)],
    );
  await quarantine.add(c, qWrites, now);
  await health.apply(c, d);
  const counts = (
    [
      ['batches', storedIdx.length],
      ['duplicates', duplicates],
      ['readings', total],
    ] as const
  ).filter(([, v]) => v !== 0);
  if (counts.length)
    await c.query(
      `INSERT INTO counters (name, value) SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value`,
      [counts.map(([k]) => k), counts.map(([, v]) => v)],
    );
  return results;
}
