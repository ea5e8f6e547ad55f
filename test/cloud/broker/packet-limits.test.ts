/**
 * Packet size limits before and after CONNECT, on the plain and the TLS listener (issue 16,
 * finding 2): a CONNECT announcing 256 MB used to be buffered whole before `authenticate`
 * (four connections: +450 MB in 2.5 s). Now the connection is closed when the fixed header
 * arrives, memory stays flat, and honest gateways on both listeners stay connected.
 */
import t from 'tap';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import mqtt from 'mqtt';
import { pb } from '../../../proto/index.js';
import { topics } from '../../../proto/topics.js';
import { startCloud, type TestCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

/** Opens a connection that announces a packet of `announced` bytes and streams 1 MiB chunks of it (up to `maxMiB`) until the server closes it. */
function hugePacket(c: TestCloud, listener: 'plain' | 'tls', header: Buffer, maxMiB = 64): { closed: Promise<number> } {
  const s: Socket =
    listener === 'plain'
      ? netConnect(c.cloud.broker.port, '127.0.0.1')
      : tlsConnect({ host: '127.0.0.1', port: c.cloud.broker.tlsPort, ca: c.cloud.pki.caPem, servername: 'localhost' });
  const chunk = Buffer.alloc(1 << 20, 0x41);
  let sent = 0;
  s.on('error', () => {});
  s.once(listener === 'plain' ? 'connect' : 'secureConnect', () => {
    s.write(header);
    const pump = (): void => {
      while (sent < maxMiB && !s.destroyed) {
        sent++;
        if (!s.write(chunk)) {
          s.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  return { closed: new Promise((resolve) => s.once('close', () => resolve(sent))) };
}

/** CONNECT with remaining length 268,435,455 (the MQTT maximum, 256 MB). */
const HUGE_CONNECT = Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]);

async function honestGateway(
  c: TestCloud,
  id: string,
  listener: 'plain' | 'tls',
): Promise<{ client: mqtt.MqttClient; closes: () => number }> {
  const secret = await c.cloud.createGateway(id);
  const url = listener === 'plain' ? c.mqttUrl : `mqtts://localhost:${c.cloud.broker.tlsPort}`;
  const client = await mqtt.connectAsync(url, {
    clientId: id,
    username: id,
    password: secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
    ...(listener === 'tls' ? { ca: c.cloud.pki.caPem } : {}),
  });
  let closes = 0;
  client.on('close', () => {
    closes++;
  });
  return { client, closes: () => closes };
}

const health = (): Buffer => Buffer.from(pb.Health.encode({ uptimeS: 1 }).finish());

t.test(
  'a 256 MB CONNECT is refused at its header on both listeners; memory stays flat; honest gateways stay',
  async (t) => {
    const c = await startCloud();
    t.teardown(() => c.cloud.stop());
    const honest = [await honestGateway(c, 'gw-honest-plain', 'plain'), await honestGateway(c, 'gw-honest-tls', 'tls')];
    t.teardown(() => Promise.all(honest.map((h) => h.client.endAsync(true))));
    const rss0 = process.memoryUsage().rss;
    const attacks = [
      hugePacket(c, 'plain', HUGE_CONNECT),
      hugePacket(c, 'tls', HUGE_CONNECT),
      hugePacket(c, 'plain', HUGE_CONNECT),
      hugePacket(c, 'tls', HUGE_CONNECT),
    ];
    const sent = await Promise.race([
      Promise.all(attacks.map((a) => a.closed)),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the broker kept reading the 256 MB CONNECTs')), 20_000).unref(),
      ),
    ]);
    const grownMb = (process.memoryUsage().rss - rss0) / 1048576;
    t.comment(
      `MiB written before the broker closed each connection: ${sent.join(', ')}; RSS +${grownMb.toFixed(1)} MB`,
    );
    t.ok(
      sent.every((n) => n < 64),
      'every attacking connection was closed before it could send its packet',
    );
    t.ok(grownMb < 100, `RSS grew ${grownMb.toFixed(1)} MB (was +450 MB for four connections)`);
    const b = c.cloud.broker.counters;
    t.equal(b.connectTooLarge, 4, 'four oversized packets before authentication counted');
    t.equal(b.unauthenticated, 0, 'no unauthenticated connection left');
    t.ok(
      c.logs.withCode('CLOUD_ERR_PACKET_TOO_LARGE').some((l) => l.listener === 'tls' && l.limit === 4096),
      'coded warning names listener and limit',
    );
    for (const h of honest) {
      t.ok(h.client.connected, 'honest gateway still connected');
      t.equal(h.closes(), 0, 'and never dropped');
    }
    await honest[0]!.client.publishAsync(topics.up('gw-honest-plain', 'health'), health(), { qos: 1 });
    await honest[1]!.client.publishAsync(topics.up('gw-honest-tls', 'health'), health(), { qos: 1 });
    t.equal(b.health, 2, 'both honest gateways still publish');

    const stats = (await (await fetch(`http://127.0.0.1:${c.cloud.api.port}/api/v1/stats`)).json()) as {
      broker: Record<string, number>;
    };
    t.equal(stats.broker.connectTooLarge, 4, '/api/v1/stats shows the refusals');
  },
);

t.test(
  'after authentication the limit is mqtt.max_packet_bytes; a gateway announcing more is closed, under it passes',
  async (t) => {
    const c = await startCloud(undefined, { mqtt: { max_packet_bytes: 65_536 } });
    t.teardown(() => c.cloud.stop());
    const other = await honestGateway(c, 'gw-other', 'tls');
    t.teardown(() => other.client.endAsync(true));
    for (const listener of ['plain', 'tls'] as const) {
      const g = await honestGateway(c, `gw-big-${listener}`, listener);
      await g.client.publishAsync(
        topics.up(`gw-big-${listener}`, 'health'),
        Buffer.concat([health(), Buffer.alloc(40_000)]),
        { qos: 1 },
      );
      t.equal(
        g.closes(),
        0,
        `${listener}: a 40 KB packet passes (over the 4 KB CONNECT limit: the larger limit applies once authenticated)`,
      );
      g.client.publish(topics.up(`gw-big-${listener}`, 'health'), Buffer.alloc(70_000), { qos: 1 });
      await until(`${listener}: oversized publish closes the connection`, () => g.closes() > 0);
      await g.client.endAsync(true);
    }
    t.equal(c.cloud.broker.counters.packetTooLarge, 2);
    t.ok(
      c.logs
        .withCode('CLOUD_ERR_PACKET_TOO_LARGE')
        .some((l) => l.gatewayId === 'gw-big-tls' && l.authenticated === true && l.limit === 65_536),
    );
    t.ok(other.client.connected && other.closes() === 0, 'the other gateway is untouched');
  },
);

t.test('unauthenticated connections are capped and time out; then honest gateways connect', async (t) => {
  const c = await startCloud(undefined, { mqtt: { max_unauthenticated: 3, connect_timeout_ms: 1500 } });
  t.teardown(() => c.cloud.stop());
  const idle: Socket[] = [];
  const closed: Promise<void>[] = [];
  const open = (s: Socket): void => {
    s.on('error', () => {});
    idle.push(s);
    closed.push(new Promise((r) => s.once('close', () => r())));
  };
  // three silent connections (one a TLS handshake never started) hold every unauthenticated slot
  open(netConnect(c.cloud.broker.port, '127.0.0.1'));
  open(netConnect(c.cloud.broker.tlsPort, '127.0.0.1'));
  open(netConnect(c.cloud.broker.port, '127.0.0.1'));
  await until('three unauthenticated', () => c.cloud.broker.counters.unauthenticated === 3);
  const fourth = netConnect(c.cloud.broker.port, '127.0.0.1');
  fourth.on('error', () => {});
  await new Promise<void>((r) => fourth.once('close', () => r()));
  t.equal(c.cloud.broker.counters.unauthenticatedRefused, 1, 'the fourth is closed at accept and counted');
  await Promise.all(closed);
  t.equal(c.cloud.broker.counters.connectTimeouts, 3, 'the silent ones are closed after connect_timeout_ms');
  await until('slots released', () => c.cloud.broker.counters.unauthenticated === 0);
  const g = await honestGateway(c, 'gw-after', 'tls');
  t.ok(g.client.connected, 'a gateway connects once the slots are free');
  await new Promise((r) => setTimeout(r, 1800));
  t.ok(g.client.connected && g.closes() === 0, 'an authenticated connection is not subject to the connect timeout');
  await g.client.endAsync(true);
});

t.test('a remaining length of more than four bytes closes the connection', async (t) => {
  const c = await startCloud();
  t.teardown(() => c.cloud.stop());
  const sent = await hugePacket(c, 'plain', Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01]), 1).closed;
  t.ok(sent <= 1);
  t.equal(c.cloud.broker.counters.malformedPackets, 1);
});

t.test('at most 16 packets queue between CONNECT and CONNACK', async (t) => {
  const c = await startCloud();
  t.teardown(() => c.cloud.stop());
  const secret = await c.cloud.createGateway('gw-q');
  const str = (x: string): Buffer => {
    const b = Buffer.from(x);
    return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
  };
  const body = Buffer.concat([str('MQTT'), Buffer.from([4, 0xc2, 0, 0]), str('gw-q'), str('gw-q'), str(secret)]);
  const connectPkt = Buffer.concat([Buffer.from([0x10, body.length]), body]);
  const pings = (n: number): Buffer => Buffer.concat(Array.from({ length: n }, () => Buffer.from([0xc0, 0])));
  const run = (n: number): Promise<'closed' | 'open'> =>
    new Promise((resolve) => {
      const s = netConnect(c.cloud.broker.port, '127.0.0.1');
      s.on('error', () => {});
      s.once('close', () => resolve('closed'));
      let got = 0;
      s.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= 4 + 2 * n) {
          s.destroy();
          resolve('open');
        }
      }); // CONNACK and n PINGRESPs
      s.write(Buffer.concat([connectPkt, pings(n)]));
    });
  t.equal(await run(10), 'open', '10 pipelined packets are answered');
  t.equal(await run(40), 'closed', '40 close the connection');
  t.equal(c.cloud.broker.counters.connectQueueFull, 1, 'counted');
});
