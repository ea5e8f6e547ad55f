/**
 * WAL checkpoints in a worker thread (cloud/store/sqlite-wal-checkpointer.ts): the store's own
 * connection never checkpoints, the worker's does, and the WAL's frames reach the database file.
 */
import t from 'tap';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { SqliteCloudStore } from '../../../cloud/store/sqlite-cloud-store.js';
import { tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

t.test('the worker checkpoints what the store writes', async (t) => {
  const path = join(tempDir('yw-wal-'), 'cloud.db');
  const store = new SqliteCloudStore(path, 0);
  const db = (store as unknown as { db: Database.Database }).db;
  t.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0, 'no checkpoint inside commits on the event loop');
  await store.createGateway('gw-1', 'x');
  const now = Date.now();
  for (let k = 0; k < 5; k++)
    await store.registerDevices(
      Array.from({ length: 5000 }, (_, i) => ({
        id: `d-${k}-${i}`,
        gatewayId: 'gw-1',
        type: 'water_meter',
        intervalS: 3600,
        lastSeenMs: now,
      })),
      now,
    );
  const before = store.checkpointer!.checkpoints;
  await until('a checkpoint by the worker', () => store.checkpointer!.checkpoints > before, 30_000);
  t.equal(store.checkpointer!.lastError, '');
  await until('the worker copied WAL frames into the database', () => store.checkpointer!.lastCheckpointed > 0, 30_000);
  t.ok(store.checkpointer!.lastCheckpointed > 0);
  await store.close();
});
