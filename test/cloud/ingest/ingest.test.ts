/** Ingest on the publish path, driven by a real MQTT client (mqtt.js) against the Aedes broker. */
import t from 'tap';
import mqtt from 'mqtt';
import { encodeBatch } from '../../../proto/batch-codec.js';
import { pb, AckStatus, ClockQuality, Priority, type BatchAck } from '../../../proto/index.js';
import { topics } from '../../../proto/topics.js';
import type { Reading } from '../../../proto/reading.js';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

const readings: Reading[] = Array.from({ length: 50 }, (_, i) => ({
  deviceId: `dev-${i % 5}`,
  metric: 'temperature',
  unit: 'Cel',
  ts: 1_700_000_000_000 + i * 1000,
  value: 20 + i / 10,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
}));

t.test('store once, answer duplicates, reject malformed batches without storing anything', async (t) => {
  const { cloud, logs, mqttUrl } = await startCloud();
  t.teardown(() => cloud.stop());
  const secret = await cloud.createGateway('gw-1');
  const client = await mqtt.connectAsync(mqttUrl, {
    clientId: 'gw-1',
    username: 'gw-1',
    password: secret,
    protocolVersion: 4,
  });
  t.teardown(() => client.endAsync());
  const acks: BatchAck[] = [];
  client.on('message', (_topic, payload) => acks.push(pb.BatchAck.decode(payload)));
  await client.subscribeAsync(topics.down('gw-1', 'ack'), { qos: 1 });

  const good = encodeBatch({ gatewayId: 'gw-1', epoch: 9, seq: 1 }, readings);
  await client.publishAsync(topics.up('gw-1', 'batch'), Buffer.from(good), { qos: 1 });
  await until('first ack', () => acks.length === 1);
  t.equal(acks[0]?.status, AckStatus.STORED);
  t.equal(acks[0]?.storedReadings, 50);
  // PUBACK came after the durable write: the readings are queryable now
  t.equal((await cloud.store.stats()).readings, 50);

  await client.publishAsync(topics.up('gw-1', 'batch'), Buffer.from(good), { qos: 1 });
  await until('second ack', () => acks.length === 2);
  t.equal(acks[1]?.status, AckStatus.DUPLICATE, 'a resent batch is answered DUPLICATE');
  t.equal((await cloud.store.stats()).readings, 50, 'and stored once');

  await client.publishAsync(topics.up('gw-1', 'batch'), Buffer.from([0x0a, 0xff, 0x01, 0x02]), { qos: 1 });
  await until('ack of garbage', () => acks.length === 3);
  t.equal(acks[2]?.status, AckStatus.REJECTED);
  t.equal(acks[2]?.errorCode, 'WIRE_ERR_DECODE');

  const foreign = encodeBatch({ gatewayId: 'gw-2', epoch: 9, seq: 2 }, readings);
  await client.publishAsync(topics.up('gw-1', 'batch'), Buffer.from(foreign), { qos: 1 });
  await until('ack of foreign batch', () => acks.length === 4);
  t.equal(acks[3]?.status, AckStatus.REJECTED);
  t.equal(acks[3]?.errorCode, 'CLOUD_ERR_BATCH_GATEWAY');

  const rejected = logs.withCode('CLOUD_ERR_BATCH_REJECTED');
  t.equal(rejected.length, 2, 'each rejection is logged with a code');
  t.equal(rejected[0]?.cause, 'WIRE_ERR_DECODE');
  const stats = await cloud.store.stats();
  t.equal(stats.readings, 50, 'nothing else was stored');
  t.equal(stats.batches, 1);
  t.ok(client.connected, 'the gateway stays connected after a rejected batch');
  const stored = await cloud.store.readings({ deviceId: 'dev-3' });
  t.same(
    stored.map((r) => r.value),
    readings.filter((r) => r.deviceId === 'dev-3').map((r) => r.value),
    'content and per-device order kept',
  );
});
