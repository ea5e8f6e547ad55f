/**
 * The cluster-wide mutex (cloud/cluster/cluster-mutex.ts) on the machine's PostgreSQL: sections of
 * two nodes never overlap; a node that dies inside its section releases it; a stuck holder makes
 * the waiter fail (CLOUD_ERR_STORE, counted) after lock_timeout rather than queue forever; one
 * node's own sections run one at a time.
 */
import t from 'tap';
import { PgMutex } from '../../../cloud/cluster/cluster-mutex.js';
import { pgQuery, tempPgDatabase } from '../../helpers/pg.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

t.test('two nodes: sections never overlap, in or across processes', async (t) => {
  const url = await tempPgDatabase(t);
  const a = new PgMutex(url, 'mx-a');
  const b = new PgMutex(url, 'mx-b');
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  let inside = 0;
  let most = 0;
  const order: string[] = [];
  const section = (who: string) => async (): Promise<string> => {
    inside++;
    most = Math.max(most, inside);
    await sleep(5 + Math.floor(Math.random() * 10));
    order.push(who);
    inside--;
    return who;
  };
  const runs: Promise<string>[] = [];
  for (let i = 0; i < 12; i++) {
    runs.push(a.run('rollouts', section(`a${i}`)));
    runs.push(b.run('rollouts', section(`b${i}`)));
  }
  const got = await Promise.all(runs);
  t.equal(most, 1, 'one section at a time across both nodes (and within each)');
  t.equal(order.length, 24, 'every section ran');
  t.equal(got[0], 'a0', 'a section returns its value');
  // another name is another lock: runs beside a held one
  let release!: () => void;
  const held = a.run('rollouts', () => new Promise<void>((r) => (release = r)));
  await sleep(50);
  t.equal(await b.run('other', async () => 'other ran'), 'other ran', 'a different name is not held up');
  release();
  await held;
});

t.test('a node that dies inside its section releases it; a stuck holder fails the waiter in time', async (t) => {
  const url = await tempPgDatabase(t);
  const a = new PgMutex(url, 'mx-dies');
  const b = new PgMutex(url, 'mx-waits', 400);
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  let release!: () => void;
  const held = a.run('rollouts', () => new Promise<void>((r) => (release = r)));
  await sleep(100);
  const t0 = Date.now();
  await t.rejects(
    b.run('rollouts', async () => 'never'),
    { code: 'CLOUD_ERR_STORE', message: /not taken/ },
  );
  t.ok(Date.now() - t0 < 3000, `the waiter gave up after ${Date.now() - t0} ms (lock_timeout 400 ms)`);
  t.equal(b.counters.mutexWaitsFailed, 1, 'counted');

  // the holder's connection dies (the node was killed): PostgreSQL releases its lock
  await pgQuery(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mx-dies'");
  t.equal(await b.run('rollouts', async () => 'taken'), 'taken', 'the lock went with the dead connection');
  release();
  await held;
  t.equal(await a.run('rollouts', async () => 'again'), 'again', 'the node whose connection died reconnects');
});
