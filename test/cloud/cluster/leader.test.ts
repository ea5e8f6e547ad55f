/**
 * The leader of the cluster-wide jobs (an advisory lock on PostgreSQL): one at a time; a dead
 * leader's lock is taken over within the 10 s the issue allows; a leader whose connection is
 * killed steps down at once.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { once } from 'node:events';
import { PgLeader } from '../../../cloud/cluster/leader.js';
import { silentLogger } from '../../../common/log.js';
import { REPO_ROOT } from '../../../common/paths.js';
import { PgDatabase } from '../../../cloud/store/postgres/pg-database.js';
import { tempPgDatabase } from '../../helpers/pg.js';
import { until } from '../../helpers/wait.js';

t.test('one leader among three; stopping it hands over', async (t) => {
  const url = await tempPgDatabase(t);
  const nodes = ['a', 'b', 'c'].map((nodeId) => new PgLeader({ url, log: silentLogger(), nodeId, checkMs: 100 }));
  t.teardown(() => Promise.all(nodes.map((n) => n.stop())));
  for (const n of nodes) await n.start();
  await until('a leader', () => nodes.some((n) => n.isLeader), 5000);
  t.equal(nodes.filter((n) => n.isLeader).length, 1, 'exactly one');
  const first = nodes.find((n) => n.isLeader)!;
  await first.stop();
  const t0 = Date.now();
  await until('another leader', () => nodes.some((n) => n !== first && n.isLeader), 5000);
  t.ok(Date.now() - t0 < 2000, `handed over in ${Date.now() - t0} ms`);
  t.equal(nodes.filter((n) => n.isLeader).length, 1, 'still exactly one');
});

t.test('a leader whose connection is killed steps down; a follower takes over', async (t) => {
  const url = await tempPgDatabase(t);
  const a = new PgLeader({ url, log: silentLogger(), nodeId: 'ka', checkMs: 100 });
  const b = new PgLeader({ url, log: silentLogger(), nodeId: 'kb', checkMs: 100 });
  t.teardown(async () => {
    await a.stop();
    await b.stop();
  });
  await a.start();
  await b.start();
  t.ok(a.isLeader && !b.isLeader, 'the first to start leads');
  const steps: boolean[] = [];
  a.on('change', (l) => steps.push(l));
  const admin = new PgDatabase(url, { max: 1 });
  t.teardown(() => admin.close());
  const killed = await admin.query<{ ok: boolean }>(
    "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'yiwang-leader-ka'",
  );
  t.same(
    killed.map((k) => k.ok),
    [true],
  );
  await until('a steps down', () => steps.includes(false), 5000);
  await until('someone leads again', () => a.isLeader || b.isLeader, 5000);
  t.equal([a, b].filter((n) => n.isLeader).length, 1, 'one leader after the takeover');
});

t.test('SIGKILL of the leader process: a follower leads within 10 s', async (t) => {
  const url = await tempPgDatabase(t);
  const script = `
    import { PgLeader } from ${JSON.stringify(join(REPO_ROOT, 'dist/cloud/cluster/leader.js'))};
    import { silentLogger } from ${JSON.stringify(join(REPO_ROOT, 'dist/common/log.js'))};
    const l = new PgLeader({ url: ${JSON.stringify(url)}, log: silentLogger(), nodeId: 'child', checkMs: 200 });
    await l.start();
    process.stdout.write(l.isLeader ? 'leader\\n' : 'follower\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => child.kill('SIGKILL'));
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  t.equal(line.toString().trim(), 'leader');
  const follower = new PgLeader({ url, log: silentLogger(), nodeId: 'f', checkMs: 1000 });
  t.teardown(() => follower.stop());
  await follower.start();
  t.notOk(follower.isLeader, 'the child holds the lock');
  child.kill('SIGKILL');
  const t0 = Date.now();
  await until('the follower leads', () => follower.isLeader, 10_000, 50);
  const ms = Date.now() - t0;
  t.ok(ms < 10_000, `took over ${ms} ms after the kill`);
});
