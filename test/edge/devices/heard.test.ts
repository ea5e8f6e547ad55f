/**
 * Heard devices are kept in the store file (issue 17, item 11): first/last heard, counts, protocol,
 * profile and address survive a reopen; the count cap forgets the longest-unheard device and counts
 * it; changes are written in batches and at close.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DeviceTracker } from '../../../edge/devices/heard.js';
import { tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

const open = (path: string): Database.Database => {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  return db;
};

t.test('a reopened tracker has the devices, their times, counts, protocol, profile and address', async (t) => {
  const path = join(tempDir('yw-heard-'), 'edge.db');
  let db = open(path);
  let tr = new DeviceTracker({
    db,
    facts: (id) => (id === 'urn:imei:1' ? { profile: 'acme/th-2', address: '10.0.0.7:5683' } : {}),
  });
  tr.touch('aq-1', 3, 'coap', 1000);
  tr.touch('urn:imei:1', 1, 'lwm2m', 2000);
  tr.touch('aq-1', 2, 'coap', 5000);
  tr.close();
  db.close();

  db = open(path);
  tr = new DeviceTracker({ db });
  t.same(tr.list(), [
    {
      deviceId: 'aq-1',
      firstSeen: 1000,
      lastSeen: 5000,
      uplinks: 2,
      readings: 5,
      protocol: 'coap',
      profile: '',
      address: '',
    },
    {
      deviceId: 'urn:imei:1',
      firstSeen: 2000,
      lastSeen: 2000,
      uplinks: 1,
      readings: 1,
      protocol: 'lwm2m',
      profile: 'acme/th-2',
      address: '10.0.0.7:5683',
    },
  ]);
  tr.touch('aq-1', 1, 'coap', 9000);
  t.match(
    tr.list()[0],
    { firstSeen: 1000, lastSeen: 9000, uplinks: 3, readings: 6 },
    'counting goes on from the stored figures',
  );
  tr.close();
  db.close();
});

t.test('changes are written within flushMs without a close (a crash loses at most that much)', async (t) => {
  const path = join(tempDir('yw-heard-'), 'edge.db');
  const db = open(path);
  const tr = new DeviceTracker({ db, flushMs: 20 });
  tr.touch('aq-2', 1, 'coap');
  const other = open(path);
  t.teardown(() => {
    tr.close();
    other.close();
    db.close();
  });
  await until(
    'aq-2 written',
    () => (other.prepare('SELECT count(*) AS n FROM heard_devices WHERE id = ?').get('aq-2') as { n: number }).n === 1,
    5000,
  );
});

t.test(
  'past the cap the longest-unheard device is forgotten, counted, and stays forgotten after a reopen',
  async (t) => {
    const path = join(tempDir('yw-heard-'), 'edge.db');
    let db = open(path);
    let tr = new DeviceTracker({ db, max: 3 });
    tr.touch('a', 1, 'coap', 1);
    tr.touch('b', 1, 'coap', 2);
    tr.touch('c', 1, 'coap', 3);
    tr.touch('a', 1, 'coap', 4); // a heard again: b is now the longest unheard
    tr.touch('d', 1, 'coap', 5);
    t.same(
      tr.list().map((d) => d.deviceId),
      ['a', 'c', 'd'],
    );
    t.same(tr.stats(), { held: 3, cap: 3, evicted: 1, unsavedRemovals: 0 });
    tr.close();
    db.close();

    db = open(path);
    tr = new DeviceTracker({ db, max: 3 });
    t.same(
      tr.list().map((d) => d.deviceId),
      ['a', 'c', 'd'],
      'b is gone from the table too',
    );
    t.equal(tr.stats().evicted, 1, 'the counter survives');
    tr.close();
    db.close();

    db = open(path);
    tr = new DeviceTracker({ db, max: 2 });
    t.same(
      tr.list().map((d) => d.deviceId),
      ['a', 'd'],
      'a lower cap at start evicts the longest unheard (c)',
    );
    t.equal(tr.stats().evicted, 2);
    tr.close();
    db.close();
  },
);

t.test('a flood of new ids between two flushes: the ids waiting for deletion stay under the cap', async (t) => {
  const path = join(tempDir('yw-heard-'), 'edge.db');
  const db = open(path);
  const tr = new DeviceTracker({ db, max: 100, flushMs: 60_000 });
  let most = 0;
  for (let i = 0; i < 5_000; i++) {
    tr.touch(`flood-${i}`, 1, 'coap', i);
    most = Math.max(most, tr.pendingRemovals);
  }
  t.ok(most < 100, `at most ${most} forgotten ids waited for the flush (cap 100)`);
  t.same(tr.stats(), { held: 100, cap: 100, evicted: 4_900, unsavedRemovals: 0 });
  tr.close();
  const rows = (db.prepare('SELECT count(*) AS n FROM heard_devices').get() as { n: number }).n;
  t.equal(rows, 100, 'the table holds the cap, not the flood');
  db.close();
});

t.test(
  'when the early write fails the waiting ids are let go and counted; the next start trims the table',
  async (t) => {
    const path = join(tempDir('yw-heard-'), 'edge.db');
    let db = open(path);
    const tr = new DeviceTracker({ db, max: 10, flushMs: 60_000 });
    for (let i = 0; i < 10; i++) tr.touch(`d-${i}`, 1, 'coap', i);
    tr.flush();
    db.pragma('query_only = ON'); // every write now fails, as on a full or read-only disk
    for (let i = 10; i < 40; i++) tr.touch(`d-${i}`, 1, 'coap', i);
    t.equal(tr.pendingRemovals, 0, 'bounded while writes fail: let go at the cap (10)');
    t.equal(tr.stats().unsavedRemovals, 30, 'every forgotten id whose deletion was not written is counted');
    db.pragma('query_only = OFF');
    tr.close();
    db.close();
    db = open(path);
    const again = new DeviceTracker({ db, max: 10 });
    t.equal(again.size, 10, 'the next start keeps the cap');
    again.close();
    const rows = db.prepare('SELECT count(*) AS n FROM heard_devices').get() as { n: number };
    t.equal(rows.n, 10, 'and trims the table to it');
    db.close();
  },
);

t.test('in memory only (no store): a flood keeps no list of forgotten ids', async (t) => {
  const tr = new DeviceTracker({ max: 10 });
  for (let i = 0; i < 1_000; i++) tr.touch(`m-${i}`, 1, 'coap', i);
  t.equal(tr.pendingRemovals, 0);
  t.same(tr.stats(), { held: 10, cap: 10, evicted: 990, unsavedRemovals: 0 });
});
