/**
 * Device keys at rest (issue 16, findings 10 and 11): sealed in the SQLite file (the raw bytes of
 * the database and its WAL never hold a key in clear), keys written in clear by an earlier version
 * sealed on open with their clear bytes overwritten, and after a re-key (another gateway secret)
 * a key that no longer opens flags its device only — kept, `EDGE_ERR_DEVICE_KEY_SEALED`, re-entered
 * by remove + add.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceRegistry } from '../../../edge/devices/registry.js';
import { SecretBox } from '../../../common/seal.js';
import { tempDir } from '../../helpers/fleet.js';

const box = (secret: string): SecretBox => new SecretBox(secret, 'yiwang-device-keys', 'device-keys-v1');
const KEY = 'K3y-0f-m3t3r-0042-c0ffee';

function open(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  return db;
}

/** Every byte SQLite keeps for this database: the file and its sidecars. */
const rawBytes = (path: string): string =>
  ['', '-wal', '-shm', '-journal']
    .map((s) => (existsSync(path + s) ? readFileSync(path + s).toString('latin1') : ''))
    .join('');

t.test('a device key is sealed at rest: not in the database file nor in its WAL', async (t) => {
  const path = join(tempDir('yw-reg-'), 'edge.db');
  const db = open(path);
  const reg = new DeviceRegistry(db, box('gw-secret-1'));
  const d = reg.add({ id: 'meter-0042', kind: 'meter', address: '000000000042', key: KEY });
  t.match(d, { hasKey: true, keyError: null });
  t.equal(reg.key('meter-0042'), KEY, 'the adapter gets the key in clear');
  t.notOk(rawBytes(path).includes(KEY), 'no clear key in edge.db or edge.db-wal while open');
  t.notOk(JSON.stringify(reg.list()).includes(KEY), 'nor in what the API lists');
  db.close();
  t.notOk(rawBytes(path).includes(KEY), 'nor after close (checkpointed)');
});

t.test('after a re-key, the undecryptable key costs its device only: kept, flagged, re-entered', async (t) => {
  const path = join(tempDir('yw-reg-'), 'edge.db');
  const db1 = open(path);
  const before = new DeviceRegistry(db1, box('gw-secret-old'));
  before.add({ id: 'meter-1', kind: 'meter', key: KEY });
  before.add({ id: 'meter-2', kind: 'meter', address: '2' });
  db1.close();

  const db = open(path);
  const reg = new DeviceRegistry(db, box('gw-secret-new')); // the gateway was re-keyed
  t.equal(reg.keysUnreadable, 1);
  t.match(reg.get('meter-1'), { hasKey: true, keyError: { code: 'EDGE_ERR_DEVICE_KEY_SEALED' } }, 'kept and flagged');
  t.equal(reg.key('meter-1'), undefined, 'no key handed to the adapter');
  t.match(reg.get('meter-2'), { keyError: null, address: '2' }, 'the other device is untouched');
  reg.remove('meter-1');
  reg.add({ id: 'meter-1', kind: 'meter', key: 'new-key' });
  t.match(reg.get('meter-1'), { keyError: null });
  t.equal(reg.key('meter-1'), 'new-key', 're-entered under the new secret');
  t.equal(reg.keysUnreadable, 0);
  db.close();
});

t.test('keys stored in clear by an earlier version are sealed on open and their clear bytes are gone', async (t) => {
  const path = join(tempDir('yw-reg-'), 'edge.db');
  const old = open(path);
  old.exec(`CREATE TABLE device_registry (
      id TEXT PRIMARY KEY, kind TEXT NOT NULL, profile TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',
      key TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL)`);
  // other rows around it: the updated cell's old bytes would stay in the page without secure_delete
  const ins = old.prepare('INSERT INTO device_registry (id, kind, key, created_at) VALUES (?, ?, ?, ?)');
  for (let i = 0; i < 20; i++) ins.run(`meter-${i}`, 'meter', i === 9 ? KEY : '', 1);
  old.pragma('wal_checkpoint(TRUNCATE)');
  old.close();
  t.ok(rawBytes(path).includes(KEY), 'the old file holds the key in clear (as before the fix)');

  const db = open(path);
  const reg = new DeviceRegistry(db, box('gw-secret'));
  t.equal(reg.key('meter-9'), KEY, 'still usable');
  t.match(reg.get('meter-9'), { hasKey: true, keyError: null });
  t.notOk(rawBytes(path).includes(KEY), 'no clear bytes left in the file or the WAL');
  db.close();
  t.notOk(rawBytes(path).includes(KEY), 'nor after close');
});
