/**
 * keys.algorithm = "sm4": SM4-GCM where the runtime's OpenSSL has it, else SM4-CBC with
 * HMAC-SM3 (encrypt-then-MAC); each case runs where its algorithm is offered and is skipped with
 * the reason where not. What this runtime offers is printed as a comment.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isYiwangError } from '../../../common/errors.js';
import { registerCloudErrors } from '../../../cloud/error-catalog.js';
import { loadFleetPki } from '../../../cloud/pki/fleet-ca.js';
import { KeyVault } from '../../../cloud/keys/vault.js';
import {
  cryptoOffer,
  openWith,
  resolveAlgorithm,
  sealWith,
  type SealAlgorithm,
} from '../../../cloud/keys/algorithms.js';
import type { Kek } from '../../../cloud/keys/kek.js';
import { tempDir } from '../../helpers/fleet.js';

registerCloudErrors();
const offer = cryptoOffer();
t.comment(
  `runtime: Node ${process.version}, OpenSSL ${offer.openssl}: sm3 ${offer.sm3}, sm4-gcm ${offer.sm4Gcm}, sm4-cbc ${offer.sm4Cbc}, sm2 ${offer.sm2} (imported keys, empty distinguishing ID); sealing: ${offer.sealing.join(', ')}`,
);
const kekOf = (): Kek => ({ source: 'env', where: 'test', material: randomBytes(32) });
const why = (alg: SealAlgorithm): string | false =>
  offer.sealing.includes(alg)
    ? false
    : `${alg} is not offered by this runtime (OpenSSL ${offer.openssl}: sm3 ${offer.sm3}, sm4-gcm ${offer.sm4Gcm}, sm4-cbc ${offer.sm4Cbc})`;

for (const alg of ['sm4-gcm', 'sm4-cbc-hmac-sm3'] as const) {
  t.test(`${alg}: seals and opens; a changed byte or header does not open`, { skip: why(alg) }, async (t) => {
    const k = randomBytes(32);
    const aad = Buffer.from('header');
    const plain = Buffer.from('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');
    const s = sealWith(alg, k, aad, plain);
    t.same(openWith(alg, k, aad, s), plain);
    t.notOk(s.ct.includes(Buffer.from('PRIVATE')), 'ciphertext');
    const ct = Buffer.from(s.ct);
    ct[ct.length - 1] = (ct[ct.length - 1] ?? 0) ^ 1;
    t.equal(openWith(alg, k, aad, { ...s, ct }), undefined, 'a changed ciphertext byte');
    t.equal(openWith(alg, k, Buffer.from('other'), s), undefined, 'another header');
    t.equal(openWith(alg, randomBytes(32), aad, s), undefined, 'another KEK');
    const iv = Buffer.from(s.nonce);
    iv[0] = (iv[0] ?? 0) ^ 1;
    t.equal(openWith(alg, k, aad, { ...s, nonce: iv }), undefined, 'a changed nonce / IV');
  });
}

t.test(
  'keys.algorithm = "sm4": the fleet keys sealed with SM4, switchable from and to AES',
  { skip: why('sm4-cbc-hmac-sm3') && why('sm4-gcm') },
  async (t) => {
    const alg = resolveAlgorithm('sm4');
    t.equal(alg, offer.sm4Gcm ? 'sm4-gcm' : 'sm4-cbc-hmac-sm3', `sm4 resolves to ${alg} here`);
    const dir = tempDir('yw-sm4-');
    const kek = kekOf();
    const pki = await loadFleetPki(dir, ['localhost'], new KeyVault(dir, kek, alg));
    const env = JSON.parse(readFileSync(join(dir, 'config-signing.key.sealed'), 'utf8')) as { alg: string };
    t.equal(env.alg, alg, 'the envelope names the algorithm');
    t.same(
      pki.vault.status().files.map((f) => f.alg),
      [alg, alg],
    );
    // a deployment switching to AES: the keys are re-sealed at the next start, same keys
    const aes = await loadFleetPki(dir, ['localhost'], new KeyVault(dir, kek, 'aes-256-gcm'));
    t.equal(aes.keyId, pki.keyId);
    t.same(
      aes.vault.status().files.map((f) => f.alg),
      ['aes-256-gcm', 'aes-256-gcm'],
      're-sealed with AES',
    );
    const back = await loadFleetPki(dir, ['localhost'], new KeyVault(dir, kek, alg));
    t.equal(back.keyId, pki.keyId, 'and back to SM4');
    t.same(
      back.vault.status().files.map((f) => f.alg),
      [alg, alg],
    );
  },
);

t.test(
  'a runtime without SM4: a coded error naming what it has',
  {
    skip: offer.sealing.some((a) => a.startsWith('sm4'))
      ? 'this runtime has SM4; the refusal is exercised through an unavailable algorithm below'
      : false,
  },
  async (t) => {
    t.throws(() => resolveAlgorithm('sm4'), { code: 'CLOUD_ERR_KEYS_ALGORITHM_UNAVAILABLE' });
  },
);

t.test(
  'an algorithm the runtime lacks is refused with a coded error',
  { skip: why('sm4-gcm') ? false : 'this runtime has SM4-GCM, so there is no unavailable algorithm to try' },
  async (t) => {
    let err: unknown;
    try {
      sealWith('sm4-gcm', randomBytes(32), Buffer.alloc(0), Buffer.from('x'));
    } catch (e) {
      err = e;
    }
    t.ok(isYiwangError(err, 'CLOUD_ERR_KEYS_ALGORITHM_UNAVAILABLE'), 'coded');
    t.match((err as Error).message, /sm4-gcm is not offered by this runtime \(Node v\d+.*OpenSSL/, 'names the runtime');
  },
);
