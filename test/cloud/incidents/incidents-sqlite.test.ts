/** The incident suite (incident-suite.ts) on SQLite: the cloud store's file and connection. */
import t from 'tap';
import { join } from 'node:path';
import { SqliteCloudStore } from '../../../cloud/store/sqlite-cloud-store.js';
import { SqliteIncidentStore } from '../../../cloud/store/sqlite-incident-store.js';
import { tempDir } from '../../helpers/fleet.js';
import { incidentSuite } from './incident-suite.js';
import { DispatchConfig } from '../../../cloud/incidents/dispatch-config.js';
import { INCIDENT_LIMITS } from '../../../cloud/incidents/types.js';

incidentSuite(t, async (t) => {
  const events = new SqliteCloudStore(join(tempDir('yw-inc-'), 'cloud.db'), 0);
  t.teardown(() => events.close());
  const db = events.database;
  return {
    events,
    incidents: new SqliteIncidentStore(db),
    rawSecret: async (id) =>
      (db.prepare('SELECT secret_sealed AS s FROM incident_departments WHERE id = ?').get(id) as { s: string }).s,
  };
});

t.test('bounds of the configuration: 500 departments, 1000 rules; refusals counted', async (t) => {
  const events = new SqliteCloudStore(join(tempDir('yw-inc-'), 'cloud.db'), 0);
  t.teardown(() => events.close());
  const store = new SqliteIncidentStore(events.database);
  const config = new DispatchConfig(store, { seal: (s) => s, open: (s) => s }, Date.now);
  for (let i = 0; i < INCIDENT_LIMITS.departments; i++) await config.createDepartment({ id: `d${i}`, name: `D ${i}` });
  await t.rejects(config.createDepartment({ id: 'one-more', name: 'x' }), { code: 'CLOUD_ERR_INCIDENT_LIMIT' });
  for (let i = 0; i < INCIDENT_LIMITS.rules; i++) await config.createRule({ id: `r${i}`, departmentId: 'd0' });
  await t.rejects(config.createRule({ departmentId: 'd0' }), { code: 'CLOUD_ERR_INCIDENT_LIMIT' });
  t.equal(config.counters.limitRefused, 2);
  t.equal((await config.rules()).at(-1)!.position, INCIDENT_LIMITS.rules * 10, 'positions default to the last + 10');
  await t.rejects(config.createRule({ departmentId: 'd0', eventType: 'x', bogus: 1 }), {
    code: 'CLOUD_ERR_BAD_REQUEST',
  });
  await t.rejects(config.createDepartment({ id: 'Bad Id', name: 'x' }), { code: 'CLOUD_ERR_BAD_REQUEST' });
  await t.rejects(config.createDepartment({ id: 'short', name: 'x', secret: 'too-short' }), {
    code: 'CLOUD_ERR_BAD_REQUEST',
  });
  await t.rejects(config.createDepartment({ id: 'creds', name: 'x', webhookUrl: 'https://u:p@h/' }), {
    code: 'CLOUD_ERR_BAD_REQUEST',
  });
});
