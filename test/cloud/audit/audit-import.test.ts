/**
 * `yiwang-cloud db import-sqlite` carries the audit log over verbatim: the chain and its signed
 * checkpoints verify the same in PostgreSQL, and appends there go on from its head.
 */
import t from 'tap';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { KeyVault } from '../../../cloud/keys/vault.js';
import { loadAuditKey } from '../../../cloud/audit/audit-key.js';
import { AuditLog } from '../../../cloud/audit/audit-log.js';
import { verifyAudit } from '../../../cloud/audit/audit-verify.js';
import { PgAuditStore } from '../../../cloud/store/postgres/pg-audit-store.js';
import { PgDatabase } from '../../../cloud/store/postgres/pg-database.js';
import { importSqlite } from '../../../cloud/store/postgres/pg-import-sqlite.js';
import { SqliteAuditStore } from '../../../cloud/store/sqlite-audit-store.js';
import { SqliteCloudStore } from '../../../cloud/store/sqlite-cloud-store.js';
import { tempDir } from '../../helpers/fleet.js';
import { captureLog } from '../../helpers/log-capture.js';
import { tempPgDatabase } from '../../helpers/pg.js';

t.test('the audit log moves from SQLite to PostgreSQL with its chain intact', async (t) => {
  const path = join(tempDir('yw-audit-imp-'), 'cloud.db');
  const key = loadAuditKey(new KeyVault(tempDir('yw-audit-pki-'), undefined, 'aes-256-gcm'));
  const opts = (store: SqliteAuditStore | PgAuditStore) => ({
    store,
    key,
    log: captureLog().log,
    checkpointEvery: 4,
    checkpointIntervalMs: 60_000,
    retentionDays: 180,
    refusedPerMin: 100,
  });
  const draft = (i: number) => ({
    actor: { kind: 'token' as const, id: 'http.api_token', name: '', role: 'admin' },
    source: '127.0.0.1',
    action: 'gateway.create',
    target: `gateway:gw-${i}`,
    result: 'ok' as const,
    status: 201,
    code: '',
    details: { after: { id: `gw-${i}`, n: i, nested: { z: 1, a: [1, 'x'] } } },
  });
  const cloud = new SqliteCloudStore(path);
  const sqlite = new SqliteAuditStore(cloud.database);
  const before = new AuditLog(opts(sqlite));
  for (let i = 1; i <= 10; i++) await before.record(draft(i));
  await cloud.close();

  const db = new PgDatabase(await tempPgDatabase(t, 'yw_audit_imp'), { max: 2 });
  t.teardown(() => db.close());
  const r = await importSqlite(db, { sqlitePath: path });
  t.match(
    r.tables.filter((x) => x.table.startsWith('audit_')),
    [
      { table: 'audit_log', source: 10, imported: 10 },
      { table: 'audit_checkpoints', source: 2, imported: 2 },
    ],
  );
  const pg = new PgAuditStore(db);
  t.match(await verifyAudit(pg, { trustedKeyIds: [key.keyId] }), { ok: true, entries: 10, anchoredThrough: 8 });
  const after = new AuditLog(opts(pg));
  t.equal((await after.record(draft(11)))?.seq, 11, 'appends go on from the imported head');
  t.match(await verifyAudit(pg), { ok: true, entries: 11 });
  const db2 = new Database(path, { readonly: true });
  t.teardown(() => db2.close());
  t.same(
    (await new SqliteAuditStore(db2, { readonly: true }).range(0, 100)).map((e) => e.hash),
    (await pg.range(0, 10)).map((e) => e.hash),
    'the same entries',
  );
});
