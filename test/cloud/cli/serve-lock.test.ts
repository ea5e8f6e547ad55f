/**
 * Issue 17, problems 3 and 4 for the cloud: a second `yiwang-cloud serve` on the same SQLite store
 * is refused with a coded line naming the running one's PID (a killed one's lock is no blocker),
 * and SIGTERM ends it within a bounded time whatever happens to its log pipe.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { closeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../../helpers/fleet.js';
import { fullFifo } from '../../helpers/full-pipe.js';
import { CLOUD_BIN as BIN, cloudConfig, exitWithin, serve } from './serve-harness.js';

const run = (args: string[]): Promise<{ code: number; err: string }> =>
  new Promise((resolve) =>
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (e, _out, err) =>
      resolve({ code: e ? Number((e as { code?: unknown }).code) || 1 : 0, err }),
    ),
  );

t.test('a second serve on the same store is refused, naming the PID; a killed one is no blocker', async (t) => {
  const dir = tempDir('yw-cloud-lock-');
  const config = cloudConfig(dir);
  const a = await serve(config);
  const r = await run(['--config', config, 'serve']);
  t.equal(r.code, 1);
  t.match(
    r.err,
    new RegExp(
      `^error CLOUD_ERR_ALREADY_RUNNING: another cloud is running on the store ${join(dir, 'cloud.db')} \\(PID ${a.pid}, started [^)]*serve\\); lock .*cloud\\.db\\.lock \\(Use the running cloud`,
    ),
  );
  t.equal(r.err.trim().split('\n').length, 1, 'one line');
  // another config (its own file name), the same store
  const r2 = await run(['--config', cloudConfig(dir, 'other.toml'), 'serve']);
  t.match(r2.err, new RegExp(`^error CLOUD_ERR_ALREADY_RUNNING: .*\\(PID ${a.pid},`));

  a.kill('SIGKILL');
  await exitWithin(a, 10_000);
  const b = await serve(config);
  t.teardown(() => {
    b.kill('SIGTERM');
  });
  t.pass("a new cloud starts on the killed one's store");
  b.kill('SIGTERM');
  t.equal((await exitWithin(b, 10_000)).code, 0, 'and stops cleanly');
});

t.test('SIGTERM with a full log pipe whose reader then goes: a clean stop, within bounds', async (t) => {
  const dir = tempDir('yw-cloud-pipe-');
  const config = cloudConfig(dir);
  const { reader: r, writer: w } = fullFifo(dir);
  const proc = await serve(config, w);
  closeSync(w);
  proc.kill('SIGTERM');
  setTimeout(() => closeSync(r), 300); // the reader stalls, then dies with the same Ctrl-C
  const x = await exitWithin(proc, 12_000);
  t.equal(x.code, 0, `clean exit after ${x.ms} ms`);
  t.ok(x.ms < 6000);
  const db = new Database(join(dir, 'cloud.db'), { readonly: true });
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok', 'store integrity');
  db.close();
});
