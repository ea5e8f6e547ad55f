/**
 * Partitions of `readings` (PARTITION BY RANGE (ts), cloud/store/postgres/pg-cloud-schema.ts): one
 * per UTC day, readings_dYYYYMMDD, created on demand before the transaction that writes into it,
 * and dropped whole by retention. Only days within the window
 *   [now − readingsKeepDays (400 days when kept forever), now + maxFutureMs + 1 day]
 * get a partition of their own, so a gateway with a wild clock cannot make the store create
 * tables without end: anything else lands in the DEFAULT partition readings_old (created by the
 * schema), which retention empties in chunks. Several nodes create the same day at once: the loser's
 * "already exists" (42P07, or 23505 on the catalog) is taken as done.
 *
 * Creating or dropping a partition takes an ACCESS EXCLUSIVE lock on `readings` for a moment (and
 * a creation scans readings_old for rows of the new day), so `runRetention` also creates the next
 * days ahead of time: ingest itself rarely has to.
 */
import type { PgDatabase } from './pg-database.js';

export const DAY_MS = 86_400_000;
/** How far back partitions are made when readings are kept forever (readingsKeepDays 0). */
export const FOREVER_WINDOW_DAYS = 400;
/** Rows deleted from readings_old (and batch keys) per statement, and statements per retention run. */
const CHUNK = 10_000;
const MAX_CHUNKS = 100;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** readings_dYYYYMMDD of a day number (days since the epoch, UTC). */
export function partitionName(day: number): string {
  const d = new Date(day * DAY_MS);
  return `readings_d${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

/** The day number of a partition name (undefined for any other table). */
export function dayOfPartition(name: string): number | undefined {
  const m = /^readings_d(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

export interface PartitionOptions {
  /** Days of readings kept (0: forever). */
  readingsKeepDays: number;
  /** Days batch idempotency keys are kept (a resend older than that is stored again; 0: forever). */
  batchKeysKeepDays: number;
  /** How far ahead of the cloud's clock a reading may be (ingest.max_future_ms). */
  maxFutureMs: number;
}

export interface RetentionResult {
  partitionsDropped: number;
  oldRowsDeleted: number;
  batchKeysDeleted: number;
}

const codeOf = (err: unknown): string | undefined => (err as { code?: string }).code;

export class PgReadingsPartitions {
  /** Days known to have a partition (within the window only: bounded by its length). */
  private readonly known = new Set<number>();
  /** Days that must stay in readings_old (rows of the day got there first); bounded like `known`. */
  private readonly refused = new Set<number>();
  /** Partitions this store created (a concurrent creator's win not counted). */
  created = 0;
  /** Day partitions refused because readings_old already held rows of the day. */
  conflicts = 0;

  constructor(
    private readonly db: PgDatabase,
    private readonly o: PartitionOptions,
  ) {}

  /** The days that may have a partition of their own at `nowMs`: [first, last]. */
  window(nowMs: number): { first: number; last: number } {
    const keep = this.o.readingsKeepDays > 0 ? this.o.readingsKeepDays : FOREVER_WINDOW_DAYS;
    // a day whose end is past the cut-off stays (retention drops it once its end is not)
    return {
      first: Math.floor((nowMs - keep * DAY_MS) / DAY_MS),
      last: Math.floor((nowMs + this.o.maxFutureMs + DAY_MS) / DAY_MS),
    };
  }

  /** Creates the partitions the readings at `ts` need (outside any transaction; before the one that writes them). */
  async ensure(ts: Iterable<number>, nowMs: number): Promise<void> {
    const { first, last } = this.window(nowMs);
    const days = new Set<number>();
    for (const t of ts) {
      const day = Math.floor(t / DAY_MS);
      if (day >= first && day <= last && !this.known.has(day) && !this.refused.has(day)) days.add(day);
    }
    for (const day of [...days].sort((a, b) => a - b)) await this.create(day);
  }

  private async create(day: number): Promise<void> {
    const name = partitionName(day);
    try {
      const before = await this.db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name]);
      if (!before[0]?.t) {
        await this.db.query(
          `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF readings FOR VALUES FROM (${day * DAY_MS}) TO (${(day + 1) * DAY_MS})`,
        );
        this.created++;
      }
      this.known.add(day);
    } catch (err) {
      const code = codeOf(err);
      if (code === '42P07' || code === '23505')
        this.known.add(day); // another node made it meanwhile
      else if (code === '23514') {
        // readings_old holds rows of this day already (they came when it was outside the window):
        // the day stays there, found by the same queries, deleted by the same retention
        this.refused.add(day);
        this.conflicts++;
      } else throw err;
    }
  }

  /** Partitions of `readings` by name (day partitions and readings_old). */
  async list(): Promise<string[]> {
    const r = await this.db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'readings'::regclass ORDER BY c.relname`,
    );
    return r.map((x) => x.name);
  }

  /**
   * Drops day partitions older than readingsKeepDays (0: never), deletes such rows from
   * readings_old in chunks, prunes batch keys older than batchKeysKeepDays, and creates the
   * partitions of today and the next day ahead of ingest.
   */
  async runRetention(nowMs: number): Promise<RetentionResult> {
    const out: RetentionResult = { partitionsDropped: 0, oldRowsDeleted: 0, batchKeysDeleted: 0 };
    if (this.o.readingsKeepDays > 0) {
      const cutoff = nowMs - this.o.readingsKeepDays * DAY_MS;
      for (const name of await this.list()) {
        const day = dayOfPartition(name);
        if (day === undefined || (day + 1) * DAY_MS > cutoff) continue;
        try {
          await this.db.tx(async (c) => {
            await c.query("SET LOCAL lock_timeout = '5s'"); // never stall ingest behind a long query: next run
            await c.query(`DROP TABLE IF EXISTS ${name}`);
          });
          out.partitionsDropped++;
          this.known.delete(day);
        } catch (err) {
          if (codeOf(err) !== '55P03') throw err;
        }
      }
      out.oldRowsDeleted = await this.chunked(
        'DELETE FROM readings_old WHERE ctid IN (SELECT ctid FROM readings_old WHERE ts < $1 LIMIT $2)',
        cutoff,
      );
      const first = this.window(nowMs).first;
      for (const d of this.known) if (d < first) this.known.delete(d);
      for (const d of this.refused) if (d < first) this.refused.delete(d);
    }
    if (this.o.batchKeysKeepDays > 0)
      out.batchKeysDeleted = await this.chunked(
        'DELETE FROM batches WHERE ctid IN (SELECT ctid FROM batches WHERE received_ms < $1 LIMIT $2)',
        nowMs - this.o.batchKeysKeepDays * DAY_MS,
      );
    await this.ensure([nowMs, nowMs + DAY_MS], nowMs);
    return out;
  }

  private async chunked(sql: string, before: number): Promise<number> {
    let n = 0;
    for (let i = 0; i < MAX_CHUNKS; i++) {
      const r = await this.db.pool.query(sql, [before, CHUNK]);
      n += r.rowCount ?? 0;
      if ((r.rowCount ?? 0) < CHUNK) break;
    }
    return n;
  }
}
