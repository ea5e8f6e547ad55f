/**
 * Issue 19 item 5: an edge with several cloud brokers (cloud.urls) moves to the next one when a node
 * is unreachable, refuses it, or is lost, and loses or stores twice nothing. Two real clouds (own
 * SQLite stores, the same gateway registered in both), a real agent fed over real CoAP; each cloud
 * sits behind a loopback tap that can drop what the broker sends (acks lost) and cut the node off.
 */
import t, { type Test } from 'tap';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { edgeConfig, startCloud, startEdge, tempDir, type TestCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { hashSecret } from '../../../cloud/registry/secrets.js';
import { loadEdgeConfig } from '../../../edge/config.js';
import { MAX_BROKER_URLS } from '../../../edge/sync/broker-urls.js';
import { render as renderStatus } from '../../../edge/cli/status.js';
import { edgeBanner } from '../../../edge/cli/run-banner.js';
import { writeIdentity } from '../../../edge/provisioning/write-identity.js';

/** MQTT PUBLISH packets (topic, payload) parsed from a client→broker byte stream. */
class PublishParser {
  private buf = Buffer.alloc(0);
  readonly publishes: { topic: string; payload: Buffer }[] = [];

  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.buf.length < 2) return;
      let len = 0,
        mul = 1,
        i = 1;
      for (;;) {
        if (i >= this.buf.length) return;
        const b = this.buf[i++]!;
        len += (b & 0x7f) * mul;
        mul *= 128;
        if ((b & 0x80) === 0) break;
      }
      if (this.buf.length < i + len) return;
      const first = this.buf[0]!;
      const body = this.buf.subarray(i, i + len);
      this.buf = this.buf.subarray(i + len);
      if (first >> 4 !== 3) continue;
      const topicLen = body.readUInt16BE(0);
      const qos = (first >> 1) & 3;
      const start = 2 + topicLen + (qos > 0 ? 2 : 0);
      this.publishes.push({
        topic: body.subarray(2, 2 + topicLen).toString('utf8'),
        payload: Buffer.from(body.subarray(start)),
      });
    }
  }

  batches(): Buffer[] {
    return this.publishes.filter((p) => p.topic.endsWith('/batch')).map((p) => p.payload);
  }
}

/** A loopback tap in front of a broker: records the batches it forwards, can drop the broker's answers, can cut. */
class BrokerTap {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private down = false;
  /** Broker → gateway bytes are dropped (PUBACKs and BatchAcks lost) while set. */
  muteDown = false;
  readonly parser = new PublishParser();

  constructor(private readonly targetPort: number) {}

  async start(): Promise<string> {
    const server = createServer((client) => {
      if (this.down) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      const close = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      for (const s of [client, upstream]) {
        s.on('error', close);
        s.on('close', close);
      }
      client.on('data', (c: Buffer) => {
        this.parser.push(c);
        upstream.write(c);
      });
      upstream.on('data', (c: Buffer) => {
        if (!this.muteDown) client.write(c);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    this.server = server;
    return `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** The node becomes unreachable: every connection is dropped and new ones are closed at once. */
  cut(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Two clouds that both know gateway `id` with the same secret. */
async function twoClouds(t: Test, id: string): Promise<{ a: TestCloud; b: TestCloud; secret: string }> {
  const [a, b] = await Promise.all([startCloud(), startCloud()]);
  t.teardown(() => a.cloud.stop());
  t.teardown(() => b.cloud.stop());
  const secret = await a.cloud.createGateway(id);
  await b.cloud.store.createGateway(id, await hashSecret(secret));
  return { a, b, secret };
}

/** The values of `device` stored by a cloud, in time order. */
async function stored(c: TestCloud, device: string): Promise<number[]> {
  return (await c.cloud.store.readings({ deviceId: device, limit: 10_000 })).map((r) => Number(r.value));
}

const T0 = Math.floor(Date.now() / 1000) - 3600;
/** Sends readings `from`..`to`-1 (value = index, t = T0 + index) one after another; every one must get 2.04. */
async function feed(s: SimSensor, from: number, to: number): Promise<void> {
  for (let j = from; j < to; j++) {
    const r = await s.sendSenml([{ n: 'volume', u: 'm3', v: j, t: T0 + j }]);
    if (r.code !== '2.04') throw new Error(`reading ${j}: ${r.code} ${r.payload}`);
  }
}

/** How often each payload occurs, and the payloads once each. */
const copies = (xs: Buffer[]): number[] => xs.map((p) => xs.filter((q) => q.equals(p)).length);
const distinct = (xs: Buffer[]): Buffer[] => xs.filter((p, i) => xs.findIndex((q) => q.equals(p)) === i);
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const sorted = (xs: number[]): number[] => [...xs].sort((x, y) => x - y);

t.test('node A lost while readings flow: the edge moves to B, loses nothing, stores nothing twice', async (t) => {
  const { a, b, secret } = await twoClouds(t, 'gw-fo');
  const tapA = new BrokerTap(a.cloud.broker.port),
    tapB = new BrokerTap(b.cloud.broker.port);
  const urlA = await tapA.start(),
    urlB = await tapB.start();
  t.teardown(() => Promise.all([tapA.stop(), tapB.stop()]));
  const { agent, logs } = await startEdge(
    edgeConfig(tempDir('yw-fo-'), 'gw-fo', secret, '', {
      cloud: { urls: [urlA, urlB], reconnect_ms: 100 },
      // a window wide enough that every batch of phase 2 goes out although none is acknowledged
      // ack timeout 2.5 s: a batch whose ack was lost goes to A again (same key) before A is cut
      sync: { linger_ms: 20, ack_timeout_ms: 2500, batch_min_readings: 5, inflight: 200 },
    }),
  );
  t.teardown(() => agent.stop());
  // teardowns run last first: the taps are cut before the agent stops
  t.teardown(() => {
    tapA.cut();
    tapB.cut();
  });
  t.equal(agent.config.cloud.url, urlA, 'cloud.url reads as the first broker');
  await until('online at A', () => agent.uplink.state === 'online', 10_000);
  t.equal(agent.uplink.url, urlA, 'the first broker is tried first');

  const sensor = new SimSensor('meter-fo', { host: '127.0.0.1', port: agent.coap.port });
  t.teardown(() => sensor.close());
  const N1 = 60,
    N2 = 40,
    N3 = 60;
  // 1: delivered to A and acknowledged
  await feed(sensor, 0, N1);
  await until('phase 1 acknowledged by A', () => agent.uplink.counters.readingsAcked === N1, 15_000);
  // 2: A stores the batches, but its acks never reach the edge
  const acked = tapA.parser.batches().length;
  tapA.muteDown = true;
  await feed(sensor, N1, N1 + N2);
  await until('A stored phase 2', async () => (await stored(a, 'meter-fo')).length === N1 + N2, 15_000);
  t.equal(agent.uplink.counters.readingsAcked, N1, 'the acks of phase 2 were lost: the edge still holds it');
  t.equal(agent.store.stats().rows, N2, 'phase 2 is held, unacknowledged');
  // the ack timer resends to A: A sees the same batch again and stores nothing twice
  const sentToA = (): Buffer[] => tapA.parser.batches().slice(acked);
  await until('a batch sent to A twice', () => copies(sentToA()).some((n) => n > 1), 10_000);
  await until(
    'A answered a resent batch as a duplicate',
    async () => (await a.cloud.store.stats()).duplicates >= 1,
    10_000,
  );
  t.ok((await a.cloud.store.stats()).duplicates >= 1, 'A answered a resent batch as a duplicate');
  t.same(sorted(await stored(a, 'meter-fo')), range(0, N1 + N2), 'A stored it once');
  const lostOnes = distinct(sentToA());
  const timeoutsAtCut = agent.uplink.counters.timeouts;

  // 3: A becomes unreachable while readings keep coming
  const cutAt = Date.now();
  tapA.cut();
  const phase3 = feed(sensor, N1 + N2, N1 + N2 + N3);
  await until('online at B', () => agent.uplink.state === 'online' && agent.uplink.url === urlB, 10_000, 10);
  const failoverMs = Date.now() - cutAt;
  t.ok(failoverMs < 10_000, `connected to B ${failoverMs} ms after A was cut`);
  await phase3;
  await until('everything acknowledged', () => agent.store.stats().rows === 0, 20_000);

  const all = range(0, N1 + N2 + N3);
  const inA = await stored(a, 'meter-fo'),
    inB = await stored(b, 'meter-fo');
  t.same(sorted(inA), range(0, N1 + N2), 'A holds phases 1 and 2, each reading once');
  t.same(sorted(inB), range(N1, N1 + N2 + N3), 'B holds phase 2 (resent) and phase 3, each reading once');
  t.same(sorted([...new Set([...inA, ...inB])]), all, 'every produced reading is in A or B');
  t.equal(agent.uplink.counters.readingsAcked, all.length, 'every reading acknowledged once on the edge');
  t.equal(new Set(inA).size, inA.length, 'no reading twice in A');
  t.equal(new Set(inB).size, inB.length, 'no reading twice in B');

  // the batches whose acks were lost went to B byte for byte (the existing resend path)
  const toB = tapB.parser.batches();
  t.ok(lostOnes.length > 0, 'some batches had their ack lost');
  const inB1 = lostOnes.map((p) => toB.filter((q) => q.equals(p)).length);
  t.ok(
    inB1.every((n) => n >= 1),
    `each of the ${lostOnes.length} unacknowledged batches reached B byte for byte`,
  );
  const bStats = await b.cloud.store.stats();
  t.equal(bStats.readings, N2 + N3, "B's store holds each reading once");
  t.ok(agent.uplink.counters.resends >= lostOnes.length, 'they went out as resends of the uplink, counted');
  if (agent.uplink.counters.timeouts === timeoutsAtCut) {
    // no ack timer fired since: the resend on connect was the only one (mqtt.js does not resend them too)
    t.same(
      inB1,
      lostOnes.map(() => 1),
      'each went to B once',
    );
    t.equal(bStats.duplicates, 0, 'B was sent no batch twice');
  } else t.equal(bStats.duplicates, toB.length - distinct(toB).length, "B's duplicates are the repeated sends");
  t.comment(
    `B: ${toB.length} batch publishes, ${bStats.batches} batches, ${bStats.duplicates} duplicates; edge ${JSON.stringify(agent.uplink.counters)}`,
  );

  // what the agent shows about the cloud connection
  const s = agent.status();
  t.equal(s.uplink.url, urlB, 'status names the broker in use');
  t.same(s.uplink.urls, [urlA, urlB], 'status lists the configured brokers');
  t.ok(s.uplink.brokerSwitches >= 1, 'broker switches counted');
  t.match(
    renderStatus(s),
    new RegExp(`uplink +online +${urlB.replace(/\./g, '\\.')} \\(broker 2 of 2\\)`),
    'yiwang-edge status',
  );
  t.ok(
    logs.lines.some((l) => l.msg === 'cloud broker failover: connected to another broker' && l.url === urlB),
    'the failover is logged with the new URL',
  );
});

t.test('an unreachable first broker: the edge connects to the second', async (t) => {
  const { b, secret } = await twoClouds(t, 'gw-fo2');
  const dead = `mqtt://127.0.0.1:${await closedPort()}`;
  const { agent, logs } = await startEdge(
    edgeConfig(tempDir('yw-fo2-'), 'gw-fo2', secret, dead, { cloud: { urls: [dead, b.mqttUrl], reconnect_ms: 100 } }),
  );
  t.teardown(() => agent.stop());
  await until('online at the second broker', () => agent.uplink.state === 'online', 10_000, 10);
  t.equal(agent.uplink.url, b.mqttUrl);
  t.match(
    edgeBanner(agent, false),
    `cloud        ${dead}  ${b.mqttUrl}   (in turn when one is unreachable)`,
    'run banner',
  );
  t.ok(
    logs.lines.some((l) => l.code === 'EDGE_ERR_CLOUD_CONNECT' && l.url === dead),
    'the failed connect names the unreachable URL',
  );
  const sensor = new SimSensor('meter-2', { host: '127.0.0.1', port: agent.coap.port });
  t.teardown(() => sensor.close());
  await feed(sensor, 0, 3);
  await until('delivered to B', async () => (await stored(b, 'meter-2')).length === 3, 10_000);
  t.same(await stored(b, 'meter-2'), [0, 1, 2]);
});

t.test('a broker that refuses the gateway counts as unreachable: the next one is used', async (t) => {
  const [a, b] = await Promise.all([startCloud(), startCloud()]);
  t.teardown(() => a.cloud.stop());
  t.teardown(() => b.cloud.stop());
  const secret = await b.cloud.createGateway('gw-fo3'); // A does not know the gateway: CONNACK refused
  const { agent, logs } = await startEdge(
    edgeConfig(tempDir('yw-fo3-'), 'gw-fo3', secret, a.mqttUrl, {
      cloud: { urls: [a.mqttUrl, b.mqttUrl], reconnect_ms: 50 },
    }),
  );
  t.teardown(() => agent.stop());
  await until('online at B', () => agent.uplink.state === 'online', 10_000, 10);
  t.equal(agent.uplink.url, b.mqttUrl);
  t.ok(
    logs.lines.some(
      (l) => l.code === 'EDGE_ERR_CLOUD_CONNECT' && l.url === a.mqttUrl && /credentials/.test(String(l.err)),
    ),
    'A refused the credentials',
  );
  t.equal(agent.status().uplink.lastError, null, 'no error once connected');
});

t.test('mqtts://: A stopped for real, B verified under its own name with the same fleet CA', async (t) => {
  // one fleet CA (shared pki dir); A's certificate names only localhost, B's only 127.0.0.1, so the
  // TLS server name must follow the broker (mqtt.js's own `servers` option keeps the first one)
  const pki = tempDir('yw-fo-pki-');
  const a = await startCloud(undefined, { pki: { dir: pki }, tls: { hostnames: ['localhost'] } });
  const b = await startCloud(undefined, { pki: { dir: pki }, tls: { hostnames: ['127.0.0.1'] } });
  let aStopped = false;
  t.teardown(() => (aStopped ? undefined : a.cloud.stop()));
  t.teardown(() => b.cloud.stop());
  const secret = await a.cloud.createGateway('gw-tls');
  await b.cloud.store.createGateway('gw-tls', await hashSecret(secret));
  const urlA = `mqtts://localhost:${a.cloud.broker.tlsPort}`,
    urlB = `mqtts://127.0.0.1:${b.cloud.broker.tlsPort}`;
  const { agent } = await startEdge(
    edgeConfig(tempDir('yw-fo-tls-'), 'gw-tls', secret, '', {
      cloud: { urls: [urlA, urlB], reconnect_ms: 100, ca_file: join(pki, 'fleet-ca.crt') },
    }),
  );
  t.teardown(() => agent.stop());
  await until('online at A', () => agent.uplink.state === 'online', 10_000, 10);
  t.equal(agent.uplink.url, urlA, 'A first, verified as localhost');
  const sensor = new SimSensor('meter-tls', { host: '127.0.0.1', port: agent.coap.port });
  t.teardown(() => sensor.close());
  await feed(sensor, 0, 5);
  await until('A has the first readings', async () => (await stored(a, 'meter-tls')).length === 5, 10_000);
  const inA = await stored(a, 'meter-tls');
  await a.cloud.stop();
  aStopped = true;
  await feed(sensor, 5, 10);
  await until('online at B', () => agent.uplink.state === 'online' && agent.uplink.url === urlB, 10_000, 10);
  await until('B has the rest', async () => (await stored(b, 'meter-tls')).length >= 5, 10_000);
  await until('everything acknowledged', () => agent.store.stats().rows === 0, 10_000);
  t.same(inA, range(0, 5), 'A had the first five');
  t.same(
    sorted([...new Set([...inA, ...(await stored(b, 'meter-tls'))])]),
    range(0, 10),
    'every reading in A or B, over TLS',
  );
  t.equal(agent.status().uplink.lastError, null, 'no TLS error on B');
});

t.test('the agent stops although the broker stopped answering with batches in flight', async (t) => {
  const c = await startCloud();
  t.teardown(() => c.cloud.stop());
  const secret = await c.cloud.createGateway('gw-mute');
  const tap = new BrokerTap(c.cloud.broker.port);
  const url = await tap.start();
  t.teardown(() => tap.stop());
  const { agent } = await startEdge(edgeConfig(tempDir('yw-fo-mute-'), 'gw-mute', secret, url));
  await until('online', () => agent.uplink.state === 'online', 10_000, 10);
  tap.muteDown = true;
  const sensor = new SimSensor('meter-mute', { host: '127.0.0.1', port: agent.coap.port });
  t.teardown(() => sensor.close());
  await feed(sensor, 0, 3);
  await until('a batch in flight', () => tap.parser.batches().length > 0, 10_000, 10);
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([
    agent.stop().then(() => 'stopped'),
    new Promise<string>((r) => {
      timer = setTimeout(() => r('still waiting for a PUBACK'), 5000);
    }),
  ]);
  clearTimeout(timer);
  t.equal(stopped, 'stopped', 'stop() does not wait for acks that never come');
});

t.test('config: cloud.urls is checked against cloud.url and its limits', async (t) => {
  const dir = tempDir('yw-fo-cfg-');
  let n = 0;
  const load = (toml: string): ReturnType<typeof loadEdgeConfig> => {
    const f = join(dir, `c${n++}.toml`);
    writeFileSync(f, toml);
    return loadEdgeConfig(f);
  };
  const list = (k: number, scheme = 'mqtt'): string =>
    `[${Array.from({ length: k }, (_, i) => `"${scheme}://b${i}.example:1883"`).join(', ')}]`;

  t.equal(load('[cloud]\nurl = "mqtt://one:1883"\n').cloud.url, 'mqtt://one:1883', 'cloud.url alone works as before');
  t.same(load('[cloud]\nurl = "mqtt://one:1883"\n').cloud.urls, [], 'cloud.urls defaults to []');
  const c = load(`[cloud]\nurls = ${list(MAX_BROKER_URLS)}\n`);
  t.equal(c.cloud.urls.length, 16, '16 brokers are allowed');
  t.equal(c.cloud.url, 'mqtt://b0.example:1883', 'without cloud.url, it reads as the first broker');
  t.equal(
    load(`[cloud]\nurl = "mqtt://b0.example:1883"\nurls = ${list(2)}\n`).cloud.url,
    'mqtt://b0.example:1883',
    'cloud.url equal to the first entry is accepted',
  );
  t.equal(load(`[cloud]\nurl = ""\nurls = ${list(2)}\n`).cloud.url, 'mqtt://b0.example:1883', 'an empty cloud.url too');

  t.throws(() => load(`[cloud]\nurls = ${list(MAX_BROKER_URLS + 1)}\n`), {
    code: 'CONFIG_ERR_INVALID',
    message: /c\d+\.toml: cloud\.urls lists 17 brokers; at most 16 are allowed/,
  });
  t.throws(() => load(`[cloud]\nurl = "mqtt://other:1883"\nurls = ${list(2)}\n`), {
    code: 'CONFIG_ERR_INVALID',
    message:
      /cloud\.url "mqtt:\/\/other:1883" conflicts with cloud\.urls, whose first broker is "mqtt:\/\/b0\.example:1883"/,
  });
  t.throws(
    () => load(`[cloud]\nurl = "mqtt://127.0.0.1:1883"\nurls = ${list(2)}\n`),
    { code: 'CONFIG_ERR_INVALID', message: /conflicts with cloud\.urls/ },
    'cloud.url written as its default value still conflicts',
  );
  t.throws(() => load('[cloud]\nurls = ["mqtt://a:1883", "mqtts://b:8883"]\n'), {
    code: 'CONFIG_ERR_INVALID',
    message: /mixes mqtt:\/\/ and mqtts:\/\/ .*same TLS settings/,
  });
  t.throws(() => load('[cloud]\nurls = ["mqtt://a:1883", "mqtt://a:1883"]\n'), {
    code: 'CONFIG_ERR_INVALID',
    message: /lists "mqtt:\/\/a:1883" twice/,
  });
  t.throws(() => load('[cloud]\nurls = ["http://a"]\n'), {
    code: 'CONFIG_ERR_INVALID',
    message: /cloud\.urls\[0\]: "http:\/\/a" must be mqtt:\/\/host\[:port\] or mqtts:\/\/host\[:port\]/,
  });
  t.throws(() => load('[cloud]\nurls = ["mqtt://u:p@a:1883"]\n'), {
    code: 'CONFIG_ERR_INVALID',
    message: /carries credentials/,
  });
  t.throws(() => loadEdgeConfig(undefined, { cloud: { url: 'mqtt://x:1', urls: ['mqtt://y:1'] } }), {
    code: 'CONFIG_ERR_INVALID',
    message: /^defaults: cloud\.url "mqtt:\/\/x:1" conflicts/,
  });
});

t.test('provisioning writes cloud.url and keeps cloud.urls only when it still starts with it', async (t) => {
  const dir = tempDir('yw-fo-prov-');
  const id = {
    gatewayId: 'gw-p',
    secret: 's3cret',
    configPublicKey: Buffer.alloc(32, 1),
    caPem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
    group: '',
    site: '',
    district: '',
    tlsUrl: 'mqtts://a.example:8883',
  };
  const file = join(dir, 'edge.toml');
  writeFileSync(file, '[cloud]\nurls = ["mqtt://a.example:1883", "mqtt://b.example:1883"]\n');
  const plain = writeIdentity(file, id, 'mqtt://a.example:1883', false);
  t.same(plain.droppedUrls, [], 'a claim over the first broker keeps the list');
  t.same(loadEdgeConfig(file).cloud.urls, ['mqtt://a.example:1883', 'mqtt://b.example:1883']);
  const tls = writeIdentity(file, id, 'mqtt://a.example:1883', true);
  t.same(tls.droppedUrls, ['mqtt://a.example:1883', 'mqtt://b.example:1883'], 'the switch to TLS drops the plain list');
  const c = loadEdgeConfig(file);
  t.same([c.cloud.url, c.cloud.urls], ['mqtts://a.example:8883', []], 'the file loads: cloud.url alone');
});
