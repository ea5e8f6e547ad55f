/**
 * Whether this runtime offers SM2 signatures (issue 22: "SM2 signatures if Node's OpenSSL exposes
 * them"), checked against a real peer, the openssl binary:
 * - a key pair Node makes on the SM2 curve is a plain EC key: sign() is ECDSA, not SM2;
 * - the key exported and imported again is OpenSSL's SM2 key type: SM2 signatures both ways, but
 *   with an empty distinguishing ID, not GM/T 0009's 1234567812345678 (Node cannot set one).
 * cryptoOffer().sm2 reports the second. If a Node release changes either, this test says so.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cryptoOffer } from '../../../cloud/keys/algorithms.js';
import { tempDir } from '../../helpers/fleet.js';

const noOpensslSm2 = ((): string | false => {
  try {
    const out = execFileSync('openssl', ['list', '-public-key-algorithms'], { encoding: 'utf8' });
    return /SM2/i.test(out) ? false : 'the openssl binary has no SM2';
  } catch {
    return 'no openssl binary to check against';
  }
})();

t.test('SM2 signatures: Node and OpenSSL against each other', { skip: noOpensslSm2 }, async (t) => {
  const dir = tempDir('yw-sm2-');
  const run = (args: string[]): boolean => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  };
  const msg = Buffer.from('yiwang config');
  writeFileSync(join(dir, 'msg'), msg);
  const made = generateKeyPairSync('ec', { namedCurve: 'SM2' });
  writeFileSync(join(dir, 'pub.pem'), made.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(dir, 'priv.pem'), made.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const osslVerify = (sig: string, id?: string): boolean =>
    run([
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      'pub.pem',
      '-rawin',
      '-digest',
      'sm3',
      '-in',
      'msg',
      '-sigfile',
      sig,
      ...(id ? ['-pkeyopt', `distid:${id}`] : []),
    ]);
  const nodeSign = (file: string, key: KeyObject): void => writeFileSync(join(dir, file), sign('sm3', msg, key));

  t.equal(made.privateKey.asymmetricKeyType, 'ec', 'a key Node makes on the SM2 curve is a plain EC key');
  nodeSign('made.sig', made.privateKey);
  t.equal(osslVerify('made.sig'), false, 'its signature is ECDSA: OpenSSL SM2 does not verify it');

  const imported = createPrivateKey(readFileSync(join(dir, 'priv.pem')));
  t.not(imported.asymmetricKeyType, 'ec', 'imported again it is OpenSSL SM2 (a type Node 20 does not name)');
  nodeSign('imported.sig', imported);
  t.equal(osslVerify('imported.sig'), true, "OpenSSL's SM2 verifies Node's signature (empty ID)");
  t.equal(osslVerify('imported.sig', '1234567812345678'), false, "but not under GM/T 0009's default ID");
  t.ok(
    run(['pkeyutl', '-sign', '-inkey', 'priv.pem', '-rawin', '-digest', 'sm3', '-in', 'msg', '-out', 'ossl.sig']),
    'openssl signs',
  );
  const pub = createPublicKey(readFileSync(join(dir, 'pub.pem')));
  t.equal(verify('sm3', msg, pub, readFileSync(join(dir, 'ossl.sig'))), true, "Node verifies OpenSSL's (empty ID)");
  run([
    'pkeyutl',
    '-sign',
    '-inkey',
    'priv.pem',
    '-rawin',
    '-digest',
    'sm3',
    '-in',
    'msg',
    '-out',
    'gmt.sig',
    '-pkeyopt',
    'distid:1234567812345678',
  ]);
  t.equal(verify('sm3', msg, pub, readFileSync(join(dir, 'gmt.sig'))), false, 'not one under the GM/T 0009 ID');
  t.equal(cryptoOffer().sm2, true, 'cryptoOffer reports SM2 (imported keys, empty ID)');
});
