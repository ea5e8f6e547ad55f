/**
 * A claim's writes are one transaction, concurrent claims share one commit and one fdatasync (the
 * answers wait for it): a token's uses are never exceeded, every provisioned gateway has its row,
 * tags, counters, identity and first signed config, and a claim refused at commit time writes nothing.
 */
import t from 'tap';
import { newX25519, open } from '../../../common/seal.js';
import { pb } from '../../../proto/index.js';
import { verifyConfig } from '../../../proto/config-signing.js';
import type { SqliteControlPlaneStore } from '../../../cloud/store/sqlite-control-plane-store.js';
import { startCloud } from '../../helpers/fleet.js';

function request(token: string, requestedId = '') {
  const keys = newX25519();
  const payload = Buffer.from(
    pb.ClaimRequest.encode({
      token,
      publicKey: keys.publicRaw,
      requestedId,
      agentVersion: 'test',
      hostname: 'test',
    }).finish(),
  );
  return { keys, payload };
}

t.test('concurrent claims share one commit and never exceed the uses of their token', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const controlPlane = cloud.controlPlane as SqliteControlPlaneStore;
  await cloud.desired.setLayer('group', 'east', '[sync]\ndaily_bytes = 777\n');
  const { token, claim } = await cloud.provisioning.createClaim({
    group: 'east',
    site: 'well-7',
    district: 'd2',
    uses: 15,
  });
  const before = { ...controlPlane.claimStats, syncs: controlPlane.walSyncs };
  const reqs = Array.from({ length: 20 }, () => request(token));
  const answers = (
    await Promise.all(
      reqs.map((r, i) => cloud.provisioning.claim(r.payload, `prov-test${String(i).padStart(12, '0')}`)),
    )
  ).map((b) => pb.ClaimResponse.decode(b));
  t.equal(controlPlane.claimStats.claims - before.claims, 20, 'all 20 claims reached the store');
  t.ok(
    controlPlane.claimStats.commits - before.commits <= 2,
    `20 concurrent claims took ${controlPlane.claimStats.commits - before.commits} transaction(s)`,
  );
  const syncs = controlPlane.walSyncs - before.syncs;
  t.ok(syncs >= 1 && syncs <= 2, `answered after ${syncs} fdatasync(s) of the WAL`);
  t.equal(answers.filter((a) => a.ok).length, 15, 'exactly the 15 uses were granted');
  t.same(
    answers.filter((a) => !a.ok).map((a) => a.errorCode),
    Array(5).fill('CLOUD_ERR_CLAIM_USED_UP'),
    'the rest are refused with the reason',
  );
  t.equal((await cloud.controlPlane.getClaim(claim.id))?.claim.uses, 15, 'uses counted once per granted claim');

  const ids: string[] = [];
  for (const [i, a] of answers.entries()) {
    if (!a.ok) continue;
    const id = pb.GatewayIdentity.decode(
      open(reqs[i]!.keys.privateKey, Buffer.from(a.cloudPublicKey), Buffer.from(a.sealedIdentity)),
    );
    ids.push(id.gatewayId);
    t.ok(await cloud.store.getGateway(id.gatewayId), `${id.gatewayId}: gateway row`);
    t.same(
      (await cloud.store.getGatewayHealth(id.gatewayId))?.tags,
      { group: 'east', site: 'well-7', district: 'd2' },
      `${id.gatewayId}: tags`,
    );
    t.equal((await cloud.controlPlane.getIdentity(id.gatewayId))?.claimId, claim.id, `${id.gatewayId}: identity`);
    const issued = await cloud.controlPlane.getIssued(id.gatewayId);
    t.equal(issued?.label, 'provisioned', `${id.gatewayId}: first config issued in the claim`);
    const v = verifyConfig(issued!.envelope, Buffer.from(id.configPublicKey));
    t.ok(
      v.ok &&
        v.doc.gatewayId === id.gatewayId &&
        Number(v.doc.version) === issued!.version &&
        /daily_bytes = 777/.test(v.doc.toml),
      `${id.gatewayId}: signed for it, with the group layer`,
    );
  }
  t.equal(new Set(ids).size, 15, 'distinct gateway ids');
  const versions = await Promise.all(ids.map(async (g) => (await cloud.controlPlane.getIssued(g))!.version));
  t.equal(new Set(versions).size, 15, 'each first config has its own version');
  const total = (await cloud.store.counters('group', 'east')).find((c) => c.metric === 'gateways_total')?.value;
  t.equal(total, 15, 'group counters count the 15 gateways');
});

t.test('a claim refused at commit time writes nothing', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const p = cloud.provisioning;
  // revoked after its check, before its commit: the commit refuses it with the reason
  const a = await p.createClaim({ group: 'west', uses: 3 });
  const pending = p.claim(request(a.token, 'gw-late').payload, 'prov-late000000000000');
  await p.revokeClaim(a.claim.id);
  const late = pb.ClaimResponse.decode(await pending);
  t.equal(late.ok, false);
  t.equal(late.errorCode, 'CLOUD_ERR_CLAIM_REVOKED', late.detail);
  t.notOk(await cloud.store.getGateway('gw-late'), 'no gateway row');
  t.notOk(await cloud.controlPlane.getIdentity('gw-late'), 'no identity');
  t.equal((await cloud.controlPlane.getClaim(a.claim.id))?.claim.uses, 0, 'no use taken');

  // a requested id that exists: refused, and the use is not taken
  await cloud.createGateway('gw-existing');
  const b = await p.createClaim({ group: 'west', uses: 1 });
  const taken = pb.ClaimResponse.decode(
    await p.claim(request(b.token, 'gw-existing').payload, 'prov-taken00000000000'),
  );
  t.equal(taken.errorCode, 'CLOUD_ERR_CLAIM_ID_TAKEN');
  t.equal((await cloud.controlPlane.getClaim(b.claim.id))?.claim.uses, 0, 'no use taken');
  t.notOk(await cloud.controlPlane.getIdentity('gw-existing'), 'the existing gateway got no identity');
  const ok = pb.ClaimResponse.decode(await p.claim(request(b.token, 'gw-fresh').payload, 'prov-fresh00000000000'));
  t.equal(ok.ok, true, 'the token still has its use');
  t.notOk(await cloud.controlPlane.getIssued('gw-fresh'), 'nothing to configure: no document written');
});

t.test('a group layer stored while a claim commits still reaches the new gateway', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const { token } = await cloud.provisioning.createClaim({ group: 'south', uses: 1 });
  const pending = cloud.provisioning.claim(request(token, 'gw-race').payload, 'prov-race000000000000');
  await new Promise((resolve) => setImmediate(resolve)); // the claim has read the (empty) group config and waits for its commit
  await cloud.desired.setLayer('group', 'south', '[sync]\ndaily_bytes = 5\n');
  t.equal(pb.ClaimResponse.decode(await pending).ok, true);
  t.match(
    (await cloud.controlPlane.getIssued('gw-race'))?.toml ?? '',
    /daily_bytes = 5/,
    "the gateway's document has the layer",
  );
});
