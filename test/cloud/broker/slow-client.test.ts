/**
 * A gateway that never reads its socket: it publishes a flood of batches and lets the BatchAcks
 * pile up. Each ack to it used to go through the broker's shared message queue (mqemitter,
 * 100 messages at a time) and hold a slot until its socket drained (up to Aedes' 60 s drain
 * timeout), so every other gateway's acks waited behind it. Now acks go straight to the
 * connection that asked, and a client with more than mqtt.max_outgoing_bytes unsent is closed.
 */
import t, { type Test } from 'tap';
import { connect, type Socket } from 'node:net';
import mqtt from 'mqtt';
import { topics } from '../../../proto/topics.js';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

const varint = (n: number): Buffer => {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
};
const str = (s: string | Buffer): Buffer => {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};
const packet = (first: number, body: Buffer): Buffer =>
  Buffer.concat([Buffer.from([first]), varint(body.length), body]);
const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);

/** A gateway over a raw socket that subscribes to its acks, then publishes garbage batches (each answered REJECTED) and never reads. */
function stalledGateway(
  port: number,
  id: string,
  secret: string,
): { sock: Socket; closed: Promise<void>; write(n: number): void } {
  const sock = connect(port, '127.0.0.1');
  sock.on('error', () => {});
  sock.pause(); // never read: what the broker sends stays in the kernel buffers, then in its own
  const connectPkt = packet(
    0x10,
    Buffer.concat([str('MQTT'), Buffer.from([4, 0x80 | 0x40 | 0x02]), u16(0), str(id), str(id), str(secret)]),
  );
  sock.write(
    Buffer.concat([connectPkt, packet(0x82, Buffer.concat([u16(1), str(topics.down(id, 'ack')), Buffer.from([1])]))]),
  );
  let pid = 2;
  const batch = (): Buffer => {
    pid = (pid % 65000) + 2;
    return packet(0x32, Buffer.concat([str(topics.up(id, 'batch')), u16(pid), Buffer.from('not a batch')]));
  };
  return {
    sock,
    closed: new Promise((r) => sock.once('close', () => r())),
    write: (n) => {
      sock.write(Buffer.concat(Array.from({ length: n }, batch)));
    },
  };
}

async function setup(t: Test, maxOutgoing?: number) {
  const c = await startCloud(undefined, maxOutgoing ? { mqtt: { max_outgoing_bytes: maxOutgoing } } : {});
  t.teardown(() => c.cloud.stop());
  const rogueSecret = await c.cloud.createGateway('gw-rogue');
  const honestSecret = await c.cloud.createGateway('gw-honest');
  const honest = await mqtt.connectAsync(c.mqttUrl, {
    clientId: 'gw-honest',
    username: 'gw-honest',
    password: honestSecret,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  t.teardown(() => honest.endAsync(true));
  let acks = 0;
  honest.on('message', () => {
    acks++;
  });
  await honest.subscribeAsync(topics.down('gw-honest', 'ack'), { qos: 1 });
  /** An honest batch (garbage too: answered REJECTED) and its ack within 5 s. */
  const honestRoundTrip = async (): Promise<void> => {
    const before = acks;
    await honest.publishAsync(topics.up('gw-honest', 'batch'), Buffer.from('honest'), { qos: 1 });
    await until("the honest gateway's ack", () => acks > before, 5000);
  };
  const rogue = stalledGateway(c.cloud.broker.port, 'gw-rogue', rogueSecret);
  await until('rogue connected', () => c.cloud.broker.aedes.connectedClients === 2);
  return { ...c, honest, honestRoundTrip, rogue };
}

t.test('a gateway that does not read its acks holds up no other gateway', async (t) => {
  const { cloud, honest, honestRoundTrip, rogue } = await setup(t);
  // REJECTED acks (~130 bytes each) for a socket nobody reads, until the rogue is stuck (its
  // buffers full: ~27,000 acks on loopback) — before the fix the broker's shared queue was stuck too
  const answered = (): number => cloud.ingest.counters.rejected;
  let written = 0,
    nextCheck = 8000,
    last = -1,
    lastChange = Date.now();
  while (!rogue.sock.destroyed && answered() < 36_000 && Date.now() - lastChange < 1500) {
    if (written - answered() < 6000) {
      rogue.write(2000);
      written += 2000;
    }
    await new Promise((r) => setTimeout(r, 20));
    if (answered() !== last) {
      last = answered();
      lastChange = Date.now();
    }
    if (answered() >= nextCheck) {
      nextCheck += 8000;
      await honestRoundTrip();
    }
  }
  t.comment(`rogue: ${answered()} batches answered, then ${rogue.sock.destroyed ? 'closed' : 'stuck'}`);
  t.ok(answered() > 20_000, 'the rogue got far enough to fill its buffers');
  await honestRoundTrip();
  await honestRoundTrip();
  t.ok(honest.connected, 'the honest gateway got its acks at once and stayed connected');
});

t.test('a client with more than mqtt.max_outgoing_bytes unsent is closed', async (t) => {
  const { cloud, logs, honest, honestRoundTrip, rogue } = await setup(t, 65_536);
  for (let round = 1; round <= 50 && !rogue.sock.destroyed; round++) {
    rogue.write(2000);
    await new Promise((r) => setTimeout(r, 20));
  }
  await rogue.closed;
  t.ok(cloud.broker.counters.slowClientsClosed >= 1, 'the stalled gateway was closed as not reading');
  t.ok(logs.withCode('CLOUD_ERR_SLOW_CLIENT').some((l) => l.clientId === 'gw-rogue'));
  await honestRoundTrip();
  t.ok(honest.connected);
});
