/**
 * Claim tokens and claim attempts are bounded (issue 16): `ttlS` and `uses` had no upper bound,
 * claim attempts were not rate-limited and each refusal wrote a warn line.
 */
import t from 'tap';
import { pb } from '../../../proto/index.js';
import { newX25519 } from '../../../common/seal.js';
import { isYiwangError } from '../../../common/errors.js';
import { claimIdentity } from '../../../edge/provisioning/claim-client.js';
import { startCloud } from '../../helpers/fleet.js';

const unknownToken = `ywc_${'0'.repeat(12)}.${'A'.repeat(32)}`;
const request = (token = unknownToken): Buffer =>
  Buffer.from(pb.ClaimRequest.encode({ token, publicKey: newX25519().publicRaw }).finish());
const codeOf = (b: Buffer): string => pb.ClaimResponse.decode(b).errorCode;

t.test('ttlS and uses are bounded at token creation, in the service and over HTTP', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const p = cloud.provisioning;
  const code = (o: Parameters<typeof p.createClaim>[0]): Promise<string> =>
    p.createClaim(o).then(
      () => 'created',
      (e: unknown) => (isYiwangError(e) ? e.code : String(e)),
    );
  t.equal(await code({ ttlS: 30 * 86_400 }), 'created', '30 days is allowed');
  t.equal(await code({ ttlS: 30 * 86_400 + 1 }), 'CLOUD_ERR_CLAIM_LIMITS', 'over 30 days is refused');
  t.equal(await code({ ttlS: 1e12 }), 'CLOUD_ERR_CLAIM_LIMITS');
  t.equal(await code({ uses: 10_000 }), 'created');
  t.equal(
    await code({ uses: 10_001 }),
    'CLOUD_ERR_CLAIM_LIMITS',
    'more than provisioning.claim_uses_max uses is refused',
  );
  t.equal(await code({ uses: 0 }), 'CLOUD_ERR_CLAIM_LIMITS');
  const res = await fetch(`http://127.0.0.1:${cloud.api.port}/api/v1/claims`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ttlS: 10 * 365 * 86_400, uses: 1_000_000 }),
  });
  t.equal(res.status, 400, 'the HTTP route answers 400');
  t.equal(((await res.json()) as { error: { code: string } }).error.code, 'CLOUD_ERR_CLAIM_LIMITS');
  t.equal((await cloud.controlPlane.listClaims()).length, 2, 'only the two valid tokens exist');
});

t.test('a default ttl over the maximum is a configuration error', async (t) => {
  await t.rejects(startCloud(undefined, { provisioning: { claim_ttl_s: 90 * 86_400 } }), {
    code: 'CONFIG_ERR_INVALID',
  });
});

t.test('claim attempts are rate-limited per client address', async (t) => {
  const { cloud, mqttUrl } = await startCloud(undefined, { provisioning: { claims_per_min_per_source: 3 } });
  t.teardown(() => cloud.stop());
  const p = cloud.provisioning;
  const codes: string[] = [];
  for (let i = 0; i < 5; i++)
    codes.push(codeOf(await p.claim(request(), `prov-a${String(i).padStart(16, '0')}`, '192.0.2.1')));
  t.same(codes, [
    'CLOUD_ERR_CLAIM_UNKNOWN',
    'CLOUD_ERR_CLAIM_UNKNOWN',
    'CLOUD_ERR_CLAIM_UNKNOWN',
    'CLOUD_ERR_CLAIM_RATE_LIMITED',
    'CLOUD_ERR_CLAIM_RATE_LIMITED',
  ]);
  t.match(
    pb.ClaimResponse.decode(await p.claim(request(), 'prov-b0000000000000000', '192.0.2.1')).detail,
    /retry in \d+ s/,
    'the refusal says when to retry',
  );
  t.equal(
    codeOf(await p.claim(request(), 'prov-c0000000000000000', '192.0.2.2')),
    'CLOUD_ERR_CLAIM_UNKNOWN',
    'another address is not held up',
  );

  // over MQTT the broker hands the connection's address to the service
  const refusals: string[] = [];
  for (let i = 0; i < 4; i++) {
    refusals.push(
      await claimIdentity({ url: mqttUrl, token: unknownToken, timeoutMs: 5000 }).then(
        () => 'accepted',
        (e: Error) => e.message.split(':')[0]!,
      ),
    );
  }
  t.same(refusals, [
    'CLOUD_ERR_CLAIM_UNKNOWN',
    'CLOUD_ERR_CLAIM_UNKNOWN',
    'CLOUD_ERR_CLAIM_UNKNOWN',
    'CLOUD_ERR_CLAIM_RATE_LIMITED',
  ]);
  const stats = (await (await fetch(`http://127.0.0.1:${cloud.api.port}/api/v1/stats`)).json()) as {
    provisioning: { rateLimitedSource: number; refusedByCode: Record<string, number> };
  };
  t.equal(stats.provisioning.rateLimitedSource, 4, '/api/v1/stats counts them');
  t.equal(stats.provisioning.refusedByCode.CLOUD_ERR_CLAIM_RATE_LIMITED, 4);
});

t.test('claim attempts are rate-limited in all; refusals are counted, their warn lines capped', async (t) => {
  const { cloud, logs } = await startCloud(undefined, {
    provisioning: { claims_per_min_per_source: 0, claims_per_min: 10 },
  });
  t.teardown(() => cloud.stop());
  const p = cloud.provisioning;
  const codes: string[] = [];
  for (let i = 0; i < 300; i++)
    codes.push(codeOf(await p.claim(request(), `prov-d${String(i).padStart(16, '0')}`, `198.51.100.${i % 250}`)));
  t.equal(codes.filter((c) => c === 'CLOUD_ERR_CLAIM_UNKNOWN').length, 10, 'ten attempts in the minute');
  t.equal(
    codes.filter((c) => c === 'CLOUD_ERR_CLAIM_RATE_LIMITED').length,
    290,
    'the rest refused, whatever their address',
  );
  t.equal(p.counters.rateLimitedGlobal, 290);
  t.equal(p.counters.refused, 300, 'every refusal counted');
  const lines = logs.lines.filter((l) => l.msg === 'claim refused');
  t.equal(lines.length, 20, `${lines.length} warn lines for 300 refusals`);
  t.equal(p.counters.logSuppressed, 280, 'the others are counted and summarised');
});
