/** `yiwang-cloud db status|migrate|import-sqlite`: the PostgreSQL schema's version, its migrations, and the move from SQLite (docs/guides/scale-out.md). */
import type { Command } from 'commander';
import { loadCloudConfig } from '../config.js';
import { jsonOut } from './options.js';

export function register(program: Command): void {
  const db = program
    .command('db')
    .description('the PostgreSQL store (store.backend = "postgres"): schema version and migrations');
  const open = async (cmd: Command) => {
    const { config: file } = cmd.optsWithGlobals<{ config?: string }>();
    const config = loadCloudConfig(file);
    if (config.store.backend !== 'postgres') return undefined;
    const { PgDatabase } = await import('../store/postgres/pg-database.js');
    return new PgDatabase(config.store.postgres_url, { max: 1, name: 'yiwang-cloud-db' });
  };
  const sqliteNote = 'store.backend is "sqlite": its schema is brought up to date by the cloud itself at start';
  db.command('status')
    .description('applied and pending schema versions (exit 1 when migrations are pending)')
    .action(async (_o: unknown, cmd: Command) => {
      const pg = await open(cmd);
      if (!pg) return console.log(jsonOut(program) ? JSON.stringify({ backend: 'sqlite' }) : sqliteNote);
      try {
        const { schemaState } = await import('../store/postgres/pg-migrations.js');
        const s = await schemaState(pg);
        const out = {
          backend: 'postgres',
          current: s.current,
          latest: s.latest,
          pending: s.pending.map((m) => m.version),
          changed: s.changed,
        };
        console.log(
          jsonOut(program)
            ? JSON.stringify(out)
            : `schema version ${s.current} of ${s.latest}${s.pending.length ? `; pending: ${s.pending.map((m) => `${m.version} (${m.name})`).join(', ')} — run \`yiwang-cloud db migrate\`` : '; up to date'}${s.changed.length ? `; CHANGED since applied: ${s.changed.join(', ')}` : ''}`,
        );
        if (s.pending.length || s.changed.length || s.current > s.latest) process.exitCode = 1;
      } finally {
        await pg.close();
      }
    });
  db.command('migrate')
    .description(
      'apply the pending schema migrations (safe while other nodes run: one at a time, each in a transaction)',
    )
    .action(async (_o: unknown, cmd: Command) => {
      const pg = await open(cmd);
      if (!pg) return console.log(jsonOut(program) ? JSON.stringify({ backend: 'sqlite', applied: [] }) : sqliteNote);
      try {
        const { migrate, schemaState } = await import('../store/postgres/pg-migrations.js');
        const before = await schemaState(pg);
        if (before.current > before.latest) {
          const { YiwangError } = await import('../../common/errors.js');
          throw new YiwangError(
            'CLOUD_ERR_SCHEMA',
            `database schema is at version ${before.current}, this release knows up to ${before.latest}`,
          );
        }
        const applied = await migrate(pg);
        const after = await schemaState(pg);
        console.log(
          jsonOut(program)
            ? JSON.stringify({ backend: 'postgres', applied, current: after.current })
            : applied.length
              ? `applied ${applied.join(', ')}; schema version ${after.current}`
              : `schema version ${after.current}: nothing to apply`,
        );
      } finally {
        await pg.close();
      }
    });
  db.command('import-sqlite')
    .description(
      'copy a SQLite cloud store (cloud.db) into the empty PostgreSQL database of store.postgres_url, in one transaction',
    )
    .argument('<file>', 'the SQLite store (store.path of the old configuration); the cloud using it must be stopped')
    .option('--readings-since <date>', 'leave out readings older than this ISO date (default: all)')
    .action(async (file: string, o: { readingsSince?: string }, cmd: Command) => {
      const { runImportSqlite } = await import('./db-import-sqlite.js');
      await runImportSqlite(program, cmd, file, o);
    });
}
