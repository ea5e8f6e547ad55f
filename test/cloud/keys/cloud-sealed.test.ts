/**
 * The cloud with sealed keys, end to end (the setup of test/cloud/provisioning/provision-e2e.test.ts):
 * a cloud started without a KEK (the demo path) warns and says so in /api/v1/stats; restarted
 * with a KEK it seals its clear keys (logged), and a gateway provisioned before keeps connecting
 * over TLS with its pinned CA and keeps verifying configuration signed with its pinned key; a
 * wrong or missing KEK stops the start with a coded error. A cloud with a KEK from its first start
 * never writes a clear key.
 */
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimIdentity } from '../../../edge/provisioning/claim-client.js';
import type { CloudServer } from '../../../cloud/server.js';
import type { KeysStatus } from '../../../cloud/keys/vault.js';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

const OURS = ['config-signing.key', 'fleet-ca.key'];

async function keysOf(cloud: CloudServer): Promise<KeysStatus> {
  const r = await fetch(`http://127.0.0.1:${cloud.api.port}/api/v1/stats`);
  return ((await r.json()) as { keys: KeysStatus }).keys;
}

async function runGateway(
  t: Test,
  cloud: CloudServer,
  edgeDir: string,
  id: { gatewayId: string; secret: string; caPem: string; configPublicKey: Buffer },
  dailyBytes: number,
): Promise<void> {
  const caFile = join(edgeDir, 'fleet-ca.crt');
  writeFileSync(caFile, id.caPem);
  const cfg = edgeConfig(edgeDir, id.gatewayId, id.secret, `mqtts://localhost:${cloud.broker.tlsPort}`, {
    cloud: { ca_file: caFile },
  });
  cfg.gateway.config_key = id.configPublicKey.toString('base64'); // edgeConfig sets the gateway section itself
  const edge = await startEdge(cfg);
  try {
    await until('edge online over TLS (pinned fleet CA)', () => edge.agent.uplink.state === 'online', 10_000);
    await cloud.desired.setLayer('group', 'north', `[sync]\ndaily_bytes = ${dailyBytes}\n`);
    await until('config applied and reported', async () => (await cloud.desired.view(id.gatewayId)).inSync, 10_000);
    t.equal(edge.agent.remoteConfig?.config?.sync.daily_bytes, dailyBytes, 'the gateway verified and applied it');
  } finally {
    await edge.agent.stop();
  }
}

t.test('demo path without a KEK; then sealed at a restart with one; the gateway keeps working', async (t) => {
  const dir = tempDir('yw-cloud-sealed-');
  const edgeDir = tempDir('yw-edge-');
  const pkiDir = join(dir, 'pki');
  // 1. no KEK: today's behaviour, a warning, and the status says so
  const a = await startCloud(dir);
  let id: Awaited<ReturnType<typeof claimIdentity>>;
  try {
    const warn = a.logs.lines.filter((l) => String(l.msg).startsWith('keys at rest: no keys.kek configured'));
    t.equal(warn.length, 1, 'one warning at start');
    t.equal(warn[0]?.level, 40);
    const k = await keysOf(a.cloud);
    t.equal(k.sealed, false);
    t.equal(k.kek, null);
    t.match(k.warning, /no keys\.kek configured/);
    t.same(
      k.files.filter((f) => OURS.includes(f.name)).map((f) => f.state),
      ['clear', 'clear'],
    );
    const { token } = await a.cloud.provisioning.createClaim({ group: 'north', uses: 1 });
    id = await claimIdentity({ url: a.mqttUrl, token, timeoutMs: 5000 });
    await runGateway(t, a.cloud, edgeDir, id, 111_111);
  } finally {
    await a.cloud.stop();
  }
  const clearPem = readFileSync(join(pkiDir, 'config-signing.key'), 'utf8');

  // 2. a KEK file outside the data directory: the clear keys are sealed at start, logged
  const kekFile = join(tempDir('yw-kek-'), 'kek');
  writeFileSync(kekFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  const b = await startCloud(dir, { keys: { kek: `file:${kekFile}` } });
  try {
    const migrated = b.logs.lines.filter((l) => String(l.msg).startsWith('keys at rest: sealed a clear private key'));
    t.same(
      migrated
        .map((l) => String(l.file).split('/').pop())
        .filter((f) => OURS.includes(String(f)))
        .sort(),
      OURS,
      'one log line per sealed key (other components may keep keys in the vault too)',
    );
    const files = readdirSync(pkiDir);
    for (const name of OURS) {
      t.notOk(files.includes(name), `${name} no longer in clear`);
      t.ok(files.includes(`${name}.sealed`), `${name}.sealed`);
    }
    for (const f of files)
      t.notOk(
        readFileSync(join(pkiDir, f), 'utf8').includes(clearPem.split('\n')[1]!),
        `${f}: no trace of the clear key`,
      );
    const k = await keysOf(b.cloud);
    t.match(k.kek, { source: 'file', where: kekFile });
    t.notOk(JSON.stringify(k).includes(readFileSync(kekFile, 'utf8')), 'the status never shows the KEK');
    t.same(
      k.files.filter((f) => OURS.includes(f.name)).map((f) => [f.state, f.kekId]),
      [
        ['sealed', k.kek?.id],
        ['sealed', k.kek?.id],
      ],
    );
    t.same(k.migrated.filter((f) => OURS.includes(f)).sort(), OURS);
    t.same(b.cloud.pki.signingPublicRaw, id.configPublicKey, 'the same config-signing key the gateway pinned');
    t.equal(b.cloud.pki.caPem, id.caPem, 'the same fleet CA');
    await runGateway(t, b.cloud, edgeDir, id, 222_222);
  } finally {
    await b.cloud.stop();
  }

  // 3. a wrong KEK, or none: the start stops with a coded error
  const wrong = join(tempDir('yw-kek-'), 'kek');
  writeFileSync(wrong, randomBytes(32).toString('base64'), { mode: 0o600 });
  await t.rejects(startCloud(dir, { keys: { kek: `file:${wrong}` } }), { code: 'CLOUD_ERR_KEK_MISMATCH' });
  await t.rejects(startCloud(dir), { code: 'CLOUD_ERR_KEK_MISSING' });
});

t.test('a KEK from the environment from the first start: no clear key ever written; provisioning works', async (t) => {
  const dir = tempDir('yw-cloud-sealed-env-');
  process.env.YW_TEST_CLOUD_KEK = randomBytes(32).toString('hex');
  const c = await startCloud(dir, { keys: { kek: 'env:YW_TEST_CLOUD_KEK' } });
  t.teardown(() => c.cloud.stop());
  t.equal(process.env.YW_TEST_CLOUD_KEK, undefined, 'the variable is removed once read');
  t.same(
    readdirSync(join(dir, 'pki'))
      .filter((f) => OURS.some((o) => f.startsWith(o)))
      .sort(),
    OURS.map((o) => `${o}.sealed`),
  );
  t.equal(c.logs.lines.filter((l) => String(l.msg).startsWith('keys at rest: no keys.kek')).length, 0, 'no warning');
  const { token } = await c.cloud.provisioning.createClaim({ group: 'north', uses: 1 });
  const id = await claimIdentity({ url: c.mqttUrl, token, timeoutMs: 5000 });
  t.same(id.configPublicKey, c.cloud.pki.signingPublicRaw);
  await runGateway(t, c.cloud, tempDir('yw-edge-'), id, 333_333);
});
