/**
 * A local SQLite table of raised Events (proto `Event`, always priority alarm): an EventSink
 * (edge/store/event-sink.ts) that keeps them durably (raise() returns after the row is committed)
 * and lists them for the local API. The agent keeps profile alarms in `profile-events.db`, the
 * camera adapter its events in `camera-events.db`, one table `events` in each. Databases written
 * before issue 18 named the table `camera_events`; it is renamed when such a file is opened.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Event } from '../../proto/index.js';
import { preparePrivateDatabase } from '../../common/private-files.js';
import type { EventSink } from './event-sink.js';

export interface StoredEvent {
  id: string;
  deviceId: string;
  type: string;
  severity: number;
  tsMs: number;
  message: string;
  attributes: Record<string, string>;
  active: boolean;
}

const tableExists = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/** The table was `camera_events` before issue 18 (it holds every event, not only cameras'): renamed in place, rows and sequence kept. */
function migrateEventsTable(db: Database.Database): void {
  db.transaction(() => {
    if (!tableExists(db, 'camera_events')) return;
    if (!tableExists(db, 'events')) {
      db.exec('ALTER TABLE camera_events RENAME TO events');
      return;
    }
    // both exist (should not happen): keep the old rows, in their order, after the new ones
    db.exec(
      'INSERT OR IGNORE INTO events (id, ts_ms, device_id, type, body) SELECT id, ts_ms, device_id, type, body FROM camera_events ORDER BY seq',
    );
    db.exec('DROP TABLE camera_events');
  })();
}

export class SqliteEventStore implements EventSink {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  constructor(
    path: string,
    private readonly maxRows = 100_000,
  ) {
    preparePrivateDatabase(path); // 0600 with its sidecars (profile-events.db, camera-events.db)
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    migrateEventsTable(this.db);
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, ts_ms INTEGER NOT NULL, device_id TEXT NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL)',
    );
    this.insert = this.db.prepare('INSERT INTO events (id, ts_ms, device_id, type, body) VALUES (?, ?, ?, ?, ?)');
  }

  raise(e: Event): void {
    const s: StoredEvent = {
      id: e.id ?? randomUUID(),
      deviceId: e.deviceId ?? '',
      type: e.type ?? '',
      severity: Number(e.severity ?? 0),
      tsMs: Number(e.tsMs ?? Date.now()),
      message: e.message ?? '',
      attributes: { ...(e.attributes ?? {}) },
      active: e.active ?? false,
    };
    const info = this.insert.run(s.id, s.tsMs, s.deviceId, s.type, JSON.stringify(s));
    if (Number(info.lastInsertRowid) % 1000 === 0)
      this.db.prepare('DELETE FROM events WHERE seq <= ?').run(Number(info.lastInsertRowid) - this.maxRows);
  }

  /** Newest last. */
  list(opts: { deviceId?: string; limit?: number } = {}): StoredEvent[] {
    const rows = (
      opts.deviceId
        ? this.db
            .prepare('SELECT body FROM events WHERE device_id = ? ORDER BY seq DESC LIMIT ?')
            .all(opts.deviceId, opts.limit ?? 100)
        : this.db.prepare('SELECT body FROM events ORDER BY seq DESC LIMIT ?').all(opts.limit ?? 100)
    ) as { body: string }[];
    return rows.reverse().map((r) => JSON.parse(r.body) as StoredEvent);
  }

  close(): void {
    this.db.close();
  }
}
