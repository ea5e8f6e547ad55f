/** The control-plane conformance suite against PgControlPlaneStore over a PgCloudStore, a fresh database per subtest. */
import t from 'tap';
import { PgCloudStore } from '../../../../cloud/store/postgres/pg-cloud-store.js';
import { PgControlPlaneStore } from '../../../../cloud/store/postgres/pg-control-plane-store.js';
import { PgDatabase } from '../../../../cloud/store/postgres/pg-database.js';
import { migrate } from '../../../../cloud/store/postgres/pg-migrations.js';
import { tempPgDatabase } from '../../../helpers/pg.js';
import { controlPlaneConformance } from '../control-plane-conformance.js';

controlPlaneConformance(t, async (st) => {
  const db = new PgDatabase(await tempPgDatabase(st), { max: 10, name: 'yw-test-cp' });
  // teardowns run last-registered first: the stores close, then the pool ends, then the database is dropped
  st.teardown(() => db.close());
  await migrate(db);
  const cloud = await PgCloudStore.open(db, { commitMs: 0 });
  const cp = new PgControlPlaneStore(cloud);
  st.teardown(async () => {
    await cp.close();
    await cloud.close();
  });
  return { cp, cloud };
});
