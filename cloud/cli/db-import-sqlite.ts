/** `yiwang-cloud db import-sqlite <file> [--readings-since DATE]` (cloud/store/postgres/pg-import-sqlite.ts). */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import { loadCloudConfig } from '../config.js';
import { jsonOut, table } from './options.js';

export async function runImportSqlite(
  program: Command,
  cmd: Command,
  file: string,
  o: { readingsSince?: string },
): Promise<void> {
  const { config: configFile } = cmd.optsWithGlobals<{ config?: string }>();
  const config = loadCloudConfig(configFile);
  if (config.store.backend !== 'postgres')
    throw new YiwangError(
      'CLOUD_ERR_IMPORT',
      `${configFile ?? 'the cloud config'}: store.backend is "${config.store.backend}": set store.backend = "postgres" and store.postgres_url to the target database`,
    );
  let readingsSinceMs: number | undefined;
  if (o.readingsSince !== undefined) {
    readingsSinceMs = Date.parse(o.readingsSince);
    if (!Number.isFinite(readingsSinceMs))
      throw new YiwangError(
        'CLOUD_ERR_IMPORT',
        `--readings-since ${JSON.stringify(o.readingsSince)} is not a date (ISO 8601, e.g. 2026-01-01 or 2026-01-01T00:00:00Z)`,
      );
  }
  const { PgDatabase } = await import('../store/postgres/pg-database.js');
  const { importSqlite } = await import('../store/postgres/pg-import-sqlite.js');
  const pg = new PgDatabase(config.store.postgres_url, { max: 2, name: 'yiwang-cloud-import' });
  try {
    const r = await importSqlite(pg, {
      sqlitePath: file,
      ...(readingsSinceMs === undefined ? {} : { readingsSinceMs }),
      readingsKeepDays: config.store.readings_keep_days,
      batchKeysKeepDays: config.store.batch_keys_keep_days,
      maxFutureMs: config.ingest.max_future_ms,
    });
    if (jsonOut(program)) {
      console.log(
        JSON.stringify({
          backend: 'postgres',
          file,
          migrated: r.migrated,
          tables: Object.fromEntries(r.tables.map((t) => [t.table, t.imported])),
          readingsSkipped: r.readingsSkipped,
          partitionsCreated: r.partitionsCreated,
          durationMs: r.durationMs,
        }),
      );
      return;
    }
    console.log(
      table(
        ['TABLE', 'SQLITE', 'POSTGRESQL'],
        r.tables.map((t) => [t.table, t.source, t.imported]),
      ),
    );
    const total = r.tables.reduce((n, t) => n + t.imported, 0);
    console.log(
      `imported ${total} rows from ${file} in ${(r.durationMs / 1000).toFixed(1)} s${r.migrated.length ? ` (schema created: version ${r.migrated.join(', ')})` : ''}${r.readingsSkipped ? `; ${r.readingsSkipped} readings older than ${o.readingsSince} left out` : ''}; every table's count matches. Start the cloud with store.backend = "postgres".`,
    );
  } finally {
    await pg.close();
  }
}
