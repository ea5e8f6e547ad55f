/**
 * Where rule alarms keep their state between agent restarts: a table in the agent's store file
 * (SQLite). One row per device, profile and rule that is active or (state-change rules) has a last
 * value; rows are written only when that changes, so a steady device costs no writes. A reload
 * that drops a rule or profile deletes its rows (AlarmEngine.prune, called by the profile runtime).
 */
import type Database from 'better-sqlite3';
import type { ScalarValue } from './types.js';

export interface RuleState {
  active: boolean;
  last?: ScalarValue;
}

export interface AlarmStateStore {
  /** Every stored state, by the engine's key (device, profile, rule). */
  load(): Map<string, RuleState>;
  /** Writes the changed states in one transaction (undefined deletes). */
  save(changes: ReadonlyMap<string, RuleState | undefined>): void;
}

export class SqliteAlarmState implements AlarmStateStore {
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly write: (changes: ReadonlyMap<string, RuleState | undefined>) => void;

  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS profile_alarm_state (
      key TEXT PRIMARY KEY, active INTEGER NOT NULL, last TEXT, updated_ms INTEGER NOT NULL) WITHOUT ROWID`);
    this.upsert = db.prepare(
      'INSERT INTO profile_alarm_state (key, active, last, updated_ms) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET active = excluded.active, last = excluded.last, updated_ms = excluded.updated_ms',
    );
    this.remove = db.prepare('DELETE FROM profile_alarm_state WHERE key = ?');
    this.write = db.transaction((changes: ReadonlyMap<string, RuleState | undefined>) => {
      const now = Date.now();
      for (const [k, s] of changes) {
        if (s === undefined) this.remove.run(k);
        else this.upsert.run(k, s.active ? 1 : 0, s.last === undefined ? null : JSON.stringify(s.last), now);
      }
    });
  }

  load(): Map<string, RuleState> {
    const rows = this.db.prepare('SELECT key, active, last FROM profile_alarm_state').all() as {
      key: string;
      active: number;
      last: string | null;
    }[];
    return new Map(
      rows.map((r) => [
        r.key,
        { active: r.active === 1, ...(r.last === null ? {} : { last: JSON.parse(r.last) as ScalarValue }) },
      ]),
    );
  }

  save(changes: ReadonlyMap<string, RuleState | undefined>): void {
    if (changes.size > 0) this.write(changes);
  }
}
