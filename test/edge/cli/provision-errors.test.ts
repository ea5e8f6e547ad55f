/**
 * Every error path of `yiwang-edge provision` through the built binary: bad token (malformed,
 * unknown, used up), unreachable cloud (port closed, no answer), TLS failure (no CA, another
 * fleet's CA, a file that is no certificate), already provisioned, and a config it could not write.
 * Each prints ONE line `error CODE: message (hint)` on stderr, nothing on stdout, and exits
 * non-zero; a failed claim leaves the token usable.
 */
import t, { type Test } from 'tap';
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCloud, tempDir, type TestCloud } from '../../helpers/fleet.js';
import { cli, type CliResult } from './harness.js';

// dozens of CLI processes, each a Node start-up: slow on a loaded 2-core machine
t.setTimeout(480_000);

let cloud: TestCloud;
t.before(async () => {
  cloud = await startCloud();
});
t.teardown(() => cloud.cloud.stop());

/** A fresh config dir (init with flags) and `provision` run against it. */
async function freshGateway(): Promise<{ config: string; provision: (...args: string[]) => Promise<CliResult> }> {
  const config = join(tempDir('yw-cli-prov-'), 'edge.toml');
  const init = await cli([
    '--config',
    config,
    'init',
    '--cloud-url',
    cloud.mqttUrl,
    '--data-dir',
    join(config, '..', 'var'),
  ]);
  if (init.code !== 0) throw new Error(init.err);
  return { config, provision: (...args) => cli(['--config', config, 'provision', ...args]) };
}

/** One line on stderr with this code and a hint in parentheses, nothing on stdout, this exit code. */
function oneCodedLine(t: Test, r: CliResult, code: string, message: RegExp, exit = 1): void {
  t.equal(r.code, exit, `exit ${exit}`);
  t.equal(r.out, '', 'nothing on stdout');
  const lines = r.err.trimEnd().split('\n');
  t.equal(lines.length, 1, `one line: ${r.err}`);
  t.match(lines[0], new RegExp(`^error ${code}: `), 'the code first');
  t.match(lines[0], message);
  t.match(lines[0], /\([A-Z`][^()]*(\([^()]*\)[^()]*)*\)$/, 'a hint in parentheses at the end');
  t.notMatch(r.err, /\n\s+at /, 'no stack without --debug');
}

const unprovisioned = (config: string): boolean => !/^id = "gw/m.test(readFileSync(config, 'utf8'));

t.test('bad token', async (t) => {
  const { config, provision } = await freshGateway();
  oneCodedLine(
    t,
    await provision('--token', 'not-a-token'),
    'EDGE_ERR_PROVISION_REFUSED',
    /CLOUD_ERR_CLAIM_INVALID: token is not of the form ywc_/,
  );
  oneCodedLine(
    t,
    await provision('--token', `ywc_aaaaaaaaaaaa.${'A'.repeat(32)}`),
    'EDGE_ERR_PROVISION_REFUSED',
    /CLOUD_ERR_CLAIM_UNKNOWN: unknown claim token \(Ask the operator for a new token/,
  );
  const { token } = await cloud.cloud.provisioning.createClaim({ uses: 1 });
  const used = await freshGateway();
  t.equal((await used.provision('--token', token)).code, 0, 'the token works once');
  oneCodedLine(
    t,
    await provision('--token', token),
    'EDGE_ERR_PROVISION_REFUSED',
    /CLOUD_ERR_CLAIM_USED_UP: claim [a-z0-9]{12} has been used 1 of 1 times/,
  );
  const expired = await cloud.cloud.provisioning.createClaim({ ttlS: 1 }, Date.now() - 10_000);
  oneCodedLine(t, await provision('--token', expired.token), 'EDGE_ERR_PROVISION_REFUSED', /CLOUD_ERR_CLAIM_EXPIRED: /);
  t.ok(unprovisioned(config), 'the config is unchanged');
  t.notOk(existsSync(join(config, '..', 'fleet-ca.crt')), 'no CA written');
});

t.test('unreachable cloud', async (t) => {
  const { config, provision } = await freshGateway();
  const { token } = await cloud.cloud.provisioning.createClaim({ uses: 1 });
  // a port nobody listens on
  const closed = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  oneCodedLine(
    t,
    await provision('--token', token, '--cloud-url', `mqtt://127.0.0.1:${closed}`),
    'EDGE_ERR_PROVISION',
    new RegExp(`cannot reach mqtt://127\\.0\\.0\\.1:${closed}: .*ECONNREFUSED.* \\(Check --cloud-url`),
  );
  // a peer that accepts TCP and never answers MQTT (a captive firewall, a hung broker)
  const sockets: Socket[] = [];
  const silent: Server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const url = `mqtt://127.0.0.1:${(silent.address() as { port: number }).port}`;
  const t0 = Date.now();
  const hung = await provision('--token', token, '--cloud-url', url, '--timeout', '1500');
  oneCodedLine(
    t,
    hung,
    'EDGE_ERR_PROVISION',
    new RegExp(`(no answer from ${url} within 1500 ms|cannot reach ${url}: )`),
  );
  t.ok(Date.now() - t0 < 30_000, 'gives up after --timeout');
  t.ok(unprovisioned(config), 'the config is unchanged');
  // the token was not used up by the failures
  t.equal((await provision('--token', token)).code, 0, 'the same token works once the cloud is reachable');
});

t.test('TLS failure', async (t) => {
  const { config, provision } = await freshGateway();
  const { token } = await cloud.cloud.provisioning.createClaim({ uses: 1 });
  const tlsUrl = `mqtts://127.0.0.1:${cloud.cloud.broker.tlsPort}`;
  // no --ca: the fleet CA is not a system CA
  oneCodedLine(
    t,
    await provision('--token', token, '--cloud-url', tlsUrl),
    'EDGE_ERR_PROVISION_TLS',
    /TLS to mqtts:\/\/127\.0\.0\.1:\d+ failed: .*(self[- ]signed|unable to (get|verify)).* \(Pass the fleet CA file/,
  );
  // the CA of another fleet (a second real cloud with its own CA)
  const other = await startCloud();
  t.teardown(() => other.cloud.stop());
  const otherCa = join(config, '..', 'other-ca.crt');
  writeFileSync(otherCa, other.cloud.pki.caPem);
  t.not(other.cloud.pki.caPem, cloud.cloud.pki.caPem, 'two fleets, two CAs');
  oneCodedLine(
    t,
    await provision('--token', token, '--cloud-url', tlsUrl, '--ca', otherCa),
    'EDGE_ERR_PROVISION_TLS',
    /TLS to .* failed: .*(self[- ]signed|unable to (get|verify)|signature)/i,
  );
  // a CA file that is missing, or no certificate at all
  oneCodedLine(
    t,
    await provision('--token', token, '--cloud-url', tlsUrl, '--ca', join(config, '..', 'missing.crt')),
    'EDGE_ERR_PROVISION_TLS',
    /--ca .*missing\.crt cannot be read: ENOENT/,
  );
  oneCodedLine(
    t,
    await provision('--token', token, '--cloud-url', tlsUrl, '--ca', config),
    'EDGE_ERR_PROVISION_TLS',
    /--ca .*edge\.toml is not a PEM certificate/,
  );
  t.ok(unprovisioned(config), 'the config is unchanged');
  // with the right CA the same token works over TLS
  const rightCa = join(config, '..', 'fleet-ca-from-operator.crt');
  writeFileSync(rightCa, cloud.cloud.pki.caPem);
  const ok = await provision('--json', '--token', token, '--cloud-url', tlsUrl, '--ca', rightCa);
  t.equal(ok.code, 0, ok.err);
  t.match(JSON.parse(ok.out), { gatewayId: /^gw-/, cloudUrl: tlsUrl });
});

t.test('already provisioned', async (t) => {
  const { config, provision } = await freshGateway();
  const first = await cloud.cloud.provisioning.createClaim({ uses: 3 });
  t.equal((await provision('--token', first.token, '--id', 'gw-street-7')).code, 0);
  const before = readFileSync(config, 'utf8');
  oneCodedLine(
    t,
    await provision('--token', first.token),
    'EDGE_ERR_ALREADY_PROVISIONED',
    /edge\.toml already has gateway\.id gw-street-7; pass --force .*\(`yiwang-edge status` shows it/,
  );
  t.equal(readFileSync(config, 'utf8'), before, 'the identity is kept');
  // another gateway asking for the same id: the cloud says the id is taken
  const other = await freshGateway();
  oneCodedLine(
    t,
    await other.provision('--token', first.token, '--id', 'gw-street-7'),
    'EDGE_ERR_PROVISION_REFUSED',
    /CLOUD_ERR_CLAIM_ID_TAKEN: gateway id gw-street-7 is taken/,
  );
  // --force replaces the identity
  const again = await provision('--json', '--force', '--token', first.token);
  t.equal(again.code, 0, again.err);
  t.not(JSON.parse(again.out).gatewayId, 'gw-street-7', 'a new identity');
});

t.test('config problems are found before the token is spent', async (t) => {
  const dir = tempDir('yw-cli-prov-');
  const { token, claim } = await cloud.cloud.provisioning.createClaim({ uses: 1 });
  const broken = join(dir, 'broken.toml');
  writeFileSync(broken, '[cloud]\nurl = 5\n');
  const r = await cli(['--config', broken, 'provision', '--token', token]);
  oneCodedLine(t, r, 'CONFIG_ERR_INVALID', /cloud\.url/, 3);
  const blocked = join(dir, 'a-file', 'edge.toml'); // its directory would be a regular file
  writeFileSync(join(dir, 'a-file'), 'x');
  oneCodedLine(
    t,
    await cli(['--config', blocked, 'provision', '--token', token, '--cloud-url', cloud.mqttUrl]),
    'CONFIG_ERR_READ',
    /cannot write the identity into .*a-file\/edge\.toml: /,
    3,
  );
  t.equal((await cloud.cloud.controlPlane.getClaim(claim.id))?.claim.uses, 0, 'the token was not used');
});

t.test('--debug adds the stack', async (t) => {
  const { provision } = await freshGateway();
  const r = await provision('--debug', '--token', 'nope');
  t.equal(r.code, 1);
  t.match(r.err, /^error EDGE_ERR_PROVISION_REFUSED: [^\n]*\n[\s\S]*\n\s+at /);
});
