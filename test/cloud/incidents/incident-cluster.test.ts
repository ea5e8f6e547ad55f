/**
 * Incidents on a PostgreSQL cluster of two nodes in one process (one database, one keys
 * directory): configuration through either node, the engine works on the leader only, and when
 * the leader stops the other node takes over from the durable cursor — nothing missed, nothing
 * twice — and signs its webhooks with the same (sealed) department secret.
 */
import t from 'tap';
import type { NewEvent } from '../../../cloud/health/types.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { tempPgDatabase } from '../../helpers/pg.js';
import { until } from '../../helpers/wait.js';
import { startReceiver } from './webhook-receiver.js';

const SECRET = 'cluster-secret-0123456789';

t.test('the incident engine runs on the leader; the next leader goes on from the cursor', async (t) => {
  const url = await tempPgDatabase(t);
  const dir = tempDir('yw-inc-cluster-');
  const overrides = { store: { backend: 'postgres', postgres_url: url }, cluster: { node_id: 'a' } };
  const a = await startCloud(dir, overrides);
  let aStopped = false;
  t.teardown(() => (aStopped ? undefined : a.cloud.stop()));
  const b = await startCloud(dir, { ...overrides, cluster: { node_id: 'b' } });
  t.teardown(() => b.cloud.stop());
  t.ok(a.cloud.jobs.isLeader, 'a leads');
  t.notOk(b.cloud.jobs.isLeader, 'b follows');
  const rx = await startReceiver(SECRET);
  t.teardown(() => rx.close());

  const bApi = `http://127.0.0.1:${b.cloud.api.port}`;
  const post = async (path: string, body: unknown) =>
    (
      await fetch(bApi + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).status;
  await a.cloud.createGateway('gw-1');
  await a.cloud.incidents.engine.tick(); // the cursor begins here
  t.equal(await post('/api/v1/departments', { id: 'roads', name: 'Roads', webhookUrl: rx.url, secret: SECRET }), 201);
  t.equal(await post('/api/v1/incident-rules', { eventType: 'cover_*', departmentId: 'roads', slaMinutes: 30 }), 201);

  const ev = (deviceId: string): NewEvent => ({
    gatewayId: 'gw-1',
    deviceId,
    type: 'cover_open',
    severity: 'critical',
    tsMs: Date.now(),
    message: '',
    attributes: {},
    active: true,
    sourceId: '',
  });
  await a.cloud.store.addEvents([ev('c1')], Date.now());
  t.same(await b.cloud.incidents.engine.tick(), { handled: 0, escalated: 0 }, 'the follower does nothing');
  t.equal((await a.cloud.incidents.engine.tick()).handled, 1, 'the leader opens it');
  await until('signed by a', () => rx.good().length === 1);

  await a.cloud.store.addEvents([ev('c2'), ev('c3')], Date.now());
  await a.cloud.stop();
  aStopped = true;
  await until('b takes the lead', () => b.cloud.jobs.isLeader, 30_000);
  await b.cloud.incidents.engine.tick();
  const list = (await (await fetch(`${bApi}/api/v1/incidents`)).json()) as { incidents: { deviceId: string }[] };
  t.same(
    list.incidents.map((i) => i.deviceId).sort(),
    ['c1', 'c2', 'c3'],
    'the alarms raised before the hand-over are handled once',
  );
  await until('signed by b with the same secret', () => rx.good().length === 3);
});
