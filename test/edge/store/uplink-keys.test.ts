/** Uplink exchange keys: an append-only log looked up through fingerprints in memory (edge/store/uplink-keys.ts). */
import t from 'tap';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { UplinkKeys, fingerprint } from '../../../edge/store/uplink-keys.js';
import { Counters } from '../../../edge/store/counters.js';
import { EDGE_DDL } from '../../../edge/store/schema.js';
import { SqliteOutboxStore } from '../../../edge/store/outbox.js';
import { Priority, ClockQuality } from '../../../proto/index.js';
import { tempDir } from '../../helpers/fleet.js';

function open(path: string): { db: Database.Database; counters: Counters } {
  const db = new Database(path);
  db.exec(EDGE_DDL);
  return { db, counters: new Counters(db) };
}
const claim = (db: Database.Database, keys: UplinkKeys, key: string, mono: number): boolean =>
  db.transaction(() => keys.claim(key, mono))();
const rows = (db: Database.Database): number => db.prepare('SELECT count(*) FROM uplink_keys').pluck().get() as number;

t.test('a key is new once, then a duplicate; also after the log is reopened', async (t) => {
  const path = join(tempDir(), 'k.db');
  let { db, counters } = open(path);
  let keys = new UplinkKeys(db, counters, { windowMs: 10_000, maxKeys: 1000 }, 0);
  t.equal(claim(db, keys, 'coap:10.0.0.1:5683#1#ab', 1), true);
  t.equal(claim(db, keys, 'coap:10.0.0.1:5683#1#ab', 2), false, 'retransmission');
  t.equal(claim(db, keys, 'coap:10.0.0.1:5683#1#ac', 3), true, 'another token is another uplink');
  t.equal(
    db
      .transaction(() => [keys.claim('k-same', 4), keys.claim('k-same', 4)])()
      .join(),
    'true,false',
    'twice in one transaction',
  );
  db.close();
  ({ db, counters } = open(path));
  t.teardown(() => db.close());
  keys = new UplinkKeys(db, counters, { windowMs: 10_000, maxKeys: 1000 }, 5000);
  t.equal(keys.size, 3, 'keys younger than the window are loaded');
  t.equal(claim(db, keys, 'coap:10.0.0.1:5683#1#ab', 5001), false, 'remembered across a restart');
  t.equal(claim(db, keys, 'coap:10.0.0.1:5683#2#ab', 5002), true);
});

t.test('a key whose transaction rolled back is not a duplicate', async (t) => {
  const { db, counters } = open(join(tempDir(), 'k.db'));
  t.teardown(() => db.close());
  const keys = new UplinkKeys(db, counters, { windowMs: 10_000, maxKeys: 1000 }, 0);
  t.throws(() =>
    db.transaction(() => {
      keys.claim('lost', 1);
      throw new Error('disk full');
    })(),
  );
  t.equal(rows(db), 0);
  t.equal(claim(db, keys, 'lost', 2), true, 'claimed anew after the rollback');
  t.equal(claim(db, keys, 'lost', 3), false);
});

t.test('keys with the same fingerprint are told apart by the stored key', async (t) => {
  // find two keys whose 32-bit fingerprints collide (birthday bound: ~2^16 tries)
  const seen = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; !pair; i++) {
    const k = `coap:192.0.2.7:${i}#1#00`;
    const f = fingerprint(k);
    const other = seen.get(f);
    if (other !== undefined) pair = [other, k];
    else seen.set(f, k);
  }
  t.equal(fingerprint(pair[0]), fingerprint(pair[1]));
  const { db, counters } = open(join(tempDir(), 'k.db'));
  t.teardown(() => db.close());
  const keys = new UplinkKeys(db, counters, { windowMs: 10_000, maxKeys: 1000 }, 0);
  t.equal(claim(db, keys, pair[0], 1), true);
  t.equal(claim(db, keys, pair[1], 2), true, 'a colliding fingerprint is not a duplicate');
  t.equal(claim(db, keys, pair[1], 3), false);
  t.equal(claim(db, keys, pair[0], 4), false);
});

t.test('keys are kept one to two windows, then forgotten and pruned from the log', async (t) => {
  const { db, counters } = open(join(tempDir(), 'k.db'));
  t.teardown(() => db.close());
  const keys = new UplinkKeys(db, counters, { windowMs: 1000, maxKeys: 1000 }, 0);
  for (let i = 0; i < 10; i++) claim(db, keys, `old-${i}`, 100);
  claim(db, keys, 'newer', 1500); // rotates: the old keys are now the previous generation
  t.equal(claim(db, keys, 'old-3', 1900), false, 'still remembered 1.8 windows later');
  db.transaction(() => keys.prune(2600))(); // second rotation: the old keys' generation is forgotten
  t.equal(rows(db), 1, 'their rows are deleted; the newer key stays');
  t.equal(claim(db, keys, 'newer', 2700), false, 'the newer key is still remembered');
  t.equal(claim(db, keys, 'old-3', 2800), true, 'an old key is new again after two windows');
});

t.test('row ids past 2^32 are restored from their low 32 bits', async (t) => {
  const { db, counters } = open(join(tempDir(), 'k.db'));
  t.teardown(() => db.close());
  db.prepare('INSERT INTO uplink_keys (id, key, at_ms) VALUES (?, ?, ?)').run(2 ** 32 - 3, 'before-wrap', 0);
  const keys = new UplinkKeys(db, counters, { windowMs: 10_000, maxKeys: 1000 }, 1);
  for (let i = 0; i < 6; i++) t.equal(claim(db, keys, `k-${i}`, 2), true);
  t.equal(db.prepare('SELECT max(id) FROM uplink_keys').pluck().get(), 2 ** 32 + 3, 'ids crossed 2^32');
  for (let i = 0; i < 6; i++) t.equal(claim(db, keys, `k-${i}`, 3), false, `k-${i} found again`);
  t.equal(claim(db, keys, 'before-wrap', 3), false, 'the loaded key too');
});

t.test('a flood beyond maxKeys rotates early (counted) and stays bounded', async (t) => {
  const { db, counters } = open(join(tempDir(), 'k.db'));
  t.teardown(() => db.close());
  const keys = new UplinkKeys(db, counters, { windowMs: 1_000_000, maxKeys: 1000 }, 0);
  db.transaction(() => {
    for (let i = 0; i < 5000; i++) keys.claim(`flood-${i}`, 1);
  })();
  t.ok(keys.size <= 2 * 1024, `at most two full generations in memory (${keys.size})`);
  t.ok(
    counters.get('uplink_keys_rotated_early') >= 3,
    `early rotations counted (${counters.get('uplink_keys_rotated_early')})`,
  );
  t.equal(claim(db, keys, 'flood-4999', 2), false, 'the newest keys are remembered');
  db.transaction(() => keys.prune(3))();
  t.ok(rows(db) <= 2 * 1024, `the log is pruned to the remembered keys (${rows(db)})`);
});

t.test('a store from schema 4 is migrated: its uplink keys still answer retransmissions', async (t) => {
  const path = join(tempDir(), 'edge.db');
  const reading = {
    deviceId: 'd',
    metric: 'm',
    unit: '',
    ts: 1_700_000_000_000,
    value: 1,
    clock: ClockQuality.CLOCK_DEVICE,
    priority: Priority.PRIORITY_NORMAL,
  };
  let store = new SqliteOutboxStore({ path, maintenanceMs: 0 });
  t.equal(await store.append([reading], 'coap:a#1#01'), 'stored');
  store.close();
  // turn the file back into a v4 store: keyed table, same rows
  const db = new Database(path);
  db.exec(`ALTER TABLE uplink_keys RENAME TO k5; CREATE TABLE uplink_keys (key TEXT PRIMARY KEY, at_ms INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO uplink_keys SELECT key, at_ms FROM k5; DROP TABLE k5; PRAGMA user_version = 4;`);
  db.close();
  store = new SqliteOutboxStore({ path, maintenanceMs: 0 });
  t.teardown(() => store.close());
  const file = new Database(path, { readonly: true });
  t.equal(file.pragma('user_version', { simple: true }), 5);
  file.close();
  t.equal(await store.append([reading], 'coap:a#1#01'), 'duplicate', 'the migrated key is remembered');
  t.equal(await store.append([reading], 'coap:a#2#01'), 'stored');
});
