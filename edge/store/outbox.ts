/**
 * The edge outbox: readings are durable once their group commit returns; they are sealed into
 * batches (each with a fixed idempotency key and payload) and deleted only when the cloud has
 * acknowledged the batch as stored. The store is bounded in bytes (eviction by priority, see
 * retention.ts), ages rows by its own monotonic clock, and corrects unsynchronised timestamps.
 */
import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openEdgeDatabase } from './schema.js';
import { Counters } from './counters.js';
import { MonoClock } from './mono-clock.js';
import { Retention, PRIORITIES, readingSize } from './retention.js';
import { UplinkKeys } from './uplink-keys.js';
import { GroupCommitter } from '../../common/group-commit.js';
import { WalSync } from '../../common/wal-sync.js';
import { YiwangError } from '../../common/errors.js';
import { encodeBatch } from '../../proto/batch-codec.js';
import { Priority } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';
import { KIND, ROW_COLUMNS, fromRow, type RowArray } from './rows.js';
import { screenReadings, type Refusal } from './reading-check.js';
import { Quarantine, QUARANTINE_DEFAULTS } from './quarantine.js';
import { DeadLetters } from './dead-letters.js';
import { BatchSplitter, type RejectOutcome } from './batch-split.js';
import type { AppendResult, OutboxStats, OutboxStore, SealedBatch } from './outbox-contract.js';
import type { Event } from '../../proto/index.js';
import type { EventSink } from './event-sink.js';
import { OutboxEvents } from './events.js';
import type { EventHistory } from './event-history.js';

export type { AppendResult, OutboxStats, OutboxStore, RejectOutcome, SealedBatch } from './outbox-contract.js';

interface AppendItem {
  readings: Reading[];
  key?: string;
  refused?: readonly Refusal[];
}

export interface SqliteOutboxOptions {
  path: string;
  /**
   * The store file already opened (openEdgeDatabase(path), schema.ts) by the composition root, which
   * hands the same handle to the tables kept beside the outbox (heard devices, device keys, alarm
   * state, LwM2M). The outbox closes it in close(), so close the outbox last. Without it the outbox
   * opens `path` itself.
   */
  db?: Database.Database;
  commitMs?: number;
  /** How long uplink keys are remembered at least (CoAP EXCHANGE_LIFETIME is 247 s). */
  dedupeWindowMs?: number;
  /** Uplink keys per generation (two are kept) before a flood shortens the window (see uplink-keys.ts). */
  dedupeMaxKeys?: number;
  /** Byte cap of held readings; 0 = 20 % of the free disk at open, at least 64 MiB. */
  maxBytes?: number;
  /** Readings older than this (monotonic) are dropped, reason ttl; 0 = never. */
  maxAgeMs?: number;
  /** Normal readings younger than this are sealed before the older backlog. */
  freshWindowMs?: number;
  /** Whether the gateway clock is synchronised now (readings stamped unsynced are held meanwhile). */
  clockSynced?: () => boolean;
  /** How long unsynced readings wait for a sync before they are sent flagged. */
  unsyncedHoldMs?: number;
  /** Interval of housekeeping (ttl, key pruning, vacuum, checkpoint); 0 = only when maintain() is called. */
  maintenanceMs?: number;
  /** Caps of the quarantine table (entries, accounted bytes): the oldest entries are evicted past them. */
  quarantineMaxRows?: number;
  quarantineMaxBytes?: number;
}

export class SqliteOutboxStore implements OutboxStore, EventSink {
  readonly epoch: number;
  private readonly events: OutboxEvents;
  readonly mono: MonoClock;
  readonly retention: Retention;
  private readonly db: Database.Database;
  private readonly counters: Counters;
  private readonly committer: GroupCommitter<AppendItem, AppendResult>;
  private readonly stmt;
  private readonly o: Required<Omit<SqliteOutboxOptions, 'clockSynced' | 'db'>> &
    Pick<SqliteOutboxOptions, 'clockSynced'>;
  private readonly freshMarks: [mono: number, id: number][] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly wal: WalSync;
  private readonly keys: UplinkKeys;
  readonly quarantine: Quarantine;
  readonly deadLetters: DeadLetters;
  private readonly splitter: BatchSplitter;

  constructor(opts: SqliteOutboxOptions) {
    this.o = {
      commitMs: 2,
      dedupeWindowMs: 247_000,
      dedupeMaxKeys: 500_000,
      maxBytes: 0,
      maxAgeMs: 0,
      freshWindowMs: 60_000,
      unsyncedHoldMs: 3_600_000,
      maintenanceMs: 10_000,
      quarantineMaxRows: QUARANTINE_DEFAULTS.maxRows,
      quarantineMaxBytes: QUARANTINE_DEFAULTS.maxBytes,
      ...opts,
    };
    const db = opts.db ?? openEdgeDatabase(opts.path);
    this.db = db;
    const meta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    let epoch = meta.get('epoch')?.value;
    if (!epoch) {
      epoch = String(randomInt(1, 2 ** 47));
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('epoch', epoch);
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('next_seq', '1');
    }
    this.epoch = Number(epoch);
    this.counters = new Counters(db);
    this.mono = new MonoClock(db);
    this.retention = new Retention(db, this.counters, this.mono, {
      path: opts.path,
      maxBytes: this.o.maxBytes,
      maxAgeMs: this.o.maxAgeMs,
    });
    this.events = new OutboxEvents(db, this.counters);
    this.keys = new UplinkKeys(
      db,
      this.counters,
      { windowMs: this.o.dedupeWindowMs, maxKeys: this.o.dedupeMaxKeys },
      this.mono.now(),
    );
    this.quarantine = new Quarantine(db, this.counters, {
      maxRows: this.o.quarantineMaxRows,
      maxBytes: this.o.quarantineMaxBytes,
    });
    this.deadLetters = new DeadLetters(db, this.counters);
    this.splitter = new BatchSplitter(db, this.epoch, () => this.allocSeq());
    this.stmt = {
      insert: db.prepare(
        'INSERT INTO readings (device, metric, unit, ts, kind, num, str, clock, priority, size, boot, mono) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // raw rows (arrays) in the order of RowArray: the hot path of a drain
      pending: db
        .prepare<[number, number, number, number, number, number], RowArray>(`SELECT ${ROW_COLUMNS} FROM readings
        WHERE batch IS NULL AND priority = ? AND id >= ? AND id < ? AND NOT (clock = 2 AND boot = ? AND mono > ?) ORDER BY id LIMIT ?`)
        .raw(true),
      markBatch: db.prepare('UPDATE readings SET batch = ? WHERE id = ?'),
      markRange: db.prepare(
        'UPDATE readings SET batch = ? WHERE batch IS NULL AND priority = ? AND id >= ? AND id <= ?',
      ),
      nextSeq: db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'next_seq'"),
      setSeq: db.prepare("UPDATE meta SET value = ? WHERE key = 'next_seq'"),
      insertBatch: db.prepare(
        'INSERT INTO batches (seq, payload, readings, sealed_ms, segments) VALUES (?, ?, ?, ?, ?)',
      ),
      unacked: db.prepare<[], { seq: number; payload: Buffer; readings: number }>(
        'SELECT seq, payload, readings FROM batches ORDER BY seq',
      ),
      unackedCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM batches'),
      batchedRows: db.prepare<[], { n: number | null }>('SELECT sum(readings) AS n FROM batches'),
      getBatch: db.prepare<[number], { seq: number; payload: Buffer; readings: number; segments: string }>(
        'SELECT seq, payload, readings, segments FROM batches WHERE seq = ?',
      ),
      segmentTotals: db.prepare<[number, number, number, number], { n: number; b: number | null }>(
        'SELECT count(*) AS n, sum(size) AS b FROM readings WHERE id >= ? AND id <= ? AND priority = ? AND batch = ?',
      ),
      deleteSegment: db.prepare('DELETE FROM readings WHERE id >= ? AND id <= ? AND priority = ? AND batch = ?'),
      deleteBatch: db.prepare('DELETE FROM batches WHERE seq = ?'),
      correct: db.prepare(
        'UPDATE readings SET ts = ? - (? - mono), clock = 3 WHERE batch IS NULL AND clock = 2 AND boot = ?',
      ),
      oldest: db.prepare<[], { ts: number; mono: number }>('SELECT ts, mono FROM readings ORDER BY id LIMIT 1'),
      heldUnsynced: db.prepare<[number], { n: number }>(
        'SELECT count(*) AS n FROM readings WHERE batch IS NULL AND clock = 2 AND boot = ?',
      ),
    };
    this.wal = new WalSync(opts.path);
    this.committer = new GroupCommitter<AppendItem, AppendResult>({
      windowMs: this.o.commitMs,
      commit: (items) => this.commit(items),
      afterCommit: () => this.wal.durable(),
    });
    if (this.o.maintenanceMs > 0) {
      this.timer = setInterval(() => this.maintain(), this.o.maintenanceMs);
      this.timer.unref();
    }
  }

  /** SQLite's quick_check of the store file: [] when it is sound, else up to `max` problems. */
  quickCheck(max = 5): string[] {
    const rows = this.db.pragma(`quick_check(${Math.max(1, Math.trunc(max))})`) as { quick_check: string }[];
    return rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  }

  private run<T>(what: string, fn: () => T): T {
    try {
      const out = this.db.transaction(() => {
        const r = fn();
        this.counters.write();
        return r;
      })();
      this.wal.committed();
      return out;
    } catch (err) {
      this.counters.reload();
      this.events.reload();
      this.deadLetters.reload();
      const full = (err as { code?: string }).code === 'SQLITE_FULL';
      throw new YiwangError(
        'EDGE_ERR_STORE',
        `${what} failed${full ? ' (disk full)' : ''}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  private commit(items: AppendItem[]): AppendResult[] {
    const mono = this.mono.now(),
      boot = this.mono.boot;
    let firstId = 0;
    const results = this.run('commit', () => {
      const out = items.map((it): AppendResult => {
        if (it.key !== undefined && !this.keys.claim(it.key, mono)) return 'duplicate';
        for (const r of it.readings) {
          const size = readingSize(r);
          const v = r.value;
          const kind = typeof v === 'number' ? KIND.number : typeof v === 'boolean' ? KIND.boolean : KIND.string;
          const info = this.stmt.insert.run(
            r.deviceId,
            r.metric,
            r.unit,
            r.ts,
            kind,
            kind === 0 ? v : kind === 1 ? (v ? 1 : 0) : null,
            kind === 2 ? v : null,
            r.clock,
            r.priority,
            size,
            boot,
            mono,
          );
          firstId ||= Number(info.lastInsertRowid);
          this.retention.added(r.priority, size);
        }
        this.counters.bump('readings_accepted', it.readings.length);
        if (it.refused) this.quarantine.record('edge', it.refused);
        return 'stored';
      });
      this.retention.enforceCap();
      return out;
    });
    const last = this.freshMarks[this.freshMarks.length - 1];
    // one mark per tenth of the fresh window (at most one a second) bounds the list and the error
    if (firstId && (!last || mono - last[0] >= Math.min(1000, this.o.freshWindowMs / 10)))
      this.freshMarks.push([mono, firstId]);
    return results;
  }

  append(readings: Reading[], uplinkKey?: string, refused?: readonly Refusal[]): Promise<AppendResult> {
    // the one check of every adapter's readings (reading-check.ts): a bad reading costs only itself
    const s = screenReadings(readings, { now: Date.now(), clockSynced: this.o.clockSynced?.() !== false });
    const all = s.refused.length > 0 ? [...(refused ?? []), ...s.refused] : refused?.length ? refused : undefined;
    return this.committer.submit({
      readings: s.valid,
      ...(uplinkKey !== undefined ? { key: uplinkKey } : {}),
      ...(all ? { refused: all } : {}),
    });
  }

  /** Next batch sequence number (inside a transaction). */
  private allocSeq(): number {
    const seq = Number(this.stmt.nextSeq.get()!.value);
    this.stmt.setSeq.run(String(seq + 1));
    return seq;
  }

  /**
   * EventSink: the event is committed when this returns (events are rare: one transaction each);
   * like every commit it survives a power loss only after the next `durable()`, which the uplink
   * awaits before publishing the batch that carries it.
   */
  raise(event: Event): void {
    this.run('event', () => this.events.add(event, Date.now()));
    this.onEvent?.();
  }

  /** Every event raised, kept after the cloud acknowledged it (bounded): `yiwang-edge events`. */
  get eventHistory(): EventHistory {
    return this.events.history;
  }

  /** Called after an event is stored (the agent wakes the uplink with it). */
  onEvent: (() => void) | undefined;

  durable(): Promise<void> {
    return this.wal.durable();
  }

  /**
   * For another writer on the same connection (the LwM2M server's tables): counts its commit, just
   * made, and resolves when it is durable.
   */
  durableAfterCommit(): Promise<void> {
    this.wal.committed();
    return this.wal.durable();
  }

  /** fdatasyncs of the WAL run so far (diagnostics; one covers every commit made before it). */
  get walSyncs(): number {
    return this.wal.syncs;
  }

  unackedBatches(): SealedBatch[] {
    return this.stmt.unacked.all().map((b) => ({ seq: b.seq, payload: b.payload, readings: b.readings }));
  }

  /** First row id inserted within the fresh window (rows from it on overtake the backlog). */
  private freshFromId(): number {
    const since = this.mono.now() - this.o.freshWindowMs;
    while (this.freshMarks.length > 0 && this.freshMarks[0]![0] < since) this.freshMarks.shift();
    return this.freshMarks[0]?.[1] ?? Number.MAX_SAFE_INTEGER;
  }

  sealBatch(gatewayId: string, max: number, onlyAlarms = false): SealedBatch | undefined {
    this.committer.flush();
    const held = this.o.clockSynced?.() === false ? this.mono.now() - this.o.unsyncedHoldMs : Number.MAX_SAFE_INTEGER;
    const boot = this.mono.boot,
      fresh = this.freshFromId(),
      END = Number.MAX_SAFE_INTEGER;
    // alarms, then fresh normal readings, then the normal backlog, then bulk — each oldest first
    const order: [Priority, number, number][] = [
      [Priority.PRIORITY_ALARM, 0, END],
      [Priority.PRIORITY_NORMAL, fresh, END],
      [Priority.PRIORITY_NORMAL, 0, fresh],
      [Priority.PRIORITY_BULK, 0, END],
    ];
    return this.run('seal', (): SealedBatch | undefined => {
      const rows: RowArray[] = [];
      const segments: [Priority, number, number][] = [];
      for (const [p, from, to] of order) {
        if (rows.length >= max || (onlyAlarms && p !== Priority.PRIORITY_ALARM)) break;
        if (from >= to) continue;
        const got = this.stmt.pending.all(p, from, to, boot, held, max - rows.length);
        if (got.length) segments.push([p, got[0]![0], got[got.length - 1]![0]]);
        for (const r of got) rows.push(r);
      }
      if (rows.length === 0 && this.events.pendingEvents === 0) return undefined;
      const seq = this.allocSeq();
      const { events, bytes: eventBytes } = this.events.seal(seq); // events ride first, in every batch
      const payload = encodeBatch({ gatewayId, epoch: this.epoch, seq }, rows.map(fromRow), events);
      // Without held rows each segment is every pending row of its priority between its first and
      // last id, so one range update marks it; with held rows in between, rows are marked one by one.
      if (held === Number.MAX_SAFE_INTEGER) for (const [p, lo, hi] of segments) this.stmt.markRange.run(seq, p, lo, hi);
      else for (const r of rows) this.stmt.markBatch.run(seq, r[0]);
      this.stmt.insertBatch.run(seq, payload, rows.length, Date.now(), JSON.stringify(segments));
      return { seq, payload, readings: rows.length, eventBytes };
    });
  }

  /** Events or alarm readings are waiting: the uplink sends without lingering. */
  hasUrgent(): boolean {
    return this.events.pendingEvents > 0 || this.retention.held(Priority.PRIORITY_ALARM).rows > 0;
  }

  /** Readings not yet sealed, plus pending events (each makes a batch worth sending). */
  pendingCount(): number {
    return this.retention.totalRows() - (this.stmt.batchedRows.get()!.n ?? 0) + this.events.pendingEvents;
  }

  private release(seq: number, segmentsJson: string): number {
    let n = 0;
    for (const [p, lo, hi] of JSON.parse(segmentsJson) as [Priority, number, number][]) {
      const t = this.stmt.segmentTotals.get(lo, hi, p, seq)!;
      this.retention.removed(p, t.n, t.b ?? 0);
      this.stmt.deleteSegment.run(lo, hi, p, seq);
      n += t.n;
    }
    this.stmt.deleteBatch.run(seq);
    return n;
  }

  ack(seq: number, quarantined?: readonly Refusal[]): number {
    return this.run('ack', () => {
      const b = this.stmt.getBatch.get(seq);
      if (!b) return 0; // acknowledged before (a resend's ack): its quarantine was recorded then
      const n = this.release(seq, b.segments);
      this.events.release(seq, true);
      const q = quarantined?.length ? this.quarantine.record('cloud', quarantined) : 0;
      this.counters.bump('readings_acked', n - Math.min(q, n));
      return n;
    });
  }

  reject(seq: number, errorCode: string, detail: string, gatewayId: string): RejectOutcome {
    return this.run('reject', (): RejectOutcome => {
      const b = this.stmt.getBatch.get(seq);
      if (!b) return { kind: 'unknown' };
      const halves = this.splitter.split(seq, b.segments, gatewayId);
      if (halves) {
        this.counters.bump('batches_split', 1);
        return { kind: 'split', batches: halves, readings: b.readings };
      }
      this.deadLetters.add(seq, b.payload, b.readings, errorCode, detail);
      const n = this.release(seq, b.segments);
      const events = this.events.release(seq, false);
      this.counters.bump('dropped_rejected', n);
      return { kind: 'dead-letter', readings: n, events };
    });
  }

  /** The clock just synchronised: re-stamp this boot's unsynced readings from the monotonic clock. */
  correctUnsynced(wallNow = Date.now()): number {
    return this.run('clock correction', () => this.stmt.correct.run(wallNow, this.mono.now(), this.mono.boot).changes);
  }

  /** Housekeeping: ttl, old uplink keys, monotonic clock, free pages, WAL checkpoint. */
  maintain(): void {
    try {
      this.committer.flush();
      this.run('maintenance', () => {
        this.retention.expire();
        // On the monotonic clock, so a wall-clock jump neither forgets keys early nor keeps them for a day.
        this.keys.prune(this.mono.now());
        this.mono.persist();
      });
      this.db.pragma('incremental_vacuum(2000)');
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // reported by the next append or seal; maintenance retries on its next tick
    }
  }

  stats(): OutboxStats {
    const oldest = this.stmt.oldest.get();
    const pageCount = this.db.pragma('page_count', { simple: true }) as number;
    const byPriority = Object.fromEntries(
      PRIORITIES.map(([p, name]) => [name, this.retention.held(p)]),
    ) as OutboxStats['byPriority'];
    return {
      rows: this.retention.totalRows(),
      bytes: this.retention.totalBytes(),
      capBytes: this.retention.capBytes,
      byPriority,
      pendingRows: this.pendingCount(),
      batchedRows: this.stmt.batchedRows.get()!.n ?? 0,
      pendingEvents: this.events.pendingEvents,
      batchedEvents: this.events.batchedEvents,
      unackedBatches: this.stmt.unackedCount.get()!.n,
      oldestTs: oldest?.ts ?? null,
      oldestAgeMs: oldest ? this.mono.now() - oldest.mono : null,
      heldUnsynced: this.o.clockSynced?.() === false ? this.stmt.heldUnsynced.get(this.mono.boot)!.n : 0,
      dbBytes: pageCount * (this.db.pragma('page_size', { simple: true }) as number),
      deadLetters: this.deadLetters.stats().held,
      deadLettered: this.deadLetters.stats(),
      quarantine: this.quarantine.stats(),
      dropped: {
        cap: this.retention.dropped('cap'),
        ttl: this.retention.dropped('ttl'),
        rejected: this.counters.get('dropped_rejected'),
      },
      eventHistory: this.events.history.stats(),
      counters: this.counters.all(),
    };
  }

  close(): void {
    clearInterval(this.timer);
    this.committer.close();
    try {
      this.mono.persist();
    } catch {
      /* disk full: the clock resumes from the newest row */
    }
    this.wal.close();
    this.db.close();
  }
}
