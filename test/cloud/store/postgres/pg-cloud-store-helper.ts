/** PgCloudStore on a fresh migrated database of its own per subtest (test/helpers/pg.ts), closed in the subtest's teardown. */
import type { Test } from 'tap';
import { PgCloudStore, type PgCloudStoreOptions } from '../../../../cloud/store/postgres/pg-cloud-store.js';
import { PgDatabase } from '../../../../cloud/store/postgres/pg-database.js';
import { migrate } from '../../../../cloud/store/postgres/pg-migrations.js';
import { tempPgDatabase } from '../../../helpers/pg.js';

export interface PgStoreFixture {
  url: string;
  db: PgDatabase;
  store: PgCloudStore;
  /** Another store (another cloud node) on the same database, with its own pool. */
  node: (o?: PgCloudStoreOptions, name?: string) => Promise<PgCloudStore>;
}

export async function openPgStore(
  t: Test,
  o: PgCloudStoreOptions = {},
  name = 'yw-test-store',
): Promise<PgStoreFixture> {
  const url = await tempPgDatabase(t);
  const opened: { store: PgCloudStore; db: PgDatabase }[] = [];
  // stores, then their pools (the database's own teardown drops it, forcing out any connection left)
  t.teardown(async () => {
    for (const x of opened.reverse()) {
      await x.store.close();
      await x.db.close();
    }
  });
  const node = async (oo: PgCloudStoreOptions = o, n = name): Promise<PgCloudStore> => {
    const db = new PgDatabase(url, { max: 4, name: n });
    const store = await PgCloudStore.open(db, oo);
    opened.push({ store, db });
    return store;
  };
  const db0 = new PgDatabase(url, { max: 2, name: 'yw-test-migrate' });
  await migrate(db0);
  await db0.close();
  const store = await node({ commitMs: 0, ...o });
  return { url, db: store.db, store, node };
}
