/**
 * The two audit store backends for the tests: each opens a fresh store and gives a way to tamper
 * with it behind the product's back (a direct connection; the append-only triggers dropped or
 * disabled first, as someone with database access would).
 */
import type { Test } from 'tap';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { AuditStore } from '../../../cloud/store/audit-store.js';
import { SqliteAuditStore } from '../../../cloud/store/sqlite-audit-store.js';
import { PgAuditStore } from '../../../cloud/store/postgres/pg-audit-store.js';
import { PgDatabase } from '../../../cloud/store/postgres/pg-database.js';
import { migrate } from '../../../cloud/store/postgres/pg-migrations.js';
import { tempDir } from '../../helpers/fleet.js';
import { pgQuery, tempPgDatabase } from '../../helpers/pg.js';

export interface AuditBackend {
  store: AuditStore;
  /** A second store instance on the same database (another connection, or another cloud node). */
  another(): Promise<AuditStore>;
  /** Runs SQL on a direct connection with the append-only triggers out of the way. */
  tamper(sql: string, params?: unknown[]): Promise<void>;
  /** Runs SQL on a direct connection as the product's own would (triggers in force). */
  direct(sql: string): Promise<void>;
  /** Where the store lives, for the CLI: ['--store', file] or ['--postgres-url', url]. */
  cliArgs: string[];
}

export const BACKENDS: Record<string, (t: Test) => Promise<AuditBackend>> = {
  sqlite: async (t) => {
    const file = join(tempDir('yw-audit-'), 'cloud.db');
    const open = (): Database.Database => {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      t.teardown(() => db.close());
      return db;
    };
    const store = new SqliteAuditStore(open());
    return {
      store,
      another: async () => new SqliteAuditStore(open()),
      tamper: async (sql, params = []) => {
        const db = new Database(file);
        try {
          db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
          db.prepare(sql).run(...params);
        } finally {
          db.close();
        }
      },
      direct: async (sql) => {
        const db = new Database(file);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
      cliArgs: ['--store', file],
    };
  },
  postgres: async (t) => {
    const url = await tempPgDatabase(t, 'yw_audit');
    const pools: PgDatabase[] = [];
    t.teardown(() => Promise.all(pools.map((p) => p.close())));
    const open = (): PgAuditStore => {
      const db = new PgDatabase(url, { max: 4, name: 'yw-test-audit' });
      pools.push(db);
      return new PgAuditStore(db);
    };
    const first = new PgDatabase(url, { max: 1 });
    await migrate(first);
    await first.close();
    return {
      store: open(),
      another: async () => open(),
      tamper: async (sql, params = []) => {
        // as a superuser with the trigger disabled: what the chain and the checkpoints must still catch
        await pgQuery(url, 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
        try {
          await pgQuery(
            url,
            sql.replace(
              /\?/g,
              (() => {
                let i = 0;
                return () => `$${++i}`;
              })(),
            ),
            params,
          );
        } finally {
          await pgQuery(url, 'ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
        }
      },
      direct: async (sql) => {
        await pgQuery(url, sql);
      },
      cliArgs: ['--postgres-url', url],
    };
  },
};
