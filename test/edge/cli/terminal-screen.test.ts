/**
 * The built CLI in a real pseudo-terminal (tmux): init asks its questions, provision draws its
 * progress bar, status and devices list are aligned tables with colour, diag draws its bar and
 * its table; with --json the same commands print parseable JSON of the documented shape and no
 * escape codes or bar, even on a terminal.
 */
import t from 'tap';
import { join } from 'node:path';
import { parseToml } from '../../../common/toml-read.js';
import { tomlStringify } from '../../../common/toml-write.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { BIN, cli, startAgent } from './harness.js';
import { TmuxServer, type TmuxPane } from './tmux-pane.js';
import type { AgentStatus } from '../../../edge/api/status.js';

// dozens of CLI processes, each a Node start-up: slow on a loaded 2-core machine
t.setTimeout(480_000);

// eslint-disable-next-line no-control-regex
const ESC = /\x1b\[/;
/** Any run of SGR (colour/attribute) sequences, as source for a RegExp. */
const SGR = '(?:\\x1b\\[[0-9;]*m)*';
/** Start column of each of `words` in `line` (the header of a table). */
const columns = (line: string, words: string[]): number[] => words.map((w) => line.indexOf(w));

t.test('a technician at a terminal', async (t) => {
  const dir = tempDir('yw-cli-tmux-');
  const term = new TmuxServer(dir);
  t.teardown(() => term.stop());
  const cloud = await startCloud();
  t.teardown(() => cloud.cloud.stop());
  const config = join(dir, 'etc', 'edge.toml');
  const edge = (...args: string[]): Promise<TmuxPane> => term.run([process.execPath, BIN, '--config', config, ...args]);

  // init on a terminal asks for what the flags did not give
  const init = await edge('init', '--data-dir', join(dir, 'var'), '--coap-host', '127.0.0.1', '--coap-port', '0');
  await init.waitFor(/cloud broker URL \(from the cloud operator, mqtts:\/\/host:port\): ?$/m);
  await init.type(cloud.mqttUrl);
  await init.waitFor(/site name: ?$/m);
  await init.type('Renmin Rd 3');
  await init.waitFor(/serve LwM2M devices \(y\/n\) \[y\]: ?$/m);
  await init.type('');
  await init.waitFor(/manage ONVIF cameras \(y\/n\) \[y\]: ?$/m);
  await init.type('n');
  await init.waitFor(/serve HJ 212 .* \[n\]: ?$/m);
  await init.type('');
  await init.waitFor(/serial device file .*: ?$/m);
  await init.type('');
  t.equal(await init.exit(), 0, await init.screen());
  t.match(await init.screen(), /^wrote .*edge\.toml\nnext: yiwang-edge --config .*edge\.toml provision --token /m);
  const doc = parseToml(readFileSync(config, 'utf8')) as Record<string, Record<string, unknown>>;
  t.match(doc, {
    gateway: { site: 'Renmin Rd 3' },
    cloud: { url: cloud.mqttUrl },
    cameras: { enabled: false },
    lwm2m: { enabled: true },
    hj212: { enabled: false },
    coap: { port: 0 },
  });
  // loopback-only test settings
  Object.assign(doc.coap!, { host: '127.0.0.1' });
  doc.clock = { sync: 'always' };
  Object.assign(doc.cloud!, { reconnect_ms: 200 });
  writeFileSync(config, tomlStringify(doc));

  // provision: a progress bar on stderr that ends at 100 %, then the result
  const { token } = await cloud.cloud.provisioning.createClaim({ group: 'north', uses: 1 });
  const prov = await edge('provision', '--token', token, '--plain');
  t.equal(await prov.exit(), 0, await prov.screen());
  const raw = prov.raw();
  const states = [...raw.matchAll(/provisioning \[([#-]{24})\] +(\d+)% ([^\r\n\x1b]*)/g)].map((m) => [
    m[1]!.replace(/-+$/, '').length,
    Number(m[2]),
    m[3]!.trim(),
  ]);
  t.same(
    states.map((s) => s[1]),
    [0, 25, 50, 75, 100],
    'the bar moves through each step',
  );
  t.same(
    states.map((s) => s[0]),
    [0, 6, 12, 18, 24],
    'the bar fills with the percentage',
  );
  t.match(
    states.map((s) => s[2]),
    [/^connecting to mqtt:\/\/127\.0\.0\.1:\d+$/, 'claiming', 'waiting for the identity', 'writing identity', 'done'],
  );
  t.match(raw, /\r\x1b\[2Kprovisioning \[/, 'each state redraws the same line');
  const provScreen = await prov.screen();
  t.match(
    provScreen,
    /^provisioning \[#{24}\] 100% done\nprovisioned as gw-[a-z0-9]{10} \(group north\)\ncloud {3}mqtt:\/\/127\.0\.0\.1:\d+\nconfig {2}.*edge\.toml\nstart the agent: yiwang-edge run\n/m,
    'on screen: the finished bar on its own line, then the result',
  );
  const gatewayId = /provisioned as (gw-[a-z0-9]{10})/.exec(provScreen)![1]!;

  // the agent runs; a sensor and a pre-registered meter
  const agent = await startAgent(dir, config);
  t.teardown(() => agent.stop());
  await until(
    'online',
    async () =>
      (JSON.parse((await cli(['--config', config, '--json', 'status'])).out) as AgentStatus).uplink.state === 'online',
    60_000,
    200,
  );
  t.equal(
    (
      await new SimSensor('aq-tty-1', { host: '127.0.0.1', port: agent.coapPort }).sendSenml([
        { n: 'pm10', u: 'ug/m3', v: 41 },
      ])
    ).code,
    '2.04',
  );
  t.equal(
    (
      await cli([
        '--config',
        config,
        'devices',
        'add',
        'meter-000000000042',
        '--kind',
        'meter',
        '--address',
        '000000000042',
      ])
    ).code,
    0,
  );
  await until(
    'the reading acknowledged by the cloud',
    async () =>
      (JSON.parse((await cli(['--config', config, '--json', 'status'])).out) as AgentStatus).uplink.readingsAcked >= 1,
    60_000,
    200,
  );

  // status: one screen of facts, the values in one column, states coloured
  const status = await edge('status');
  t.equal(await status.exit(), 0);
  const screen = (await status.screen()).trimEnd().split('\n');
  const keys = [
    'gateway',
    'provisioned',
    'uplink',
    'backlog',
    'store',
    'dropped',
    'delivered',
    'devices',
    'events',
    'quarantined',
    'cameras',
    'config',
    'disk',
    'clock',
    'errors',
  ];
  t.same(
    screen.map((l) => l.split(' ')[0]),
    keys,
    'one line per fact, in order',
  );
  t.same(
    new Set(screen.map((l) => /^\S+ +/.exec(l)![0].length)),
    new Set(['provisioned  '.length]),
    'every value starts in the same column',
  );
  t.match(screen[0], new RegExp(`^gateway {6}${gatewayId} at Renmin Rd 3 `));
  t.match(screen[2], /^uplink {7}online {2}mqtt:\/\/127\.0\.0\.1:\d+ {2}last sync \d+ s ago$/);
  t.match(screen[3], /^backlog {6}0 waiting for the cloud = 0 readings \+ 0 events; /);
  t.match(
    screen[7],
    /^devices {6}1 online, 1 waiting \(online: heard within the last hour; silent: not since; waiting: pre-registered, never heard\) {2}\(coap port \d+ since the agent started: 1 uplinks, 0 rejected\)$/,
  );
  // tmux re-renders the attributes in its own sequences: allow any between the ones we look for
  const colour = await status.screen(true);
  t.match(
    colour,
    new RegExp(`^\\x1b\\[1m${SGR}provisioned${SGR}\\x1b\\[0m${SGR} {2}${SGR}\\x1b\\[32myes`, 'm'),
    'bold key, plain gap, green yes',
  );
  t.match(
    colour,
    new RegExp(`^${SGR}uplink +${SGR} {2}${SGR}\\x1b\\[32monline\\x1b\\[39m {2}mqtt://`, 'm'),
    'green online, the URL uncoloured',
  );
  t.match(
    colour,
    /1 \x1b\[32monline\x1b\[39m, 1 \x1b\[33mwaiting\x1b\[39m/,
    'devices by state: online green, waiting yellow',
  );

  // devices list: a table whose cells line up under the header
  const list = await edge('devices', 'list');
  t.equal(await list.exit(), 0);
  const rows = (await list.screen()).trimEnd().split('\n');
  const header = ['device', 'state', 'kind', 'profile', 'last seen', 'uplinks', 'pending'];
  t.match(rows[0], /^device +state +kind +profile +last seen +uplinks +pending$/);
  const cols = columns(rows[0]!, header);
  t.same(
    cols,
    [...cols].sort((a, b) => a - b),
    'header columns in order',
  );
  t.equal(rows.length, 3, 'header and two devices');
  for (const r of rows.slice(1)) {
    for (const [i, c] of cols.entries()) {
      if (i > 0) t.equal(r[c - 1], ' ', `${r.split(' ')[0]}: a space before column ${header[i]}`);
      t.not(r[c], ' ', `${r.split(' ')[0]}: a value starts at column ${header[i]}`);
    }
  }
  t.match(rows[1], /^aq-tty-1 +online +/);
  t.match(rows[2], /^meter-000000000042 +waiting +meter +- +never +0 +0$/);
  t.match(await list.screen(true), /\x1b\[1mdevice +state/, 'bold header');

  // diag: progress bar while checking, then the table with the results
  const diag = await edge('diag');
  t.equal(await diag.exit(), 0, await diag.screen());
  t.match(diag.raw(), /checking \[-{24}\] +0% config/);
  const diagScreen = await diag.screen();
  t.match(diagScreen, /^checking \[#{24}\] 100% done\nresult +check +detail\npass +config +/m);
  t.match(diagScreen, /^pass +cloud-auth +/m);

  // --json on a terminal: JSON only, no colour, no bar
  const js = await edge('--json', 'status');
  t.equal(await js.exit(), 0);
  const jsRaw = js.raw();
  t.notMatch(jsRaw, ESC, 'no escape codes');
  const s = JSON.parse(await js.screen()) as AgentStatus;
  t.match(s, {
    gatewayId,
    version: String,
    uptimeS: Number,
    provisioned: true,
    site: 'Renmin Rd 3',
    configVersion: String,
    uplink: {
      state: 'online',
      url: String,
      lastAckAt: Number,
      lastError: null,
      batchesAcked: Number,
      bytesToday: Object,
    },
    store: { rows: Number, bytes: Number, capBytes: Number, pendingRows: Number, unackedBatches: Number },
    deviceStates: { online: 1, waiting: 1 },
    cameras: { total: 0, online: 0, byState: {} },
    disk: { path: String, freeBytes: Number, totalBytes: Number },
    clock: { synced: true, source: 'always' },
    errorsLastHour: 0,
  });
  t.match(s.devices, [{ deviceId: 'aq-tty-1', uplinks: 1, readings: 1, lastSeen: Number }], 'the devices heard from');
  const jl = await edge('--json', 'devices', 'list');
  t.equal(await jl.exit(), 0);
  const l = JSON.parse(await jl.screen()) as { devices: { id: string; state: string; kind: string }[] };
  t.match(l.devices, [
    { id: 'aq-tty-1', state: 'online' },
    { id: 'meter-000000000042', state: 'waiting', kind: 'meter' },
  ]);
  const jd = await edge('--json', 'diag');
  t.equal(await jd.exit(), 0);
  t.notMatch(jd.raw(), /checking \[/, 'no bar with --json');
  const d = JSON.parse(await jd.screen()) as {
    ok: boolean;
    checks: { name: string; ok: boolean; detail: string; hint: string }[];
  };
  t.equal(d.ok, true);
  for (const c of d.checks) t.match(c, { name: /^[a-z0-9-]+$/, ok: Boolean, detail: String, hint: String });
  t.ok(d.checks.length >= 12, `${d.checks.length} checks`);
});

t.test('a failing provision on a terminal: the bar stops, one error line follows', async (t) => {
  const dir = tempDir('yw-cli-tmux-');
  const term = new TmuxServer(dir);
  t.teardown(() => term.stop());
  const config = join(dir, 'edge.toml');
  t.equal(
    (await cli(['--config', config, 'init', '--cloud-url', 'mqtt://127.0.0.1:9', '--data-dir', join(dir, 'var')])).code,
    0,
  );
  const prov = await term.run([process.execPath, BIN, '--config', config, 'provision', '--token', 'ywc_x']);
  t.equal(await prov.exit(), 1);
  t.match(
    await prov.screen(),
    /^provisioning \[-{24}\] +0% connecting to mqtt:\/\/127\.0\.0\.1:9\nerror EDGE_ERR_PROVISION: cannot reach mqtt:\/\/127\.0\.0\.1:9: .*ECONNREFUSED.* \(Check --cloud-url/m,
  );
  const jp = await term.run([process.execPath, BIN, '--config', config, '--json', 'provision', '--token', 'ywc_x']);
  t.equal(await jp.exit(), 1);
  t.match(await jp.screen(), /^error EDGE_ERR_PROVISION: /, 'with --json: no bar, the error line only');
});
