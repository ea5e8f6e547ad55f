/**
 * Issue 16, finding 6: a gateway could write into another gateway's devices (device ids are
 * global): gateway A's batch with readings and a critical alarm for gateway B's device was stored
 * and the device moved to A. Now a device belongs to the first gateway that reports it; another
 * gateway's readings and events for it are quarantined (CLOUD_ERR_DEVICE_OWNER) and the device
 * stays, until an operator moves it (POST /api/v1/devices/{id}/move, admin scope).
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../common/paths.js';
import { encodeBatch } from '../../../proto/batch-codec.js';
import { pb, AckStatus, ClockQuality, Priority } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { connectGateway } from '../../helpers/gateway-client.js';

const TOKEN = 'ownership-test-token';
const NOW = Date.now();
const readings = (device: string, n: number, from = 0): Reading[] =>
  Array.from({ length: n }, (_, i) => ({
    deviceId: device,
    metric: 'volume',
    unit: 'm3',
    ts: NOW - 100_000 + from + i,
    value: from + i,
    clock: ClockQuality.CLOCK_DEVICE,
    priority: Priority.PRIORITY_NORMAL,
  }));
const smoke = (id: string, deviceId: string): pb.IEvent => ({
  id,
  deviceId,
  type: 'smoke',
  severity: pb.Event.Severity.CRITICAL,
  tsMs: NOW,
  message: 'smoke detected',
  active: true,
});

t.test("two real gateways: one cannot write into the other's device; an operator can move it", async (t) => {
  const c = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => c.cloud.stop());
  const store = c.cloud.store;
  const api = async (
    method: string,
    path: string,
    body?: unknown,
    token = TOKEN,
  ): Promise<{ status: number; json: Record<string, unknown> }> => {
    const r = await fetch(`http://127.0.0.1:${c.cloud.api.port}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };
  const [secretA, secretB] = [await c.cloud.createGateway('gw-a'), await c.cloud.createGateway('gw-b')];
  const a = await startEdge(edgeConfig(tempDir(), 'gw-a', secretA, c.mqttUrl));
  const b = await startEdge(edgeConfig(tempDir(), 'gw-b', secretB, c.mqttUrl));
  t.teardown(async () => {
    await a.agent.stop();
    await b.agent.stop();
  });
  // readings put straight into an agent's store, as its adapters do (then the uplink is woken, as the agent does)
  const append = async (e: typeof a, rs: Reading[]): Promise<void> => {
    await e.agent.store.append(rs);
    e.agent.uplink.notify();
  };

  // B reports the device first: it is B's
  await append(b, [...readings('meter-shared', 3), ...readings('meter-b', 2)]);
  await until("B's readings stored", async () => (await store.readings({ deviceId: 'meter-shared' })).length === 3);
  t.equal((await store.getDevice('meter-shared'))?.gatewayId, 'gw-b');

  // A sends readings and a critical alarm for B's device, beside its own device's readings
  await append(a, [...readings('meter-shared', 5, 100), ...readings('meter-a', 4)]);
  a.agent.store.raise(smoke('a-smoke-1', 'meter-shared'));
  await until("A's own readings stored", async () => (await store.readings({ deviceId: 'meter-a' })).length === 4);
  await until(
    "A's batches acknowledged",
    () => a.agent.store.stats().rows === 0 && a.agent.status().store.deadLetters === 0,
  );
  t.equal(
    (await store.readings({ deviceId: 'meter-shared' })).length,
    3,
    "none of A's readings for B's device was stored",
  );
  t.match(await store.getDevice('meter-shared'), { gatewayId: 'gw-b', readings: 3 }, 'the device stayed with B');
  t.same(
    (await store.listEvents({ gatewayId: 'gw-a' })).map((e) => e.deviceId),
    [],
    "A's alarm for it was not stored",
  );
  t.equal((await store.counters('gateway', 'gw-a')).find((x) => x.metric === 'alarms_open')?.value ?? 0, 0);
  const q = await api('GET', '/api/v1/gateways/gw-a/quarantine');
  t.match(q.json, {
    totals: [{ code: 'CLOUD_ERR_DEVICE_OWNER', readings: 5, events: 1 }],
    recent: [{ deviceId: 'meter-shared', code: 'CLOUD_ERR_DEVICE_OWNER', count: 5, events: 1 }],
  });
  t.equal(a.agent.status().store.deadLetters, 0, "A's batch was stored, not rejected: nothing dead-lettered");

  // only an operator with the admin scope moves a device
  const read = await api('POST', '/api/v1/keys', { name: 'viewer', scope: 'read' });
  t.equal(
    (await api('POST', '/api/v1/devices/meter-shared/move', { gateway: 'gw-a' }, read.json.key as string)).status,
    403,
    'a read-only key cannot move devices',
  );
  t.equal((await api('POST', '/api/v1/devices/meter-shared/move', { gateway: 'gw-nope' })).status, 404);
  t.equal((await api('POST', '/api/v1/devices/nope/move', { gateway: 'gw-a' })).status, 404);
  t.equal((await api('POST', '/api/v1/devices/meter-shared/move', { gateway: '../x' })).status, 400);
  const moved = await api('POST', '/api/v1/devices/meter-shared/move', { gateway: 'gw-a' });
  t.match(moved, { status: 200, json: { id: 'meter-shared', gatewayId: 'gw-a' } });
  t.equal(
    (await store.counters('gateway', 'gw-a')).find((x) => x.metric === 'devices_total')?.value,
    2,
    'the device counts on A now',
  );

  // now A's data for it is stored and B's is quarantined
  await append(a, readings('meter-shared', 2, 200));
  await append(b, readings('meter-shared', 1, 300));
  await until("A's new readings stored", async () => (await store.readings({ deviceId: 'meter-shared' })).length === 5);
  await until("B's reading quarantined", async () =>
    (await store.quarantine('gw-b')).totals.some((x) => x.code === 'CLOUD_ERR_DEVICE_OWNER' && x.readings === 1),
  );
  t.same(
    (await store.readings({ deviceId: 'meter-shared' })).map((x) => x.gatewayId),
    ['gw-b', 'gw-b', 'gw-b', 'gw-a', 'gw-a'],
  );

  // the operator CLI as shipped (dist/, built by `npm test`'s pretest) moves it back
  const cli = await promisify(execFile)(
    process.execPath,
    [
      join(REPO_ROOT, 'dist', 'cloud', 'cli', 'main.js'),
      'devices',
      'move',
      'meter-shared',
      '--gateway',
      'gw-b',
      '--url',
      `http://127.0.0.1:${c.cloud.api.port}`,
      '--token',
      TOKEN,
    ],
    { env: { ...process.env, YIWANG_LOG_LEVEL: 'silent' } },
  );
  t.match(cli.stdout, /device meter-shared now belongs to gateway gw-b/);
  t.equal((await store.getDevice('meter-shared'))?.gatewayId, 'gw-b');
});

t.test(
  'the BatchAck lists the refused device, and a device seen first in one commit group goes to the first batch',
  async (t) => {
    const c = await startCloud();
    t.teardown(() => c.cloud.stop());
    const [x, y] = await Promise.all([connectGateway(c, 'gw-x'), connectGateway(c, 'gw-y')]);
    t.teardown(async () => {
      await x.client.endAsync();
      await y.client.endAsync();
    });
    await x.send(encodeBatch({ gatewayId: 'gw-x', epoch: 1, seq: 1 }, readings('dev-1', 2)));
    await until('x acked', () => x.acks.length === 1);
    await y.send(
      encodeBatch(
        { gatewayId: 'gw-y', epoch: 1, seq: 1 },
        [...readings('dev-1', 3, 10), ...readings('dev-2', 1)],
        [smoke('y-1', 'dev-1')],
      ),
    );
    await until('y acked', () => y.acks.length === 1);
    t.match(y.acks[0], {
      status: AckStatus.STORED,
      storedReadings: 1,
      quarantinedReadings: 3,
      quarantined: [
        {
          deviceId: 'dev-1',
          metric: '',
          errorCode: 'CLOUD_ERR_DEVICE_OWNER',
          count: 3,
          detail: /3 readings and 1 events/,
        },
      ],
    });
    t.equal((await c.cloud.store.getDevice('dev-1'))?.gatewayId, 'gw-x');
    t.equal(
      (await c.cloud.store.getDevice('dev-2'))?.gatewayId,
      'gw-y',
      'a new device belongs to the gateway that reported it',
    );
    t.match(c.cloud.ingest.counters.byGateway['gw-y'], { quarantined: 3, quarantinedEvents: 1 });
  },
);
