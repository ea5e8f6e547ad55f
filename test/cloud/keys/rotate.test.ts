/**
 * KEK rotation: every sealed key re-sealed under the new KEK; an interrupted rotation leaves each
 * file whole under one of the two KEKs, the cloud refuses to start until it is finished (run again)
 * or reverted; `yiwang-cloud kek rotate` and `kek status` on the files.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isYiwangError } from '../../../common/errors.js';
import { registerCloudErrors } from '../../../cloud/error-catalog.js';
import { loadFleetPki } from '../../../cloud/pki/fleet-ca.js';
import { KeyVault, ROTATION_JOURNAL, scanKeyFiles } from '../../../cloud/keys/vault.js';
import { kekId, type Kek } from '../../../cloud/keys/kek.js';
import { rotateKek } from '../../../cloud/keys/rotate.js';
import { tempDir } from '../../helpers/fleet.js';
import { cloudCli, isolateCliEnv } from '../cli/run-cli.js';

registerCloudErrors();
isolateCliEnv();
const kekOf = (): Kek => ({ source: 'env', where: 'test', material: randomBytes(32) });
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (err) {
    return isYiwangError(err) ? err.code : `other: ${String(err)}`;
  }
};
const kekIds = (dir: string): string[] => scanKeyFiles(dir).map((f) => f.kekId ?? f.state);

async function sealedPki(): Promise<{ dir: string; old: Kek; keyId: string; caPem: string }> {
  const dir = tempDir('yw-rotate-');
  const old = kekOf();
  const pki = await loadFleetPki(dir, ['localhost'], new KeyVault(dir, old, 'aes-256-gcm'));
  return { dir, old, keyId: pki.keyId, caPem: pki.caPem };
}

t.test('rotation: every key under the new KEK, the old one no longer opens them', async (t) => {
  const { dir, old, keyId, caPem } = await sealedPki();
  const next = kekOf();
  const r = rotateKek(dir, { oldKek: old, newKek: next, algorithm: 'aes-256-gcm' });
  t.same(r.resealed, ['config-signing.key', 'fleet-ca.key']);
  t.equal(r.resumed, false);
  t.same(kekIds(dir), [kekId(next, 'aes-256-gcm'), kekId(next, 'aes-256-gcm')]);
  t.notOk(existsSync(join(dir, ROTATION_JOURNAL)), 'journal removed');
  const pki = await loadFleetPki(dir, ['localhost'], new KeyVault(dir, next, 'aes-256-gcm'));
  t.equal(pki.keyId, keyId, 'the same signing key');
  t.equal(pki.caPem, caPem, 'the same CA');
  t.equal(
    codeOf(() => new KeyVault(dir, old, 'aes-256-gcm').read('fleet-ca.key')),
    'CLOUD_ERR_KEK_MISMATCH',
  );
  t.equal(
    codeOf(() => rotateKek(dir, { oldKek: next, newKek: next, algorithm: 'aes-256-gcm' })),
    'CLOUD_ERR_KEK_INVALID',
    'the same KEK twice',
  );
  t.equal(
    codeOf(() => rotateKek(dir, { oldKek: old, newKek: kekOf(), algorithm: 'aes-256-gcm' })),
    'CLOUD_ERR_KEK_MISMATCH',
    'a wrong old KEK changes nothing',
  );
  t.same(kekIds(dir), [kekId(next, 'aes-256-gcm'), kekId(next, 'aes-256-gcm')], 'still under the new KEK');
  t.equal(
    codeOf(() => rotateKek(dir, { oldKek: next, newKek: old, algorithm: 'aes-256-gcm', revert: true })),
    'CLOUD_ERR_KEK_INVALID',
    'nothing to revert',
  );
});

t.test('an interrupted rotation: start refused; run again finishes it', async (t) => {
  const { dir, old, keyId } = await sealedPki();
  const next = kekOf();
  t.throws(
    () =>
      rotateKek(dir, {
        oldKek: old,
        newKek: next,
        algorithm: 'aes-256-gcm',
        afterFile: () => {
          throw new Error('crash after the first file');
        },
      }),
    /crash after the first file/,
  );
  t.same(kekIds(dir), [kekId(next, 'aes-256-gcm'), kekId(old, 'aes-256-gcm')], 'one file under each KEK');
  t.ok(existsSync(join(dir, ROTATION_JOURNAL)), 'the journal is there');
  for (const k of [old, next])
    t.equal(
      codeOf(() => new KeyVault(dir, k, 'aes-256-gcm')),
      'CLOUD_ERR_KEK_ROTATION_INCOMPLETE',
      'start refused',
    );
  t.equal(
    codeOf(() => rotateKek(dir, { oldKek: old, newKek: kekOf(), algorithm: 'aes-256-gcm' })),
    'CLOUD_ERR_KEK_MISMATCH',
    'resuming with another new KEK is refused',
  );
  const r = rotateKek(dir, { oldKek: old, newKek: next, algorithm: 'aes-256-gcm' });
  t.equal(r.resumed, true);
  t.same(r.skipped, ['config-signing.key'], 'the done file is skipped');
  t.same(r.resealed, ['fleet-ca.key']);
  t.equal((await loadFleetPki(dir, ['localhost'], new KeyVault(dir, next, 'aes-256-gcm'))).keyId, keyId);
});

t.test('an interrupted rotation reverted: every key back under the old KEK', async (t) => {
  const { dir, old, keyId } = await sealedPki();
  const next = kekOf();
  t.throws(() =>
    rotateKek(dir, {
      oldKek: old,
      newKek: next,
      algorithm: 'aes-256-gcm',
      afterFile: () => {
        throw new Error('crash');
      },
    }),
  );
  const r = rotateKek(dir, { oldKek: old, newKek: next, algorithm: 'aes-256-gcm', revert: true });
  t.same(r.resealed, ['config-signing.key']);
  t.same(r.skipped, ['fleet-ca.key']);
  t.same(kekIds(dir), [kekId(old, 'aes-256-gcm'), kekId(old, 'aes-256-gcm')]);
  t.notOk(existsSync(join(dir, ROTATION_JOURNAL)));
  t.equal((await loadFleetPki(dir, ['localhost'], new KeyVault(dir, old, 'aes-256-gcm'))).keyId, keyId);
});

t.test('`yiwang-cloud kek rotate` and `kek status` on the files of a config', async (t) => {
  const dir = tempDir('yw-rotate-cli-');
  const oldText = randomBytes(32).toString('base64');
  const newFile = join(tempDir('yw-kek-new-'), 'kek');
  writeFileSync(newFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  const cfg = join(dir, 'cloud.toml');
  writeFileSync(cfg, `[store]\npath = "${join(dir, 'data', 'cloud.db')}"\n[keys]\nkek = "env:YW_ROTATE_KEK"\n`);
  const pkiDir = join(dir, 'data', 'pki');
  const old: Kek = { source: 'env', where: 'YW_ROTATE_KEK', material: Buffer.from(oldText, 'base64') };
  const { keyId } = await loadFleetPki(pkiDir, ['localhost'], new KeyVault(pkiDir, old, 'aes-256-gcm'));
  const env = { YW_ROTATE_KEK: oldText };

  const before = await cloudCli(['--config', cfg, '--json', 'kek', 'status'], env);
  const s = JSON.parse(before.out) as { kek: { id: string }; files: { state: string; kekId: string }[] };
  t.equal(s.kek.id, kekId(old, 'aes-256-gcm'));
  t.same(
    s.files.map((f) => f.state),
    ['sealed', 'sealed'],
  );
  t.equal(process.exitCode ?? 0, 0, 'status exits 0 when every key is sealed');

  const run = await cloudCli(['--config', cfg, 'kek', 'rotate', '--new', `file:${newFile}`], env);
  t.equal(run.code, 0, run.err);
  t.match(run.out, /rotated: 2 key\(s\) re-sealed, 0 already done/);
  t.match(run.out, `now set keys.kek = "file:${newFile}"`);
  const after = await cloudCli(['--config', cfg, '--json', 'kek', 'status'], env);
  t.same(
    (JSON.parse(after.out) as { files: { underKek: boolean }[] }).files.map((f) => f.underKek),
    [false, false],
    'status: the keys are no longer under the configured (old) KEK',
  );
  t.equal(process.exitCode, 1, 'and exits 1 until keys.kek names the new one');
  process.exitCode = 0;
  writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('env:YW_ROTATE_KEK', `file:${newFile}`));
  const newKek = (await import('../../../cloud/keys/kek.js')).loadKek(`file:${newFile}`, { forbiddenDirs: [] })!;
  const st = JSON.parse((await cloudCli(['--config', cfg, '--json', 'kek', 'status'])).out) as {
    files: { kekId: string }[];
  };
  t.same(
    st.files.map((f) => f.kekId),
    [kekId(newKek, 'aes-256-gcm'), kekId(newKek, 'aes-256-gcm')],
  );
  t.equal((await loadFleetPki(pkiDir, ['localhost'], new KeyVault(pkiDir, newKek, 'aes-256-gcm'))).keyId, keyId);

  // a clear pki: status exits 1 and says so
  const clearDir = tempDir('yw-status-clear-');
  await loadFleetPki(join(clearDir, 'pki'), ['localhost']);
  const clearCfg = join(clearDir, 'cloud.toml');
  writeFileSync(clearCfg, `[store]\npath = "${join(clearDir, 'cloud.db')}"\n`);
  process.exitCode = 0;
  const cs = await cloudCli(['--config', clearCfg, 'kek', 'status']);
  t.match(cs.out, /none \(keys\.kek empty\): private keys are clear files/);
  t.match(cs.out, /config-signing\.key\s+clear/);
  t.equal(process.exitCode, 1, 'exit 1: clear keys');
  process.exitCode = 0;
});
