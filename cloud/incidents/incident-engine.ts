/**
 * The incident engine, a cluster-wide job (it works only while `isLeader()`): reads new alarms
 * from the health store by a durable cursor (the last event id handled, kept in the incident
 * store, moved after each batch is handled), opens incidents by rule or links repeats, then
 * escalates incidents whose deadline passed. Handling an alarm twice does nothing the second time
 * (one incident per alarm), so a restart between handling and moving the cursor repeats nothing.
 * The first start begins at the newest event: alarms from before incidents existed are not
 * turned into incidents (open them by hand).
 *
 * `lookbackIds` re-reads that many ids below the cursor, never below where this process started
 * (PostgreSQL: ids come from a sequence and a transaction may commit after one with a higher id;
 * ids handled by this process and alarms linked already are skipped). An alarm whose transaction
 * commits more than `lookbackIds` ids late, or late across a restart of the leader, is missed.
 */
import type { Logger } from '../../common/log.js';
import type { HealthStore } from '../store/health-store.js';
import type { EventRecord } from '../health/types.js';
import type { IncidentStore } from './incident-store.js';
import type { IncidentService } from './incident-service.js';

export const ALARM_CURSOR = 'alarms';

export interface IncidentEngineOptions {
  service: IncidentService;
  store: IncidentStore;
  events: Pick<HealthStore, 'listEvents'>;
  isLeader: () => boolean;
  log: Logger;
  /** Pass interval (default 2 s). */
  intervalMs?: number;
  /** Events read per query (≤ 1000). */
  batch?: number;
  /** Batches per pass at most (the rest waits for the next pass). */
  maxBatches?: number;
  lookbackIds?: number;
}

/** Passes an alarm may fail before the engine gives it up (see handleOrWait). */
export const ALARM_ATTEMPTS = 3;

export class IncidentEngine {
  readonly counters = {
    passes: 0,
    alarmsHandled: 0,
    opened: 0,
    repeats: 0,
    unrouted: 0,
    errors: 0,
    /** Alarms whose handling failed (retried next pass, at most ALARM_ATTEMPTS times). */
    alarmsFailed: 0,
    /** Alarms given up after ALARM_ATTEMPTS failed passes (logged with their id; open them by hand). */
    alarmsSkipped: 0,
    escalated: 0,
    cursor: 0,
  };
  private timer: NodeJS.Timeout | undefined;
  /** The pass running or queued last: passes never overlap (the timer's and a caller's). */
  private chain: Promise<unknown> = Promise.resolve();
  private queued = 0;
  /** Ids at or below the cursor handled by this process (the lookback window), bounded by it. */
  private readonly seen = new Set<number>();
  /** The cursor when this process first read it. */
  private floor: number | undefined;
  /** Failed passes of the alarm the cursor waits at (one at a time: the cursor stops at it). */
  private failing: { id: number; attempts: number } | undefined;

  constructor(private readonly o: IncidentEngineOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.queued === 0) void this.tick();
    }, this.o.intervalMs ?? 2000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  /** One pass (leader only): new alarms, then escalations; after the pass running, if any. */
  tick(): Promise<{ handled: number; escalated: number }> {
    this.queued++;
    const next = this.chain.then(() => this.pass()).finally(() => this.queued--);
    this.chain = next.catch(() => {});
    return next;
  }

  private async pass(): Promise<{ handled: number; escalated: number }> {
    if (!this.o.isLeader()) return { handled: 0, escalated: 0 };
    this.counters.passes++;
    let handled = 0;
    let escalated = 0;
    // alarms and escalations fail apart: one never holds the other back
    try {
      handled = await this.readAlarms();
    } catch (err) {
      this.counters.errors++;
      this.o.log.error({ err: (err as Error).message }, 'incident engine: reading alarms failed');
    }
    try {
      escalated = await this.o.service.escalateOverdue();
      this.counters.escalated += escalated;
    } catch (err) {
      this.counters.errors++;
      this.o.log.error({ err: (err as Error).message }, 'incident engine: escalation failed');
    }
    return { handled, escalated };
  }

  private async readAlarms(): Promise<number> {
    const s = this.o.store;
    let cursor = await s.getCursor(ALARM_CURSOR);
    if (cursor === undefined) {
      cursor = (await this.o.events.listEvents({ limit: 1 }))[0]?.id ?? 0;
      await s.setCursor(ALARM_CURSOR, cursor);
    }
    const batch = Math.min(this.o.batch ?? 500, 1000);
    const lookback = this.o.lookbackIds ?? 0;
    // the lookback never reaches below where this process started: what was below was handled before
    this.floor ??= cursor;
    let from = Math.max(this.floor, cursor - lookback);
    let handled = 0;
    for (let i = 0; i < (this.o.maxBatches ?? 20); i++) {
      const events = await this.o.events.listEvents({ afterId: from, alarmsOnly: true, limit: batch });
      if (events.length === 0) break;
      const old = events.filter((e) => e.id <= cursor! && !this.seen.has(e.id));
      const linked = old.length ? await s.linkedAmong(old.map((e) => e.id)) : new Set<number>();
      let waiting = false;
      for (const e of events) {
        if (e.id <= cursor && (this.seen.has(e.id) || linked.has(e.id))) continue;
        if (!(await this.handleOrWait(e))) {
          // the cursor stops before it: the alarms after it wait for the next pass
          if (e.id - 1 > cursor) {
            cursor = e.id - 1;
            await s.setCursor(ALARM_CURSOR, cursor);
          }
          waiting = true;
          break;
        }
        handled++;
        if (lookback) this.seen.add(e.id);
      }
      if (waiting) break;
      from = events[events.length - 1]!.id;
      if (from > cursor) {
        cursor = from;
        await s.setCursor(ALARM_CURSOR, cursor);
      }
      if (events.length < batch) break;
    }
    for (const id of this.seen) if (id <= cursor - lookback) this.seen.delete(id);
    this.counters.cursor = cursor;
    return handled;
  }

  /**
   * Handles one alarm; false when it failed and should be tried again next pass. An alarm that
   * fails ALARM_ATTEMPTS passes is given up (counted, logged with its id) so that it cannot hold
   * every later alarm back; a store outage fails every alarm alike and so retries them in order.
   */
  private async handleOrWait(e: EventRecord): Promise<boolean> {
    try {
      await this.handle(e);
      if (this.failing?.id === e.id) this.failing = undefined;
      return true;
    } catch (err) {
      this.counters.alarmsFailed++;
      const attempts = this.failing?.id === e.id ? this.failing.attempts + 1 : 1;
      this.failing = { id: e.id, attempts };
      const skip = attempts >= ALARM_ATTEMPTS;
      this.o.log.error(
        { eventId: e.id, attempts, err: (err as Error).message },
        skip
          ? 'incident engine: alarm given up after repeated failures'
          : 'incident engine: alarm failed, retried next pass',
      );
      if (!skip) return false;
      this.counters.alarmsSkipped++;
      this.failing = undefined;
      return true;
    }
  }

  private async handle(e: EventRecord): Promise<void> {
    this.counters.alarmsHandled++;
    const r = await this.o.service.onAlarm(e);
    if (!r) this.counters.unrouted++;
    else if (r.how === 'opened') this.counters.opened++;
    else this.counters.repeats++;
  }
}
