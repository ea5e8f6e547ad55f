/** Events ride in batches: durable at raise(), first in the next batch, stored once in the cloud. */
import t from 'tap';
import { join } from 'node:path';
import { SqliteOutboxStore } from '../../../edge/store/outbox.js';
import { CloudUplink } from '../../../edge/sync/uplink.js';
import { decodeBatch } from '../../../proto/batch-codec.js';
import { ClockQuality, Priority, pb } from '../../../proto/index.js';
import { silentLogger } from '../../../common/log.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

const ev = (device: string, type: string, active = true) => ({
  deviceId: device,
  type,
  severity: pb.Event.Severity.CRITICAL,
  clock: ClockQuality.CLOCK_GATEWAY_SYNCED,
  message: `${type} on ${device}`,
  attributes: { zone: 'A3' },
  active,
});

t.test('raise → batch → ack; survives a restart before it is sent', async (t) => {
  const path = join(tempDir(), 'edge.db');
  let store = new SqliteOutboxStore({ path, maintenanceMs: 0 });
  store.raise(ev('cover-1', 'cover_open'));
  t.equal(store.pendingCount(), 1);
  t.ok(store.hasUrgent());
  store.close();
  store = new SqliteOutboxStore({ path, maintenanceMs: 0 });
  t.teardown(() => store.close());
  await store.append([
    {
      deviceId: 'm',
      metric: 'level',
      unit: 'm',
      ts: 1_700_000_000_000,
      value: 2,
      clock: ClockQuality.CLOCK_DEVICE,
      priority: Priority.PRIORITY_NORMAL,
    },
  ]);
  const b = store.sealBatch('gw', 10)!;
  const d = decodeBatch(b.payload);
  t.equal(d.events.length, 1);
  t.match(d.events[0], { deviceId: 'cover-1', type: 'cover_open', message: 'cover_open on cover-1', active: true });
  t.ok(d.events[0]?.id && Number(d.events[0]?.tsMs) > 0, 'id and time filled in');
  t.equal(d.readings.length, 1);
  t.equal(store.sealBatch('gw', 10), undefined, 'nothing left to send');
  store.ack(b.seq);
  t.equal(store.stats().counters.events_acked, 1);
});

t.test('an event raised at the edge reaches the cloud exactly once', async (t) => {
  const { cloud, mqttUrl } = await startCloud();
  t.teardown(() => cloud.stop());
  const secret = await cloud.createGateway('gw-ev');
  const store = new SqliteOutboxStore({ path: join(tempDir(), 'edge.db'), maintenanceMs: 0 });
  const up = new CloudUplink({
    gatewayId: 'gw-ev',
    secret,
    url: mqttUrl,
    store,
    log: silentLogger(),
    batchMaxReadings: 100,
    batchMinReadings: 100,
    maxBytesPerS: 0,
    dailyBytes: 0,
    lingerMs: 60_000,
    inflight: 2,
    ackTimeoutMs: 5000,
    connectTimeoutMs: 5000,
    reconnectMs: 200,
    agentVersion: 't',
    healthIntervalMs: 3_600_000,
  });
  store.onEvent = () => up.notify();
  t.teardown(async () => {
    await up.stop();
    store.close();
  });
  up.start();
  await until('connected', () => up.state === 'online');
  store.raise(ev('smoke-7', 'smoke'));
  await until('acknowledged (no linger for an alarm)', () => store.stats().counters.events_acked === 1, 10_000);
  const events = await (
    cloud.store as unknown as { listEvents(q: object): Promise<{ deviceId: string; type: string }[]> }
  ).listEvents({});
  t.same(
    events.filter((e) => e.deviceId === 'smoke-7').map((e) => e.type),
    ['smoke'],
  );
});
