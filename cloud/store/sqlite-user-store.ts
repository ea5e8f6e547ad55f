/** SQLite implementation of UserStore (user-store.ts), on the cloud store's file and connection. */
import type Database from 'better-sqlite3';
import {
  USER_COLUMNS,
  patchColumns,
  type SessionRecord,
  type SessionRow,
  sessionOf,
  type UserPatch,
  type UserRecord,
  type UserRow,
  type UserStore,
  userOf,
} from './user-store.js';

const DDL = `
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL, districts TEXT NOT NULL,
  groups TEXT NOT NULL, password_hash TEXT NOT NULL, totp_sealed TEXT NOT NULL, totp_last_step INTEGER NOT NULL, disabled INTEGER NOT NULL,
  created_ms INTEGER NOT NULL, password_changed_ms INTEGER NOT NULL, last_login_ms INTEGER);
CREATE TABLE IF NOT EXISTS user_sessions (id_hash TEXT PRIMARY KEY, user_name TEXT NOT NULL, created_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL, csrf TEXT NOT NULL, address TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS user_sessions_user ON user_sessions (user_name, created_ms);
`;

export class SqliteUserStore implements UserStore {
  constructor(private readonly db: Database.Database) {
    db.exec(DDL);
  }

  async countUsers(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  async getUser(name: string): Promise<UserRecord | undefined> {
    const r = this.db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE name = ?`).get(name) as UserRow | undefined;
    return r ? userOf(r) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (this.db.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY name`).all() as UserRow[]).map(userOf);
  }

  async createUser(u: UserRecord): Promise<boolean> {
    const r = this.db
      .prepare(
        `INSERT INTO users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`,
      )
      .run(
        u.name,
        u.displayName,
        u.role,
        JSON.stringify(u.districts),
        JSON.stringify(u.groups),
        u.passwordHash,
        u.totpSealed,
        u.totpLastStep,
        u.disabled ? 1 : 0,
        u.createdMs,
        u.passwordChangedMs,
        u.lastLoginMs,
      );
    return r.changes === 1;
  }

  async updateUser(name: string, patch: UserPatch): Promise<boolean> {
    const cols = patchColumns(patch).map(([c, v]) => [c, typeof v === 'boolean' ? (v ? 1 : 0) : v] as const);
    if (cols.length === 0) return (await this.getUser(name)) !== undefined;
    const r = this.db
      .prepare(`UPDATE users SET ${cols.map(([c]) => `${c} = ?`).join(', ')} WHERE name = ?`)
      .run(...cols.map(([, v]) => v), name);
    return r.changes === 1;
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO user_sessions (id_hash, user_name, created_ms, last_seen_ms, csrf, address) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(s.idHash, s.user, s.createdMs, s.lastSeenMs, s.csrf, s.address);
  }

  async getSession(idHash: string): Promise<SessionRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM user_sessions WHERE id_hash = ?').get(idHash) as SessionRow | undefined;
    return r ? sessionOf(r) : undefined;
  }

  async touchSession(idHash: string, lastSeenMs: number): Promise<void> {
    this.db.prepare('UPDATE user_sessions SET last_seen_ms = ? WHERE id_hash = ?').run(lastSeenMs, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.db.prepare('DELETE FROM user_sessions WHERE id_hash = ?').run(idHash);
  }

  async userSessions(name: string): Promise<SessionRecord[]> {
    return (
      this.db.prepare('SELECT * FROM user_sessions WHERE user_name = ? ORDER BY created_ms').all(name) as SessionRow[]
    ).map(sessionOf);
  }

  async deleteUserSessions(name: string): Promise<number> {
    return this.db.prepare('DELETE FROM user_sessions WHERE user_name = ?').run(name).changes;
  }

  async pruneSessions(idleBeforeMs: number, createdBeforeMs: number): Promise<number> {
    return this.db
      .prepare('DELETE FROM user_sessions WHERE last_seen_ms < ? OR created_ms < ?')
      .run(idleBeforeMs, createdBeforeMs).changes;
  }
}
