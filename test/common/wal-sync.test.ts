/**
 * Durability off the event loop (common/wal-sync.ts): an append settles only after an
 * fdatasync of the WAL that started after its commit, and one fdatasync covers a whole group.
 * (Power loss itself cannot be produced here; these tests pin the ordering that makes it safe.)
 */
import t from 'tap';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteOutboxStore } from '../../edge/store/outbox.js';
import { WalSync } from '../../common/wal-sync.js';
import { ClockQuality, Priority } from '../../proto/index.js';
import { tempDir } from '../helpers/fleet.js';

const reading = (i: number) => ({
  deviceId: `d${i % 10}`,
  metric: 'level',
  unit: 'm',
  ts: 1_750_000_000_000 + i,
  value: i,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
});

t.test('an append settles after a WAL fdatasync that started after its commit', async (t) => {
  const store = new SqliteOutboxStore({ path: join(tempDir(), 'edge.db'), maintenanceMs: 0 });
  t.teardown(() => store.close());
  const before = store.walSyncs;
  await store.durable();
  t.equal(store.walSyncs, before, 'nothing committed since the last sync: no fdatasync');
  t.equal(await store.append([reading(1)], 'k1'), 'stored');
  t.equal(store.walSyncs, before + 1, 'the append waited for one fdatasync');
  t.equal(await store.append([reading(1)], 'k1'), 'duplicate', 'a retransmission is answered again, not stored');
  t.equal(store.pendingCount(), 1);
});

t.test('one fdatasync covers many concurrent appends (group fsync)', async (t) => {
  const store = new SqliteOutboxStore({ path: join(tempDir(), 'edge.db'), maintenanceMs: 0 });
  t.teardown(() => store.close());
  const before = store.walSyncs;
  const results = await Promise.all(Array.from({ length: 2000 }, (_, i) => store.append([reading(i)], `k${i}`)));
  t.equal(results.filter((r) => r === 'stored').length, 2000, 'every append stored');
  const syncs = store.walSyncs - before;
  t.ok(syncs >= 1 && syncs <= 20, `2000 appends needed ${syncs} fdatasyncs`);
  t.equal(store.pendingCount(), 2000);
});

t.test('durable() after a seal waits for a sync; a closed store keeps what it acknowledged', async (t) => {
  const path = join(tempDir(), 'edge.db');
  let store = new SqliteOutboxStore({ path, maintenanceMs: 0 });
  for (let i = 0; i < 50; i++) await store.append([reading(i)], `k${i}`);
  const b = store.sealBatch('gw', 100)!;
  const before = store.walSyncs;
  await store.durable();
  t.equal(store.walSyncs, before + 1, 'the seal was synced before the batch may leave');
  store.close();
  store = new SqliteOutboxStore({ path, maintenanceMs: 0 });
  t.teardown(() => store.close());
  t.same(
    store.unackedBatches().map((x) => [x.seq, x.readings]),
    [[b.seq, 50]],
    'the sealed batch is there after reopening',
  );
});

t.test(':memory: stores never sync', async (t) => {
  const store = new SqliteOutboxStore({ path: ':memory:', maintenanceMs: 0 });
  t.teardown(() => store.close());
  t.equal(await store.append([reading(1)]), 'stored');
  t.equal(store.walSyncs, 0);
});

t.test('a WAL that appears after the start is opened then; a closed WalSync promises nothing more', async (t) => {
  const path = join(tempDir(), 'late.db');
  const wal = new WalSync(path); // no database yet: nothing to open
  const db = new Database(path);
  t.teardown(() => db.close());
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE x (a INTEGER)');
  wal.committed();
  await wal.durable();
  t.equal(wal.syncs, 1, 'the WAL created after the constructor was opened and synced');
  db.prepare('INSERT INTO x VALUES (1)').run();
  wal.committed();
  wal.close();
  await t.rejects(wal.durable(), /store closed/, 'durable() after close() is refused, not served by reopening the WAL');
  t.equal(wal.syncs, 1, 'no fdatasync after close');
});
