/**
 * Issue 17, problem 3: one agent per store. A second `yiwang-edge run` on the same config, or on
 * another config naming the same store, is refused with a coded line naming the running agent's
 * PID, and leaves the first one's socket, store and broker session alone. A killed agent's lock
 * and socket are no blocker. Another agent's live CLI socket is never unlinked.
 */
import t from 'tap';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { lockOwner, lockPathOf } from '../../../common/process-lock.js';
import { cli, startAgent, writeConfig } from './harness.js';

const status = async (config: string): Promise<{ gatewayId: string }> => {
  const r = await cli(['--config', config, '--json', 'status']);
  if (r.code !== 0) throw new Error(`status: ${r.err}`);
  return JSON.parse(r.out) as { gatewayId: string };
};

t.test('a second agent on the same config is refused, naming the PID of the first', async (t) => {
  const dir = tempDir('yw-lock-');
  const config = writeConfig(dir);
  const a = await startAgent(dir, config);
  t.teardown(() => a.stop());
  const r = await cli(['--config', config, 'run']);
  t.equal(r.code, 1);
  t.match(
    r.err,
    new RegExp(
      `^error EDGE_ERR_ALREADY_RUNNING: another edge agent is running on the store ${join(dir, 'edge.db')} \\(PID ${a.proc.pid}, started [^)]*--config ${config} run\\); lock .*edge\\.db\\.lock \\(Use the running agent`,
    ),
  );
  t.equal(r.err.trim().split('\n').length, 1, 'one line');
  t.ok(existsSync(join(dir, 'agent.sock')), "the first agent's socket is still there");
  t.equal((await status(config)).gatewayId, 'gw-cli', 'and the first agent still answers on it');
  t.equal(lockOwner(lockPathOf(join(dir, 'edge.db')))?.pid, a.proc.pid, 'the lock names the first agent');
});

t.test('another config naming the same store is refused too', async (t) => {
  const dir = tempDir('yw-lock2-');
  const config = writeConfig(dir);
  const a = await startAgent(dir, config);
  t.teardown(() => a.stop());
  // its own socket and id, the same store file through another path (a symlinked directory)
  const other = join(dir, 'other');
  mkdirSync(other);
  symlinkSync(dir, join(other, 'data'));
  const config2 = writeConfig(other, {
    gatewayId: 'gw-other',
    extra: `[api]\nsocket = "${join(other, 'other.sock')}"`,
  });
  writeFileSync(config2, readFileSync(config2, 'utf8').replace(join(other, 'edge.db'), join(other, 'data', 'edge.db')));
  const r = await cli(['--config', config2, 'run']);
  t.equal(r.code, 1);
  t.match(r.err, new RegExp(`^error EDGE_ERR_ALREADY_RUNNING: .*\\(PID ${a.proc.pid},`));
  t.notOk(existsSync(join(other, 'other.sock')), 'the refused agent opened no socket');
  t.equal((await status(config)).gatewayId, 'gw-cli');
});

t.test('a killed agent leaves no blocker: its lock and its socket are taken over', async (t) => {
  const dir = tempDir('yw-lock3-');
  const config = writeConfig(dir);
  const a = await startAgent(dir, config);
  const exited = new Promise((resolve) => a.proc.once('exit', resolve));
  a.proc.kill('SIGKILL');
  await exited;
  t.ok(existsSync(join(dir, 'agent.sock')), "the dead agent's socket is left behind");
  t.equal(lockOwner(lockPathOf(join(dir, 'edge.db')))?.pid, a.proc.pid, 'so is its lock file, naming a dead PID');
  const b = await startAgent(dir, config);
  t.teardown(() => b.stop());
  t.equal((await status(config)).gatewayId, 'gw-cli', 'the new agent serves the socket');
  t.equal(lockOwner(lockPathOf(join(dir, 'edge.db')))?.pid, b.proc.pid);
});

t.test("an agent with its own store but another agent's live socket does not unlink it", async (t) => {
  const dir = tempDir('yw-lock4-');
  const config = writeConfig(dir);
  const a = await startAgent(dir, config);
  t.teardown(() => a.stop());
  const other = join(dir, 'other');
  mkdirSync(other);
  const config2 = writeConfig(other, { gatewayId: 'gw-other', extra: `[api]\nsocket = "${join(dir, 'agent.sock')}"` });
  const r = await cli(['--config', config2, 'run']);
  t.equal(r.code, 1);
  t.match(
    r.err,
    new RegExp(
      `^error EDGE_ERR_API_SOCKET: another agent answers on the local API socket ${join(dir, 'agent.sock')} `,
      'm',
    ),
  );
  t.equal((await status(config)).gatewayId, 'gw-cli', 'the first agent still answers on its socket');
  const c = await startAgent(other, writeConfig(other, { gatewayId: 'gw-other' }));
  await c.stop();
  t.pass('the second store can be used once the socket is its own');
});

t.test('a file that is not a socket at api.socket is left alone', async (t) => {
  const dir = tempDir('yw-lock5-');
  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'keep me\n');
  const config = writeConfig(dir, { extra: `[api]\nsocket = "${file}"` });
  const r = await cli(['--config', config, 'run']);
  t.equal(r.code, 1);
  t.match(r.err, /^error EDGE_ERR_API_SOCKET: .*notes\.txt \(api\.socket\) exists and is not a socket/m);
  t.equal(readFileSync(file, 'utf8'), 'keep me\n');
});
