/** The incident suite (incident-suite.ts) on PostgreSQL: a database per subtest, migrated to version 4. */
import t from 'tap';
import { PgIncidentStore } from '../../../cloud/store/postgres/pg-incident-store.js';
import { MIGRATIONS } from '../../../cloud/store/postgres/pg-migrations.js';
import { openPgStore } from '../store/postgres/pg-cloud-store-helper.js';
import { incidentSuite } from './incident-suite.js';

t.equal(MIGRATIONS.at(-1)?.version, 4, 'incidents are migration 4');

incidentSuite(t, async (t) => {
  const { store, db } = await openPgStore(t);
  return {
    events: store,
    incidents: new PgIncidentStore(db),
    rawSecret: async (id) =>
      (await db.query<{ s: string }>('SELECT secret_sealed AS s FROM incident_departments WHERE id = $1', [id]))[0]!.s,
  };
});
