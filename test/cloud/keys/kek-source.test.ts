/**
 * Where the KEK comes from (keys.kek): a file only its owner may read (a group- or
 * other-readable one, or one inside the store or pki directory, is refused), an environment
 * variable (removed once read), a systemd credential; its text is 32+ bytes of hex or base64,
 * at most 4 KiB.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isYiwangError } from '../../../common/errors.js';
import { registerCloudErrors } from '../../../cloud/error-catalog.js';
import { loadCloudConfig } from '../../../cloud/config.js';
import { KEK_MAX_BYTES, decodeKekText, loadKek, newKekText } from '../../../cloud/keys/kek.js';
import { openKeyVault } from '../../../cloud/keys/open-vault.js';
import { tempDir } from '../../helpers/fleet.js';

registerCloudErrors();
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (err) {
    return isYiwangError(err) ? err.code : `other: ${String(err)}`;
  }
};
const kekText = (): string => randomBytes(32).toString('base64');

t.test('a KEK file: 0600 accepted; group- or other-readable, or inside the data directories, refused', async (t) => {
  const dir = tempDir('yw-kek-');
  const file = join(dir, 'kek');
  const text = kekText();
  writeFileSync(file, `${text}\n`, { mode: 0o600 });
  const o = { forbiddenDirs: [join(dir, 'data'), join(dir, 'data', 'pki')] };
  const kek = loadKek(`file:${file}`, o);
  t.same(kek?.material, Buffer.from(text, 'base64'), 'read, trailing newline ignored');
  t.equal(kek?.source, 'file');
  chmodSync(file, 0o400);
  t.ok(loadKek(`file:${file}`, o), '0400 is fine too');
  for (const mode of [0o640, 0o604, 0o620, 0o660, 0o644]) {
    chmodSync(file, mode);
    let msg = '';
    try {
      loadKek(`file:${file}`, o);
    } catch (err) {
      msg = isYiwangError(err, 'CLOUD_ERR_KEK_FILE_UNSAFE') ? err.message : String(err);
    }
    t.match(msg, `has mode 0${mode.toString(8)}`, `mode 0${mode.toString(8)} refused, named`);
  }
  chmodSync(file, 0o600);
  // inside the store directory or pki.dir: refused, also through a symlink from outside
  mkdirSync(join(dir, 'data', 'pki'), { recursive: true });
  const inside = join(dir, 'data', 'pki', 'kek');
  writeFileSync(inside, text, { mode: 0o600 });
  t.equal(
    codeOf(() => loadKek(`file:${inside}`, o)),
    'CLOUD_ERR_KEK_FILE_UNSAFE',
    'inside pki.dir',
  );
  writeFileSync(join(dir, 'data', 'kek'), text, { mode: 0o600 });
  t.equal(
    codeOf(() => loadKek(`file:${join(dir, 'data', 'kek')}`, o)),
    'CLOUD_ERR_KEK_FILE_UNSAFE',
    'inside the store dir',
  );
  symlinkSync(inside, join(dir, 'link'));
  t.equal(
    codeOf(() => loadKek(`file:${join(dir, 'link')}`, o)),
    'CLOUD_ERR_KEK_FILE_UNSAFE',
    'a symlink into pki.dir',
  );
  t.equal(
    codeOf(() => loadKek(`file:${join(dir, 'nope')}`, o)),
    'CLOUD_ERR_KEK_MISSING',
    'a missing file',
  );
  t.equal(
    codeOf(() => loadKek(`file:${dir}`, o)),
    'CLOUD_ERR_KEK_FILE_UNSAFE',
    'a directory',
  );
  t.equal(
    codeOf(() => loadKek('file:relative/kek', o)),
    'CLOUD_ERR_KEK_INVALID',
    'a relative path',
  );
  // the size bound: refused before it is read
  writeFileSync(file, 'A'.repeat(KEK_MAX_BYTES + 1), { mode: 0o600 });
  t.equal(
    codeOf(() => loadKek(`file:${file}`, o)),
    'CLOUD_ERR_KEK_INVALID',
    `over ${KEK_MAX_BYTES} bytes`,
  );
});

t.test('the cloud refuses a group-readable KEK file at start, naming it', async (t) => {
  const dir = tempDir('yw-kek-cfg-');
  const file = join(dir, 'kek');
  writeFileSync(file, kekText(), { mode: 0o640 });
  chmodSync(file, 0o640);
  const config = loadCloudConfig(undefined, {
    store: { path: join(dir, 'data', 'cloud.db') },
    keys: { kek: `file:${file}` },
  });
  let err: unknown;
  try {
    openKeyVault(config);
  } catch (e) {
    err = e;
  }
  t.ok(isYiwangError(err, 'CLOUD_ERR_KEK_FILE_UNSAFE'), 'coded');
  t.match((err as Error).message, `${file} has mode 0640: group or others may read or write it (chmod 600 ${file})`);
  t.ok((err as { hint: string }).hint.length > 10, 'with a hint');
});

t.test('an environment variable: read, then removed from the environment', async (t) => {
  const text = kekText();
  const env: NodeJS.ProcessEnv = { YW_TEST_KEK: text };
  const kek = loadKek('env:YW_TEST_KEK', { forbiddenDirs: [], env });
  t.same(kek?.material, Buffer.from(text, 'base64'));
  t.equal(env.YW_TEST_KEK, undefined, 'scrubbed');
  t.equal(
    codeOf(() => loadKek('env:YW_TEST_KEK', { forbiddenDirs: [], env })),
    'CLOUD_ERR_KEK_MISSING',
    'unset',
  );
  t.equal(
    codeOf(() => loadKek('env:1BAD', { forbiddenDirs: [], env })),
    'CLOUD_ERR_KEK_INVALID',
  );
  const kept: NodeJS.ProcessEnv = { K: text };
  loadKek('env:K', { forbiddenDirs: [], env: kept, scrubEnv: false });
  t.equal(kept.K, text, 'kept when asked (the CLI)');
});

t.test('a systemd credential: $CREDENTIALS_DIRECTORY/NAME', async (t) => {
  const creds = tempDir('yw-creds-');
  const text = randomBytes(48).toString('hex');
  writeFileSync(join(creds, 'yiwang-kek'), text, { mode: 0o400 });
  const kek = loadKek('systemd:yiwang-kek', { forbiddenDirs: [], env: { CREDENTIALS_DIRECTORY: creds } });
  t.same(kek?.material, Buffer.from(text, 'hex'), 'hex, 48 bytes');
  t.equal(kek?.source, 'systemd');
  t.equal(
    codeOf(() => loadKek('systemd:yiwang-kek', { forbiddenDirs: [], env: {} })),
    'CLOUD_ERR_KEK_MISSING',
    'no $CREDENTIALS_DIRECTORY',
  );
  t.equal(
    codeOf(() => loadKek('systemd:../etc/x', { forbiddenDirs: [], env: {} })),
    'CLOUD_ERR_KEK_INVALID',
  );
});

t.test('KEK text: hex or base64 of 32+ bytes; other specs refused', async (t) => {
  t.equal(decodeKekText(newKekText(), 'x').length, 32);
  t.equal(decodeKekText(randomBytes(32).toString('base64url'), 'x').length, 32, 'base64url');
  t.equal(
    codeOf(() => decodeKekText(randomBytes(31).toString('base64'), 'x')),
    'CLOUD_ERR_KEK_INVALID',
    '31 bytes',
  );
  t.equal(
    codeOf(() => decodeKekText('correct horse battery staple and more words', 'x')),
    'CLOUD_ERR_KEK_INVALID',
  );
  t.equal(
    codeOf(() => loadKek('vault:secret/kek', { forbiddenDirs: [] })),
    'CLOUD_ERR_KEK_INVALID',
  );
  t.equal(loadKek('', { forbiddenDirs: [] }), undefined, 'empty = no KEK');
});

t.test('keys.require_kek refuses a start without a KEK', async (t) => {
  const dir = tempDir('yw-kek-req-');
  const config = loadCloudConfig(undefined, { store: { path: join(dir, 'cloud.db') }, keys: { require_kek: true } });
  t.equal(
    codeOf(() => openKeyVault(config)),
    'CLOUD_ERR_KEK_MISSING',
  );
});
