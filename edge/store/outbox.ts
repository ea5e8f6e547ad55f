/**
 * The edge outbox: readings are durable once their group commit returns; they are sealed into
 * batches (each with a fixed idempotency key and payload) and deleted only when the cloud has
 * acknowledged the batch as stored.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomInt } from 'node:crypto';
import Database from 'better-sqlite3';
import { EDGE_DDL, EDGE_SCHEMA_VERSION } from './schema.js';
import { GroupCommitter } from '../../common/group-commit.js';
import { YiwangError } from '../../common/errors.js';
import { encodeBatch } from '../../proto/batch-codec.js';
import { Priority } from '../../proto/index.js';
import type { Reading, ReadingValue } from '../../proto/reading.js';
import '../errors.js';

export interface SealedBatch { seq: number; payload: Uint8Array; readings: number }
export type AppendResult = 'stored' | 'duplicate';

interface AppendItem { readings: Reading[]; key?: string }

export interface OutboxStats {
  /** Readings not yet acknowledged by the cloud (pending + in unacknowledged batches). */
  rows: number;
  pendingRows: number;
  unackedBatches: number;
  oldestTs: number | null;
  dbBytes: number;
  deadLetters: number;
  counters: Record<string, number>;
}

export interface OutboxStore {
  /** Random id of this store's lifetime, part of every batch key. */
  readonly epoch: number;
  /**
   * Resolves once the readings are durably committed. With an `uplinkKey` (a protocol's exchange
   * identity), an uplink whose key was committed within the dedupe window is not stored again and
   * resolves 'duplicate'. Rejects with EDGE_ERR_STORE.
   */
  append(readings: Reading[], uplinkKey?: string): Promise<AppendResult>;
  /** Sealed but unacknowledged batches, oldest first. */
  unackedBatches(): SealedBatch[];
  /** Seals up to `max` pending readings (alarms first, then normal, then bulk; oldest first) into the next batch. */
  sealBatch(gatewayId: string, max: number): SealedBatch | undefined;
  pendingCount(): number;
  /** The cloud stored the batch: its readings leave the store. Returns how many. */
  ack(seq: number): number;
  /** The cloud rejected the batch: it moves to dead_letters (kept, never resent). */
  reject(seq: number, errorCode: string, detail: string): number;
  stats(): OutboxStats;
  close(): void;
}

const KIND = { number: 0, boolean: 1, string: 2 } as const;

interface Row { device: string; metric: string; unit: string; ts: number; kind: number; num: number | null; str: string | null; clock: number; priority: number }

/** Hot path: positional parameters, no intermediate object. */
function insertReading(stmt: Database.Statement, r: Reading): void {
  const v = r.value;
  if (typeof v === 'number') stmt.run(r.deviceId, r.metric, r.unit, r.ts, KIND.number, v, null, r.clock, r.priority);
  else if (typeof v === 'boolean') stmt.run(r.deviceId, r.metric, r.unit, r.ts, KIND.boolean, v ? 1 : 0, null, r.clock, r.priority);
  else stmt.run(r.deviceId, r.metric, r.unit, r.ts, KIND.string, null, v, r.clock, r.priority);
}

function fromRow(row: Row): Reading {
  const value: ReadingValue = row.kind === 0 ? (row.num as number) : row.kind === 1 ? row.num === 1 : (row.str as string);
  return { deviceId: row.device, metric: row.metric, unit: row.unit, ts: row.ts, value, clock: row.clock, priority: row.priority };
}

export interface SqliteOutboxOptions {
  path: string;
  commitMs?: number;
  /** How long uplink keys are remembered (CoAP EXCHANGE_LIFETIME is 247 s). */
  dedupeWindowMs?: number;
}

export class SqliteOutboxStore implements OutboxStore {
  readonly epoch: number;
  private readonly db: Database.Database;
  private readonly committer: GroupCommitter<AppendItem, AppendResult>;
  private readonly dedupeWindowMs: number;
  private lastPrune = 0;
  private readonly stmt;
  /** Pending (unsealed) rows, kept in memory: counting a large backlog on every check would be slow. */
  private pending: number;

  constructor(opts: SqliteOutboxOptions) {
    try {
      if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
      this.db = new Database(opts.path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(EDGE_DDL);
      this.db.pragma(`user_version = ${EDGE_SCHEMA_VERSION}`);
    } catch (err) {
      throw new YiwangError('EDGE_ERR_STORE', `cannot open ${opts.path}: ${(err as Error).message}`, { cause: err });
    }
    const db = this.db;
    const meta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    let epoch = meta.get('epoch')?.value;
    if (!epoch) {
      epoch = String(randomInt(1, 2 ** 47));
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('epoch', epoch);
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('next_seq', '1');
    }
    this.epoch = Number(epoch);
    this.stmt = {
      insert: db.prepare('INSERT INTO readings (device, metric, unit, ts, kind, num, str, clock, priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      pendingByPriority: db.prepare<[number, number], Row & { id: number }>('SELECT id, device, metric, unit, ts, kind, num, str, clock, priority FROM readings WHERE batch IS NULL AND priority = ? ORDER BY id LIMIT ?'),
      markBatch: db.prepare('UPDATE readings SET batch = ? WHERE id = ?'),
      nextSeq: db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'next_seq'"),
      setSeq: db.prepare("UPDATE meta SET value = ? WHERE key = 'next_seq'"),
      insertBatch: db.prepare('INSERT INTO batches (seq, payload, readings, sealed_ms) VALUES (?, ?, ?, ?)'),
      unacked: db.prepare<[], { seq: number; payload: Buffer; readings: number }>('SELECT seq, payload, readings FROM batches ORDER BY seq'),
      getBatch: db.prepare<[number], { seq: number; payload: Buffer; readings: number }>('SELECT seq, payload, readings FROM batches WHERE seq = ?'),
      deleteRows: db.prepare('DELETE FROM readings WHERE batch = ?'),
      deleteBatch: db.prepare('DELETE FROM batches WHERE seq = ?'),
      deadLetter: db.prepare('INSERT OR REPLACE INTO dead_letters (seq, payload, readings, error_code, detail, at_ms) VALUES (?, ?, ?, ?, ?, ?)'),
      count: db.prepare("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value"),
      pendingCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM readings WHERE batch IS NULL'),
      claimKey: db.prepare('INSERT OR IGNORE INTO uplink_keys (key, at_ms) VALUES (?, ?)'),
      pruneKeys: db.prepare('DELETE FROM uplink_keys WHERE at_ms < ?'),
    };
    this.dedupeWindowMs = opts.dedupeWindowMs ?? 247_000;
    this.pending = this.stmt.pendingCount.get()!.n;
    this.committer = new GroupCommitter<AppendItem, AppendResult>({
      windowMs: opts.commitMs ?? 2,
      commit: (items) => {
        const now = Date.now();
        let n = 0;
        const results = this.db.transaction(() => {
          if (now - this.lastPrune > 10_000) { this.stmt.pruneKeys.run(now - this.dedupeWindowMs); this.lastPrune = now; }
          const out = items.map((it): AppendResult => {
            if (it.key !== undefined && this.stmt.claimKey.run(it.key, now).changes === 0) return 'duplicate';
            for (const r of it.readings) insertReading(this.stmt.insert, r);
            n += it.readings.length;
            return 'stored';
          });
          this.stmt.count.run('readings_accepted', n);
          return out;
        })();
        this.pending += n;
        return results;
      },
    });
  }

  /** The open SQLite handle, for adapters that keep their own tables in the store file (LwM2M). */
  get database(): Database.Database {
    return this.db;
  }

  append(readings: Reading[], uplinkKey?: string): Promise<AppendResult> {
    return this.committer.submit({ readings, key: uplinkKey }).catch((err: unknown) => {
      throw new YiwangError('EDGE_ERR_STORE', `commit failed: ${(err as Error).message}`, { cause: err });
    });
  }

  unackedBatches(): SealedBatch[] {
    return this.stmt.unacked.all().map((b) => ({ seq: b.seq, payload: b.payload, readings: b.readings }));
  }

  sealBatch(gatewayId: string, max: number): SealedBatch | undefined {
    this.committer.flush();
    const sealed = this.db.transaction((): SealedBatch | undefined => {
      const rows: (Row & { id: number })[] = [];
      for (const p of [Priority.PRIORITY_ALARM, Priority.PRIORITY_NORMAL, Priority.PRIORITY_BULK]) {
        if (rows.length >= max) break;
        rows.push(...this.stmt.pendingByPriority.all(p, max - rows.length));
      }
      if (rows.length === 0) return undefined;
      const seq = Number(this.stmt.nextSeq.get()!.value);
      this.stmt.setSeq.run(String(seq + 1));
      const payload = encodeBatch({ gatewayId, epoch: this.epoch, seq }, rows.map(fromRow));
      for (const r of rows) this.stmt.markBatch.run(seq, r.id);
      this.stmt.insertBatch.run(seq, payload, rows.length, Date.now());
      return { seq, payload, readings: rows.length };
    })();
    if (sealed) this.pending -= sealed.readings;
    return sealed;
  }

  pendingCount(): number {
    return this.pending;
  }

  ack(seq: number): number {
    return this.db.transaction(() => {
      const n = this.stmt.deleteRows.run(seq).changes;
      if (this.stmt.deleteBatch.run(seq).changes > 0) this.stmt.count.run('readings_acked', n);
      return n;
    })();
  }

  reject(seq: number, errorCode: string, detail: string): number {
    return this.db.transaction(() => {
      const b = this.stmt.getBatch.get(seq);
      if (!b) return 0;
      this.stmt.deadLetter.run(seq, b.payload, b.readings, errorCode, detail, Date.now());
      this.stmt.deleteRows.run(seq);
      this.stmt.deleteBatch.run(seq);
      this.stmt.count.run('dropped_rejected', b.readings);
      return b.readings;
    })();
  }

  stats(): OutboxStats {
    const one = <T>(sql: string): T => this.db.prepare(sql).get() as T;
    const counters = Object.fromEntries(
      (this.db.prepare('SELECT name, value FROM counters').all() as { name: string; value: number }[]).map((c) => [c.name, c.value]),
    );
    return {
      rows: one<{ n: number }>('SELECT count(*) AS n FROM readings').n,
      pendingRows: this.pendingCount(),
      unackedBatches: one<{ n: number }>('SELECT count(*) AS n FROM batches').n,
      oldestTs: one<{ ts: number } | undefined>('SELECT ts FROM readings ORDER BY id LIMIT 1')?.ts ?? null,
      dbBytes: (this.db.pragma('page_count', { simple: true }) as number) * (this.db.pragma('page_size', { simple: true }) as number),
      deadLetters: one<{ n: number }>('SELECT count(*) AS n FROM dead_letters').n,
      counters,
    };
  }

  close(): void {
    this.committer.close();
    this.db.close();
  }
}
