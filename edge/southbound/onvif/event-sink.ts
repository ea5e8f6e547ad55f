/**
 * Where the camera adapter raises Events (proto `Event`, always priority alarm; the EventSink
 * interface is the store's, edge/store/event-sink.ts). The lead's sync stage will carry them to
 * the cloud in batches; until then `SqliteEventStore` keeps them durably (raise() returns after the
 * row is committed) and lists them for the local API.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { pb, ClockQuality, type Event } from '../../../proto/index.js';
import { preparePrivateDatabase } from '../../../common/private-files.js';
import type { EventSink } from '../../store/event-sink.js';

export type { EventSink };

export type Severity = 'info' | 'warning' | 'critical';
const SEVERITY = { info: pb.Event.Severity.INFO, warning: pb.Event.Severity.WARNING, critical: pb.Event.Severity.CRITICAL };

/** Builds an Event stamped by the gateway clock. */
export function cameraEvent(deviceId: string, type: string, severity: Severity, active: boolean, message: string, attributes: Record<string, string>, tsMs = Date.now()): Event {
  return { id: randomUUID(), deviceId, type, severity: SEVERITY[severity], tsMs, clock: ClockQuality.CLOCK_GATEWAY_SYNCED, message, attributes, active };
}

export interface StoredEvent { id: string; deviceId: string; type: string; severity: number; tsMs: number; message: string; attributes: Record<string, string>; active: boolean }

export class SqliteEventStore implements EventSink {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  constructor(path: string, private readonly maxRows = 100_000) {
    preparePrivateDatabase(path); // 0600 with its sidecars (profile-events.db, camera-events.db)
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS camera_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, ts_ms INTEGER NOT NULL, device_id TEXT NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT INTO camera_events (id, ts_ms, device_id, type, body) VALUES (?, ?, ?, ?, ?)');
  }

  raise(e: Event): void {
    const s: StoredEvent = { id: e.id ?? randomUUID(), deviceId: e.deviceId ?? '', type: e.type ?? '', severity: Number(e.severity ?? 0), tsMs: Number(e.tsMs ?? Date.now()), message: e.message ?? '', attributes: { ...(e.attributes ?? {}) }, active: e.active ?? false };
    const info = this.insert.run(s.id, s.tsMs, s.deviceId, s.type, JSON.stringify(s));
    if (Number(info.lastInsertRowid) % 1000 === 0) this.db.prepare('DELETE FROM camera_events WHERE seq <= ?').run(Number(info.lastInsertRowid) - this.maxRows);
  }

  /** Newest last. */
  list(opts: { deviceId?: string; limit?: number } = {}): StoredEvent[] {
    const rows = (opts.deviceId
      ? this.db.prepare('SELECT body FROM camera_events WHERE device_id = ? ORDER BY seq DESC LIMIT ?').all(opts.deviceId, opts.limit ?? 100)
      : this.db.prepare('SELECT body FROM camera_events ORDER BY seq DESC LIMIT ?').all(opts.limit ?? 100)) as { body: string }[];
    return rows.reverse().map((r) => JSON.parse(r.body) as StoredEvent);
  }

  close(): void {
    this.db.close();
  }
}
