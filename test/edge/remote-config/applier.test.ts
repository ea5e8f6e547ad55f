/** Edge config applier: only signed, newer, valid, healthy configs for this gateway are applied. */
import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigApplier } from '../../../edge/remote-config/applier.js';
import { signConfig } from '../../../proto/config-signing.js';
import { pb } from '../../../proto/index.js';
import { rawEd25519Public, keyIdOf } from '../../../cloud/pki/fleet-ca.js';
import { silentLogger } from '../../../common/log.js';
import { tempDir } from '../../helpers/fleet.js';

const fleet = generateKeyPairSync('ed25519').privateKey;
const other = generateKeyPairSync('ed25519').privateKey;
const pub = rawEd25519Public(fleet);
const doc = (version: number, toml: string, gatewayId = 'gw-1') =>
  signConfig({ gatewayId, version, toml, issuedMs: Date.now(), label: `v${version}` }, fleet, keyIdOf(pub));

function applier(check?: (c: unknown) => string | undefined) {
  const file = join(tempDir('yw-remote-config-'), 'desired-config.json');
  const reports: ReturnType<typeof pb.ConfigStatus.decode>[] = [];
  const a = new ConfigApplier({
    gatewayId: 'gw-1',
    publicKey: pub,
    file,
    log: silentLogger(),
    ...(check ? { check } : {}),
    report: (b) => reports.push(pb.ConfigStatus.decode(b)),
  });
  return { a, file, reports };
}

t.test('applies a signed newer config atomically and keeps it across restarts', async (t) => {
  const { a, file, reports } = applier();
  t.equal(a.handle(doc(3, '[sync]\ndaily_bytes = 1000\n')).state, 'applied');
  t.equal(a.running?.version, 3);
  t.equal(a.config?.sync.daily_bytes, 1000);
  t.equal(reports.at(-1)?.state, pb.ConfigStatus.State.APPLIED);
  t.equal(Number(reports.at(-1)?.runningVersion), 3);
  t.notOk(existsSync(`${file}.tmp`), 'no temp file left');
  const again = new ConfigApplier({ gatewayId: 'gw-1', publicKey: pub, file, log: silentLogger() });
  t.equal(again.load()?.version, 3, 'last good config survives a restart');
});

t.test(
  'tampered, unsigned, wrong-key, other-gateway and older configs are rejected; running config unchanged',
  async (t) => {
    const { a, file, reports } = applier();
    a.handle(doc(5, '[sync]\ndaily_bytes = 5\n'));
    const before = readFileSync(file, 'utf8');
    const good = pb.ConfigEnvelope.decode(doc(6, '[sync]\ndaily_bytes = 6\n'));
    const tamperedDoc = Buffer.from(good.document);
    tamperedDoc[tamperedDoc.length - 3]! ^= 1;
    const cases: [string, Buffer, string][] = [
      [
        'tampered',
        Buffer.from(pb.ConfigEnvelope.encode({ ...good, document: tamperedDoc }).finish()),
        'EDGE_ERR_CONFIG_SIGNATURE',
      ],
      [
        'unsigned',
        Buffer.from(pb.ConfigEnvelope.encode({ document: good.document }).finish()),
        'EDGE_ERR_CONFIG_UNSIGNED',
      ],
      ['garbage', Buffer.from('not protobuf at all \xff\xff'), 'EDGE_ERR_CONFIG_UNSIGNED'],
      [
        'wrong key',
        signConfig({ gatewayId: 'gw-1', version: 7, toml: '', issuedMs: 0, label: '' }, other, 'x'),
        'EDGE_ERR_CONFIG_SIGNATURE',
      ],
      ['older version', doc(4, '[sync]\ndaily_bytes = 4\n'), 'EDGE_ERR_CONFIG_VERSION'],
      ['same version, other content', doc(5, '[sync]\ndaily_bytes = 55\n'), 'EDGE_ERR_CONFIG_VERSION'],
      ['other gateway', doc(9, '', 'gw-2'), 'EDGE_ERR_CONFIG_GATEWAY'],
    ];
    for (const [name, env, code] of cases) {
      const out = a.handle(env);
      t.equal(out.state, 'rejected', `${name}: rejected`);
      t.equal(out.code, code, `${name}: ${code}`);
      t.equal(reports.at(-1)?.errorCode, code, `${name}: reported`);
      t.equal(a.running?.version, 5, `${name}: running version unchanged`);
      t.equal(a.config?.sync.daily_bytes, 5, `${name}: running settings unchanged`);
    }
    t.equal(readFileSync(file, 'utf8'), before, 'stored config untouched');
  },
);

t.test('invalid or unhealthy configs fail with a coded reason and change nothing', async (t) => {
  const { a } = applier((c) =>
    (c as { profiles: { enabled?: string[] } }).profiles.enabled?.includes('acme/missing')
      ? 'profile acme/missing not installed'
      : undefined,
  );
  a.handle(doc(1, '[sync]\ndaily_bytes = 1\n'));
  const bad = a.handle(doc(2, '[sync]\ndaily_bytez = 1\n'));
  t.equal(bad.state, 'failed');
  t.equal(bad.code, 'EDGE_ERR_CONFIG_INVALID');
  t.match(bad.detail, /sync\.daily_bytez/);
  const sick = a.handle(doc(3, '[profiles]\nenabled = ["acme/missing"]\n'));
  t.equal(sick.code, 'EDGE_ERR_CONFIG_UNHEALTHY');
  t.equal(a.running?.version, 1);
  t.equal(a.handle(doc(4, '[profiles]\nenabled = []\n')).state, 'applied', 'a later good version applies');
});
