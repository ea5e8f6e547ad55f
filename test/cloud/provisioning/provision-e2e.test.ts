/**
 * Provisioning by claim end to end: token → identity → TLS connect with the pinned fleet CA →
 * readings stored; refused tokens say why; revocation disconnects within 5 s; signed config applied.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimIdentity } from '../../../edge/provisioning/claim-client.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import { isYiwangError } from '../../../common/errors.js';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

t.test('claim → TLS gateway → readings; refused tokens; revocation; signed config', async (t) => {
  const { cloud, mqttUrl } = await startCloud();
  t.teardown(() => cloud.stop());
  const p = cloud.provisioning;
  const { token } = await p.createClaim({ group: 'north', site: 'pump-3', uses: 1 });
  const id = await claimIdentity({ url: mqttUrl, token, timeoutMs: 5000 });
  t.match(id.gatewayId, /^gw-[a-z0-9]{10}$/);
  t.equal(id.group, 'north');
  t.equal(id.configPublicKey.length, 32);
  t.match(id.caPem, /BEGIN CERTIFICATE/);
  t.equal((await cloud.controlPlane.getIdentity(id.gatewayId))?.group, 'north', 'identity recorded with its group');

  const refused = async (tok: string): Promise<string> => {
    try {
      await claimIdentity({ url: mqttUrl, token: tok, timeoutMs: 5000 });
      return 'accepted';
    } catch (e) {
      return isYiwangError(e, 'EDGE_ERR_PROVISION_REFUSED') ? e.message : `other: ${String(e)}`;
    }
  };
  t.match(await refused(token), /^CLOUD_ERR_CLAIM_USED_UP/, 'a used token is refused with its reason');
  const expired = await p.createClaim({ ttlS: 1 }, Date.now() - 10_000);
  t.match(await refused(expired.token), /^CLOUD_ERR_CLAIM_EXPIRED/);
  const revoked = await p.createClaim({ uses: 5 });
  await p.revokeClaim(revoked.claim.id);
  t.match(await refused(revoked.token), /^CLOUD_ERR_CLAIM_REVOKED/);
  t.match(await refused(`${token.slice(0, -4)}AAAA`), /^CLOUD_ERR_CLAIM_UNKNOWN/, 'a wrong secret is refused');

  // the gateway runs over TLS, verifying the broker with the fleet CA it got
  const dir = tempDir('yw-edge-');
  const caFile = join(dir, 'fleet-ca.crt');
  writeFileSync(caFile, id.caPem);
  const tlsUrl = `mqtts://localhost:${cloud.broker.tlsPort}`;
  const cfg = edgeConfig(dir, id.gatewayId, id.secret, tlsUrl, {
    cloud: { ca_file: caFile },
    gateway: { config_key: id.configPublicKey.toString('base64') },
  });
  cfg.gateway.config_key = id.configPublicKey.toString('base64');
  const edge = await startEdge(cfg);
  t.teardown(() => edge.agent.stop());
  await until('edge online over TLS', () => edge.agent.uplink.state === 'online', 10_000);
  await edge.agent.store.append([
    {
      deviceId: 'meter-1',
      metric: 'flow',
      unit: 'm3/h',
      ts: Date.now(),
      value: 4.5,
      clock: ClockQuality.CLOCK_GATEWAY_SYNCED,
      priority: Priority.PRIORITY_NORMAL,
    },
  ]);
  edge.agent.uplink.notify();
  await until(
    'reading stored in the cloud',
    async () => (await cloud.store.readings({ deviceId: 'meter-1' })).length === 1,
    10_000,
  );
  t.equal(
    (await cloud.store.readings({ deviceId: 'meter-1' }))[0]?.gatewayId,
    id.gatewayId,
    'readings accepted under the provisioned id',
  );

  // a signed group config reaches the gateway and its status comes back
  await cloud.desired.setLayer('group', 'north', '[sync]\ndaily_bytes = 123456\n');
  await until('config applied and reported', async () => (await cloud.desired.view(id.gatewayId)).inSync, 10_000);
  t.equal(edge.agent.remoteConfig?.config?.sync.daily_bytes, 123456, 'edge runs the desired config');

  // revocation: disconnected within 5 s, and refused at reconnect
  const t0 = Date.now();
  await p.revokeGateway(id.gatewayId);
  await until('revoked gateway disconnected', () => edge.agent.uplink.state !== 'online', 5000);
  t.ok(Date.now() - t0 < 5000, `disconnected after ${Date.now() - t0} ms`);
  await until('reconnect refused', () => edge.agent.uplink.lastError?.code === 'EDGE_ERR_GATEWAY_REVOKED', 10_000);
  t.ok(cloud.broker.counters.revokedRefused >= 1, 'the broker refused the revoked gateway');
});
