/** With no agent, every command that needs it says so in one line and exits 4. */
import t from 'tap';
import { tempDir } from '../../helpers/fleet.js';
import { cli, writeConfig } from './harness.js';

const config = writeConfig(tempDir('yw-cli-none-'));

for (const args of [
  ['status'],
  ['devices', 'list'],
  ['devices', 'show', 'x'],
  ['devices', 'add', 'x'],
  ['devices', 'remove', 'x'],
  ['cameras', 'discover', '--window', '100'],
  ['cameras', 'test', 'c1'],
  ['logs'],
]) {
  t.test(args.join(' '), async (t) => {
    const r = await cli(['--config', config, ...args]);
    t.equal(r.code, 4);
    t.match(
      r.err,
      /^error EDGE_ERR_AGENT_NOT_RUNNING: no agent answers on .*agent\.sock .*\(Start it with `yiwang-edge run`/,
    );
    t.equal(r.err.trim().split('\n').length, 1, 'one line, no stack');
    t.equal(r.out, '');
  });
}

t.test('--debug adds the stack', async (t) => {
  const r = await cli(['--config', config, '--debug', 'status']);
  t.equal(r.code, 4);
  t.match(r.err, /\n\s+at /);
});

t.test('diag without an agent: the agent check fails with its hint, the rest still run', async (t) => {
  const r = await cli(['--config', config, '--json', 'diag']);
  t.equal(r.code, 1);
  const j = JSON.parse(r.out) as { checks: { name: string; ok: boolean; hint: string; skipped?: boolean }[] };
  t.match(
    j.checks.find((c) => c.name === 'agent'),
    { ok: false, hint: /systemctl start yiwang-edge/ },
  );
  t.match(
    j.checks.find((c) => c.name === 'database'),
    { skipped: true },
  );
  t.match(
    j.checks.find((c) => c.name === 'coap-port'),
    { ok: false },
  );
  t.ok(j.checks.find((c) => c.name === 'disk')?.ok);
});

t.test('support bundle without an agent: still one file, says so', async (t) => {
  const out = `${tempDir('yw-cli-b-')}/b.tar.gz`;
  const r = await cli(['--config', config, 'support-bundle', '-o', out]);
  t.equal(r.code, 0, r.err);
  t.match(r.out, /^wrote .*b\.tar\.gz .*the agent is not running/);
});

t.test(
  'a key or password file that cannot be read is named in one coded line (before the agent is asked)',
  async (t) => {
    for (const args of [
      ['devices', 'add', 'meter-1', '--key-file', '/nonexistent/meter.key'],
      ['cameras', 'add', '10.0.0.9', '--password-file', '/nonexistent/cam.pw'],
    ]) {
      const r = await cli(['--config', config, ...args]);
      t.equal(r.code, 1, args.join(' '));
      t.match(r.err, new RegExp(`^error EDGE_ERR_BAD_REQUEST: ${args[3]} /nonexistent/\\S+ cannot be read: ENOENT`));
      t.equal(r.err.trim().split('\n').length, 1, 'one line, no stack');
    }
  },
);
