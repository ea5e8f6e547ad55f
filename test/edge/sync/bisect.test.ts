/**
 * The uplink's answers to a cloud that refuses (issue 16, finding 3):
 *   - a batch REJECTED whole (an older cloud) is bisected: every healthy reading is delivered in
 *     the halves, only the single bad reading ends as a dead letter — against a stub cloud that
 *     rejects any batch holding it, and against the real cloud (old or per-reading quarantine);
 *   - a STORED batch with quarantined readings is recorded by reason, one log line per batch.
 */
import t, { type Test } from 'tap';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { CloudUplink } from '../../../edge/sync/uplink.js';
import { SqliteOutboxStore } from '../../../edge/store/outbox.js';
import { decodeBatch } from '../../../proto/batch-codec.js';
import { pb, AckStatus, ClockQuality, Priority } from '../../../proto/index.js';
import { topics } from '../../../proto/topics.js';
import type { Reading } from '../../../proto/reading.js';
import { captureLog, type CapturedLog } from '../../helpers/log-capture.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

const T0 = Date.now() - 3_600_000;
const HEALTHY = 5,
  PER_DEVICE = 40;
const healthy = (): Reading[] =>
  Array.from({ length: HEALTHY * PER_DEVICE }, (_, i) => ({
    deviceId: `meter-${i % HEALTHY}`,
    metric: 'volume',
    unit: 'm3',
    ts: T0 + i * 1000,
    value: i,
    clock: ClockQuality.CLOCK_DEVICE,
    priority: Priority.PRIORITY_NORMAL,
  }));
/** A reading an older agent let through (t in µs, not a safe integer in ms): it bypasses the store's entry check. */
const BAD: Reading = {
  deviceId: 'meter-usec',
  metric: 'volume',
  unit: 'm3',
  ts: 2 ** 60,
  value: 7,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
};

function storeWithBad(): SqliteOutboxStore {
  return new SqliteOutboxStore({ path: join(tempDir(), 'edge.db'), maintenanceMs: 0 });
}
async function appendUnchecked(store: SqliteOutboxStore, readings: Reading[]): Promise<void> {
  await (store as unknown as { committer: { submit(i: { readings: Reading[] }): Promise<unknown> } }).committer.submit({
    readings,
  });
}

function uplink(
  store: SqliteOutboxStore,
  url: string,
  gatewayId: string,
  secret: string,
  logs: CapturedLog,
): CloudUplink {
  return new CloudUplink({
    gatewayId,
    secret,
    url,
    store,
    log: logs.log,
    batchMaxReadings: 500,
    batchMinReadings: 500,
    maxBytesPerS: 0,
    dailyBytes: 0,
    lingerMs: 0,
    inflight: 4,
    ackTimeoutMs: 5000,
    connectTimeoutMs: 5000,
    reconnectMs: 200,
    agentVersion: 't',
    healthIntervalMs: 3_600_000,
  });
}

/** A stub cloud: an Aedes broker whose only logic is `answer` for each batch. */
async function stubCloud(
  t: Test,
  answer: (batch: ReturnType<typeof decodeBatch>) => Partial<pb.BatchAck>,
): Promise<{ url: string; batches: number[] }> {
  const aedes = await Aedes.createBroker();
  const server = createServer(aedes.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(async () => {
    await new Promise<void>((r) => aedes.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  });
  const batches: number[] = [];
  await new Promise<void>((r) =>
    aedes.subscribe(
      topics.up('+', 'batch'),
      (packet, cb) => {
        const b = decodeBatch(packet.payload as Buffer);
        batches.push(b.readings.length);
        const ack = pb.BatchAck.encode({
          gatewayId: b.gatewayId,
          epoch: b.epoch,
          seq: b.seq,
          status: AckStatus.STORED,
          storedReadings: b.readings.length,
          ...answer(b),
        }).finish();
        aedes.publish(
          {
            cmd: 'publish',
            topic: topics.down(b.gatewayId, 'ack'),
            payload: Buffer.from(ack),
            qos: 1,
            retain: false,
            dup: false,
          },
          () => cb(),
        );
      },
      r,
    ),
  );
  return { url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`, batches };
}

t.test(
  'a cloud that rejects a whole batch for one reading: bisection delivers the others, one dead letter',
  async (t) => {
    let storedHealthy = 0;
    const stub = await stubCloud(t, (b) => {
      // the bad reading decodes as a reading (older decoder) or as one the decoder quarantines (issue 16)
      const refused = (b as { quarantined?: { deviceId: string }[] }).quarantined ?? [];
      if ([...b.readings, ...refused].some((r) => r.deviceId === 'meter-usec'))
        return {
          status: AckStatus.REJECTED,
          errorCode: 'WIRE_ERR_INVALID',
          detail: 'device meter-usec: timestamp out of range',
        };
      storedHealthy += b.readings.length;
      return {};
    });
    const store = storeWithBad();
    const logs = captureLog();
    const readings = healthy();
    readings.splice(123, 0, BAD); // in the middle of everyone's readings
    await appendUnchecked(store, readings);
    const up = uplink(store, stub.url, 'gw-stub', 'x', logs);
    t.teardown(async () => {
      await up.stop();
      store.close();
    });
    up.start();
    await until('drained', () => store.stats().rows === 0 && store.stats().unackedBatches === 0, 20_000);
    t.equal(storedHealthy, HEALTHY * PER_DEVICE, 'every healthy reading was stored by the cloud');
    const s = store.stats();
    t.same(
      [s.deadLetters, s.deadLettered.readings, s.dropped.rejected],
      [1, 1, 1],
      'only the bad reading is a dead letter',
    );
    const [dl] = store.deadLetters.list(5);
    t.match(dl, { readings: 1, errorCode: 'WIRE_ERR_INVALID' });
    t.ok(
      [...dl!.content, ...dl!.refused].some((r) => r.deviceId === 'meter-usec'),
      'the dead letter lists the bad device',
    );
    t.equal(up.counters.readingsAcked, HEALTHY * PER_DEVICE);
    t.equal(up.counters.deadLettered, 1);
    t.ok(
      up.counters.split >= 8 && up.counters.split <= 10,
      `${up.counters.split} splits for a batch of 201 (log2 ≈ 8)`,
    );
    t.equal(
      logs.withCode('EDGE_ERR_BATCH_REJECTED').length,
      up.counters.split,
      'one log line per split batch, not per reading',
    );
    t.equal(logs.withCode('EDGE_ERR_DEAD_LETTER').length, 1);
    t.ok(stub.batches.length <= 2 * 9 + 1, `${stub.batches.length} batches sent`);
  },
);

t.test('a stored batch with quarantined readings: counted by reason, one log line per batch', async (t) => {
  const stub = await stubCloud(t, (b) => {
    const other = b.readings.filter((r) => r.deviceId === 'meter-3');
    return other.length
      ? {
          quarantinedReadings: other.length,
          storedReadings: b.readings.length - other.length,
          quarantined: [
            {
              deviceId: 'meter-3',
              metric: 'volume',
              errorCode: 'CLOUD_ERR_DEVICE_OWNER',
              detail: 'meter-3 belongs to gw-b',
              count: other.length,
            },
          ],
        }
      : {};
  });
  const store = storeWithBad();
  const logs = captureLog();
  await store.append(healthy());
  const up = uplink(store, stub.url, 'gw-q', 'x', logs);
  t.teardown(async () => {
    await up.stop();
    store.close();
  });
  up.start();
  await until('drained', () => store.stats().rows === 0 && store.stats().unackedBatches === 0, 20_000);
  const q = store.stats().quarantine;
  t.same([q.readings, q.fromCloud, q.byReason], [PER_DEVICE, PER_DEVICE, { CLOUD_ERR_DEVICE_OWNER: PER_DEVICE }]);
  t.match(store.quarantine.list(10), [
    { source: 'cloud', deviceId: 'meter-3', code: 'CLOUD_ERR_DEVICE_OWNER', count: PER_DEVICE },
  ]);
  t.same([up.counters.readingsAcked, up.counters.quarantinedByCloud], [(HEALTHY - 1) * PER_DEVICE, PER_DEVICE]);
  t.equal(logs.withCode('EDGE_ERR_CLOUD_QUARANTINE').length, stub.batches.length, 'a warn line per batch');
  t.equal(store.stats().deadLetters, 0);
});

t.test(
  'the real cloud (rejecting whole, or quarantining per reading): every healthy reading arrives, the bad one is accounted',
  async (t) => {
    const { cloud, mqttUrl } = await startCloud();
    t.teardown(() => cloud.stop());
    const secret = await cloud.createGateway('gw-real');
    const store = storeWithBad();
    const logs = captureLog();
    const readings = healthy();
    readings.splice(77, 0, BAD);
    await appendUnchecked(store, readings);
    const up = uplink(store, mqttUrl, 'gw-real', secret, logs);
    t.teardown(async () => {
      await up.stop();
      store.close();
    });
    up.start();
    await until('drained', () => store.stats().rows === 0 && store.stats().unackedBatches === 0, 30_000);
    for (let i = 0; i < HEALTHY; i++) {
      const got = await cloud.store.readings({ deviceId: `meter-${i}`, limit: 1000 });
      t.equal(got.length, PER_DEVICE, `meter-${i}: all ${PER_DEVICE} readings arrived`);
    }
    t.same(await cloud.store.readings({ deviceId: 'meter-usec', limit: 10 }), [], 'the bad reading is not stored');
    const s = store.stats();
    t.equal(
      s.deadLettered.readings + s.quarantine.fromCloud,
      1,
      `the bad reading is accounted: ${s.deadLettered.readings} dead-lettered, ${s.quarantine.fromCloud} quarantined by the cloud`,
    );
  },
);
