/**
 * The local alarm history (`yiwang-edge events`, GET /v1/events): every event the agent raised
 * (profile rule alarms and range checks, camera events — all go through the outbox's `raise`),
 * written in the same transaction as its outbox row (edge/store/events.ts) and kept after the
 * cloud acknowledged it, so a technician sees what happened on site with the uplink down or up.
 * Bounded in rows and bytes: past either cap the oldest are deleted down to 90 % and counted
 * (`event_history_evicted`); `events_raised` keeps the total since the store was created.
 */
import type Database from 'better-sqlite3';
import type { Event } from '../../proto/index.js';
import type { Counters } from './counters.js';
import { printable } from './reading-check.js';

export const EVENT_HISTORY_DEFAULTS = { maxRows: 10_000, maxBytes: 8 * 2 ** 20 };

const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type EventSeverity = (typeof SEVERITIES)[number];

export interface HistoryEvent {
  /** Position in the history (ascending with time of raising). */
  seq: number;
  id: string;
  deviceId: string;
  type: string;
  severity: EventSeverity;
  /** When it happened (the event's own timestamp) and when the agent stored it. */
  tsMs: number;
  raisedMs: number;
  message: string;
  attributes: Record<string, string>;
  /** true: raised (alarm on); false: cleared. */
  active: boolean;
}

export interface EventHistoryStats {
  /** Events in the history, their accounted bytes and the caps. */
  held: number;
  bytes: number;
  capRows: number;
  capBytes: number;
  /** Deleted by the caps since the store was created. */
  evicted: number;
  /** Raised since the store was created (`events_raised`). */
  raised: number;
  /** Timestamp of the newest event held, null when none. */
  newestTs: number | null;
}

export interface EventQuery {
  sinceMs?: number;
  limit?: number;
  deviceId?: string;
}

interface Row {
  seq: number;
  ts_ms: number;
  raised_ms: number;
  device: string;
  type: string;
  severity: number;
  active: number;
  body: string;
}

const DDL = `CREATE TABLE IF NOT EXISTS event_history (
  seq INTEGER PRIMARY KEY,
  ts_ms INTEGER NOT NULL,      -- the event's timestamp
  raised_ms INTEGER NOT NULL,  -- wall clock when stored
  device TEXT NOT NULL,
  type TEXT NOT NULL,
  severity INTEGER NOT NULL,   -- yiwang.v1.Event.Severity
  active INTEGER NOT NULL,
  body TEXT NOT NULL,          -- JSON {id, message, attributes}
  size INTEGER NOT NULL        -- accounted bytes (for the byte cap)
);
CREATE INDEX IF NOT EXISTS event_history_ts ON event_history (ts_ms);`;

/** Most events one page returns. */
export const EVENT_PAGE_MAX = 1000;

export class EventHistory {
  private readonly insert: Database.Statement;
  private readonly totals: Database.Statement<[], { n: number; b: number | null }>;
  private readonly oldest: Database.Statement<[number], { seq: number; size: number }>;
  private readonly drop: Database.Statement;
  private readonly newest: Database.Statement<[], { ts: number | null }>;
  private held = { n: 0, b: 0 };

  constructor(
    private readonly db: Database.Database,
    private readonly counters: Counters,
    private readonly caps = EVENT_HISTORY_DEFAULTS,
  ) {
    db.exec(DDL);
    this.insert = db.prepare(
      'INSERT INTO event_history (ts_ms, raised_ms, device, type, severity, active, body, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.totals = db.prepare('SELECT count(*) AS n, sum(size) AS b FROM event_history');
    this.oldest = db.prepare('SELECT seq, size FROM event_history ORDER BY seq LIMIT ?');
    this.drop = db.prepare('DELETE FROM event_history WHERE seq <= ?');
    this.newest = db.prepare('SELECT max(ts_ms) AS ts FROM event_history');
    this.reload();
  }

  /** Inside the transaction that puts the event in the outbox. */
  add(e: Event, nowMs: number): void {
    const device = printable(e.deviceId ?? '', 128),
      type = printable(e.type ?? '', 128);
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(e.attributes ?? {}).slice(0, 64))
      attributes[printable(k, 128)] = printable(String(v), 512);
    const body = JSON.stringify({
      id: printable(e.id ?? '', 128),
      message: printable(e.message ?? '', 2048),
      attributes,
    });
    const size = 64 + device.length + type.length + body.length;
    const severity = Math.min(Math.max(Number(e.severity ?? 0) || 0, 0), 2);
    this.insert.run(Number(e.tsMs) || nowMs, nowMs, device, type, severity, e.active ? 1 : 0, body, size);
    let n = this.held.n + 1,
      b = this.held.b + size;
    if (n > this.caps.maxRows || b > this.caps.maxBytes) {
      let last = -1,
        evicted = 0;
      for (const r of this.oldest.all(n - 1)) {
        // the newest (just inserted) stays
        if (n <= this.caps.maxRows * 0.9 && b <= this.caps.maxBytes * 0.9) break;
        last = r.seq;
        n--;
        b -= r.size;
        evicted++;
      }
      if (last >= 0) this.drop.run(last);
      this.counters.bump('event_history_evicted', evicted);
    }
    this.held = { n, b };
  }

  /** After a failed transaction (and at open). */
  reload(): void {
    const t = this.totals.get()!;
    this.held = { n: t.n, b: t.b ?? 0 };
  }

  /** Newest first: events whose timestamp is at or after `sinceMs`, at most `limit` (≤ 1,000). */
  list(q: EventQuery = {}): HistoryEvent[] {
    const where: string[] = [],
      args: (string | number)[] = [];
    if (q.sinceMs !== undefined) {
      where.push('ts_ms >= ?');
      args.push(q.sinceMs);
    }
    if (q.deviceId !== undefined) {
      where.push('device = ?');
      args.push(q.deviceId);
    }
    const limit = Math.max(0, Math.min(q.limit ?? 100, EVENT_PAGE_MAX));
    const rows = this.db
      .prepare(`SELECT seq, ts_ms, raised_ms, device, type, severity, active, body FROM event_history
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts_ms DESC, seq DESC LIMIT ?`)
      .all(...args, limit) as Row[];
    return rows.map((r) => {
      const body = JSON.parse(r.body) as { id: string; message: string; attributes: Record<string, string> };
      return {
        seq: r.seq,
        id: body.id,
        deviceId: r.device,
        type: r.type,
        severity: SEVERITIES[r.severity] ?? 'info',
        tsMs: r.ts_ms,
        raisedMs: r.raised_ms,
        message: body.message,
        attributes: body.attributes,
        active: r.active === 1,
      };
    });
  }

  stats(): EventHistoryStats {
    return {
      held: this.held.n,
      bytes: this.held.b,
      capRows: this.caps.maxRows,
      capBytes: this.caps.maxBytes,
      evicted: this.counters.get('event_history_evicted'),
      raised: this.counters.get('events_raised'),
      newestTs: this.newest.get()?.ts ?? null,
    };
  }
}
