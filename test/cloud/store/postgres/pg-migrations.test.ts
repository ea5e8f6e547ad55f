/** Versioned migrations of the PostgreSQL store, checked at start and applied by `yiwang-cloud db migrate`. */
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PgDatabase } from '../../../../cloud/store/postgres/pg-database.js';
import { MIGRATIONS, checkSchema, migrate, schemaState } from '../../../../cloud/store/postgres/pg-migrations.js';
import { tempPgDatabase } from '../../../helpers/pg.js';
import { tempDir } from '../../../helpers/fleet.js';
import { REPO_ROOT } from '../../../../common/paths.js';

const open = async (t: Test): Promise<PgDatabase> => {
  const db = new PgDatabase(await tempPgDatabase(t), { max: 2 });
  t.teardown(() => db.close());
  return db;
};

const NEXT = [
  ...MIGRATIONS,
  { version: MIGRATIONS.length + 1, name: 'test column', sql: 'ALTER TABLE devices ADD COLUMN test_col TEXT' },
];

t.test('an empty database is initialised at start; a second check changes nothing', async (t) => {
  const db = await open(t);
  const before = await schemaState(db);
  t.same([before.current, before.pending.length], [0, MIGRATIONS.length]);
  const s = await checkSchema(db);
  t.same([s.current, s.pending.length, s.changed.length], [MIGRATIONS.at(-1)!.version, 0, 0]);
  const kind = await db.query<{ relkind: string }>("SELECT relkind FROM pg_class WHERE relname = 'readings'");
  t.equal(kind[0]?.relkind, 'p', 'readings is a partitioned table');
  t.same(await migrate(db), [], 'nothing left to apply');
});

t.test('nodes starting at once apply each migration once', async (t) => {
  const url = await tempPgDatabase(t);
  const dbs = [0, 1, 2].map(() => new PgDatabase(url, { max: 1 }));
  t.teardown(() => Promise.all(dbs.map((d) => d.close())));
  const applied = (await Promise.all(dbs.map((d) => migrate(d)))).flat();
  t.same(
    applied,
    MIGRATIONS.map((m) => m.version),
  );
  const rows = await dbs[0]!.query('SELECT version FROM yiwang_schema');
  t.equal(rows.length, MIGRATIONS.length);
});

t.test('a database behind the release is refused until migrated; one ahead or changed is refused', async (t) => {
  const db = await open(t);
  await checkSchema(db);
  await t.rejects(checkSchema(db, NEXT), { code: 'CLOUD_ERR_SCHEMA', message: /db migrate/ });
  t.same(await migrate(db, NEXT), [NEXT.at(-1)!.version]);
  t.equal((await checkSchema(db, NEXT)).current, NEXT.at(-1)!.version);
  await t.rejects(checkSchema(db), { code: 'CLOUD_ERR_SCHEMA', message: /newer release/ });
  const edited = NEXT.map((m) => (m.version === 1 ? { ...m, sql: `${m.sql} ` } : m));
  await t.rejects(checkSchema(db, edited), { code: 'CLOUD_ERR_SCHEMA', message: /differ/ });
});

t.test('yiwang-cloud db status / migrate on a real database', async (t) => {
  const url = await tempPgDatabase(t);
  const dir = tempDir('yw-dbcli-');
  const cfg = join(dir, 'cloud.toml');
  writeFileSync(cfg, `[store]\nbackend = "postgres"\npostgres_url = "${url}"\npath = "${join(dir, 'cloud.db')}"\n`);
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(REPO_ROOT, 'dist/cloud/cli/main.js'), '-c', cfg, '--json', 'db', ...args], {
      encoding: 'utf8',
    });
  const s1 = cli('status');
  t.equal(s1.status, 1, 'pending migrations: exit 1');
  t.match(JSON.parse(s1.stdout), { backend: 'postgres', current: 0, pending: MIGRATIONS.map((m) => m.version) });
  const m = cli('migrate');
  t.equal(m.status, 0, m.stderr);
  t.match(JSON.parse(m.stdout), { applied: MIGRATIONS.map((m) => m.version), current: MIGRATIONS.at(-1)!.version });
  const s2 = cli('status');
  t.equal(s2.status, 0);
  t.match(JSON.parse(s2.stdout), { current: MIGRATIONS.at(-1)!.version, pending: [] });
});
