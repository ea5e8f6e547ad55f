/**
 * The audit log service: appends entries to the store (one chain), writes signed checkpoints
 * (every audit.checkpoint_every entries, in the append's transaction; and every
 * audit.checkpoint_interval_s when entries were added), bounds the refused requests it records
 * one by one (audit.refused_per_min, the rest counted and summarised), and runs the retention
 * prune on the cluster leader. Appending never throws: a failed append is logged and counted
 * (/api/v1/stats → audit.appendErrors), and the request it records is answered as it was.
 */
import type { Logger } from '../../common/log.js';
import { YiwangError } from '../../common/errors.js';
import type { AuditStore, PruneOutcome } from '../store/audit-store.js';
import type { AuditDraft, AuditEntry } from './audit-entry.js';
import { type AuditKey, signCheckpoint } from './audit-key.js';

export const DAY_MS = 86_400_000;
/** The shortest retention a prune accepts unless told otherwise (tests). */
export const MIN_RETENTION_DAYS = 180;
const PRUNE_EVERY_MS = 3_600_000;

export interface AuditLogOptions {
  store: AuditStore;
  key: AuditKey;
  log: Logger;
  checkpointEvery: number;
  checkpointIntervalMs: number;
  retentionDays: number;
  refusedPerMin: number;
  /** Whether this node runs the prune (the cluster leader). */
  isLeader?: () => boolean;
  now?: () => number;
}

export interface AuditCounters {
  appended: number;
  appendErrors: number;
  checkpoints: number;
  refusedSuppressed: number;
  pruneRuns: number;
  pruned: number;
}

export class AuditLog {
  readonly counters: AuditCounters = {
    appended: 0,
    appendErrors: 0,
    checkpoints: 0,
    refusedSuppressed: 0,
    pruneRuns: 0,
    pruned: 0,
  };
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private lastCheckpointSeq = -1;
  private lastCheckpointMs: number;
  private lastPruneMs = 0;
  /** Refused requests of the current minute: [window start, recorded, suppressed]. */
  private refusedWindow: [number, number, number] = [0, 0, 0];
  private maintaining: Promise<void> | undefined;

  constructor(private readonly o: AuditLogOptions) {
    this.now = o.now ?? Date.now;
    this.lastCheckpointMs = this.now();
  }

  readonly sign = (c: Parameters<typeof signCheckpoint>[1]) => {
    this.counters.checkpoints++;
    return signCheckpoint(this.o.key, c);
  };

  /** Appends one entry; undefined (logged, counted) when the store failed. */
  async record(d: AuditDraft): Promise<AuditEntry | undefined> {
    try {
      const e = await this.o.store.append(d, {
        nowMs: this.now(),
        checkpointEvery: this.o.checkpointEvery,
        sign: this.sign,
      });
      this.counters.appended++;
      if (e.seq % this.o.checkpointEvery === 0) {
        this.lastCheckpointSeq = e.seq;
        this.lastCheckpointMs = this.now();
      }
      return e;
    } catch (err) {
      this.counters.appendErrors++;
      this.o.log.error(
        { err: (err as Error).message, action: d.action, target: d.target },
        'audit entry could not be written',
      );
      return undefined;
    }
  }

  /** A refused request: recorded while under audit.refused_per_min this minute, else counted for the summary. */
  async recordRefused(d: AuditDraft): Promise<AuditEntry | undefined> {
    await this.flushSuppressed();
    const w = this.refusedWindow;
    if (w[1] >= this.o.refusedPerMin) {
      w[2]++;
      this.counters.refusedSuppressed++;
      return undefined;
    }
    w[1]++;
    return this.record(d);
  }

  /** Closes a minute that had suppressed refusals with one summary entry. */
  private async flushSuppressed(): Promise<void> {
    const now = this.now();
    const [start, , suppressed] = this.refusedWindow;
    if (now - start < 60_000) return;
    this.refusedWindow = [now, 0, 0];
    if (suppressed === 0) return;
    await this.record({
      actor: { kind: 'system', id: 'audit', name: '', role: '' },
      source: '',
      action: 'audit.refused_suppressed',
      target: '',
      result: 'ok',
      status: 0,
      code: '',
      details: { suppressed, fromMs: start, toMs: now, limitPerMin: this.o.refusedPerMin },
    });
  }

  /** Writes a periodic checkpoint of the head when entries were added since the last one; the head's seq, or undefined when none was due. */
  async checkpointNow(): Promise<number | undefined> {
    const head = await this.o.store.head();
    if (head.seq === 0 || head.seq <= this.lastCheckpointSeq) return undefined;
    await this.o.store.addCheckpoint(this.sign({ seq: head.seq, kind: 'periodic', hash: head.hash, tsMs: this.now() }));
    this.lastCheckpointSeq = head.seq;
    this.lastCheckpointMs = this.now();
    return head.seq;
  }

  /**
   * Removes the entries older than the retention (a whole prefix), after a signed prune
   * checkpoint of the last one. A retention under MIN_RETENTION_DAYS is refused unless
   * `allowShort` (tests) — CLOUD_ERR_AUDIT_APPEND_ONLY.
   */
  async prune(o: { retentionDays?: number; allowShort?: boolean } = {}): Promise<PruneOutcome> {
    const days = o.retentionDays ?? this.o.retentionDays;
    if (!(days >= MIN_RETENTION_DAYS) && !o.allowShort)
      throw new YiwangError(
        'CLOUD_ERR_AUDIT_APPEND_ONLY',
        `audit retention of ${days} days is under the minimum of ${MIN_RETENTION_DAYS}`,
      );
    const now = this.now();
    const out = await this.o.store.prune(now - days * DAY_MS, this.sign, now);
    this.counters.pruneRuns++;
    this.counters.pruned += out.removed;
    if (out.removed)
      this.o.log.info(
        { removed: out.removed, throughSeq: out.throughSeq, retentionDays: days },
        'audit entries pruned',
      );
    return out;
  }

  /** One maintenance pass: the suppressed-refusals summary, a due checkpoint, a due prune (leader only). */
  async maintain(): Promise<void> {
    await this.flushSuppressed();
    const now = this.now();
    if (now - this.lastCheckpointMs >= this.o.checkpointIntervalMs) await this.checkpointNow();
    if ((this.o.isLeader?.() ?? true) && now - this.lastPruneMs >= PRUNE_EVERY_MS) {
      this.lastPruneMs = now;
      await this.prune();
    }
  }

  start(): void {
    const every = Math.max(1000, Math.min(this.o.checkpointIntervalMs, 60_000));
    this.timer = setInterval(() => {
      this.maintaining ??= this.maintain()
        .catch((err: Error) => this.o.log.error({ err: err.message }, 'audit maintenance failed'))
        .finally(() => {
          this.maintaining = undefined;
        });
    }, every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.maintaining;
  }
}
