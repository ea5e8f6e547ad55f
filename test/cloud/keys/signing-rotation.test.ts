/**
 * Config-signing key rotation at the envelope level: a transition signed by the old key lets a
 * gateway pinned to it verify configurations signed by the new key (and tells it the new key);
 * a transition signed by any other key does not; a chain of rotations is followed; the number of
 * transitions is bounded; a rotation cut short leaves no transition to a key that never signed.
 */
import t from 'tap';
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerCloudErrors } from '../../../cloud/error-catalog.js';
import { loadFleetPki, rawEd25519Public } from '../../../cloud/pki/fleet-ca.js';
import { KeyVault } from '../../../cloud/keys/vault.js';
import type { Kek } from '../../../cloud/keys/kek.js';
import {
  SIGNING_KEY_NAME,
  TRANSITIONS_FILE,
  loadTransitions,
  rotateSigningKey,
} from '../../../cloud/keys/signing-rotation.js';
import {
  MAX_KEY_TRANSITIONS,
  configKeyIdOf,
  signConfig,
  signKeyTransition,
  verifyConfig,
} from '../../../proto/config-signing.js';
import type { pb } from '../../../proto/index.js';
import { tempDir } from '../../helpers/fleet.js';

registerCloudErrors();
const kek: Kek = { source: 'env', where: 'test', material: randomBytes(32) };
const doc = { gatewayId: 'gw-1', version: 3, toml: '[sync]\ndaily_bytes = 1\n', issuedMs: 1, label: 'x' };

t.test(
  'a rotation: the old key signs the transition; pinned gateways follow it, others cannot forge one',
  async (t) => {
    const dir = tempDir('yw-signrot-');
    const vault = new KeyVault(dir, kek, 'aes-256-gcm');
    const before = await loadFleetPki(dir, ['localhost'], vault);
    const oldRaw = before.signingPublicRaw;
    const r = rotateSigningKey(vault, 1000);
    t.equal(r.oldKeyId, before.keyId);
    t.not(r.newKeyId, before.keyId);
    const after = await loadFleetPki(dir, ['localhost'], vault);
    t.equal(after.keyId, r.newKeyId, 'the new key signs from now on (sealed under the KEK)');
    t.equal(after.signingTransitions.length, 1);
    t.same(after.signingTransitionInfo, [{ oldKeyId: before.keyId, newKeyId: r.newKeyId, issuedMs: 1000 }]);
    t.notOk(
      readFileSync(join(dir, TRANSITIONS_FILE), 'utf8').includes('PRIVATE'),
      'only public data in the transitions file',
    );

    const env = signConfig(doc, after.signingKey, after.keyId, after.signingTransitions);
    const v = verifyConfig(env, oldRaw);
    t.ok(v.ok, 'a gateway pinned to the old key verifies it');
    t.same(v.ok && v.newKey, after.signingPublicRaw, 'and learns the new key');
    const direct = verifyConfig(env, after.signingPublicRaw);
    t.ok(direct.ok && !direct.newKey, 'a gateway pinned to the new key: verified directly');
    t.match(
      verifyConfig(signConfig(doc, after.signingKey, after.keyId), oldRaw),
      { ok: false, reason: 'bad_signature' },
      'without the transition the old pin refuses the new key',
    );
    // an attacker's key with a transition signed by the attacker: refused
    const evil = generateKeyPairSync('ed25519').privateKey;
    const evilRaw = rawEd25519Public(evil);
    const forged = signKeyTransition(evil, evilRaw, evilRaw, 1);
    t.match(verifyConfig(signConfig(doc, evil, 'x', [forged]), oldRaw), { ok: false, reason: 'bad_signature' });
    // a genuine transition does not vouch for a document signed by a third key
    t.match(verifyConfig(signConfig(doc, evil, 'x', after.signingTransitions), oldRaw), {
      ok: false,
      reason: 'bad_signature',
    });
  },
);

t.test('a chain: a gateway offline across rotations follows them all; the chain is bounded', async (t) => {
  const dir = tempDir('yw-signrot-chain-');
  const vault = new KeyVault(dir, kek, 'aes-256-gcm');
  const first = await loadFleetPki(dir, ['localhost'], vault);
  const raws = [first.signingPublicRaw];
  for (let i = 0; i < MAX_KEY_TRANSITIONS + 2; i++) {
    rotateSigningKey(vault, 2000 + i);
    raws.push((await loadFleetPki(dir, ['localhost'], vault)).signingPublicRaw);
  }
  const last = await loadFleetPki(dir, ['localhost'], vault);
  t.equal(last.signingTransitions.length, MAX_KEY_TRANSITIONS, `the latest ${MAX_KEY_TRANSITIONS} are kept`);
  const env = signConfig(doc, last.signingKey, last.keyId, last.signingTransitions);
  const reachable = raws.length - 1 - MAX_KEY_TRANSITIONS;
  const fromOldest = verifyConfig(env, raws[reachable]!);
  t.ok(fromOldest.ok, `a gateway ${MAX_KEY_TRANSITIONS} rotations behind follows the chain`);
  t.same(fromOldest.ok && fromOldest.newKey, last.signingPublicRaw);
  t.ok(verifyConfig(env, raws[raws.length - 2]!).ok, 'one rotation behind');
  t.match(verifyConfig(env, raws[0]!), { ok: false, reason: 'bad_signature' }, 'too far behind: re-provision');
  // an envelope with more transitions than a gateway reads: refused before any signature check
  const tooMany = signConfig(doc, last.signingKey, last.keyId, [
    ...last.signingTransitions,
    ...last.signingTransitions.slice(0, 1),
  ]);
  t.match(verifyConfig(tooMany, raws[reachable]!), { ok: false, reason: 'undecodable' }, `over ${MAX_KEY_TRANSITIONS}`);
});

t.test('a rotation cut short: a transition to a key that never signed is dropped', async (t) => {
  const dir = tempDir('yw-signrot-crash-');
  const vault = new KeyVault(dir, kek, 'aes-256-gcm');
  const pki = await loadFleetPki(dir, ['localhost'], vault);
  // the transitions file was written, then the process died before the key file was replaced
  const oldPem = vault.read(SIGNING_KEY_NAME)!;
  rotateSigningKey(vault, 5);
  vault.write(SIGNING_KEY_NAME, oldPem);
  const back = await loadFleetPki(dir, ['localhost'], vault);
  t.equal(back.keyId, pki.keyId, 'still the old key');
  t.same(back.signingTransitions, [], 'the dangling transition is not carried');
  t.same(loadTransitions(dir, 'no-such-key').transitions, []);
  // running the rotation again works from there
  const r = rotateSigningKey(vault, 6);
  t.equal(r.oldKeyId, pki.keyId);
  t.same(
    r.chain.map((c) => c.oldKeyId),
    [pki.keyId],
    'one transition, from the key that really signed',
  );
  t.throws(() => rotateSigningKey(new KeyVault(tempDir('yw-empty-'), kek, 'aes-256-gcm')), {
    code: 'CLOUD_ERR_NO_SIGNING_KEY',
  });
  writeFileSync(join(dir, TRANSITIONS_FILE), '{"not":"a list"}');
  t.throws(() => loadTransitions(dir, r.newKeyId), { code: 'CLOUD_ERR_KEY_UNSEAL' });
  t.equal(configKeyIdOf(rawEd25519Public(createPrivateKey(vault.read(SIGNING_KEY_NAME)!.toString()))), r.newKeyId);
});

t.test('transitions are outside bytes: arbitrary ones never throw and never make a foreign key verify', async (t) => {
  const fc = (await import('fast-check')).default;
  const runs = Number(process.env.YW_PROPERTY_RUNS ?? 300);
  const pinned = generateKeyPairSync('ed25519').privateKey;
  const pinnedRaw = rawEd25519Public(pinned);
  const other = generateKeyPairSync('ed25519').privateKey;
  const otherRaw = rawEd25519Public(other);
  const genuine = signKeyTransition(pinned, pinnedRaw, otherRaw, 1);
  const arbTransition = fc.record({
    statement: fc.uint8Array({ maxLength: 120 }),
    signature: fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ minLength: 64, maxLength: 64 })),
  });
  fc.assert(
    fc.property(fc.array(arbTransition, { maxLength: MAX_KEY_TRANSITIONS }), (ts) => {
      const v = verifyConfig(signConfig(doc, other, 'x', ts), pinnedRaw);
      return v.ok === false; // only a transition the pinned key signed can vouch for `other`
    }),
    { numRuns: runs },
  );
  fc.assert(
    fc.property(fc.array(arbTransition, { maxLength: MAX_KEY_TRANSITIONS - 1 }), fc.nat(), (ts, at) => {
      // random ones around the genuine transition do not stop it from being followed
      const list: pb.IKeyTransition[] = [...ts];
      list.splice(at % (list.length + 1), 0, genuine);
      const v = verifyConfig(signConfig(doc, other, 'x', list), pinnedRaw);
      return v.ok && v.newKey?.equals(otherRaw) === true;
    }),
    { numRuns: runs },
  );
  t.pass(`${runs} runs each`);
});
