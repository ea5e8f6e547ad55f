/**
 * The store file is shared by the outbox and the tables kept beside it: the composition root opens
 * it and hands the handle to each (issue 18); the outbox no longer hands out its own.
 */
import t from 'tap';
import { join } from 'node:path';
import { SqliteOutboxStore } from '../../../edge/store/outbox.js';
import { openEdgeDatabase } from '../../../edge/store/schema.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import { tempDir } from '../../helpers/fleet.js';

const reading = {
  deviceId: 'd',
  metric: 'm',
  unit: '',
  ts: 1_700_000_000_000,
  value: 1,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
};

t.test('the outbox exposes no database handle', async (t) => {
  const store = new SqliteOutboxStore({ path: join(tempDir(), 'edge.db'), maintenanceMs: 0 });
  t.teardown(() => store.close());
  t.notOk('database' in store, 'no `database` getter to pass around');
  t.same(store.quickCheck(), [], 'a sound file: quick_check finds nothing');
});

t.test('given the opened file, the outbox writes through it and closes it last', async (t) => {
  const path = join(tempDir(), 'edge.db');
  const db = openEdgeDatabase(path);
  const store = new SqliteOutboxStore({ path, db, maintenanceMs: 0 });
  t.equal(await store.append([reading], 'k1'), 'stored');
  t.equal(
    (db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n,
    1,
    'the row is in the shared handle',
  );
  store.close();
  t.notOk(db.open, 'closed with the outbox');
});
