/**
 * DTLS device keys (issue 21, identity binding): sealed at rest in edge.db, looked up from memory by
 * identity (keyOf/deviceOf), one identity per device and one device per identity, bounded and
 * counted, imported in bulk with bad rows reported by line and nothing partial, removed with the
 * device, reloaded on open, and after a gateway re-key unreadable but still reserved.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceRegistry } from '../../../edge/devices/registry.js';
import { checkPskIdentity, parsePskCsv, parsePskKey, PSK_CSV_MAX_ROWS } from '../../../edge/devices/psk-keys.js';
import { SecretBox } from '../../../common/seal.js';
import { tempDir } from '../../helpers/fleet.js';

const box = (secret = 'gw-secret-1'): SecretBox => new SecretBox(secret, 'yiwang-device-keys', 'device-keys-v1');
const KEY_HEX = '8f3a5c7e9b1d2f4a6c8e0b2d4f6a8c0e';
const KEY2_HEX = '00112233445566778899aabbccddeeff0011223344556677';

function open(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  return db;
}

const rawBytes = (path: string): Buffer =>
  Buffer.concat(
    ['', '-wal', '-shm', '-journal'].map((s) => (existsSync(path + s) ? readFileSync(path + s) : Buffer.alloc(0))),
  );

const errCode = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

t.test('a PSK is sealed at rest: neither its bytes nor its hex are in the database file or WAL', async (t) => {
  const path = join(tempDir('yw-psk-'), 'edge.db');
  const db = open(path);
  const reg = new DeviceRegistry(db, box());
  const d = reg.add({ id: 'nb-0001', kind: 'coap', pskIdentity: 'nb-0001@yiwang', pskKey: KEY_HEX });
  t.equal(d.pskIdentity, 'nb-0001@yiwang');
  const key = Buffer.from(KEY_HEX, 'hex');
  const raw = rawBytes(path);
  t.ok(raw.includes(Buffer.from('nb-0001@yiwang')), 'the identity is stored (sanity: the scan sees the rows)');
  t.notOk(raw.includes(key), 'no raw key bytes');
  t.notOk(raw.toString('latin1').toLowerCase().includes(KEY_HEX), 'no key hex');
  t.notOk(JSON.stringify(reg.list()).includes(KEY_HEX), 'nor in what the API lists');
  db.close();
  const after = rawBytes(path);
  t.notOk(after.includes(key) || after.toString('latin1').includes(KEY_HEX), 'nor after close (checkpointed)');
});

t.test('keyOf/deviceOf round trip, from memory, kept across reopen; re-keying replaces', async (t) => {
  const path = join(tempDir('yw-psk-'), 'edge.db');
  const db = open(path);
  const reg = new DeviceRegistry(db, box());
  reg.add({ id: 'nb-1', kind: 'coap', pskIdentity: 'id-1', pskKey: KEY_HEX });
  t.same(reg.psk.keyOf('id-1'), Buffer.from(KEY_HEX, 'hex'));
  t.equal(reg.psk.deviceOf('id-1'), 'nb-1');
  t.equal(reg.psk.keyOf('nobody'), undefined);
  t.equal(reg.psk.deviceOf('nobody'), undefined);
  t.ok(reg.psk.deviceHasKey('nb-1'));

  // re-key the device to another identity through the bulk path: the old identity is free again
  const r = reg.importPskKeys([{ line: 2, deviceId: 'nb-1', identity: 'id-1b', key: KEY2_HEX }]);
  t.match(r, { imported: 1, created: 0, replaced: 1, rejected: [] });
  t.equal(reg.psk.deviceOf('id-1'), undefined, 'old identity gone');
  t.same(reg.psk.keyOf('id-1b'), Buffer.from(KEY2_HEX, 'hex'));
  db.close();
  // no SQL per lookup: with the database closed the index still answers
  t.equal(reg.psk.deviceOf('id-1b'), 'nb-1');
  t.same(reg.psk.keyOf('id-1b'), Buffer.from(KEY2_HEX, 'hex'));

  const db2 = open(path);
  const again = new DeviceRegistry(db2, box());
  t.same(again.psk.keyOf('id-1b'), Buffer.from(KEY2_HEX, 'hex'), 'loaded at open');
  t.equal(again.psk.deviceOf('id-1b'), 'nb-1');
  t.equal(again.psk.stats().entries, 1);
  db2.close();
});

t.test('validation: identity and key bounds, both or neither, duplicate identity refused', async (t) => {
  const db = open(join(tempDir('yw-psk-'), 'edge.db'));
  const reg = new DeviceRegistry(db, box());
  t.equal(
    errCode(() => checkPskIdentity('')),
    'EDGE_ERR_PSK_IDENTITY',
  );
  t.equal(
    errCode(() => checkPskIdentity('x'.repeat(129))),
    'EDGE_ERR_PSK_IDENTITY',
  );
  t.equal(checkPskIdentity('x'.repeat(128)), 'x'.repeat(128));
  t.equal(
    errCode(() => checkPskIdentity('a\x1b[2Jb')),
    'EDGE_ERR_PSK_IDENTITY',
    'no control characters',
  );
  t.equal(
    errCode(() => checkPskIdentity('设备')),
    'EDGE_ERR_PSK_IDENTITY',
    'ASCII only',
  );
  t.equal(
    errCode(() => parsePskKey('00'.repeat(15))),
    'EDGE_ERR_PSK_KEY',
    '15 bytes is too short',
  );
  t.equal(parsePskKey('00'.repeat(16)).length, 16);
  t.equal(parsePskKey(`0x${'ab'.repeat(64)}`).length, 64);
  t.equal(
    errCode(() => parsePskKey('ab'.repeat(65))),
    'EDGE_ERR_PSK_KEY',
    '65 bytes is too long',
  );
  t.equal(
    errCode(() => parsePskKey(`${'ab'.repeat(16)}a`)),
    'EDGE_ERR_PSK_KEY',
    'odd length',
  );
  t.equal(
    errCode(() => parsePskKey('zz'.repeat(16))),
    'EDGE_ERR_PSK_KEY',
    'not hex',
  );
  t.equal(
    errCode(() => reg.add({ id: 'a', pskIdentity: 'only-identity' })),
    'EDGE_ERR_PSK_KEY',
    'an identity without a key',
  );
  t.equal(reg.get('a'), undefined, 'nothing stored');

  reg.add({ id: 'dev-a', kind: 'coap', pskIdentity: 'shared', pskKey: KEY_HEX });
  t.equal(
    errCode(() => reg.add({ id: 'dev-b', kind: 'coap', pskIdentity: 'shared', pskKey: KEY2_HEX })),
    'EDGE_ERR_PSK_IDENTITY_TAKEN',
  );
  t.equal(reg.get('dev-b'), undefined, 'the device was not added either');
  t.equal(reg.psk.deviceOf('shared'), 'dev-a', 'the identity still names its device');
  t.same(reg.psk.keyOf('shared'), Buffer.from(KEY_HEX, 'hex'), 'with its key');
  db.close();
});

t.test('limits: entries and bytes refuse the write, count the hit, change nothing', async (t) => {
  const db = open(join(tempDir('yw-psk-'), 'edge.db'));
  const reg = new DeviceRegistry(db, box(), { pskLimits: { maxEntries: 2 } });
  reg.add({ id: 'd1', pskIdentity: 'i1', pskKey: KEY_HEX });
  reg.add({ id: 'd2', pskIdentity: 'i2', pskKey: KEY_HEX });
  t.equal(
    errCode(() => reg.add({ id: 'd3', pskIdentity: 'i3', pskKey: KEY_HEX })),
    'EDGE_ERR_PSK_LIMIT',
  );
  t.equal(reg.get('d3'), undefined);
  t.match(reg.psk.stats(), { entries: 2, maxEntries: 2, limitHits: 1 });
  // replacing a key at the limit is allowed (the count does not grow)
  const r = reg.importPskKeys([
    { line: 2, deviceId: 'd1', identity: 'i1', key: KEY2_HEX },
    { line: 3, deviceId: 'd4', identity: 'i4', key: KEY_HEX },
  ]);
  t.match(r, { imported: 1, replaced: 1, rejected: [{ line: 3, code: 'EDGE_ERR_PSK_LIMIT' }] });
  t.equal(reg.get('d4'), undefined, 'the refused row added no device');
  t.equal(reg.psk.stats().limitHits, 2);
  db.close();

  const db2 = open(join(tempDir('yw-psk-'), 'edge.db'));
  const small = new DeviceRegistry(db2, box(), { pskLimits: { maxBytes: 400 } });
  small.add({ id: 'd1', pskIdentity: 'i1', pskKey: KEY_HEX }); // 2 + 2 + 16 + 160 = 180 bytes
  small.add({ id: 'd2', pskIdentity: 'i2', pskKey: KEY_HEX }); // 360
  t.equal(
    errCode(() => small.add({ id: 'd3', pskIdentity: 'i3', pskKey: KEY_HEX })),
    'EDGE_ERR_PSK_LIMIT',
  );
  t.match(small.psk.stats(), { entries: 2, bytes: 360, maxBytes: 400, limitHits: 1 });
  // limits lowered below what is stored: the first rows are loaded, the rest counted
  const lowered = new DeviceRegistry(db2, box(), { pskLimits: { maxEntries: 1 } });
  t.match(lowered.psk.stats(), { entries: 1, limitHits: 1 });
  t.equal(lowered.psk.deviceOf('i1'), 'd1');
  t.equal(lowered.psk.deviceOf('i2'), undefined);
  db2.close();
});

t.test('bulk import: good rows in one transaction, bad rows by line, nothing partial', async (t) => {
  const db = open(join(tempDir('yw-psk-'), 'edge.db'));
  const reg = new DeviceRegistry(db, box());
  reg.add({ id: 'owner', kind: 'coap', pskIdentity: 'taken-id', pskKey: KEY_HEX });
  const { rows, problems } = parsePskCsv(
    [
      'device_id,psk_identity,psk_key',
      `nb-1,id-1,${KEY_HEX}`,
      'nb-2,id-2,abcd', // key too short
      `nb-3,taken-id,${KEY_HEX}`, // identity of another device
      `nb-4,"id,with ""quotes""",${KEY2_HEX}`,
      'nb-5,only-two-fields',
      '',
      `bad id!,id-6,${KEY_HEX}`,
      `nb-1,id-7,${KEY_HEX}`, // device twice
      `nb-8,id-1,${KEY_HEX}`, // identity twice in the file
      `nb-9,id-\x01,${KEY_HEX}`, // control character
    ].join('\r\n'),
  );
  t.same(problems, [{ line: 6, code: 'EDGE_ERR_PSK_CSV', message: problems[0]?.message }], 'syntax: line 6');
  const r = reg.importPskKeys(rows);
  t.equal(r.imported, 2);
  t.equal(r.created, 2);
  t.same(
    r.rejected.map((p) => [p.line, p.code]),
    [
      [3, 'EDGE_ERR_PSK_KEY'],
      [4, 'EDGE_ERR_PSK_IDENTITY_TAKEN'],
      [8, 'EDGE_ERR_BAD_REQUEST'],
      [9, 'EDGE_ERR_PSK_CSV'],
      [10, 'EDGE_ERR_PSK_IDENTITY_TAKEN'],
      [11, 'EDGE_ERR_PSK_IDENTITY'],
    ],
  );
  t.equal(reg.psk.deviceOf('id-1'), 'nb-1');
  t.equal(reg.psk.deviceOf('id,with "quotes"'), 'nb-4', 'RFC 4180 quoting');
  t.same(reg.psk.keyOf('id,with "quotes"'), Buffer.from(KEY2_HEX, 'hex'));
  for (const gone of ['nb-2', 'nb-3', 'nb-8', 'nb-9']) t.equal(reg.get(gone), undefined, `${gone} not added`);
  t.equal(reg.psk.deviceOf('taken-id'), 'owner', 'the owner keeps its identity');
  t.match(reg.get('nb-1'), { kind: 'coap', pskIdentity: 'id-1' });

  t.equal(
    errCode(() => parsePskCsv(`device,identity,key\nnb-1,id-1,${KEY_HEX}`)),
    'EDGE_ERR_PSK_CSV',
    'header required',
  );
  t.equal(
    errCode(() => parsePskCsv(`device_id,psk_identity,psk_key\n${'x,y,z\n'.repeat(2001)}`)),
    'EDGE_ERR_PSK_CSV',
  );
  // a file of bad lines stops at the row limit instead of building a report as long as itself
  const bad = `device_id,psk_identity,psk_key\n${',\n'.repeat(PSK_CSV_MAX_ROWS + 1)}`;
  t.throws(() => parsePskCsv(bad), { code: 'EDGE_ERR_PSK_CSV', message: /more than 2000 bad lines/ });
  t.equal(
    parsePskCsv(`device_id,psk_identity,psk_key\n${',\n'.repeat(PSK_CSV_MAX_ROWS)}`).problems.length,
    PSK_CSV_MAX_ROWS,
    'up to the limit each bad line is reported',
  );
  db.close();
});

t.test('an identity released by a re-key in the same file can go to another device', async (t) => {
  const db = open(join(tempDir('yw-psk-'), 'edge.db'));
  const reg = new DeviceRegistry(db, box());
  reg.add({ id: 'a', pskIdentity: 'X', pskKey: KEY_HEX });
  const r = reg.importPskKeys([
    { line: 2, deviceId: 'a', identity: 'Y', key: KEY_HEX },
    { line: 3, deviceId: 'b', identity: 'X', key: KEY2_HEX },
  ]);
  t.match(r, { imported: 2, rejected: [] });
  t.equal(reg.psk.deviceOf('X'), 'b');
  t.equal(reg.psk.deviceOf('Y'), 'a');
  db.close();
});

t.test('remove drops the key from the store and the index at once', async (t) => {
  const path = join(tempDir('yw-psk-'), 'edge.db');
  const db = open(path);
  const reg = new DeviceRegistry(db, box());
  reg.add({ id: 'nb-1', pskIdentity: 'id-1', pskKey: KEY_HEX });
  reg.remove('nb-1');
  t.equal(reg.psk.keyOf('id-1'), undefined);
  t.equal(reg.psk.deviceOf('id-1'), undefined);
  t.notOk(reg.psk.deviceHasKey('nb-1'));
  t.equal((db.prepare('SELECT count(*) AS n FROM device_psk_keys').get() as { n: number }).n, 0);
  reg.add({ id: 'nb-2', pskIdentity: 'id-1', pskKey: KEY2_HEX });
  t.equal(reg.psk.deviceOf('id-1'), 'nb-2', 'the identity is free for another device');
  db.close();
});

t.test(
  'after a gateway re-key the PSK does not open: no key handed out, identity kept reserved, flagged',
  async (t) => {
    const path = join(tempDir('yw-psk-'), 'edge.db');
    const db1 = open(path);
    new DeviceRegistry(db1, box('old-secret')).add({ id: 'nb-1', pskIdentity: 'id-1', pskKey: KEY_HEX });
    db1.close();
    const db = open(path);
    const reg = new DeviceRegistry(db, box('new-secret'));
    t.equal(reg.psk.keyOf('id-1'), undefined, 'the handshake will be refused');
    t.equal(reg.psk.deviceOf('id-1'), 'nb-1', 'the identity still belongs to its device');
    t.match(reg.get('nb-1'), { keyError: { code: 'EDGE_ERR_DEVICE_KEY_SEALED' }, pskIdentity: 'id-1' });
    t.equal(reg.keysUnreadable, 1);
    const r = reg.importPskKeys([{ line: 2, deviceId: 'nb-1', identity: 'id-1', key: KEY2_HEX }]);
    t.match(r, { imported: 1, replaced: 1 });
    t.same(reg.psk.keyOf('id-1'), Buffer.from(KEY2_HEX, 'hex'), 're-entered');
    t.equal(reg.keysUnreadable, 0);
    db.close();
  },
);
