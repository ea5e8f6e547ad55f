/**
 * The local SQLite event table (profile-events.db, camera-events.db): events are kept and listed
 * newest last; a database written before issue 18, whose table was `camera_events`, is migrated
 * in place to `events` with its rows, and new events follow the old ones.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../edge/store/sqlite-event-store.js';
import { ClockQuality, pb, type Event } from '../../../proto/index.js';
import { tempDir } from '../../helpers/fleet.js';

const ev = (id: string, deviceId: string, type: string, tsMs: number): Event => ({
  id,
  deviceId,
  type,
  severity: pb.Event.Severity.WARNING,
  tsMs,
  clock: ClockQuality.CLOCK_GATEWAY_SYNCED,
  message: type,
  attributes: { a: '1' },
  active: true,
});

const tables = (path: string): string[] => {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as { name: string }[]
    ).map((r) => r.name);
  } finally {
    db.close();
  }
};

t.test('events are kept in the table `events` and listed newest last', async (t) => {
  const path = join(tempDir('yw-sqlite-events-'), 'profile-events.db');
  const store = new SqliteEventStore(path);
  store.raise(ev('e1', 'dev-1', 'temp_high', 1000));
  store.raise(ev('e2', 'dev-2', 'camera_motion', 2000));
  t.same(
    store.list().map((e) => e.id),
    ['e1', 'e2'],
  );
  t.same(
    store.list({ deviceId: 'dev-2' }).map((e) => e.type),
    ['camera_motion'],
  );
  store.close();
  t.same(tables(path), ['events']);
});

t.test('a database with the old table camera_events is migrated to events, rows and order kept', async (t) => {
  const path = join(tempDir('yw-sqlite-events-old-'), 'camera-events.db');
  // the schema and rows exactly as versions before issue 18 wrote them
  const old = new Database(path);
  old.pragma('journal_mode = WAL');
  old.exec(
    'CREATE TABLE IF NOT EXISTS camera_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, ts_ms INTEGER NOT NULL, device_id TEXT NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL)',
  );
  const put = old.prepare('INSERT INTO camera_events (id, ts_ms, device_id, type, body) VALUES (?, ?, ?, ?, ?)');
  for (const [id, dev, type, ts] of [
    ['o1', 'cam-1', 'camera_offline', 10],
    ['o2', 'cam-1', 'camera_motion', 20],
    ['o3', 'cam-2', 'camera_tamper', 30],
  ] as const) {
    put.run(
      id,
      ts,
      dev,
      type,
      JSON.stringify({ id, deviceId: dev, type, severity: 2, tsMs: ts, message: type, attributes: {}, active: true }),
    );
  }
  old.exec("DELETE FROM camera_events WHERE id = 'o3'"); // the sequence is ahead of the rows
  old.close();

  const store = new SqliteEventStore(path);
  t.same(tables(path), ['events'], 'camera_events renamed to events');
  t.same(
    store.list().map((e) => e.id),
    ['o1', 'o2'],
    'old rows kept in order',
  );
  store.raise(ev('n1', 'cam-2', 'camera_stream_down', 40));
  t.same(
    store.list().map((e) => e.id),
    ['o1', 'o2', 'n1'],
    'a new event comes after the old ones',
  );
  t.same(
    store.list({ deviceId: 'cam-1' }).map((e) => e.type),
    ['camera_offline', 'camera_motion'],
  );
  store.close();

  const db = new Database(path, { readonly: true });
  t.equal(
    (db.prepare("SELECT seq FROM events WHERE id = 'n1'").get() as { seq: number }).seq,
    4,
    'the AUTOINCREMENT sequence went with the table (no seq reused)',
  );
  db.close();

  const again = new SqliteEventStore(path);
  t.same(
    again.list().map((e) => e.id),
    ['o1', 'o2', 'n1'],
    'opening a migrated file again changes nothing',
  );
  again.close();
});

t.test('a file holding both tables keeps the old rows in events and drops camera_events', async (t) => {
  const path = join(tempDir('yw-sqlite-events-both-'), 'camera-events.db');
  const db = new Database(path);
  const ddl = (name: string): string =>
    `CREATE TABLE ${name} (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, ts_ms INTEGER NOT NULL, device_id TEXT NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL)`;
  db.exec(ddl('camera_events'));
  db.exec(ddl('events'));
  const body = (id: string): string =>
    JSON.stringify({
      id,
      deviceId: 'cam-1',
      type: 'camera_motion',
      severity: 2,
      tsMs: 1,
      message: '',
      attributes: {},
      active: true,
    });
  db.prepare("INSERT INTO events (id, ts_ms, device_id, type, body) VALUES (?, 1, 'cam-1', 'camera_motion', ?)").run(
    'new',
    body('new'),
  );
  db.prepare(
    "INSERT INTO camera_events (id, ts_ms, device_id, type, body) VALUES (?, 1, 'cam-1', 'camera_motion', ?)",
  ).run('old', body('old'));
  db.close();
  const store = new SqliteEventStore(path);
  t.same(tables(path), ['events']);
  t.same(
    store
      .list()
      .map((e) => e.id)
      .sort(),
    ['new', 'old'],
  );
  store.close();
});
