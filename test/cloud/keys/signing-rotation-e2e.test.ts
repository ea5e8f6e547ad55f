/**
 * Issue 22: "key rotation with a gateway that keeps accepting config across it". A provisioned
 * gateway runs over TLS against a cloud whose keys are sealed under a KEK; the operator runs
 * `yiwang-cloud signing-key rotate` and restarts the cloud (same TLS port); the gateway, never
 * restarted and never re-provisioned, reconnects, gets its running config signed again by the new
 * key with the transition, pins the new key (kept across an agent restart), applies the next config,
 * and from then on refuses a config signed by the retired key.
 */
import t from 'tap';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimIdentity } from '../../../edge/provisioning/claim-client.js';
import { rotatedKeyFile } from '../../../edge/remote-config/agent-wiring.js';
import { KeyVault } from '../../../cloud/keys/vault.js';
import { SIGNING_KEY_NAME } from '../../../cloud/keys/signing-rotation.js';
import { loadKek } from '../../../cloud/keys/kek.js';
import { signConfig } from '../../../proto/config-signing.js';
import { edgeConfig, startCloud, startEdge, tempDir, type TestEdge } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { cloudCli, isolateCliEnv } from '../cli/run-cli.js';

isolateCliEnv();

t.test('signing-key rotation: a running gateway follows the transition and keeps accepting config', async (t) => {
  const dir = tempDir('yw-signrot-e2e-');
  const kekFile = join(tempDir('yw-kek-'), 'kek');
  writeFileSync(kekFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  const keys = { kek: `file:${kekFile}` };
  const a = await startCloud(dir, { keys });
  const { token } = await a.cloud.provisioning.createClaim({ group: 'north', uses: 1 });
  const id = await claimIdentity({ url: a.mqttUrl, token, timeoutMs: 5000 });
  const oldKeyId = a.cloud.pki.keyId;
  const tlsPort = a.cloud.broker.tlsPort!;
  const edgeDir = tempDir('yw-edge-');
  const caFile = join(edgeDir, 'fleet-ca.crt');
  writeFileSync(caFile, id.caPem);
  const cfg = edgeConfig(edgeDir, id.gatewayId, id.secret, `mqtts://localhost:${tlsPort}`, {
    cloud: { ca_file: caFile },
  });
  cfg.gateway.config_key = id.configPublicKey.toString('base64'); // edgeConfig sets the gateway section itself
  let edge: TestEdge = await startEdge(cfg);
  t.teardown(() => edge.agent.stop());
  await until('edge online', () => edge.agent.uplink.state === 'online', 10_000);
  await a.cloud.desired.setLayer('group', 'north', '[sync]\ndaily_bytes = 1000\n');
  await until('v1 applied', async () => (await a.cloud.desired.view(id.gatewayId)).inSync, 10_000);
  // the retired key, for the last check (read before the rotation, as an attacker who stole it would have it)
  const kek = loadKek(keys.kek, { forbiddenDirs: [] })!;
  const oldKey = createPrivateKey(
    new KeyVault(join(dir, 'pki'), kek, 'aes-256-gcm').read(SIGNING_KEY_NAME)!.toString(),
  );
  await a.cloud.stop();

  // the operator rotates on the cloud's host, with the cloud stopped, and starts it again
  const toml = join(dir, 'cloud.toml');
  writeFileSync(toml, `[store]\npath = "${join(dir, 'cloud.db')}"\n[keys]\nkek = "file:${kekFile}"\n`);
  const rot = await cloudCli(['--config', toml, 'signing-key', 'rotate']);
  t.equal(rot.code, 0, rot.err);
  t.match(rot.out, new RegExp(`config-signing key rotated: ${oldKeyId} -> [0-9a-f]{16}`));
  const b = await startCloud(dir, { keys, tls: { port: tlsPort } });
  t.teardown(() => b.cloud.stop());
  t.not(b.cloud.pki.keyId, oldKeyId, 'the cloud signs with the new key');
  t.equal(b.cloud.pki.signingTransitions.length, 1);
  const st = JSON.parse((await cloudCli(['--config', toml, '--json', 'signing-key', 'status'])).out) as {
    keyId: string;
    transitions: { oldKeyId: string; newKeyId: string }[];
  };
  t.match(st, { keyId: b.cloud.pki.keyId, transitions: [{ oldKeyId, newKeyId: b.cloud.pki.keyId }] });

  // the same agent reconnects; its running config comes back signed by the new key with the transition
  await until(
    'the gateway pinned the new key',
    () => edge.agent.remoteConfig?.pinnedKey.equals(b.cloud.pki.signingPublicRaw) === true,
    15_000,
  );
  t.ok(
    edge.logs.lines.some((l) => String(l.msg).startsWith('config-signing key rotated by the cloud')),
    'the agent logged the rotation',
  );
  t.ok(existsSync(rotatedKeyFile(cfg)), 'and stored the new key');
  await until(
    'still in sync (the same version, re-acknowledged)',
    async () => (await b.cloud.desired.view(id.gatewayId)).inSync,
    10_000,
  );
  await b.cloud.desired.setLayer('group', 'north', '[sync]\ndaily_bytes = 2000\n');
  await until('v2 applied after the rotation', async () => (await b.cloud.desired.view(id.gatewayId)).inSync, 10_000);
  t.equal(edge.agent.remoteConfig?.config?.sync.daily_bytes, 2000, 'config signed by the new key applied');

  // an agent restart keeps the new pin (config-key.json); the retired key is refused from now on
  await edge.agent.stop();
  edge = await startEdge(cfg);
  await until('edge online again', () => edge.agent.uplink.state === 'online', 10_000);
  t.same(edge.agent.remoteConfig?.pinnedKey, b.cloud.pki.signingPublicRaw, 'pinned from config-key.json');
  const running = edge.agent.remoteConfig!.running!.version;
  const forged = signConfig(
    {
      gatewayId: id.gatewayId,
      version: running + 100,
      toml: '[sync]\ndaily_bytes = 1\n',
      issuedMs: Date.now(),
      label: 'old',
    },
    oldKey,
    oldKeyId,
  );
  t.match(edge.agent.remoteConfig!.handle(forged), { state: 'rejected', code: 'EDGE_ERR_CONFIG_SIGNATURE' });
  t.equal(edge.agent.remoteConfig?.config?.sync.daily_bytes, 2000, 'the running config stays');
  t.notOk(readFileSync(rotatedKeyFile(cfg), 'utf8').includes('PRIVATE'), 'the edge keeps only the public key');
});
