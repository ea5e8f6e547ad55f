/**
 * The fleet simulator (scripts/sim/fleet.ts) against the real cloud (broker with gateway
 * authentication and ACL, health service, HTTP API): its hand-written MQTT gateways must be taken
 * for edge agents — online presence, Health, alarm batches acknowledged, the will when they drop —
 * and its mix of offline, backlogged and alarming gateways must be what it reports.
 */
import t from 'tap';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { startFleet } from '../../../scripts/sim/fleet.js';

t.test('simulated gateways look like edge agents to the cloud, in the mix asked for', async (t) => {
  const { cloud } = await startCloud(undefined, { health: { flush_ms: 50, sweep_ms: 200, live_ms: 100 } });
  t.teardown(() => cloud.stop());
  const gateways: { id: string; secret: string }[] = [];
  for (let i = 0; i < 12; i++) {
    const id = `sim-${String(i).padStart(2, '0')}`;
    gateways.push({ id, secret: await cloud.createGateway(id) });
  }
  // one with a wrong secret: refused for good, not retried
  const stranger = { id: 'sim-bad', secret: 'not-its-secret' };
  await cloud.createGateway(stranger.id);

  const fleet = startFleet({
    mqttUrl: `mqtt://127.0.0.1:${cloud.broker.port}`,
    gateways: [...gateways, stranger],
    devicesPerGateway: 50,
    healthIntervalMs: 150,
    maxPhaseMs: 0,
    alarmEvery: 1,
    mix: { offline: 0.25, backlogged: 0.3, alarming: 0.3 },
    seed: 3,
  });
  t.teardown(() => fleet.close());
  const stats = await fleet.connected;
  const views = fleet.gateways();
  const online = views.filter((g) => !g.offline && g.id !== stranger.id);
  const offline = views.filter((g) => g.offline);
  t.ok(offline.length > 0 && online.length > 0, `${offline.length} offline, ${online.length} online of 12`);
  t.equal(stats.offline, offline.length, 'the offline share is counted');
  t.equal(stats.connected, online.length, 'every other valid gateway connected');
  t.notOk(views.find((g) => g.id === stranger.id)!.offline, 'the one with the wrong secret dials in (seed 3)');
  t.equal(stats.refused, 1, 'and is refused');
  t.equal(stats.retries, 0, 'a refusal is not retried');
  t.equal(fleet.up(), online.length);
  t.ok(
    online.some((g) => g.backlogged) && online.some((g) => g.alarming),
    'backlogged and alarming gateways among the online ones (seed 3)',
  );

  // the cloud sees each online one with its Health; the offline ones never appear connected
  await until(
    'Health of every online gateway twice',
    () =>
      online.every((g) => (cloud.health.gateway(g.id)?.health?.tsMs ?? 0) > 0) && stats.healthSent >= online.length * 2,
    10_000,
  );
  for (const g of online) {
    const rec = cloud.health.gateway(g.id)!;
    t.ok(rec.sessionUp, `${g.id}: session up`);
    t.equal(rec.health!.devicesTotal, 50, `${g.id}: its devices`);
  }
  for (const g of offline) t.notOk(cloud.health.gateway(g.id)?.sessionUp, `${g.id}: never connected`);
  t.notOk(cloud.health.gateway(stranger.id)?.sessionUp, 'the refused one is not up');

  // a backlogged gateway's store grows from one Health to the next, and the cloud records it
  const backlogged = online.find((g) => g.backlogged)!;
  const rows0 = cloud.health.gateway(backlogged.id)!.health!.storeRows;
  await until(
    'a larger backlog reported',
    () => (cloud.health.gateway(backlogged.id)?.health?.storeRows ?? 0) > rows0,
    5_000,
  );
  t.ok(rows0 >= 20_000, `backlog of ${rows0} rows`);

  // alarm batches (QoS 1) are acknowledged by the broker's ingest and stored as open alarms
  const alarming = online.filter((g) => g.alarming);
  await until(
    'alarms stored for every alarming gateway',
    async () => {
      for (const g of alarming) {
        const res = await fetch(`http://127.0.0.1:${cloud.api.port}/api/v1/events?gateway=${g.id}&alarms=1`);
        const { events } = (await res.json()) as { events: { type: string; active: boolean }[] };
        if (!events.some((e) => (e.type === 'leak' || e.type === 'cover_open') && e.active)) return false;
      }
      return true;
    },
    10_000,
  );
  t.ok(stats.alarmsSent >= alarming.length, `${stats.alarmsSent} alarm batches sent`);
  t.equal(stats.errors, 0, 'no socket errors');

  // dropped without DISCONNECT, like a gateway losing power: the cloud takes their sessions down
  fleet.close();
  await until(
    'every simulated session down',
    () => online.every((g) => cloud.health.gateway(g.id)?.sessionUp === false),
    10_000,
  );
  t.equal(fleet.up(), 0);
});
