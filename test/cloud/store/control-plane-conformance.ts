/**
 * Conformance suite of ControlPlaneStore (cloud/store/control-plane-store.ts): every implementation
 * (SQLite, PostgreSQL) must pass it with the cloud store it shares its gateway rows with. Each subtest
 * opens a fresh pair (the factory registers their teardown on the subtest it is given). Races are run
 * for real: concurrent claims on the last uses of a token, concurrent layer revisions, config
 * versions, revocations and removals.
 */
import type { Test } from 'tap';
import type { CloudStore } from '../../../cloud/store/cloud-store.js';
import type {
  ClaimRecord,
  ControlPlaneStore,
  IdentityRecord,
  IssuedConfig,
  ProvisionWrite,
  ReportedConfig,
  RolloutRecord,
} from '../../../cloud/store/control-plane-store.js';

export type OpenControlPlane = (t: Test) => Promise<{ cp: ControlPlaneStore; cloud: CloudStore }>;

const HOUR = 3_600_000;
const T0 = 1_700_000_000_000;

const claimRec = (id: string, o: Partial<ClaimRecord> = {}): ClaimRecord => ({
  id,
  group: 'east',
  site: 'well-7',
  district: 'd2',
  createdMs: T0,
  expiresMs: T0 + HOUR,
  maxUses: 1,
  uses: 0,
  revokedMs: null,
  note: '',
  ...o,
});

const identityRec = (gatewayId: string, o: Partial<IdentityRecord> = {}): IdentityRecord => ({
  gatewayId,
  claimId: 'c-1',
  publicKey: Buffer.from([0, 1, 2, 0xfe, 0xff, gatewayId.length]),
  group: 'east',
  site: 'well-7',
  district: 'd2',
  provisionedMs: T0 + 1000,
  revokedMs: null,
  ...o,
});

const issuedRec = (gatewayId: string, version: number, o: Partial<IssuedConfig> = {}): IssuedConfig => ({
  gatewayId,
  version,
  envelope: Buffer.from([0x00, 0xff, 0x10, version & 0xff]),
  label: 'provisioned',
  toml: `[sync]\ndaily_bytes = ${version}\n`,
  issuedMs: T0 + 2000,
  ...o,
});

const reportedRec = (gatewayId: string, o: Partial<ReportedConfig> = {}): ReportedConfig => ({
  gatewayId,
  version: 7,
  state: 'applied',
  errorCode: '',
  detail: '',
  runningVersion: 7,
  tsMs: T0 + 3000,
  ...o,
});

/** A claim by `claimId` for `gatewayId`; `calls` counts the config builder's calls (with the versions it got). */
function write(claimId: string, gatewayId: string, o: { config?: boolean; at?: number; calls?: number[] } = {}) {
  const w: ProvisionWrite = {
    claimId,
    identity: identityRec(gatewayId, { claimId, provisionedMs: o.at ?? T0 + 1000 }),
    secretHash: `hash-${gatewayId}`,
  };
  if (o.config ?? true)
    w.config = (version) => {
      o.calls?.push(version);
      return issuedRec(gatewayId, version);
    };
  return w;
}

const rollout = (id: string, o: Partial<RolloutRecord> = {}): RolloutRecord => ({
  id,
  group: 'east',
  revision: 3,
  previousRevision: 2,
  waves: ['1', '50%', '100%'],
  plan: [
    { spec: '1', target: 1, members: ['gw-a'], startedMs: T0, endedMs: T0 + 10 },
    { spec: '50%', target: 2, members: ['gw-b'], startedMs: T0 + 10, endedMs: null },
    { spec: '100%', target: 4, members: [], startedMs: null, endedMs: null },
  ],
  soakMs: 60_000,
  maxFailedRatio: 0.1,
  deferOffline: true,
  state: 'running',
  wave: 1,
  members: ['gw-a', 'gw-b'],
  targets: { 'gw-a': 11, 'gw-b': 12 },
  appliedMs: { 'gw-a': T0 + 5 },
  failed: {},
  deferred: { 'gw-c': T0 + 7 },
  total: 4,
  waveStartedMs: T0 + 10,
  startedMs: T0,
  updatedMs: T0 + 11,
  finishedMs: null,
  reason: '',
  rollback: null,
  ...o,
});

export function controlPlaneConformance(t: Test, open: OpenControlPlane): void {
  t.test('claims: create, read, list in creation order, use up, revoke', async (t) => {
    const { cp } = await open(t);
    t.equal(await cp.getClaim('nope'), undefined, 'unknown claim');
    t.strictSame(await cp.listClaims(), [], 'no claims yet');
    const b = claimRec('c-b', { createdMs: T0 + 5, maxUses: 2, note: 'north wells — 北', group: 'g', site: 's' });
    const a = claimRec('c-a', { district: 'dx', revokedMs: T0 + 9, uses: 1, maxUses: 3 });
    const upper = claimRec('c-B');
    for (const [c, h] of [
      [b, 'hb'],
      [a, 'ha'],
      [upper, 'hB'],
    ] as const)
      await cp.createClaim(c, h);
    t.strictSame(await cp.getClaim('c-b'), { claim: b, secretHash: 'hb' }, 'claim and its secret hash as written');
    t.strictSame(await cp.getClaim('c-a'), { claim: a, secretHash: 'ha' }, 'uses and revocation as written');
    t.strictSame(
      (await cp.listClaims()).map((c) => c.id),
      ['c-B', 'c-a', 'c-b'],
      'listed by creation time, then id bytewise',
    );
    t.strictSame(await cp.listClaims(), [upper, a, b], 'full records listed');
    await t.rejects(cp.createClaim(claimRec('c-b'), 'again'), 'a claim id is written once');

    t.equal(await cp.useClaim('c-b'), true, 'first use');
    t.equal(await cp.useClaim('c-b'), true, 'second use');
    t.equal(await cp.useClaim('c-b'), false, 'used up');
    t.equal(await cp.useClaim('nope'), false, 'unknown claim has no use');
    t.equal((await cp.getClaim('c-b'))?.claim.uses, 2, 'uses counted');

    t.equal(await cp.revokeClaim('c-b', T0 + 100), true, 'revoked');
    t.equal(await cp.revokeClaim('c-b', T0 + 200), false, 'revoked once');
    t.equal(await cp.revokeClaim('nope', T0), false, 'unknown claim');
    t.equal((await cp.getClaim('c-b'))?.claim.revokedMs, T0 + 100, 'the first revocation time stays');
    t.equal((await cp.getClaim('c-B'))?.claim.revokedMs, null, 'another claim is not revoked');
  });

  t.test('provision writes the use, gateway, tags, identity and first config together', async (t) => {
    const { cp, cloud } = await open(t);
    await cp.createClaim(claimRec('c-1', { maxUses: 2 }), 'h');
    const before = await cp.nextConfigVersion();
    const calls: number[] = [];
    const out = await cp.provision(write('c-1', 'gw-1', { calls }));
    t.strictSame(calls, [before + 1], 'the builder got the version taken in the claim');
    t.strictSame(out, { status: 'provisioned', issued: issuedRec('gw-1', before + 1) }, 'answered with its config');
    t.strictSame(await cp.getIssued('gw-1'), issuedRec('gw-1', before + 1), 'the first config is stored');
    t.strictSame(await cp.getIdentity('gw-1'), identityRec('gw-1'), 'identity stored as given');
    t.equal((await cp.getClaim('c-1'))?.claim.uses, 1, 'one use taken');
    t.strictSame(
      await cloud.getGateway('gw-1'),
      {
        id: 'gw-1',
        createdMs: T0 + 1000,
        online: false,
        lastSeenMs: null,
        lastBatchMs: null,
        batches: 0,
        readings: 0,
        revokedMs: null,
      },
      'gateway row created at the provisioning time',
    );
    t.equal(await cloud.gatewaySecretHash('gw-1'), 'hash-gw-1', 'with its secret hash');
    t.strictSame(
      (await cloud.getGatewayHealth('gw-1'))?.tags,
      { district: 'd2', site: 'well-7', group: 'east' },
      "with the claim's tags",
    );
    t.equal(
      (await cloud.counters('group', 'east')).find((c) => c.metric === 'gateways_total')?.value,
      1,
      'counted in its group',
    );
    t.equal(await cp.revokedAt('gw-1'), null, 'not revoked');

    const bare = await cp.provision(write('c-1', 'gw-2', { config: false }));
    t.strictSame(bare, { status: 'provisioned' }, 'no builder: no config');
    t.equal(await cp.getIssued('gw-2'), undefined, 'no config stored');
    t.equal(await cp.nextConfigVersion(), before + 2, 'no version taken without a builder');
    t.equal((await cp.getClaim('c-1'))?.claim.uses, 2, 'second use taken');
    t.strictSame(await cp.groupMembers('east'), ['gw-1', 'gw-2'], 'both are members of the group');
  });

  t.test('provision refuses a revoked, expired, used-up or unknown claim and writes nothing', async (t) => {
    const { cp, cloud } = await open(t);
    await cp.createClaim(claimRec('c-rev', { revokedMs: T0 }), 'h');
    await cp.createClaim(claimRec('c-exp', { expiresMs: T0 + 1000 }), 'h'); // expires at the provisioning time
    await cp.createClaim(claimRec('c-used', { maxUses: 2, uses: 2 }), 'h');
    await cp.createClaim(claimRec('c-ok', { expiresMs: T0 + 1001 }), 'h');
    const calls: number[] = [];
    for (const claimId of ['c-rev', 'c-exp', 'c-used', 'c-nope']) {
      const gw = `gw-${claimId}`;
      t.strictSame(await cp.provision(write(claimId, gw, { calls })), { status: 'refused' }, `${claimId}: refused`);
      t.equal(await cloud.getGateway(gw), undefined, `${claimId}: no gateway row`);
      t.equal(await cp.getIdentity(gw), undefined, `${claimId}: no identity`);
      t.equal(await cp.getIssued(gw), undefined, `${claimId}: no config`);
    }
    t.strictSame(calls, [], 'the config builder never ran');
    t.strictSame(
      (await cp.listClaims()).map((c) => [c.id, c.uses]),
      [
        ['c-exp', 0],
        ['c-ok', 0],
        ['c-rev', 0],
        ['c-used', 2],
      ],
      'no use taken',
    );
    t.strictSame(await cloud.listGateways(), [], 'no gateway at all');
    t.strictSame(
      await cp.provision(write('c-ok', 'gw-ok', { config: false })),
      { status: 'provisioned' },
      'a claim 1 ms before its expiry is granted',
    );

    // the gateway id exists: nothing written, the use stays
    await cp.createClaim(claimRec('c-2', { maxUses: 1 }), 'h');
    await cloud.createGateway('gw-old', 'old-hash');
    t.strictSame(await cp.provision(write('c-2', 'gw-old', { calls })), { status: 'id_taken' }, 'id taken');
    t.equal(await cloud.gatewaySecretHash('gw-old'), 'old-hash', 'the existing gateway is untouched');
    t.equal(await cp.getIdentity('gw-old'), undefined, 'the existing gateway got no identity');
    t.equal((await cp.getClaim('c-2'))?.claim.uses, 0, 'no use taken');
    t.strictSame(calls, [], 'the config builder never ran');
    // id_taken is answered before the claim is checked (a used-up claim and a taken id: id_taken)
    t.strictSame(await cp.provision(write('c-used', 'gw-old')), { status: 'id_taken' }, 'id checked first');
  });

  t.test('a failing config builder rolls the whole claim back', async (t) => {
    const { cp, cloud } = await open(t);
    await cp.createClaim(claimRec('c-1', { maxUses: 1 }), 'h');
    const boom = new Error('builder failed');
    const w = write('c-1', 'gw-1');
    w.config = () => {
      throw boom;
    };
    let caught: unknown;
    await cp.provision(w).catch((err: unknown) => {
      caught = err;
    });
    t.equal(caught, boom, "the builder's error is thrown as it is");
    t.equal(await cloud.getGateway('gw-1'), undefined, 'no gateway row');
    t.equal(await cp.getIdentity('gw-1'), undefined, 'no identity');
    t.equal((await cp.getClaim('c-1'))?.claim.uses, 0, 'no use taken');
    t.strictSame(
      await cp.provision(write('c-1', 'gw-1', { config: false })),
      { status: 'provisioned' },
      'the use is still there',
    );
  });

  t.test('concurrent claims never exceed the uses of their token', async (t) => {
    const { cp, cloud } = await open(t);
    await cp.createClaim(claimRec('c-3', { maxUses: 3 }), 'h');
    const gws = Array.from({ length: 10 }, (_, i) => `gw-${String(i).padStart(2, '0')}`);
    const outs = await Promise.all(gws.map((g) => cp.provision(write('c-3', g))));
    const won = gws.filter((_, i) => outs[i]?.status === 'provisioned');
    t.equal(won.length, 3, 'exactly the 3 uses were granted');
    t.equal(outs.filter((o) => o.status === 'refused').length, 7, 'the other 7 are refused');
    t.equal((await cp.getClaim('c-3'))?.claim.uses, 3, 'uses counted once per granted claim');
    t.strictSame(
      (await cloud.listGateways()).map((g) => g.id),
      won,
      'a gateway row for each granted claim only',
    );
    t.strictSame(await cp.groupMembers('east'), won, 'an identity for each granted claim only');
    const versions = await Promise.all(won.map(async (g) => (await cp.getIssued(g))?.version));
    t.equal(new Set(versions).size, 3, 'each first config has its own version');
    t.ok(
      versions.every((v) => typeof v === 'number' && v > 0),
      `versions ${versions.join(', ')}`,
    );

    // the same requested id from two claims at once: one gets it
    await cp.createClaim(claimRec('c-5', { maxUses: 5 }), 'h');
    const twin = await Promise.all([cp.provision(write('c-5', 'gw-twin')), cp.provision(write('c-5', 'gw-twin'))]);
    t.strictSame(twin.map((o) => o.status).sort(), ['id_taken', 'provisioned'], 'one claim of the id wins');
    t.equal((await cp.getClaim('c-5'))?.claim.uses, 1, 'the loser took no use');
  });

  t.test('config versions are unique and increasing under concurrency', async (t) => {
    const { cp } = await open(t);
    const a = await cp.nextConfigVersion();
    const b = await cp.nextConfigVersion();
    t.equal(a, 1, 'the first version is 1');
    t.equal(b, 2, 'then 2');
    const many = await Promise.all(Array.from({ length: 200 }, () => cp.nextConfigVersion()));
    t.equal(new Set(many).size, 200, '200 concurrent calls, 200 distinct versions');
    t.strictSame(
      [...many].sort((x, y) => x - y),
      Array.from({ length: 200 }, (_, i) => b + 1 + i),
      'they are the 200 versions after the last one',
    );
    t.equal(await cp.nextConfigVersion(), b + 201, 'the next one follows them all');
  });

  t.test('revocation: once, recorded on the gateway and its identity, listed since a time', async (t) => {
    const { cp, cloud } = await open(t);
    t.equal(await cp.revokeGateway('nope', T0), false, 'unknown gateway');
    t.equal(await cp.revokedAt('nope'), undefined, 'unknown: undefined');
    t.equal(await cp.isRevoked('nope'), false, 'unknown: not revoked');
    for (const g of ['gw-1', 'gw-2', 'gw-3', 'gw-4']) {
      await cloud.createGateway(g, 'h');
      await cp.saveIdentity(identityRec(g));
    }
    t.equal(await cp.revokeGateway('gw-1', T0 + 5000), true, 'revoked');
    t.equal(await cp.revokeGateway('gw-1', T0 + 6000), false, 'revoked once');
    t.equal(await cp.revokedAt('gw-1'), T0 + 5000, 'the first time stays');
    t.equal(await cp.isRevoked('gw-1'), true, 'is revoked');
    t.equal(await cp.revokedAt('gw-2'), null, 'another gateway: null');
    t.equal(await cp.isRevoked('gw-2'), false, 'another gateway: not revoked');
    t.equal((await cp.getIdentity('gw-1'))?.revokedMs, T0 + 5000, 'identity revoked');
    t.equal((await cp.getIdentity('gw-2'))?.revokedMs, null, "another gateway's identity is not");
    t.equal((await cloud.getGateway('gw-1'))?.revokedMs, T0 + 5000, 'gateway row revoked');
    t.strictSame([...(await cloud.revokedGateways())], [['gw-1', T0 + 5000]], 'the registry lists it');
    t.strictSame(await cp.groupMembers('east'), ['gw-2', 'gw-3', 'gw-4'], 'no longer a member of its group');

    const race = await Promise.all(Array.from({ length: 6 }, (_, i) => cp.revokeGateway('gw-3', T0 + 7000 + i)));
    t.equal(race.filter(Boolean).length, 1, '6 concurrent revocations: exactly one counts');
    const at = await cp.revokedAt('gw-3');
    t.equal((await cp.getIdentity('gw-3'))?.revokedMs, at, 'identity and row agree on the winning time');
    t.equal(await cp.revokeGateway('gw-4', T0 + 9000), true);
    t.strictSame((await cp.revokedSince(T0 + 5000)).sort(), ['gw-1', 'gw-3', 'gw-4'], 'since the first: all');
    t.strictSame((await cp.revokedSince(T0 + 5001)).sort(), ['gw-3', 'gw-4'], 'strictly after the first');
    t.strictSame(await cp.revokedSince(T0 + 9000), ['gw-4'], 'at the last one: inclusive');
    t.strictSame(await cp.revokedSince(T0 + 9001), [], 'after the last: none');
  });

  t.test('removeGateway: not found, not revoked, has devices, removed with its state', async (t) => {
    const { cp, cloud } = await open(t);
    t.strictSame(await cp.removeGateway('nope', { withDevices: true, nowMs: T0 }), { status: 'not_found' });
    await cp.createClaim(claimRec('c-1', { maxUses: 5 }), 'h');
    for (const g of ['gw-1', 'gw-2', 'gw-3']) await cp.provision(write('c-1', g));
    await cloud.registerDevices(
      [
        { id: 'm-1', gatewayId: 'gw-1', type: 'meter', intervalS: 600, lastSeenMs: T0 },
        { id: 'm-2', gatewayId: 'gw-1', type: 'meter', intervalS: 600, lastSeenMs: T0 },
        { id: 'm-3', gatewayId: 'gw-2', type: 'meter', intervalS: 600, lastSeenMs: T0 },
      ],
      T0 + 10,
    );
    for (const g of ['gw-1', 'gw-2', 'gw-3']) {
      await cp.saveReported(reportedRec(g));
      await cp.setPin(g, 4);
    }
    t.strictSame(
      await cp.removeGateway('gw-1', { withDevices: true, nowMs: T0 }),
      { status: 'not_revoked' },
      'not revoked: refused',
    );
    t.ok(await cloud.getGateway('gw-1'), 'not revoked: still there');
    await cp.revokeGateway('gw-1', T0 + 50);
    t.strictSame(
      await cp.removeGateway('gw-1', { withDevices: false, nowMs: T0 + 60 }),
      { status: 'has_devices', devices: 2 },
      'its devices were not to be deleted',
    );
    t.ok(await cloud.getGateway('gw-1'), 'has devices: the row stays');
    t.ok(await cp.getIdentity('gw-1'), 'has devices: the identity stays');
    t.ok(await cp.getIssued('gw-1'), 'has devices: the config stays');
    t.equal((await cloud.listDevices('gw-1')).length, 2, 'has devices: the devices stay');

    t.strictSame(
      await cp.removeGateway('gw-1', { withDevices: true, nowMs: T0 + 70 }),
      { status: 'removed', devices: 2 },
      'removed with its 2 devices',
    );
    t.equal(await cloud.getGateway('gw-1'), undefined, 'row deleted');
    t.strictSame(await cloud.listDevices('gw-1'), [], 'devices deleted');
    t.equal(await cp.getIdentity('gw-1'), undefined, 'identity deleted');
    t.equal(await cp.getIssued('gw-1'), undefined, 'issued config deleted');
    t.equal(await cp.getReported('gw-1'), undefined, 'reported config deleted');
    t.equal(await cp.pin('gw-1'), undefined, 'pin deleted');
    t.equal(await cp.revokedAt('gw-1'), undefined, 'unknown now');
    t.strictSame(await cp.revokedSince(T0), ['gw-1'], 'its revocation stays listed for the broker nodes');
    t.strictSame(
      [await cp.pin('gw-2'), (await cp.getReported('gw-2'))?.version, (await cloud.listDevices('gw-2')).length],
      [4, 7, 1],
      "another gateway's state is untouched",
    );
    t.equal(
      (await cloud.counters('group', 'east')).find((c) => c.metric === 'gateways_total')?.value,
      2,
      'no longer counted in its group',
    );

    // removals at once: one removes, the others find nothing
    await cp.revokeGateway('gw-3', T0 + 80);
    const both = await Promise.all(
      Array.from({ length: 6 }, () => cp.removeGateway('gw-3', { withDevices: false, nowMs: T0 + 90 })),
    );
    t.strictSame(
      both.map((o) => o.status).sort(),
      ['not_found', 'not_found', 'not_found', 'not_found', 'not_found', 'removed'],
      '6 concurrent removals: one removed, the others find nothing',
    );
    t.strictSame(
      both.find((o) => o.status === 'removed'),
      { status: 'removed', devices: 0 },
      'a gateway without devices needs no withDevices',
    );

    // the id can be claimed again and starts afresh
    t.strictSame(
      await cp.provision(write('c-1', 'gw-1', { config: false, at: T0 + 100 })),
      { status: 'provisioned' },
      'the id is free again',
    );
    t.equal(await cp.revokedAt('gw-1'), null, 'the new gateway is not revoked');
    t.equal((await cp.getIdentity('gw-1'))?.revokedMs, null, 'nor its identity');
  });

  t.test('API keys: by hash while not revoked, listed, revoked once', async (t) => {
    const { cp } = await open(t);
    const k1 = { id: 'k-1', name: 'ops', scope: 'admin' as const, createdMs: T0 + 2, revokedMs: null, owner: null };
    const k2 = { id: 'k-2', name: 'dash', scope: 'read' as const, createdMs: T0 + 1, revokedMs: null, owner: null };
    const k0 = { id: 'k-0', name: 'old', scope: 'read' as const, createdMs: T0 + 1, revokedMs: T0, owner: null };
    await cp.createApiKey(k1, 'sha-1');
    await cp.createApiKey(k2, 'sha-2');
    await cp.createApiKey(k0, 'sha-0');
    t.strictSame(await cp.apiKeyByHash('sha-1'), k1, 'found by its hash');
    t.strictSame(await cp.apiKeyByHash('sha-2'), k2, 'read scope');
    t.equal(await cp.apiKeyByHash('sha-0'), undefined, 'a key created revoked is not found');
    t.equal(await cp.apiKeyByHash('sha-x'), undefined, 'unknown hash');
    t.strictSame(await cp.listApiKeys(), [k0, k2, k1], 'listed by creation time, then id');
    await t.rejects(cp.createApiKey({ ...k1, id: 'k-9' }, 'sha-1'), 'a hash belongs to one key');
    t.equal(await cp.revokeApiKey('k-1', T0 + 50), true, 'revoked');
    t.equal(await cp.revokeApiKey('k-1', T0 + 60), false, 'revoked once');
    t.equal(await cp.revokeApiKey('k-x', T0), false, 'unknown key');
    t.equal(await cp.apiKeyByHash('sha-1'), undefined, 'a revoked key is not found');
    t.strictSame(await cp.listApiKeys(), [k0, k2, { ...k1, revokedMs: T0 + 50 }], 'listed with the revocation');
  });

  t.test('config layers: revisions per scope and key, increasing under concurrency', async (t) => {
    const { cp } = await open(t);
    t.equal(await cp.getLayer('fleet', ''), undefined, 'no layer yet');
    t.strictSame(
      await cp.addLayer('fleet', '', 'a = 1\n', T0),
      { scope: 'fleet', key: '', revision: 1, toml: 'a = 1\n', createdMs: T0 },
      'first revision',
    );
    t.strictSame(
      await cp.addLayer('fleet', '', 'a = 2\n', T0 + 1),
      { scope: 'fleet', key: '', revision: 2, toml: 'a = 2\n', createdMs: T0 + 1 },
      'second revision',
    );
    t.equal((await cp.addLayer('group', 'east', 'g = 1\n', T0 + 2)).revision, 1, 'another key counts from 1');
    t.equal((await cp.addLayer('gateway', 'east', 'x = 1\n', T0 + 3)).revision, 1, 'another scope counts from 1');
    t.strictSame(
      await cp.getLayer('fleet', ''),
      { scope: 'fleet', key: '', revision: 2, toml: 'a = 2\n', createdMs: T0 + 1 },
      'latest revision by default',
    );
    t.strictSame(
      await cp.getLayer('fleet', '', 1),
      { scope: 'fleet', key: '', revision: 1, toml: 'a = 1\n', createdMs: T0 },
      'a given revision',
    );
    t.equal(await cp.getLayer('fleet', '', 3), undefined, 'a revision not written');
    t.strictSame(
      await cp.getLayer('gateway', 'east'),
      { scope: 'gateway', key: 'east', revision: 1, toml: 'x = 1\n', createdMs: T0 + 3 },
      'scopes are apart',
    );

    const added = await Promise.all(
      Array.from({ length: 10 }, (_, i) => cp.addLayer('group', 'west', `n = ${i}\n`, T0 + 100 + i)),
    );
    t.strictSame(
      added.map((l) => l.revision).sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      '10 concurrent layers: revisions 1..10',
    );
    const stored = await Promise.all(added.map((l) => cp.getLayer('group', 'west', l.revision)));
    t.strictSame(stored, added, 'each revision stored as it was answered');
    t.equal((await cp.getLayer('group', 'west'))?.revision, 10, 'the latest is 10');
    t.equal((await cp.addLayer('group', 'west', 'n = 10\n', T0 + 200)).revision, 11, 'then 11');
    t.equal((await cp.getLayer('group', 'east'))?.revision, 1, 'the other group is unaffected');
  });

  t.test('group activation, pins, members and moving a gateway between groups', async (t) => {
    const { cp } = await open(t);
    t.equal(await cp.activeGroupRevision('east'), 0, 'no active revision: 0');
    await cp.setActiveGroupRevision('east', 3);
    await cp.setActiveGroupRevision('west', 9);
    await cp.setActiveGroupRevision('east', 4);
    t.equal(await cp.activeGroupRevision('east'), 4, 'replaced');
    t.equal(await cp.activeGroupRevision('west'), 9, 'per group');

    t.equal(await cp.pin('gw-a'), undefined, 'no pin');
    await cp.setPin('gw-a', 2);
    await cp.setPin('gw-a', 3);
    await cp.setPin('gw-b', 5);
    t.equal(await cp.pin('gw-a'), 3, 'pin replaced');
    await cp.setPin('gw-b', null);
    t.equal(await cp.pin('gw-b'), undefined, 'pin dropped');
    await cp.setPin('gw-b', null);
    t.equal(await cp.pin('gw-b'), undefined, 'dropping no pin is fine');

    for (const g of ['gw-b', 'gw-a', 'gw-A', 'gw-_', 'gw-r']) await cp.saveIdentity(identityRec(g));
    await cp.saveIdentity(identityRec('gw-w', { group: 'west' }));
    await cp.saveIdentity(identityRec('gw-x', { group: 'east', revokedMs: T0 }));
    t.strictSame(await cp.groupMembers('east'), ['gw-A', 'gw-_', 'gw-a', 'gw-b', 'gw-r'], 'live members, bytewise');
    t.strictSame(await cp.groupMembers('west'), ['gw-w']);
    t.strictSame(await cp.groupMembers('none'), [], 'an empty group');

    await cp.setPin('gw-r', 7);
    t.equal(await cp.setGroup('gw-a', 'east'), false, 'already in the group');
    t.equal(await cp.pin('gw-a'), 3, 'a refused move keeps the pin');
    t.equal(await cp.setGroup('gw-x', 'west'), false, 'a revoked identity does not move');
    t.equal(await cp.setGroup('gw-nope', 'west'), false, 'no identity');
    t.equal(await cp.setGroup('gw-a', 'west'), true, 'moved');
    t.equal(await cp.pin('gw-a'), undefined, 'it left the rollout of its old group');
    t.equal(await cp.pin('gw-r'), 7, 'another pin stays');
    t.equal((await cp.getIdentity('gw-a'))?.group, 'west', 'identity in its new group');
    t.strictSame(await cp.groupMembers('west'), ['gw-a', 'gw-w']);
    t.strictSame(await cp.groupMembers('east'), ['gw-A', 'gw-_', 'gw-b', 'gw-r']);
    t.equal(await cp.setGroup('gw-b', ''), true, 'to no group');
    t.strictSame(await cp.groupMembers(''), ['gw-b']);

    // saveIdentity replaces the whole record
    const again = identityRec('gw-r', { claimId: 'c-9', publicKey: Buffer.from([9]), site: 's2', provisionedMs: 5 });
    await cp.saveIdentity(again);
    t.strictSame(await cp.getIdentity('gw-r'), again, 'identity replaced');
  });

  t.test('issued and reported configs: one per gateway, replaced', async (t) => {
    const { cp } = await open(t);
    t.equal(await cp.getIssued('gw-1'), undefined);
    t.equal(await cp.getReported('gw-1'), undefined);
    const i1 = issuedRec('gw-1', 5, { envelope: Buffer.from([0, 0, 0xff, 0x80, 0]) });
    await cp.saveIssued(i1);
    await cp.saveIssued(issuedRec('gw-2', 6));
    t.strictSame(await cp.getIssued('gw-1'), i1, 'issued as written, bytes intact');
    const i2 = issuedRec('gw-1', 8, { label: 'rollout ro-1', toml: '', envelope: Buffer.alloc(0), issuedMs: T0 + 9 });
    await cp.saveIssued(i2);
    t.strictSame(await cp.getIssued('gw-1'), i2, 'replaced (an empty envelope too)');
    t.strictSame(await cp.getIssued('gw-2'), issuedRec('gw-2', 6), "another gateway's stays");

    const r1 = reportedRec('gw-1', {
      state: 'failed',
      errorCode: 'EDGE_ERR_CONFIG',
      detail: 'bad ☃',
      runningVersion: 4,
    });
    await cp.saveReported(r1);
    t.strictSame(await cp.getReported('gw-1'), r1, 'reported as written');
    const r2 = reportedRec('gw-1', { version: 8, state: 'rejected', runningVersion: 8, tsMs: T0 + 99 });
    await cp.saveReported(r2);
    t.strictSame(await cp.getReported('gw-1'), r2, 'replaced');
    t.equal(await cp.getReported('gw-2'), undefined, 'none for another gateway');
    t.equal((await cp.getIssued('gw-1'))?.version, 8, 'issued untouched by a report');

    // a rollout tick reads its whole wave at once: chunks, unknown ids, duplicates
    const many = Array.from({ length: 2500 }, (_, i) => `gw-m${i}`);
    for (const id of many.filter((_, i) => i % 3 === 0))
      await cp.saveReported(reportedRec(id, { version: 5, tsMs: T0 + 1 }));
    const got = await cp.getReportedMany([...many, 'gw-1', 'gw-1', "it's-nobody"]);
    t.equal(got.size, Math.ceil(2500 / 3) + 1, 'every gateway that reported, across statement chunks');
    t.strictSame(got.get('gw-1'), r2, 'as getReported reads it');
    t.equal(got.get('gw-m2498'), undefined, 'none for a gateway that did not report');
    t.equal(got.get("it's-nobody"), undefined, 'none for an unknown id');
    t.strictSame(got.get('gw-m2487'), await cp.getReported('gw-m2487'), 'a late chunk');
    t.equal((await cp.getReportedMany([])).size, 0, 'no ids: nothing');
  });

  t.test('rollouts: the full record round-trips, listed by start time and state', async (t) => {
    const { cp } = await open(t);
    t.equal(await cp.getRollout('ro-x'), undefined, 'unknown rollout');
    t.strictSame(await cp.listRollouts(), [], 'none yet');
    const a = rollout('ro-a', { startedMs: T0 + 50 });
    const b = rollout('ro-b', {
      group: 'west',
      startedMs: T0 + 10,
      state: 'aborted',
      deferOffline: false,
      finishedMs: T0 + 500,
      reason: 'failed ratio 0.5 > 0.1 — 故障',
      failed: { 'gw-b': 'EDGE_ERR_CONFIG_UNHEALTHY: cannot run R3' },
      rollback: {
        targets: { 'gw-a': 21, 'gw-b': 22 },
        appliedMs: { 'gw-a': T0 + 600 },
        failed: { 'gw-b': 'no status within the soak time' },
        startedMs: T0 + 500,
        finishedMs: null,
      },
    });
    const c = rollout('ro-c', { startedMs: T0 + 30, state: 'completed', finishedMs: T0 + 40, wave: 2 });
    for (const r of [a, b, c]) await cp.saveRollout(r);
    t.strictSame(await cp.getRollout('ro-a'), a, 'a running rollout round-trips');
    t.strictSame(await cp.getRollout('ro-b'), b, 'an aborted one with its rollback round-trips');
    t.strictSame(await cp.listRollouts(), [b, c, a], 'listed by start time');
    t.strictSame(await cp.listRollouts('running'), [a], 'running');
    t.strictSame(await cp.listRollouts('aborted'), [b], 'aborted');
    t.strictSame(await cp.listRollouts('completed'), [c], 'completed');

    const done = { ...a, state: 'completed' as const, finishedMs: T0 + 900, members: ['gw-a', 'gw-b', 'gw-c'] };
    await cp.saveRollout(done);
    t.strictSame(await cp.getRollout('ro-a'), done, 'saved again: replaced');
    t.strictSame(await cp.listRollouts('running'), [], 'no longer running');
    t.strictSame(await cp.listRollouts('completed'), [c, done], 'completed, by start time');
    t.equal((await cp.listRollouts()).length, 3, 'still three rollouts');

    t.strictSame(await cp.listOpenRollbacks(), [b], 'the rollback of ro-b is under way');
    const aborted = { ...done, id: 'ro-d', state: 'aborted' as const, rollback: null }; // aborted before any rollback
    await cp.saveRollout(aborted);
    t.strictSame(await cp.listOpenRollbacks(), [b], 'an abort without rollback is not open');
    await cp.saveRollout({ ...b, rollback: { ...b.rollback!, finishedMs: T0 + 700 } });
    t.strictSame(await cp.listOpenRollbacks(), [], 'a finished rollback is not open');
  });
}
