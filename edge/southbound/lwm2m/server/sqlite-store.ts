/**
 * The LwM2M server's store (the Lwm2mStore interface, store.ts) in SQLite tables of the agent's
 * store file: registrations, the per-device downlink queue, observations and device events. Writes
 * go through a group committer (one transaction per few ms), so a Register answered after
 * `write()` resolves is durable and 10,000 registrations do not cost 10,000 fsyncs.
 */
import type Database from 'better-sqlite3';
import { GroupCommitter } from '../../../../common/group-commit.js';
import type { EventRow, Lwm2mStore, ObservationRow, QueueRow, RegistrationRow, RequestState } from './store.js';

export const LWM2M_DDL = `
CREATE TABLE IF NOT EXISTS lwm2m_registrations (
  endpoint TEXT PRIMARY KEY,
  reg_id TEXT NOT NULL UNIQUE,
  address TEXT NOT NULL,
  port INTEGER NOT NULL,
  lifetime_s INTEGER NOT NULL,
  version TEXT NOT NULL,
  binding TEXT NOT NULL,
  queue_mode INTEGER NOT NULL,
  sms TEXT,
  links TEXT NOT NULL,
  content_format INTEGER NOT NULL,
  registered_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  online INTEGER NOT NULL,
  address_lost INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lwm2m_registrations_address ON lwm2m_registrations (address, port);
CREATE TABLE IF NOT EXISTS lwm2m_queue (
  id INTEGER PRIMARY KEY,
  endpoint TEXT NOT NULL,
  op TEXT NOT NULL,
  path TEXT NOT NULL,
  spec TEXT NOT NULL,
  coalesce_key TEXT,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  result TEXT,
  done_ms INTEGER
);
CREATE INDEX IF NOT EXISTS lwm2m_queue_open ON lwm2m_queue (endpoint, id) WHERE state IN ('pending', 'sent');
CREATE INDEX IF NOT EXISTS lwm2m_queue_endpoint ON lwm2m_queue (endpoint, id);
CREATE INDEX IF NOT EXISTS lwm2m_queue_expiry ON lwm2m_queue (expires_ms) WHERE state IN ('pending', 'sent');
CREATE TABLE IF NOT EXISTS lwm2m_observations (
  endpoint TEXT NOT NULL,
  paths TEXT NOT NULL,
  token TEXT NOT NULL,
  composite INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (endpoint, paths)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lwm2m_events (
  id INTEGER PRIMARY KEY,
  endpoint TEXT NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
`;

type Work = () => unknown;

export class SqliteLwm2mStore implements Lwm2mStore {
  private readonly committer: GroupCommitter<Work, unknown>;
  private readonly q;

  constructor(db: Database.Database, commitMs = 2, durable?: () => Promise<void>) {
    // a store file from before address_lost gets the column (CREATE TABLE IF NOT EXISTS leaves it as it is)
    const regCols = db.prepare<[], { name: string }>('PRAGMA table_info(lwm2m_registrations)').all();
    if (regCols.length > 0 && !regCols.some((c) => c.name === 'address_lost'))
      db.exec('ALTER TABLE lwm2m_registrations ADD COLUMN address_lost INTEGER NOT NULL DEFAULT 0');
    db.exec(LWM2M_DDL);
    this.q = {
      upsertReg:
        db.prepare(`INSERT OR REPLACE INTO lwm2m_registrations (endpoint, reg_id, address, port, lifetime_s, version, binding, queue_mode, sms, links, content_format, registered_ms, updated_ms, online, address_lost)
        VALUES (@endpoint, @reg_id, @address, @port, @lifetime_s, @version, @binding, @queue_mode, @sms, @links, @content_format, @registered_ms, @updated_ms, @online, @address_lost)`),
      takeAddress: db.prepare(
        'UPDATE lwm2m_registrations SET address_lost = 1 WHERE address = ? AND port = ? AND endpoint <> ? AND address_lost = 0',
      ),
      setOnline: db.prepare('UPDATE lwm2m_registrations SET online = ? WHERE endpoint = ?'),
      deleteReg: db.prepare('DELETE FROM lwm2m_registrations WHERE endpoint = ?'),
      allRegs: db.prepare<[], RegistrationRow>('SELECT * FROM lwm2m_registrations'),
      insertReq: db.prepare(
        `INSERT INTO lwm2m_queue (endpoint, op, path, spec, coalesce_key, created_ms, expires_ms, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`,
      ),
      pendingSameKey: db.prepare<[string, string], { id: number; bytes: number }>(
        `SELECT id, length(spec) AS bytes FROM lwm2m_queue WHERE endpoint = ? AND coalesce_key = ? AND state = 'pending'`,
      ),
      finish: db.prepare('UPDATE lwm2m_queue SET state = ?, result = ?, done_ms = ? WHERE id = ?'),
      markSent: db.prepare(`UPDATE lwm2m_queue SET state = 'sent', attempts = attempts + 1 WHERE id = ?`),
      markPending: db.prepare(`UPDATE lwm2m_queue SET state = 'pending' WHERE id = ?`),
      unmarkSent: db.prepare(`UPDATE lwm2m_queue SET state = 'pending', attempts = max(0, attempts - 1) WHERE id = ?`),
      openFor: db.prepare<[string], QueueRow>(
        `SELECT * FROM lwm2m_queue WHERE endpoint = ? AND state IN ('pending', 'sent') ORDER BY id`,
      ),
      recentFor: db.prepare<[string, number], QueueRow>(
        `SELECT * FROM lwm2m_queue WHERE endpoint = ? ORDER BY id DESC LIMIT ?`,
      ),
      byId: db.prepare<[number], QueueRow>('SELECT * FROM lwm2m_queue WHERE id = ?'),
      resetSent: db.prepare(`UPDATE lwm2m_queue SET state = 'pending' WHERE state = 'sent'`),
      openCounts: db.prepare<[], { endpoint: string; n: number; bytes: number }>(
        `SELECT endpoint, count(*) AS n, sum(length(spec)) AS bytes FROM lwm2m_queue WHERE state IN ('pending', 'sent') GROUP BY endpoint`,
      ),
      expiredOpen: db.prepare<[number, number], { id: number; endpoint: string; bytes: number }>(
        `SELECT id, endpoint, length(spec) AS bytes FROM lwm2m_queue WHERE state IN ('pending', 'sent') AND expires_ms <= ? ORDER BY expires_ms LIMIT ?`,
      ),
      doneCutoff: db.prepare<[number], { id: number }>(
        `SELECT id FROM lwm2m_queue WHERE state NOT IN ('pending', 'sent') ORDER BY id DESC LIMIT 1 OFFSET ?`,
      ),
      pruneDone: db.prepare(`DELETE FROM lwm2m_queue WHERE state NOT IN ('pending', 'sent') AND id <= ?`),
      eventsCutoff: db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM lwm2m_events'),
      pruneEvents: db.prepare('DELETE FROM lwm2m_events WHERE id <= ?'),
      deleteObsOf: db.prepare('DELETE FROM lwm2m_observations WHERE endpoint = ?'),
      upsertObs: db.prepare(
        'INSERT OR REPLACE INTO lwm2m_observations (endpoint, paths, token, composite, created_ms) VALUES (@endpoint, @paths, @token, @composite, @created_ms)',
      ),
      deleteObs: db.prepare('DELETE FROM lwm2m_observations WHERE endpoint = ? AND paths = ?'),
      allObs: db.prepare<[], ObservationRow>('SELECT * FROM lwm2m_observations'),
      insertEvent: db.prepare('INSERT INTO lwm2m_events (endpoint, kind, detail, at_ms) VALUES (?, ?, ?, ?)'),
      eventsFor: db.prepare<[string, number], EventRow>(
        'SELECT * FROM lwm2m_events WHERE endpoint = ? ORDER BY id DESC LIMIT ?',
      ),
    };
    this.q.resetSent.run(); // requests in flight when the agent stopped are sent again on the next wake
    this.committer = new GroupCommitter<Work, unknown>({
      windowMs: commitMs,
      commit: (items) => db.transaction(() => items.map((w) => w()))(),
      ...(durable ? { afterCommit: durable } : {}),
    });
  }

  /** Runs `work` inside the next group transaction; resolves with its result once committed (and durable, with `durable`). */
  write<T>(work: () => T): Promise<T> {
    return this.committer.submit(work) as Promise<T>;
  }

  putRegistration(row: RegistrationRow): void {
    this.q.upsertReg.run(row);
  }
  setOnline(endpoint: string, online: boolean): void {
    this.q.setOnline.run(online ? 1 : 0, endpoint);
  }
  deleteRegistration(endpoint: string): void {
    this.q.deleteReg.run(endpoint);
  }
  takeAddress(endpoint: string, address: string, port: number): void {
    this.q.takeAddress.run(address, port, endpoint);
  }
  registrations(): RegistrationRow[] {
    return this.q.allRegs.all();
  }

  /** Inserts a pending request; returns its id and the ids of pending requests it superseded. */
  enqueue(
    endpoint: string,
    op: string,
    path: string,
    spec: string,
    coalesceKey: string | null,
    now: number,
    expiresMs: number,
  ): { id: number; superseded: { id: number; bytes: number }[] } {
    const superseded = coalesceKey === null ? [] : this.q.pendingSameKey.all(endpoint, coalesceKey);
    const id = Number(this.q.insertReq.run(endpoint, op, path, spec, coalesceKey, now, expiresMs).lastInsertRowid);
    return { id, superseded };
  }
  finish(id: number, state: RequestState, result: unknown, now: number): void {
    this.q.finish.run(state, JSON.stringify(result), now, id);
  }
  markSent(id: number): void {
    this.q.markSent.run(id);
  }
  markPending(id: number, uncount = false): void {
    (uncount ? this.q.unmarkSent : this.q.markPending).run(id);
  }
  openRequests(endpoint: string): QueueRow[] {
    return this.q.openFor.all(endpoint);
  }
  recentRequests(endpoint: string, limit: number): QueueRow[] {
    return this.q.recentFor.all(endpoint, limit);
  }
  request(id: number): QueueRow | undefined {
    return this.q.byId.get(id);
  }
  /** Pending requests of a device with this coalescing key (a new one supersedes them): count and bytes. */
  pendingSame(endpoint: string, coalesceKey: string): { n: number; bytes: number } {
    const rows = this.q.pendingSameKey.all(endpoint, coalesceKey);
    return { n: rows.length, bytes: rows.reduce((a, r) => a + r.bytes, 0) };
  }

  /** Open requests per device: count and bytes (characters of their stored JSON). */
  openCounts(): Map<string, { n: number; bytes: number }> {
    return new Map(this.q.openCounts.all().map((r) => [r.endpoint, { n: r.n, bytes: r.bytes }]));
  }
  /** Open requests whose time to live ran out, soonest first, at most `limit`. */
  expiredOpen(now: number, limit: number): { id: number; endpoint: string; bytes: number }[] {
    return this.q.expiredOpen.all(now, limit);
  }

  /** Keeps the newest `maxRows` finished requests and the newest `maxRows` device events; returns the rows deleted. */
  pruneHistory(maxRows: number): number {
    let n = 0;
    const done = this.q.doneCutoff.get(maxRows);
    if (done) n += this.q.pruneDone.run(done.id).changes;
    const last = this.q.eventsCutoff.get()?.id;
    if (last != null && last > maxRows) n += this.q.pruneEvents.run(last - maxRows).changes;
    return n;
  }

  putObservation(row: ObservationRow): void {
    this.q.upsertObs.run(row);
  }
  deleteObservation(endpoint: string, paths: string): void {
    this.q.deleteObs.run(endpoint, paths);
  }
  deleteObservations(endpoint: string): void {
    this.q.deleteObsOf.run(endpoint);
  }
  observations(): ObservationRow[] {
    return this.q.allObs.all();
  }

  addEvent(endpoint: string, kind: string, detail: string, at: number): void {
    this.q.insertEvent.run(endpoint, kind, detail, at);
  }
  events(endpoint: string, limit = 50): EventRow[] {
    return this.q.eventsFor.all(endpoint, limit);
  }

  close(): void {
    this.committer.close();
  }
}
