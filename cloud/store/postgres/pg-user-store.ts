/** PostgreSQL implementation of UserStore (../user-store.ts); tables from migration 3 (pg-user-schema.ts). */
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
} from '../user-store.js';
import { type PgDatabase, storeError } from './pg-database.js';

export class PgUserStore implements UserStore {
  constructor(private readonly db: PgDatabase) {}

  private async q<R extends object>(what: string, sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.db.query(sql, params)) as R[];
    } catch (err) {
      throw storeError(what, err);
    }
  }

  async countUsers(): Promise<number> {
    return Number((await this.q<{ n: string }>('count users', 'SELECT count(*) AS n FROM users'))[0]?.n ?? 0);
  }

  async getUser(name: string): Promise<UserRecord | undefined> {
    const r = (await this.q<UserRow>('read user', `SELECT ${USER_COLUMNS} FROM users WHERE name = $1`, [name]))[0];
    return r ? userOf(r) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.q<UserRow>('list users', `SELECT ${USER_COLUMNS} FROM users ORDER BY name COLLATE "C"`)).map(
      userOf,
    );
  }

  async createUser(u: UserRecord): Promise<boolean> {
    const r = await this.q<{ name: string }>(
      'create user',
      `INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (name) DO NOTHING RETURNING name`,
      [
        u.name,
        u.displayName,
        u.role,
        JSON.stringify(u.districts),
        JSON.stringify(u.groups),
        u.passwordHash,
        u.totpSealed,
        u.totpLastStep,
        u.disabled,
        u.createdMs,
        u.passwordChangedMs,
        u.lastLoginMs,
      ],
    );
    return r.length === 1;
  }

  async updateUser(name: string, patch: UserPatch): Promise<boolean> {
    const cols = patchColumns(patch);
    if (cols.length === 0) return (await this.getUser(name)) !== undefined;
    const r = await this.q<{ name: string }>(
      'update user',
      `UPDATE users SET ${cols.map(([c], i) => `${c} = $${i + 1}`).join(', ')} WHERE name = $${cols.length + 1} RETURNING name`,
      [...cols.map(([, v]) => v), name],
    );
    return r.length === 1;
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.q(
      'create session',
      'INSERT INTO user_sessions (id_hash, user_name, created_ms, last_seen_ms, csrf, address) VALUES ($1, $2, $3, $4, $5, $6)',
      [s.idHash, s.user, s.createdMs, s.lastSeenMs, s.csrf, s.address],
    );
  }

  async getSession(idHash: string): Promise<SessionRecord | undefined> {
    const r = (await this.q<SessionRow>('read session', 'SELECT * FROM user_sessions WHERE id_hash = $1', [idHash]))[0];
    return r ? sessionOf(r) : undefined;
  }

  async touchSession(idHash: string, lastSeenMs: number): Promise<void> {
    await this.q('touch session', 'UPDATE user_sessions SET last_seen_ms = $1 WHERE id_hash = $2', [
      lastSeenMs,
      idHash,
    ]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.q('delete session', 'DELETE FROM user_sessions WHERE id_hash = $1', [idHash]);
  }

  async userSessions(name: string): Promise<SessionRecord[]> {
    return (
      await this.q<SessionRow>(
        'list sessions',
        'SELECT * FROM user_sessions WHERE user_name = $1 ORDER BY created_ms',
        [name],
      )
    ).map(sessionOf);
  }

  async deleteUserSessions(name: string): Promise<number> {
    return (
      await this.q<{ id_hash: string }>(
        'delete sessions',
        'DELETE FROM user_sessions WHERE user_name = $1 RETURNING id_hash',
        [name],
      )
    ).length;
  }

  async pruneSessions(idleBeforeMs: number, createdBeforeMs: number): Promise<number> {
    return (
      await this.q<{ id_hash: string }>(
        'prune sessions',
        'DELETE FROM user_sessions WHERE last_seen_ms < $1 OR created_ms < $2 RETURNING id_hash',
        [idleBeforeMs, createdBeforeMs],
      )
    ).length;
  }
}
