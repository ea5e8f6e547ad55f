/**
 * cameras.json after a re-key or damage (issue 16, finding 11), on the CameraManager itself: an
 * entry sealed under another gateway secret is kept in the file, listed as needs_credentials with
 * CAMERA_ERR_CREDENTIALS_SEALED, not monitored, and survives later saves; adding it again with the
 * same id replaces it; removing it works. A file that is not JSON is kept aside and the manager
 * starts with no API-added cameras. The file and its directory are private.
 */
import t from 'tap';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadEdgeConfig } from '../../../../edge/config.js';
import { CameraManager } from '../../../../edge/southbound/onvif/camera-manager.js';
import { Secret } from '../../../../edge/southbound/onvif/secret.js';
import { captureLog } from '../../../helpers/log-capture.js';
import { FAST, tempDir } from './setup.js';

function manager(dataDir: string, gatewaySecret: string): { m: CameraManager; logs: ReturnType<typeof captureLog> } {
  const logs = captureLog();
  const config = { ...loadEdgeConfig().cameras, stream_probe: false, ...FAST, events: false };
  return { m: new CameraManager({ config, dataDir, gatewaySecret, log: logs.log }), logs };
}

const ids = (file: string): string[] =>
  (JSON.parse(readFileSync(file, 'utf8')) as { cameras: { id: string }[] }).cameras.map((c) => c.id).sort();

t.test('a camera sealed under the old secret is kept, flagged and replaceable; the others go on', async (t) => {
  const data = join(tempDir('yw-camreg-'), 'data');
  const file = join(data, 'cameras.json');
  const { m: before } = manager(data, 'secret-old');
  await before.start();
  await before.add('127.0.0.1:1', 'admin', new Secret('pw-old'), 'gate-1');
  await before.stop();
  t.equal((statSync(file).mode & 0o777).toString(8), '600', 'cameras.json 0600');
  t.equal((statSync(data).mode & 0o777).toString(8), '700', 'its directory, created here, 0700');

  const { m, logs } = manager(data, 'secret-new'); // without the fix: throws here
  t.teardown(() => m.stop());
  await m.start();
  t.match(logs.withCode('CAMERA_ERR_CREDENTIALS_SEALED'), [{ deviceId: 'gate-1' }], 'logged once with its code');
  t.match(m.list(), [
    { id: 'gate-1', state: 'needs_credentials', online: false, lastError: { code: 'CAMERA_ERR_CREDENTIALS_SEALED' } },
  ]);
  t.match(m.statusOf('gate-1'), { state: 'needs_credentials' });
  t.match(m.counts(), { total: 1, online: 0, needs_credentials: 1 });
  t.equal(m.monitors.size, 0, 'not monitored (no login attempts with a wrong password)');
  t.throws(() => m.get('gate-1'), { code: 'CAMERA_ERR_CREDENTIALS_SEALED' });

  // Another camera added now: the flagged entry stays in the file as it was.
  const sealedBefore = readFileSync(file, 'utf8');
  await m.add('127.0.0.1:2', 'admin', new Secret('pw-2'), 'gate-2');
  t.same(ids(file), ['gate-1', 'gate-2'], 'flagged entry kept on save');
  const entry = (s: string): unknown =>
    (JSON.parse(s) as { cameras: { id: string }[] }).cameras.find((c) => c.id === 'gate-1');
  t.same(entry(readFileSync(file, 'utf8')), entry(sealedBefore), 'unchanged, byte for byte of its fields');
  t.equal(m.monitors.size, 1, 'the new camera is monitored');

  // Credentials entered again with the same id: monitored, no longer flagged.
  await m.add('127.0.0.1:1', 'admin', new Secret('pw-new'), 'gate-1');
  t.equal(m.counts().needs_credentials, 0);
  t.equal(m.monitors.size, 2);
  await m.stop();
  const { m: after } = manager(data, 'secret-new');
  t.same(
    after
      .list()
      .map((c) => c.state)
      .filter((s) => s === 'needs_credentials'),
    [],
    'opens under the new secret',
  );
  await after.remove('gate-1');
  t.same(ids(file), ['gate-2']);
});

t.test('a flagged camera can be removed', async (t) => {
  const data = join(tempDir('yw-camreg-'), 'data');
  const { m: before } = manager(data, 'a');
  await before.start();
  await before.add('127.0.0.1:1', 'admin', new Secret('pw'), 'gate-x');
  await before.stop();
  const { m } = manager(data, 'b');
  await m.remove('gate-x');
  t.same(m.list(), []);
  t.same(ids(join(data, 'cameras.json')), []);
});

t.test('a cameras.json that is not JSON is kept aside; the manager starts without API cameras', async (t) => {
  const data = join(tempDir('yw-camreg-'), 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'cameras.json'), '{"cameras": [ {"id": "gate-1", "pass');
  const { m, logs } = manager(data, 's');
  t.same(m.list(), []);
  t.equal(logs.withCode('CAMERA_ERR_REGISTRY').length, 1);
  t.notOk(existsSync(join(data, 'cameras.json')), 'moved away');
  t.equal(
    readdirSync(data).filter((f) => f.startsWith('cameras.json.unreadable-')).length,
    1,
    'kept as cameras.json.unreadable-<ms>',
  );
});

t.test('an entry that no longer validates is kept and flagged on its own', async (t) => {
  const data = join(tempDir('yw-camreg-'), 'data');
  const { m: before } = manager(data, 's');
  await before.start();
  await before.add('127.0.0.1:1', 'admin', new Secret('pw'), 'good');
  await before.stop();
  const file = join(data, 'cameras.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { cameras: Record<string, string>[] };
  doc.cameras.push({ ...doc.cameras[0]!, id: 'bad', address: 'not a url at all ::' });
  writeFileSync(file, JSON.stringify(doc));
  const { m } = manager(data, 's');
  t.teardown(() => m.stop());
  await m.start();
  t.match(m.list(), [
    { id: 'good' },
    { id: 'bad', state: 'needs_credentials', lastError: { code: 'CAMERA_ERR_REGISTRY' } },
  ]);
});
