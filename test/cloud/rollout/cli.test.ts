/**
 * The operator CLI as shipped (dist/cloud/cli/main.js, built by `npm test`'s pretest; run
 * `npm run build` first when running this file alone): `config set` shows the schema error and
 * stores nothing; `--dry-run` and `config diff` show changes; `rollout status` shows each wave's
 * members and the rollback; `--watch` follows a rollout until it finished — redrawn in place in a
 * real terminal (tmux), as blocks on a pipe — and ends 0 when it completed, 1 when it aborted.
 */
import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../common/paths.js';
import type { RolloutView } from '../../../cloud/rollout/view.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { TmuxServer } from '../../edge/cli/tmux-pane.js';
import { closeAll, simFleet, untilSessions } from './sim-fleet.js';

const BIN = join(REPO_ROOT, 'dist', 'cloud', 'cli', 'main.js');
const exec = promisify(execFile);
const env = { ...process.env, YIWANG_LOG_LEVEL: 'silent', YIWANG_CLOUD_URL: '', YIWANG_CLOUD_TOKEN: '' };

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await exec(process.execPath, [BIN, ...args], { env })) };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

t.test('config set refuses what gateways reject; --dry-run and diff show changes; status shows waves', async (t) => {
  const { cloud, mqttUrl } = await startCloud(undefined, { rollout: { tick_ms: 50 } });
  t.teardown(() => cloud.stop());
  const url = `http://127.0.0.1:${cloud.api.port}`;
  const sims = await simFleet(cloud, mqttUrl, { group: 'cli', count: 3 });
  t.teardown(() => closeAll(sims));
  const dir = tempDir('yw-cli-');
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  const r1 = await cli([
    'config',
    'set',
    file('r1.toml', '[sync]\ndaily_bytes = 1000\n[devices]\ndeny = ["a"]\n'),
    '--group',
    'cli',
    '--url',
    url,
  ]);
  t.equal(r1.code, 0, r1.stderr);
  const bad = await cli([
    'config',
    'set',
    file('bad.toml', '[sync]\ndaily_bytez = 5\nhealth_interval_ms = 10\n'),
    '--group',
    'cli',
    '--url',
    url,
  ]);
  t.equal(bad.code, 1);
  t.match(
    bad.stderr,
    /^error CLOUD_ERR_CONFIG_SCHEMA: group layer cli: 2 problems: sync\.daily_bytez: unknown key \(known: max_bytes_per_s, daily_bytes, health_interval_ms\); sync\.health_interval_ms: must be an integer ≥ 1000 \(got 10\)/,
  );
  t.equal(bad.stderr.trim().split('\n').length, 1, 'one line');
  const badDry = await cli(['config', 'set', join(dir, 'bad.toml'), '--group', 'cli', '--dry-run', '--url', url]);
  t.equal(badDry.code, 1);
  t.match(badDry.stderr, /CLOUD_ERR_CONFIG_SCHEMA/);

  const r2 = file('r2.toml', '[sync]\ndaily_bytes = 2000\n[profiles]\nenabled = ["acme/x"]\n');
  const dry = await cli(['config', 'set', r2, '--group', 'cli', '--staged', '--dry-run', '--url', url]);
  t.equal(dry.code, 0, dry.stderr);
  t.match(
    dry.stdout,
    /group cli: valid, the gateways accept it; would be stored as revision 2 \(staged: a rollout delivers it\); nothing stored \(dry run\)/,
  );
  t.match(
    dry.stdout,
    /changes against revision 1:\n {2}- devices\.deny = \["a"\]\n {2}\+ profiles\.enabled = \["acme\/x"\]\n {2}~ sync\.daily_bytes: 1000 -> 2000\n/,
  );
  t.match(dry.stdout, /gateways: part of the document of 3; would change 3 when rolled out/);
  t.equal((await cloud.controlPlane.getLayer('group', 'cli'))?.revision, 1, 'the dry run stored nothing');

  const fileDiff = await cli(['config', 'diff', r2, '--group', 'cli', '--url', url]);
  t.equal(fileDiff.code, 0, fileDiff.stderr);
  t.equal(
    fileDiff.stdout,
    `--- group cli revision 1\n+++ ${r2}\n- devices.deny = ["a"]\n+ profiles.enabled = ["acme/x"]\n~ sync.daily_bytes: 1000 -> 2000\n`,
  );
  t.equal((await cli(['config', 'set', r2, '--group', 'cli', '--staged', '--url', url])).code, 0);
  const staged = await cli(['config', 'diff', '--group', 'cli', '--url', url]);
  t.equal(
    staged.stdout,
    '--- group cli revision 1 (active)\n+++ group cli revision 2\n- devices.deny = ["a"]\n+ profiles.enabled = ["acme/x"]\n~ sync.daily_bytes: 1000 -> 2000\n',
    'by default: what a rollout would change',
  );
  const json = await cli(['--json', 'config', 'diff', '--group', 'cli', '--from', '2', '--to', '2', '--url', url]);
  t.same(JSON.parse(json.stdout), { from: 2, to: 2, changes: [] });

  await untilSessions(cloud, sims, true);
  const ro = await cloud.rollouts.begin({ group: 'cli', waves: ['1', '100%'], soakMs: 300 });
  await until('completed', async () => (await cloud.rollouts.get(ro.id)).state === 'completed', 20_000);
  const st = await cli(['rollout', 'status', ro.id, '--url', url]);
  t.equal(st.code, 0, st.stderr);
  t.match(st.stdout, /plan {4}1, 100% of 3 gateways; soak 300ms; abort above 10% failed; offline gateways deferred/);
  t.match(st.stdout, /wave 1\/2 {2}1 {5}to 1 {2}done {6}cli-00 ok\n/);
  t.match(st.stdout, /wave 2\/2 {2}100% {2}to 3 {2}done {6}cli-01 ok, cli-02 ok\n/);
  t.match(st.stdout, /applied \[#+\] 3\/3 {2}reached 3 {2}failed 0 {2}pending 0 {2}deferred 0/);
  t.match(st.stdout, /these figures are final/);
  await closeAll(sims);
});

t.test(
  'rollout status --watch follows a rollout to its end: in place on a terminal, blocks on a pipe; exit 1 on abort',
  async (t) => {
    const { cloud, mqttUrl } = await startCloud(undefined, { rollout: { tick_ms: 50 } });
    t.teardown(() => cloud.stop());
    const url = `http://127.0.0.1:${cloud.api.port}`;
    const sims = await simFleet(cloud, mqttUrl, {
      group: 'w',
      count: 4,
      check: (i, c) => (i === 1 && c.sync.daily_bytes === 3000 ? 'cannot run R3' : undefined),
    });
    t.teardown(() => closeAll(sims));
    await cloud.desired.setLayer('group', 'w', '[sync]\ndaily_bytes = 1000\n');
    await untilSessions(cloud, sims, true);
    await until('all run R1', () => sims.every((s) => s.applier.config?.sync.daily_bytes === 1000), 20_000);
    const tmux = new TmuxServer(tempDir('yw-tmux-'));
    t.teardown(() => tmux.stop());

    // a terminal: redrawn in place until it completed, exit 0
    await cloud.desired.setLayer('group', 'w', '[sync]\ndaily_bytes = 2000\n', false);
    // `rollout start --watch` watches from the first wave on (three waves of at least 500 ms each)
    const pane = await tmux.run([
      process.execPath,
      BIN,
      'rollout',
      'start',
      'w',
      '--waves',
      '1,2,100%',
      '--soak',
      '500',
      '--watch',
      '--interval',
      '200',
      '--url',
      url,
    ]);
    t.equal(await pane.exit(), 0, 'exit 0: completed');
    const screen = await pane.screen();
    t.match(screen, /completed/);
    t.match(screen, /wave 2\/3 {2}2 {5}to 2 {2}done {6}w-01 ok/);
    t.match(screen, /wave 3\/3 {2}100% {2}to 4 {2}done {6}w-02 ok, w-03 ok/);
    t.equal(screen.match(/^rollout ro-/gm)?.length, 1, 'one status on the screen: redrawn in place');
    t.match(pane.raw(), /^rollout ro-.* running\x1b\[K\r?\n/, 'the first frame shows it running');
    t.ok((pane.raw().match(/\x1b\[\d+A/g) ?? []).length >= 2, 'later frames move the cursor up and rewrite the block');
    t.notMatch(screen, /watching every/, 'the watching hint is gone once finished');

    // a pipe: a block per change; an abort ends with the coded error and exit 1
    await cloud.desired.setLayer('group', 'w', '[sync]\ndaily_bytes = 3000\n', false);
    sims[1]!.hold = true; // w-01 keeps its FAILED report until the watcher shows the running rollout
    const bad = await cloud.rollouts.begin({ group: 'w', waves: ['2', '100%'], soakMs: 60_000 });
    const child = spawn(process.execPath, [BIN, 'rollout', 'status', '--watch', '--interval', '100', '--url', url], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '',
      err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await until(
      'the watcher shows the running rollout and w-01 holds its report',
      () => /running/.test(out) && sims[1]!.heldReports > 0,
      20_000,
    );
    sims[1]!.release();
    const code = await exited;
    t.equal(code, 1, 'exit 1: aborted');
    t.match(err, /^error CLOUD_ERR_ROLLOUT_ABORTED: rollout ro-[0-9a-f]+ aborted: 1 of 2 gateways failed in wave 1/);
    t.notMatch(out, /\x1b\[/, 'no cursor movement on a pipe');
    const blocks = out.trim().split(/\n\n(?=rollout ro-)/);
    t.ok(blocks.length >= 2, `several blocks (${blocks.length})`);
    t.match(blocks[0], new RegExp(`rollout ${bad.id} .* running`), 'the running rollout was picked without an id');
    const last = blocks.at(-1)!;
    t.match(last, /aborted: 1 of 2 gateways failed in wave 1/);
    t.match(last, /failed w-01: EDGE_ERR_CONFIG_UNHEALTHY: cannot run R3/);
    t.match(last, /rollback \[#+\] 2\/2 back on revision 2 {2}failed 0 {2}pending 0 {2}finished/);
    const view = (await (await fetch(`${url}/api/v1/rollouts/${bad.id}`)).json()) as RolloutView;
    t.ok(view.finished && view.rollback?.finishedMs, 'watch ended when the rollback finished');
    await closeAll(sims);
  },
);
