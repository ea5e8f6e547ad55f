/**
 * The technician's whole path through the BUILT binaries against a real cloud and agent on
 * loopback: `init` (flags) → a claim token from the operator's `yiwang-cloud tokens create` →
 * `provision` → `run` → `status` online with an empty backlog → the cloud stops → `status`
 * offline with a growing backlog (a CoAP sensor keeps sending) → `diag` names the failing
 * check and exits non-zero.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseToml } from '../../../common/toml-read.js';
import { tomlStringify } from '../../../common/toml-write.js';
import { REPO_ROOT } from '../../../common/paths.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { cli, startAgent } from './harness.js';
import type { AgentStatus } from '../../../edge/api/status.js';

// dozens of CLI processes, each a Node start-up: slow on a loaded 2-core machine
t.setTimeout(480_000);

const CLOUD_BIN = join(REPO_ROOT, 'dist', 'cloud', 'cli', 'main.js');
const cloudCli = (args: string[]): Promise<{ code: number; out: string; err: string }> =>
  new Promise((resolve) =>
    execFile(process.execPath, [CLOUD_BIN, ...args], { timeout: 60_000 }, (e, out, err) =>
      resolve({ code: e ? Number((e as { code?: unknown }).code) || 1 : 0, out, err }),
    ),
  );

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  hint: string;
}

t.test(
  'init → provision → run → status online → cloud down → status offline, backlog grows → diag fails',
  async (t) => {
    const cloud = await startCloud();
    let cloudUp = true;
    t.teardown(async () => {
      if (cloudUp) await cloud.cloud.stop();
    });
    const dir = tempDir('yw-cli-chain-');
    const config = join(dir, 'etc', 'edge.toml');
    const edge = (...args: string[]): ReturnType<typeof cli> => cli(['--config', config, ...args]);

    // 1. init with flags (no terminal): a config with no identity yet
    const init = await edge(
      '--json',
      'init',
      '--cloud-url',
      cloud.mqttUrl,
      '--site',
      'Jiefang Rd 12',
      '--data-dir',
      join(dir, 'var'),
      '--coap-port',
      '0',
      '--no-cameras',
    );
    t.equal(init.code, 0, init.err);
    t.match(JSON.parse(init.out), { file: config, provisioned: false });
    t.equal(
      statSync(join(dir, 'etc')).mode & 0o777,
      0o700,
      'the config directory init created is private (it will hold the gateway secret)',
    );
    // loopback-only test settings (the technician's file keeps init's defaults otherwise): bind CoAP
    // on loopback, trust the clock, reconnect and flush fast
    const doc = parseToml(readFileSync(config, 'utf8')) as Record<string, Record<string, unknown>>;
    Object.assign(doc.coap!, { host: '127.0.0.1' });
    doc.clock = { sync: 'always' };
    Object.assign(doc.cloud!, { reconnect_ms: 200, connect_timeout_ms: 2000 });
    doc.sync = { linger_ms: 20 };
    writeFileSync(config, tomlStringify(doc));
    // the install guide makes it root:yiwang 0640 so that the agent's user can read it; provision
    // must keep the group (here nogroup when the test runs as root, which may chown; else the
    // caller's own group) and drop any bits for others (0644 here to see that)
    const group = process.getuid?.() === 0 ? 65534 : statSync(config).gid;
    chownSync(config, statSync(config).uid, group);
    chmodSync(config, 0o644);
    const early = await edge('--json', 'diag');
    t.equal(early.code, 1, 'diag fails before provisioning');
    t.match(
      (JSON.parse(early.out) as { checks: Check[] }).checks.find((c) => c.name === 'provisioned'),
      { ok: false, hint: /yiwang-edge provision --token/ },
    );

    // 2. the operator creates a claim token through the cloud's HTTP API with the cloud CLI
    const tok = await cloudCli([
      '--json',
      'tokens',
      'create',
      '--url',
      `http://127.0.0.1:${cloud.cloud.api.port}`,
      '--group',
      'north',
      '--site',
      'Jiefang Rd 12',
    ]);
    t.equal(tok.code, 0, tok.err);
    const { token } = JSON.parse(tok.out) as { token: string };
    t.match(token, /^ywc_[a-z0-9]{12}\./);

    // 3. provision: identity written, cloud URL switched to the TLS listener with the fleet CA
    const prov = await edge('--json', 'provision', '--token', token);
    t.equal(prov.code, 0, prov.err);
    const p = JSON.parse(prov.out) as { gatewayId: string; group: string; cloudUrl: string; caFile: string };
    t.match(p, {
      gatewayId: /^gw-[a-z0-9]{10}$/,
      group: 'north',
      cloudUrl: `mqtts://127.0.0.1:${cloud.cloud.broker.tlsPort}`,
      caFile: join(dir, 'etc', 'fleet-ca.crt'),
    });
    t.equal(statSync(config).mode & 0o777, 0o640, "the config keeps its group's read access, and others lose theirs");
    t.equal(statSync(config).gid, group, 'and its group');
    t.match(readFileSync(p.caFile, 'utf8'), /BEGIN CERTIFICATE/);
    t.ok(await cloud.cloud.store.getGateway(p.gatewayId), 'the cloud knows the gateway');
    const twice = await edge('provision', '--token', token);
    t.equal(twice.code, 1, 'a provisioned gateway is not provisioned again without --force');

    // 4. run the agent (the built binary, as systemd would)
    const agent = await startAgent(dir, config);
    t.teardown(() => agent.stop());
    const status = async (): Promise<AgentStatus> => {
      const r = await edge('--json', 'status');
      if (r.code !== 0) throw new Error(`status exited ${r.code}: ${r.err}`);
      return JSON.parse(r.out) as AgentStatus;
    };
    await until('uplink online over TLS', async () => (await status()).uplink.state === 'online', 60_000, 200);

    // 5. status: online, empty backlog (JSON and the human screen)
    const on = await status();
    t.match(on, {
      gatewayId: p.gatewayId,
      provisioned: true,
      uplink: { state: 'online', url: p.cloudUrl, lastError: null },
      store: { rows: 0, pendingRows: 0, oldestAgeMs: null },
    });
    const screen = await edge('status');
    t.equal(screen.code, 0, screen.err);
    t.match(screen.out, new RegExp(`^gateway +${p.gatewayId} at Jiefang Rd 12 `, 'm'));
    t.match(screen.out, /^provisioned +yes$/m);
    t.match(
      screen.out,
      new RegExp(`^uplink +online +mqtts://127\\.0\\.0\\.1:${cloud.cloud.broker.tlsPort} +last sync `, 'm'),
    );
    t.match(screen.out, /^backlog +0 waiting for the cloud = 0 readings \+ 0 events; .* no reading held$/m);
    const ok = await edge('--json', 'diag');
    t.equal(ok.code, 0, ok.out);
    t.match(
      (JSON.parse(ok.out) as { checks: Check[] }).checks.find((c) => c.name === 'cloud-tls'),
      { ok: true, detail: /certificate trusted \(fleet CA .*fleet-ca\.crt\)/ },
    );

    // 6. the cloud stops: offline, and the backlog grows with every reading
    const tlsPort = cloud.cloud.broker.tlsPort;
    await cloud.cloud.stop();
    cloudUp = false;
    await until('uplink offline', async () => (await status()).uplink.state !== 'online', 60_000, 200);
    const sensor = new SimSensor('aq-chain', { host: '127.0.0.1', port: agent.coapPort });
    t.teardown(() => sensor.close());
    let rows = (await status()).store.rows;
    t.equal(rows, 0, 'nothing buffered yet');
    for (let i = 1; i <= 3; i++) {
      t.equal((await sensor.sendSenml([{ n: 'pm10', u: 'ug/m3', v: 40 + i }])).code, '2.04');
      const s = await status();
      t.ok(s.store.rows > rows, `backlog grew to ${s.store.rows}`);
      rows = s.store.rows;
    }
    const off = await status();
    t.match(off, { uplink: { state: /^(offline|connecting)$/ }, store: { rows: 3, pendingRows: 3 } });
    t.ok(off.store.oldestAgeMs !== null && off.store.oldestAgeMs >= 0, 'oldest reading aged');
    const offScreen = await edge('status');
    t.match(offScreen.out, /^uplink +(offline|connecting) +mqtts:/m);
    t.match(
      offScreen.out,
      /^backlog +3 waiting for the cloud = 3 readings \+ 0 events; 3 not sent yet \+ 0 sent, awaiting ack \(0 batches\); oldest reading \d+ s old$/m,
    );

    // 7. diag names the failing check (cloud TCP; TLS and the session follow from it) and exits non-zero
    const d = await edge('diag');
    t.equal(d.code, 1);
    t.match(d.out, new RegExp(`^FAIL +cloud-tcp +127\\.0\\.0\\.1:${tlsPort}: .*ECONNREFUSED`, 'm'));
    t.match(d.out, /^pass +provisioned /m);
    t.match(d.out, /how to fix:\n {2}cloud-tcp: The cloud broker is down or blocked/);
    t.match(d.err, /^error EDGE_ERR_DIAG_FAILED: \d+ of \d+ checks failed: .*cloud-tcp/);
    t.equal(d.err.trim().split('\n').length, 1, 'one error line');
    const dj = JSON.parse((await edge('--json', 'diag')).out) as { ok: boolean; checks: Check[] };
    t.equal(dj.ok, false);
    t.match(
      dj.checks.find((c) => c.name === 'cloud-tcp'),
      { ok: false, hint: /firewall/ },
    );
    t.same(
      dj.checks
        .filter((c) => ['config', 'provisioned', 'agent', 'database', 'coap-port'].includes(c.name))
        .map((c) => [c.name, c.ok]),
      [
        ['config', true],
        ['provisioned', true],
        ['agent', true],
        ['database', true],
        ['coap-port', true],
      ],
      'the local checks still pass',
    );
  },
);
