/**
 * The technician's commands against one real agent process (cloud unreachable): devices, logs,
 * diag naming the failing check with its hint, support bundle without secrets, --json shapes,
 * exit codes.
 */
import t from 'tap';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { BIN, cli, startAgent, writeConfig, type AgentProcess } from './harness.js';

const SECRET = 'gw-secret-s3cr3t',
  CAM_PW = 'cam-pw-7f3a9',
  HJ_PW = 'hj212-pw-55aa';
const dir = tempDir('yw-cli-');
const config = writeConfig(dir, {
  secret: SECRET,
  extra: `[cameras]\npassword = "${CAM_PW}"\n[hj212]\ndefault_pw = "${HJ_PW}"\n`,
});
let agent: AgentProcess;
const run = (...args: string[]): ReturnType<typeof cli> => cli(['--config', config, ...args]);

t.before(async () => {
  agent = await startAgent(dir, config);
});
t.teardown(() => agent.stop());

t.test('devices add/list/show/remove with --json shapes and exit codes', async (t) => {
  const keyFile = join(dir, 'meter.key');
  writeFileSync(keyFile, 'a1b2c3d4e5f6-device-key\n');
  const add = await run(
    '--json',
    'devices',
    'add',
    'meter-0042',
    '--kind',
    'meter',
    '--address',
    '000000000042',
    '--key-file',
    keyFile,
    '--tag',
    'district=Jiefang',
  );
  t.equal(add.code, 0, add.err);
  t.match(JSON.parse(add.out), {
    id: 'meter-0042',
    kind: 'meter',
    address: '000000000042',
    hasKey: true,
    tags: { district: 'Jiefang' },
  });
  t.notMatch(add.out, /a1b2c3d4e5f6/, 'the key is never returned');
  const again = await run('devices', 'add', 'meter-0042');
  t.equal(again.code, 1);
  t.match(again.err, /^error EDGE_ERR_DEVICE_EXISTS: /);
  const bad = await run('devices', 'add', 'x', '--kind', 'toaster');
  t.match(bad.err, /^error EDGE_ERR_BAD_REQUEST: kind "toaster"/);

  const sensor = new SimSensor('aq-007', { host: '127.0.0.1', port: agent.coapPort });
  const r = await sensor.sendSenml([{ n: 'pm2_5', u: 'ug/m3', v: 37.5 }]);
  t.equal(r.code, '2.04');

  const list = await run('devices', 'list');
  t.equal(list.code, 0);
  t.match(list.out, /^device +state +kind +profile +last seen +uplinks +pending$/m, 'aligned header');
  t.match(list.out, /^aq-007 +online +/m);
  t.match(list.out, /^meter-0042 +waiting +meter +/m);
  const lj = JSON.parse((await run('--json', 'devices', 'list')).out) as { devices: { id: string; state: string }[] };
  t.same(
    lj.devices.map((d) => [d.id, d.state]),
    [
      ['aq-007', 'online'],
      ['meter-0042', 'waiting'],
    ],
  );

  const show = JSON.parse((await run('devices', 'show', 'aq-007', '--json')).out);
  t.match(show, {
    id: 'aq-007',
    state: 'online',
    uplinks: 1,
    lastReadings: [{ metric: 'pm2_5', value: 37.5, unit: 'ug/m3' }],
    commands: { open: [] },
  });
  const human = await run('devices', 'show', 'aq-007');
  t.match(human.out, /^pm2_5 +37\.5 +ug\/m3/m);

  const missing = await run('devices', 'show', 'nope');
  t.equal(missing.code, 1);
  t.match(missing.err, /^error EDGE_ERR_UNKNOWN_DEVICE: no device nope/);
  t.equal(missing.err.trim().split('\n').length, 1, 'one line');
  t.equal((await run('devices', 'remove', 'meter-0042')).code, 0);
  t.match((await run('devices', 'remove', 'meter-0042')).err, /EDGE_ERR_UNKNOWN_DEVICE/);
});

t.test('logs: recent lines, filter by device, follow', async (t) => {
  const all = await run('logs', '-n', '500');
  t.equal(all.code, 0);
  t.match(all.out, /INFO +\[api\] local API listening/);
  // a device-caused error is logged naming the device; only its lines pass the filter
  const r = await new SimSensor('bad-dev', { host: '127.0.0.1', port: agent.coapPort }).sendRaw(
    'nolayout',
    Buffer.from([1, 2, 3]),
  );
  t.equal(r.code, '4.04');
  const one = await run('--json', 'logs', '--device', 'bad-dev');
  const lines = one.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { url?: string; code?: string });
  t.equal(lines.length, 1, 'one line about bad-dev');
  t.match(lines[0], { code: 'EDGE_ERR_UNKNOWN_LAYOUT', url: '/raw/nolayout/bad-dev' });

  // follow: a new line about late-dev is printed while the command runs
  const follower = spawn(
    process.execPath,
    [BIN, '--config', config, '--json', 'logs', '--follow', '--device', 'late-dev'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  t.teardown(() => {
    if (follower.exitCode === null) follower.kill();
  });
  let out = '';
  const printed = new Promise<void>((resolve) =>
    follower.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('late-dev')) resolve();
    }),
  );
  t.equal(
    (await new SimSensor('late-dev', { host: '127.0.0.1', port: agent.coapPort }).sendRaw('nolayout', Buffer.from([9])))
      .code,
    '4.04',
  );
  await printed;
  t.match(JSON.parse(out.trim().split('\n')[0]!), { url: '/raw/nolayout/late-dev' });
  follower.kill('SIGINT');
  t.equal(await new Promise((resolve) => follower.once('exit', (code) => resolve(code))), 0, 'Ctrl-C ends it cleanly');
});

t.test('diag: names the failing check with its hint, --json shape, exit 1', async (t) => {
  const r = await run('diag');
  t.equal(r.code, 1);
  t.match(r.out, /^FAIL +cloud-tcp +127\.0\.0\.1:9: /m);
  t.match(r.out, /^pass +database +SQLite quick_check: ok/m);
  t.match(r.out, /^pass +coap-port +UDP \d+ answers CoAP/m);
  t.match(r.out, /how to fix:\n {2}cloud-tcp: The cloud broker is down or blocked/);
  t.match(r.err, /^error EDGE_ERR_DIAG_FAILED: \d+ of \d+ checks failed: cloud-tcp/);
  const j = JSON.parse((await run('--json', 'diag')).out) as {
    ok: boolean;
    checks: { name: string; ok: boolean; detail: string; hint: string }[];
  };
  t.equal(j.ok, false);
  t.match(
    j.checks.find((c) => c.name === 'cloud-tcp'),
    { ok: false, hint: /firewall/ },
  );
  t.same(
    j.checks.filter((c) => c.name === 'config' || c.name === 'agent').map((c) => c.ok),
    [true, true],
  );
});

t.test('support bundle: config, status, logs, diag in one tar.gz; no secret anywhere', async (t) => {
  const out = join(dir, 'bundle.tar.gz');
  const r = await run('--json', 'support-bundle', '-o', out);
  t.equal(r.code, 0, r.err);
  t.match(JSON.parse(r.out), { file: out, agentRunning: true });
  const x = join(dir, 'bundle');
  mkdirSync(x);
  execFileSync('tar', ['xzf', out, '-C', x]);
  const names = execFileSync('tar', ['tzf', out], { encoding: 'utf8' }).trim().split('\n').sort();
  t.same(
    names,
    ['config-effective.json', 'config.toml', 'diag.json', 'logs.jsonl', 'manifest.json', 'status.json'].map(
      (n) => `yiwang-support/${n}`,
    ),
  );
  const text = names.map((n) => readFileSync(join(x, n), 'utf8')).join('\n');
  for (const s of [SECRET, CAM_PW, HJ_PW, 'a1b2c3d4e5f6'])
    t.notOk(text.includes(s), `secret ${s.slice(0, 6)}… not in the bundle`);
  t.match(
    readFileSync(join(x, 'yiwang-support/config.toml'), 'utf8'),
    /secret = "\[redacted\]"[\s\S]*password = "\[redacted\]"/,
  );
  t.match(JSON.parse(readFileSync(join(x, 'yiwang-support/status.json'), 'utf8')), {
    gatewayId: 'gw-cli',
    site: 'Jiefang Rd 12',
  });
  t.ok(readFileSync(join(x, 'yiwang-support/logs.jsonl'), 'utf8').includes('local API listening'));
});

t.test("usage errors exit 2 with commander's message", async (t) => {
  const r = await run('--no-such-flag', 'status');
  t.equal(r.code, 2);
  t.match(r.err, /unknown option '--no-such-flag'/);
});
