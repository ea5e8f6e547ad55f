/**
 * Keys at rest (issue 22 item 4): sealed key files hold no PEM or DER of the key, open only under
 * their KEK (a wrong one is CLOUD_ERR_KEK_MISMATCH, a changed file CLOUD_ERR_KEY_UNSEAL), a clear
 * key is sealed on the first start with a KEK, and without a KEK nothing changes (the demo path).
 */
import t, { type Test } from 'tap';
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isYiwangError, type ErrorCode } from '../../../common/errors.js';
import { registerCloudErrors } from '../../../cloud/error-catalog.js';
import { loadFleetPki } from '../../../cloud/pki/fleet-ca.js';
import { KeyVault, SEALED_SUFFIX } from '../../../cloud/keys/vault.js';
import { SEALED_MAX_BYTES } from '../../../cloud/keys/envelope.js';
import type { Kek } from '../../../cloud/keys/kek.js';
import { captureLog } from '../../helpers/log-capture.js';
import { tempDir } from '../../helpers/fleet.js';

registerCloudErrors();
const kekOf = (where = 'test'): Kek => ({ source: 'env', where, material: randomBytes(32) });

const codeOf = (fn: () => unknown): ErrorCode | string => {
  try {
    fn();
    return 'no error';
  } catch (err) {
    return isYiwangError(err) ? err.code : `other: ${String(err)}`;
  }
};

/** Every file of a directory, as bytes. */
const filesOf = (dir: string): Map<string, Buffer> =>
  new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));

function assertNoKeyMaterial(t: Test, dir: string, der: Buffer, label: string): void {
  for (const [f, bytes] of filesOf(dir)) {
    const text = bytes.toString('latin1');
    t.notOk(text.includes('PRIVATE KEY'), `${label}: ${f} has no PEM private key`);
    t.equal(bytes.indexOf(der), -1, `${label}: ${f} has no DER of the key`);
    t.notOk(text.includes(der.toString('base64').slice(0, 40)), `${label}: ${f} has no base64 of the DER`);
    t.equal(bytes.indexOf(der.subarray(-32)), -1, `${label}: ${f} has not even the raw key's last 32 bytes`);
  }
}

t.test('the fleet keys sealed: no PEM or DER on disk; wrong KEK, changed or moved files refused', async (t) => {
  const dir = tempDir('yw-keys-');
  const kek = kekOf();
  const pki = await loadFleetPki(dir, ['localhost'], new KeyVault(dir, kek, 'aes-256-gcm'));
  t.same(readdirSync(dir).sort(), ['config-signing.key.sealed', 'fleet-ca.crt', 'fleet-ca.key.sealed']);
  t.equal(pki.vault.status().sealed, true, 'status says sealed');
  t.equal(pki.vault.status().files.length, 2);
  for (const f of ['config-signing.key.sealed', 'fleet-ca.key.sealed'])
    t.equal(statSync(join(dir, f)).mode & 0o777, 0o600, `${f} is 0600`);
  assertNoKeyMaterial(t, dir, pki.signingKey.export({ type: 'pkcs8', format: 'der' }), 'signing key');

  // the same KEK opens them again: same signing key, same CA
  const again = await loadFleetPki(dir, ['localhost'], new KeyVault(dir, kek, 'aes-256-gcm'));
  t.equal(again.keyId, pki.keyId, 'the same config-signing key');
  t.equal(again.caPem, pki.caPem, 'the same CA');

  // a wrong KEK: coded, before any use
  t.equal(
    codeOf(() => new KeyVault(dir, kekOf(), 'aes-256-gcm').read('config-signing.key')),
    'CLOUD_ERR_KEK_MISMATCH',
  );
  await t.rejects(loadFleetPki(dir, ['localhost'], new KeyVault(dir, kekOf(), 'aes-256-gcm')), {
    code: 'CLOUD_ERR_KEK_MISMATCH',
  });
  // no KEK at all, with sealed keys: coded
  t.equal(
    codeOf(() => new KeyVault(dir, undefined, 'aes-256-gcm').read('fleet-ca.key')),
    'CLOUD_ERR_KEK_MISSING',
  );
  // a wrong KEK that claims the right id (the id is only a label): the tag refuses it
  const path = join(dir, `config-signing.key${SEALED_SUFFIX}`);
  const good = readFileSync(path, 'utf8');
  const env = JSON.parse(good) as { ct: string };
  const ct = Buffer.from(env.ct, 'base64');
  ct[0] = (ct[0] ?? 0) ^ 1;
  writeFileSync(path, JSON.stringify({ ...env, ct: ct.toString('base64') }));
  t.equal(
    codeOf(() => new KeyVault(dir, kek, 'aes-256-gcm').read('config-signing.key')),
    'CLOUD_ERR_KEY_UNSEAL',
    'a changed byte',
  );
  writeFileSync(path, good);
  // one key's sealed file put in place of another's does not open (the name is authenticated)
  renameSync(join(dir, `fleet-ca.key${SEALED_SUFFIX}`), join(dir, 'ca.saved'));
  writeFileSync(join(dir, `fleet-ca.key${SEALED_SUFFIX}`), good);
  t.equal(
    codeOf(() => new KeyVault(dir, kek, 'aes-256-gcm').read('fleet-ca.key')),
    'CLOUD_ERR_KEY_UNSEAL',
    'a moved file',
  );
  renameSync(join(dir, 'ca.saved'), join(dir, `fleet-ca.key${SEALED_SUFFIX}`));
  writeFileSync(join(dir, 'junk.key.sealed'), 'not json');
  t.equal(
    codeOf(() => new KeyVault(dir, kek, 'aes-256-gcm').read('junk.key')),
    'CLOUD_ERR_KEY_UNSEAL',
    'not an envelope',
  );
  // the size bound: refused before it is read
  writeFileSync(join(dir, 'junk.key.sealed'), Buffer.alloc(SEALED_MAX_BYTES + 1, 0x20));
  const big = codeOf(() => new KeyVault(dir, kek, 'aes-256-gcm').read('junk.key'));
  t.equal(big, 'CLOUD_ERR_KEY_UNSEAL', `a file over ${SEALED_MAX_BYTES} bytes`);
  t.equal(again.keyId, (await loadFleetPki(dir, ['localhost'], new KeyVault(dir, kek, 'aes-256-gcm'))).keyId);
});

t.test('without a KEK: clear 0600 files as before, status says so (the demo path)', async (t) => {
  const dir = tempDir('yw-keys-clear-');
  const pki = await loadFleetPki(dir, ['localhost']);
  t.same(readdirSync(dir).sort(), ['config-signing.key', 'fleet-ca.crt', 'fleet-ca.key']);
  t.equal(statSync(join(dir, 'config-signing.key')).mode & 0o777, 0o600);
  t.equal(pki.vault.status().sealed, false);
  t.equal(pki.vault.status().kek, null);
  t.match(pki.vault.status().warning, /no keys\.kek configured/);
  t.same(
    pki.vault.status().files.map((f) => f.state),
    ['clear', 'clear'],
  );
  t.equal((await loadFleetPki(dir, ['localhost'])).keyId, pki.keyId, 'reloaded as before');
});

t.test('migration: clear keys are sealed at the first start with a KEK, the clear files removed, logged', async (t) => {
  const dir = tempDir('yw-keys-migrate-');
  const clear = await loadFleetPki(dir, ['localhost']);
  chmodSync(join(dir, 'fleet-ca.key'), 0o400); // a read-only clear key is migrated too
  const caDer = createPrivateKey(readFileSync(join(dir, 'fleet-ca.key'), 'utf8')).export({
    type: 'pkcs8',
    format: 'der',
  });
  const kek = kekOf();
  const logs = captureLog();
  const vault = new KeyVault(dir, kek, 'aes-256-gcm', logs.log);
  const sealed = await loadFleetPki(dir, ['localhost'], vault);
  t.equal(sealed.keyId, clear.keyId, 'the same config-signing key: gateways keep verifying');
  t.equal(sealed.caPem, clear.caPem, 'the same CA: gateways keep trusting the broker');
  t.same(readdirSync(dir).sort(), ['config-signing.key.sealed', 'fleet-ca.crt', 'fleet-ca.key.sealed']);
  t.same(vault.migrated.sort(), ['config-signing.key', 'fleet-ca.key']);
  t.same(sealed.vault.status().migrated.sort(), ['config-signing.key', 'fleet-ca.key'], 'status names them');
  const lines = logs.lines.filter((l) => String(l.msg).startsWith('keys at rest: sealed a clear private key'));
  t.equal(lines.length, 2, 'one log line per migrated key');
  t.equal(lines[0]?.level, 40);
  assertNoKeyMaterial(t, dir, caDer, 'CA key');
  assertNoKeyMaterial(t, dir, clear.signingKey.export({ type: 'pkcs8', format: 'der' }), 'signing key');
});

t.test('an interrupted migration: the clear copy is removed when it matches, refused when it differs', async (t) => {
  const dir = tempDir('yw-keys-half-');
  const kek = kekOf();
  await loadFleetPki(dir, ['localhost'], new KeyVault(dir, kek, 'aes-256-gcm'));
  const plain = new KeyVault(dir, kek, 'aes-256-gcm').read('config-signing.key')!;
  // crash after the sealed file was written, before the clear one was removed
  writeFileSync(join(dir, 'config-signing.key'), plain, { mode: 0o600 });
  writeFileSync(join(dir, 'config-signing.key.sealed.tmp'), 'half a write');
  const v = new KeyVault(dir, kek, 'aes-256-gcm');
  t.ok(v.read('config-signing.key')?.equals(plain));
  t.notOk(existsSync(join(dir, 'config-signing.key')), 'the clear copy is gone');
  t.notOk(existsSync(join(dir, 'config-signing.key.sealed.tmp')), 'the half-written temp file is gone');
  // a clear file with another key beside the sealed one: which is right cannot be told
  const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  writeFileSync(join(dir, 'config-signing.key'), other, { mode: 0o600 });
  t.equal(
    codeOf(() => new KeyVault(dir, kek, 'aes-256-gcm').read('config-signing.key')),
    'CLOUD_ERR_KEY_CONFLICT',
  );
  t.ok(existsSync(join(dir, 'config-signing.key')), 'nothing removed');
});

t.test('writing a key never leaves a clear copy beside a sealed one', async (t) => {
  const dir = tempDir('yw-keys-write-');
  const kek = kekOf();
  writeFileSync(join(dir, 'fleet-ca.key'), 'an old clear key', { mode: 0o600 });
  // no fleet-ca.crt: a new CA is made; its key replaces the stale clear file, sealed
  await loadFleetPki(dir, ['localhost'], new KeyVault(dir, kek, 'aes-256-gcm'));
  t.same(readdirSync(dir).sort(), ['config-signing.key.sealed', 'fleet-ca.crt', 'fleet-ca.key.sealed']);
  // without the KEK, a key that is sealed is never written again in clear
  t.equal(
    codeOf(() => new KeyVault(dir, undefined, 'aes-256-gcm').write('fleet-ca.key', Buffer.from('x'))),
    'CLOUD_ERR_KEK_MISSING',
  );
  t.notOk(existsSync(join(dir, 'fleet-ca.key')));
});
