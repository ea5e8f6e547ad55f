/**
 * Events retention (health.events_keep): the sweep deletes the oldest events beyond the newest N,
 * never an alarm that is not acknowledged yet, and the open-alarm count stays right.
 */
import t from 'tap';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import type { NewEvent } from '../../../cloud/health/types.js';

t.test('the events table is bounded; open alarms stay', async (t) => {
  const { cloud } = await startCloud(undefined, { health: { flush_ms: 50, sweep_ms: 100, events_keep: 50 } });
  t.teardown(() => cloud.stop());
  await cloud.createGateway('gw-r');
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const ev = (i: number, o: Partial<NewEvent> = {}): NewEvent => ({
    gatewayId: 'gw-r',
    deviceId: `dev-${i}`,
    type: 'door_open',
    severity: 'info',
    tsMs: 1_000 + i,
    message: `event ${i}`,
    attributes: {},
    active: true,
    sourceId: `e-${i}`,
    ...o,
  });
  // the oldest: three alarms, one of them acknowledged
  const alarms = await cloud.store.addEvents(
    [0, 1, 2].map((i) => ev(i, { type: 'leak', severity: 'critical' })),
    Date.now(),
  );
  await cloud.store.ackEvent(alarms[0]!.id, 'test', Date.now()); // addEvents returns one record per event
  // then 200 plain events, in a few transactions
  for (let k = 0; k < 4; k++)
    await cloud.store.addEvents(
      Array.from({ length: 50 }, (_, j) => ev(3 + k * 50 + j)),
      Date.now(),
    );
  const newest = (await cloud.store.listEvents({ limit: 1 }))[0]!.id;

  await until(
    'the table is pruned to the newest 50 plus the open alarms',
    async () => (await cloud.store.listEvents({ limit: 1000 })).length === 52,
  );
  const left = await cloud.store.listEvents({ limit: 1000 });
  const plain = left.filter((e) => !e.alarm);
  t.equal(plain.length, 50, 'the newest 50 plain events are kept');
  t.equal(Math.min(...plain.map((e) => e.id)), newest - 49, '…and they are the newest');
  t.same(
    left
      .filter((e) => e.alarm)
      .map((e) => e.id)
      .sort((a, b) => a - b),
    [alarms[1]!.id, alarms[2]!.id],
    'open alarms are never deleted; the acknowledged one went',
  );
  t.equal(cloud.health.counters.eventsPruned, 151);
  const s = (await (await fetch(`${base}/api/v1/health/summary`)).json()) as { alarms: { open: number } };
  t.equal(s.alarms.open, 2, 'the open-alarm count is unchanged');
  const metrics = await (await fetch(`${base}/metrics`)).text();
  t.match(metrics, /^yiwang_events_pruned_total 151$/m);
});
