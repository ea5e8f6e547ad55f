/** A gateway as a bare MQTT client against a test cloud: registered, connected, collecting its BatchAcks. */
import mqtt, { type MqttClient } from 'mqtt';
import { pb, type BatchAck } from '../../proto/index.js';
import { topics } from '../../proto/topics.js';
import type { TestCloud } from './fleet.js';

export interface GatewayClient {
  client: MqttClient;
  /** BatchAcks received, in order. */
  acks: BatchAck[];
  /** Publishes a batch (QoS 1). */
  send: (batch: Uint8Array) => Promise<void>;
}

/** Registers gateway `id` with the cloud, connects it and subscribes to its acks. */
export async function connectGateway(c: TestCloud, id: string): Promise<GatewayClient> {
  const secret = await c.cloud.createGateway(id);
  const client = await mqtt.connectAsync(c.mqttUrl, {
    clientId: id,
    username: id,
    password: secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  const acks: BatchAck[] = [];
  client.on('message', (_t, payload) => acks.push(pb.BatchAck.decode(payload)));
  await client.subscribeAsync(topics.down(id, 'ack'), { qos: 1 });
  return {
    client,
    acks,
    send: async (b) => {
      await client.publishAsync(topics.up(id, 'batch'), Buffer.from(b), { qos: 1 });
    },
  };
}
