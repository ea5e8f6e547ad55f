/**
 * Health on a store shared by several cloud nodes (store.backend = "postgres"), played here by
 * three HealthServices on one store: each writes only the sessions it holds; the others see them
 * after a sweep; only the leader times out a dead node's gateways (one offline alarm, not one per
 * node); a node taking a session over starts from the stored record, so the counters stay equal
 * to a full recount throughout.
 */
import t from 'tap';
import { join } from 'node:path';
import { SqliteCloudStore } from '../../../cloud/store/sqlite-cloud-store.js';
import { HealthService } from '../../../cloud/health/health-service.js';
import type { CounterScope } from '../../../cloud/health/types.js';
import { silentLogger } from '../../../common/log.js';
import { tempDir } from '../../helpers/fleet.js';

const SILENCE = 90_000;

async function counts(s: SqliteCloudStore): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const scope of ['fleet', 'gateway'] as CounterScope[])
    for (const r of await s.counters(scope)) if (r.value !== 0) out[`${scope}/${r.key}/${r.metric}`] = r.value;
  return out;
}

t.test('three nodes on one store', async (t) => {
  const store = new SqliteCloudStore(join(tempDir('yw-shared-'), 'cloud.db'), 0);
  t.teardown(() => store.close());
  await store.createGateway('gw-1', 'h');
  await store.createGateway('gw-2', 'h');
  let now = Date.now();
  let leader = 'b';
  const node = (name: string) =>
    new HealthService({
      store,
      log: silentLogger(),
      policy: { silenceMs: SILENCE, backlogAgeMs: 600_000, storeNearCapRatio: 0.9, diskLowRatio: 0.05 },
      flushMs: 3_600_000,
      sweepMs: 3_600_000,
      historyPointMs: 60_000,
      historyKeepMs: 86_400_000,
      now: () => now,
      shared: true,
      isLeader: () => leader === name,
    });
  const [a, b, c] = [node('a'), node('b'), node('c')];
  for (const n of [a, b, c]) await n.start();
  t.teardown(async () => {
    for (const n of [a, b, c]) await n.stop();
  });
  const changes: string[] = [];
  c.on('status', (ch) => changes.push(`${ch.gatewayId}:${ch.to}`));

  // gw-1 and gw-2 connect to node a
  await a.sessionUp('gw-1');
  await a.sessionUp('gw-2');
  await a.flush();
  await b.sweep();
  await c.sweep();
  t.equal(c.gateway('gw-1')?.status, 'online', 'node c shows a session held by node a');
  t.equal(b.gateway('gw-2')?.sessionUp, true);
  t.same(changes, ['gw-1:online', 'gw-2:online'], "node c's live feed saw both come up");
  const afterUp = await counts(store);
  await store.rebuildCounters(now);
  t.same(await counts(store), afterUp, 'counters equal a full recount');

  // node a dies (no session end is ever written); time passes
  now += SILENCE + 1000;
  await c.sweep(); // not the leader: leaves them alone
  await c.flush();
  t.equal(
    (await store.listEvents({ open: true })).length,
    0,
    'a follower raises no alarm for sessions it does not hold',
  );
  await b.sweep(); // the leader times them out
  await b.flush();
  t.equal((await store.getGatewayHealth('gw-1'))?.status, 'offline');
  const alarms = await store.listEvents({ open: true });
  t.equal(alarms.length, 2, 'one offline alarm per gateway');
  await c.sweep();
  await c.flush();
  await b.sweep();
  await b.flush();
  t.equal((await store.listEvents({ limit: 100 })).length, 2, 'no node raises them again');
  t.equal(c.gateway('gw-1')?.status, 'offline', 'node c shows the leader’s judgement');

  // gw-1 reconnects to node c: it takes over from the stored record
  now += 1000;
  await c.sessionUp('gw-1');
  await c.flush();
  t.equal((await store.getGatewayHealth('gw-1'))?.status, 'online');
  const active = (await store.listEvents({ limit: 100 })).filter((e) => e.alarm && e.active);
  t.same(
    active.map((e) => e.gatewayId),
    ['gw-2'],
    "its return cleared gw-1's offline alarm; gw-2's stays open",
  );
  const clears = (await store.listEvents({ limit: 100 })).filter((e) => e.gatewayId === 'gw-1' && !e.alarm);
  t.equal(clears.length, 1, 'one "back" event');
  const mid = await counts(store);
  t.equal(mid['fleet//gateways_online'], 1);
  t.equal(mid['fleet//gateways_offline'], 1);
  await store.rebuildCounters(now);
  t.same(await counts(store), mid, 'counters still equal a full recount after the takeover');

  // the leader moves to c; b is a follower now and leaves gw-2 alone; c holds gw-1 and is not silent
  leader = 'c';
  now += SILENCE / 2;
  await b.sweep();
  await b.flush();
  await c.sweep();
  await c.flush();
  t.equal((await store.getGatewayHealth('gw-1'))?.status, 'online', 'a held session is not timed out');
});
