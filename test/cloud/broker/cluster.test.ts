/**
 * Several cloud nodes sharing one Redis (issue 19 item 3; cloud/broker/cluster-backends.ts): real
 * CloudServer nodes on their own SQLite stores in temp dirs, the same gateway registered in each,
 * MQTT on port 0, a Redis key and channel prefix of their own (its keys are deleted afterwards),
 * real MQTT clients (the `mqtt` package).
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { Redis } from 'ioredis';
import { Aedes } from 'aedes';
import { createServer, type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { startCloud, tempDir, type TestCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { FaultyLink } from '../../helpers/tcp-proxy.js';
import { captureLog } from '../../helpers/log-capture.js';
import { hashSecret } from '../../../cloud/registry/secrets.js';
import { pb } from '../../../proto/index.js';
import { topics } from '../../../proto/topics.js';
import { CloudBroker } from '../../../cloud/broker/broker.js';
import { createClusterBackends, type ClusterBackends } from '../../../cloud/broker/cluster-backends.js';
import { retainedPersistenceOf } from '../../../cloud/broker/aedes-internals.js';
import type { RetainedPersistence } from '../../../cloud/broker/retained-index.js';
import type { CloudStore } from '../../../cloud/store/cloud-store.js';
import type { BatchIngest } from '../../../cloud/ingest/ingest.js';

const REDIS_PORT = 6379;
const REDIS_URL = `redis://127.0.0.1:${REDIS_PORT}`;
const PREFIX = `ywtest-${randomBytes(4).toString('hex')}:`;
const SECRET = 'cluster-test-secret-0123456789';

const admin = new Redis(REDIS_URL, { lazyConnect: true });
t.before(async () => {
  await admin.connect();
});
t.teardown(async () => {
  // every key of this run carries its prefix
  let left = 0;
  for await (const keys of admin.scanStream({ match: `${PREFIX}*`, count: 1000 }) as AsyncIterable<string[]>)
    if (keys.length) left += await admin.del(...keys);
  t.comment(`deleted ${left} Redis keys of prefix ${PREFIX}`);
  admin.disconnect();
});

const nodes: TestCloud[] = [];
async function startNode(nodeId: string, redisUrl = REDIS_URL): Promise<TestCloud> {
  const node = await startCloud(tempDir(`yw-cluster-${nodeId}-`), {
    tls: { enabled: false },
    cluster: { redis_url: redisUrl, redis_prefix: PREFIX, node_id: nodeId },
  });
  nodes.push(node);
  return node;
}
t.teardown(async () => {
  for (const n of nodes.splice(0)) await n.cloud.stop();
});

/** The same gateway (same secret) in each node's own store. */
async function register(id: string, ...on: TestCloud[]): Promise<void> {
  const hash = await hashSecret(SECRET);
  for (const n of on) await n.cloud.store.createGateway(id, hash);
}

const online = (): Buffer => Buffer.from(pb.Presence.encode({ online: true }).finish());
const offline = (): Buffer => Buffer.from(pb.Presence.encode({ online: false }).finish());

/** A gateway's MQTT session as the edge agent opens it: clean, its will the offline Presence. */
async function gateway(node: TestCloud, id: string): Promise<MqttClient> {
  const c = await mqtt.connectAsync(node.mqttUrl, {
    clientId: id,
    username: id,
    password: SECRET,
    clean: true,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    will: { topic: topics.state(id), payload: offline(), qos: 1, retain: true },
  });
  await c.subscribeAsync(`yw/v1/gw/${id}/down/#`, { qos: 1 });
  return c;
}

function nextMessage(c: MqttClient, timeoutMs = 5000): Promise<{ topic: string; payload: Buffer; retain: boolean }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
    c.once('message', (topic, payload, packet) => {
      clearTimeout(timer);
      resolve({ topic, payload, retain: packet.retain });
    });
  });
}

const publishOn = (node: TestCloud, topic: string, payload: Buffer, retain = false): Promise<void> =>
  new Promise((resolve, reject) =>
    node.cloud.broker.aedes.publish({ cmd: 'publish', topic, payload, qos: 1, retain, dup: false }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

let a: TestCloud, b: TestCloud;
t.before(async () => {
  [a, b] = await Promise.all([startNode('node-a'), startNode('node-b')]);
});

t.test('a downlink published on node A reaches the gateway connected to node B', async (t) => {
  await register('gw-down', a, b);
  const gw = await gateway(b, 'gw-down');
  t.teardown(() => gw.endAsync());
  const first = nextMessage(gw);
  await publishOn(a, topics.down('gw-down', 'config'), Buffer.from('config-1'));
  const m = await first;
  t.equal(m.topic, topics.down('gw-down', 'config'));
  t.equal(m.payload.toString(), 'config-1');

  // A → Redis → B → gateway, one at a time
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const got = nextMessage(gw);
    const t0 = process.hrtime.bigint();
    await publishOn(a, topics.down('gw-down', 'cmd'), Buffer.from(`cmd-${i}`));
    const r = await got;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.payload.toString() !== `cmd-${i}`) t.fail(`message ${i} out of order: ${r.payload.toString()}`);
  }
  t.equal(times.length, 50, '50 downlinks A→B delivered in order');
  t.comment(`downlink A→B: median ${median(times).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms (50)`);
  // bounded, not a benchmark: the machine may be busy with other tests
  t.ok(median(times) < 2000, `median A→B ${median(times).toFixed(2)} ms`);
});

t.test('a retained message stored via node A reaches a subscriber on node B', async (t) => {
  await register('gw-ret', a, b);
  // the gateway's own retained Presence, published through A; and a retained downlink stored on A
  const onA = await gateway(a, 'gw-ret');
  await onA.publishAsync(topics.state('gw-ret'), online(), { qos: 1, retain: true });
  await onA.endAsync();
  await publishOn(a, topics.down('gw-ret', 'config'), Buffer.from('retained-config'), true);

  // B's persistence has the Presence (the retained lookup as a SUBSCRIBE makes it: through the index)
  const got: string[] = [];
  for await (const p of retainedPersistenceOf(b.cloud.broker.aedes).createRetainedStreamCombi([
    topics.state('gw-ret'),
    'yw/v1/gw/gw-ret/+',
  ]) as AsyncIterable<{ topic: string; payload: Buffer }>)
    got.push(`${p.topic}:${pb.Presence.decode(p.payload).online}`);
  t.same(got, [`${topics.state('gw-ret')}:true`], "node B's retained lookup finds the Presence stored via A");

  // a subscriber on B gets the retained downlink stored on A
  const gw = await mqtt.connectAsync(b.mqttUrl, {
    clientId: 'gw-ret',
    username: 'gw-ret',
    password: SECRET,
    clean: true,
    reconnectPeriod: 0,
  });
  t.teardown(() => gw.endAsync());
  const m = nextMessage(gw);
  await gw.subscribeAsync('yw/v1/gw/gw-ret/down/#', { qos: 1 });
  const r = await m;
  t.equal(r.topic, topics.down('gw-ret', 'config'));
  t.equal(r.payload.toString(), 'retained-config');
  t.ok(r.retain, 'flagged retained');

  // an empty retained payload deletes it everywhere (and from the index)
  await publishOn(b, topics.down('gw-ret', 'config'), Buffer.alloc(0), true);
  const left: string[] = [];
  for await (const p of retainedPersistenceOf(a.cloud.broker.aedes).createRetainedStream(
    'yw/v1/gw/gw-ret/down/#',
  ) as AsyncIterable<{ topic: string }>)
    left.push(p.topic);
  t.same(left, [], 'deleted via B, gone on A');
  t.same(await admin.smembers(`${PREFIX}p:rr:yw/v1/gw/gw-ret`), [topics.state('gw-ret')], 'index: the Presence only');
});

t.test('a gateway that connects to node B takes its session over from node A', async (t) => {
  await register('gw-move', a, b);
  const onA = await gateway(a, 'gw-move');
  await onA.publishAsync(topics.state('gw-move'), online(), { qos: 1, retain: true });
  const takenBefore = a.cloud.broker.counters.sessionsTakenOver;
  const closed = new Promise<number>((resolve) => onA.once('close', () => resolve(Date.now())));
  const t0 = Date.now();
  const onB = await gateway(b, 'gw-move');
  t.teardown(() => onB.endAsync());
  const closedAt = await Promise.race([
    closed,
    new Promise<number>((_, reject) => setTimeout(() => reject(new Error('A kept the session')), 5000)),
  ]);
  t.comment(`old connection on A closed ${closedAt - t0} ms after the connect to B began`);
  t.ok(closedAt - t0 < 5000, 'A closed its connection within 5 s');
  await until('A counted the take-over', () => a.cloud.broker.counters.sessionsTakenOver === takenBefore + 1, 5000);
  onA.end(true);

  // the gateway is alive on B: A published no will (Presence offline) for it
  const presence: boolean[] = [];
  for await (const p of retainedPersistenceOf(b.cloud.broker.aedes).createRetainedStream(
    topics.state('gw-move'),
  ) as AsyncIterable<{ payload: Buffer }>)
    presence.push(pb.Presence.decode(p.payload).online);
  t.same(presence, [true], 'retained Presence still online (no will from A)');

  // downlinks published on A now reach it on B
  const m = nextMessage(onB);
  await publishOn(a, topics.down('gw-move', 'config'), Buffer.from('after-move'));
  t.equal((await m).payload.toString(), 'after-move');
});

t.test('persistent sessions (clean=false, QoS 1) move between Aedes nodes on the same Redis', async (t) => {
  // CloudBroker refuses clean=false (CLOUD_ERR_PERSISTENT_SESSION, connect-policy.ts): the shared
  // backends are checked on plain Aedes brokers built from them
  const log = captureLog().log;
  const start = async (id: string): Promise<{ url: string; backends: ClusterBackends; aedes: Aedes }> => {
    const backends = await createClusterBackends({ redisUrl: REDIS_URL, prefix: PREFIX, nodeId: id }, log);
    const aedes = await Aedes.createBroker({ id, mq: backends.mq, persistence: backends.persistence });
    const server = createServer(aedes.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.teardown(async () => {
      await new Promise<void>((r) => aedes.close(() => r()));
      await backends.close();
      await new Promise<void>((r) => server.close(() => r()));
    });
    return { url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`, backends, aedes };
  };
  const [x, y] = await Promise.all([start('plain-x'), start('plain-y')]);
  const opts = { clientId: 'sess-1', clean: false, reconnectPeriod: 0, protocolVersion: 4 as const };
  const s1 = await mqtt.connectAsync(x.url, opts);
  await s1.subscribeAsync('sess/q', { qos: 1 });
  const closed = new Promise<void>((r) => s1.once('close', () => r()));
  // the same client id on Y: X closes its connection
  const s2 = await mqtt.connectAsync(y.url, opts);
  t.ok(s2.connected);
  await Promise.race([
    closed,
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error('X kept the session')), 5000)),
  ]);
  t.pass('X closed the old connection');
  s1.end(true);
  await s2.endAsync();

  // offline: a QoS 1 message published on X is queued in Redis for the session
  await new Promise<void>((resolve, reject) =>
    x.aedes.publish(
      { cmd: 'publish', topic: 'sess/q', payload: Buffer.from('queued'), qos: 1, retain: false, dup: false },
      (err) => (err ? reject(err) : resolve()),
    ),
  );
  const s3 = mqtt.connect(y.url, opts);
  t.teardown(() => s3.endAsync());
  const [connack] = (await new Promise((resolve) => s3.once('connect', (p) => resolve([p])))) as [
    { sessionPresent: boolean },
  ];
  t.ok(connack.sessionPresent, 'Y resumes the session begun on X');
  const m = await nextMessage(s3);
  t.equal(m.topic, 'sess/q');
  t.equal(m.payload.toString(), 'queued', 'the QoS 1 message queued while offline is delivered on Y');
});

t.test('Redis unreachable at start: CLOUD_ERR_CLUSTER', async (t) => {
  const log = captureLog().log;
  const closed = new FaultyLink(REDIS_PORT);
  const port = await closed.start();
  closed.cut();
  t.teardown(() => closed.stop());
  const o = {
    host: '127.0.0.1',
    port: 0,
    store: {} as CloudStore, // not reached: the cluster backends come first
    ingest: {} as BatchIngest,
    log,
  };
  await t.rejects(
    CloudBroker.start({ ...o, cluster: { redisUrl: `redis://127.0.0.1:${port}`, prefix: PREFIX, nodeId: 'x' } }),
    { code: 'CLOUD_ERR_CLUSTER', message: /cannot connect to Redis/ },
  );
  await t.rejects(
    CloudBroker.start({ ...o, cluster: { redisUrl: REDIS_URL, prefix: 'a*b', nodeId: 'x' } }),
    { code: 'CLOUD_ERR_CLUSTER', message: /redis_prefix/ },
    'a glob character in the prefix',
  );
  await t.rejects(
    CloudBroker.start({ ...o, cluster: { redisUrl: REDIS_URL, prefix: PREFIX, nodeId: 'node/1' } }),
    { code: 'CLOUD_ERR_CLUSTER', message: /node_id/ },
    'a topic level separator in the node id',
  );
});

t.test('Redis lost while running: logged and counted, no crash, back when it returns', async (t) => {
  const link = new FaultyLink(REDIS_PORT);
  const port = await link.start();
  t.teardown(() => link.stop());
  const c = await startNode('node-c', `redis://127.0.0.1:${port}`);
  await register('gw-lost', a, c);
  await register('gw-late', c);
  // connected before the link goes, it subscribes while Redis is gone
  const gw = await mqtt.connectAsync(c.mqttUrl, {
    clientId: 'gw-lost',
    username: 'gw-lost',
    password: SECRET,
    reconnectPeriod: 0,
  });
  t.teardown(() => gw.end(true));

  link.cut();
  const counters = c.cloud.broker.counters;
  await until('node C saw the link go', () => counters.clusterRedisDisconnects >= 1, 5000);
  // what would need Redis now fails without ending the process
  await t.rejects(
    publishOn(c, topics.down('gw-lost', 'cmd'), Buffer.from('lost')),
    'a publish fails while Redis is gone',
  );
  const late = mqtt.connect(c.mqttUrl, {
    clientId: 'gw-late',
    username: 'gw-late',
    password: SECRET,
    reconnectPeriod: 0,
    will: { topic: topics.state('gw-late'), payload: offline(), qos: 1, retain: true },
  });
  late.on('error', () => {});
  // its connect needs Redis (session, will): refused or closed, within the broker's connect timeout
  await Promise.race([
    new Promise<void>((r) => late.once('close', () => r())),
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error('connect neither refused nor closed')), 12_000)),
  ]);
  t.notOk(late.connected, 'a connect while Redis is gone does not stay up');
  await gw.subscribeAsync('yw/v1/gw/gw-lost/down/#', { qos: 1 });
  t.ok(counters.clusterRetainedErrors >= 1, 'its retained lookup failed: counted (and the SUBACK came)');
  t.ok(counters.clusterRedisErrors >= 1, `errors counted (${counters.clusterRedisErrors})`);
  t.ok(
    c.logs.withCode('CLOUD_ERR_CLUSTER').some((l) => l.msg === 'redis connection lost; reconnecting'),
    'logged',
  );

  link.restore();
  // once C is back on Redis, the subscription made during the outage gets downlinks from A
  let got = '';
  gw.on('message', (_topic, payload) => {
    got = payload.toString();
  });
  await until(
    'a downlink from A reaches the gateway on C again',
    async () => {
      await publishOn(a, topics.down('gw-lost', 'config'), Buffer.from('back'));
      return got === 'back';
    },
    10_000,
    200,
  );
  t.equal(got, 'back', 'the subscription made while Redis was gone works after the reconnect');
  t.ok(gw.connected, 'the gateway stayed connected through the outage');

  // and a node stops while Redis is gone (its queue cannot QUIT: it disconnects instead)
  link.cut();
  await until('node C saw the link go again', () => c.cloud.broker.cluster?.db.status !== 'ready', 5000);
  nodes.splice(nodes.indexOf(c), 1);
  const s0 = Date.now();
  await Promise.race([
    c.cloud.stop(),
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error('stop hung without Redis')), 10_000)),
  ]);
  t.ok(Date.now() - s0 < 10_000, `stopped in ${Date.now() - s0} ms without Redis`);
});

t.test('retained lookups with 20,000 retained Presence topics in Redis: index vs the persistence scan', async (t) => {
  const log = captureLog().log;
  const prefix = `${PREFIX}bench:`;
  const backends = await createClusterBackends({ redisUrl: REDIS_URL, prefix, nodeId: 'bench' }, log);
  t.teardown(() => backends.close());
  const indexed = backends.persistence as RetainedPersistence;
  // the persistence as it comes, on the same keys: what a SUBSCRIBE costs without the index
  const plain = (createRequire(import.meta.url)('aedes-persistence-redis') as (o: object) => RetainedPersistence)({
    conn: backends.db,
  });
  const N = 20_000;
  const t0 = Date.now();
  for (let i = 0; i < N; i += 1000) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < i + 1000; j++)
      batch.push(
        indexed.storeRetained({
          cmd: 'publish',
          topic: topics.state(`g${j}`),
          payload: online(),
          qos: 1,
          retain: true,
          brokerId: 'bench',
          brokerCounter: j,
        }) as Promise<unknown>,
      );
    await Promise.all(batch);
  }
  t.comment(`stored ${N} retained Presence messages in ${Date.now() - t0} ms`);
  const lookup = async (p: RetainedPersistence, filters: string[]): Promise<{ ms: number; topics: string[] }> => {
    const s = process.hrtime.bigint();
    const got: string[] = [];
    for await (const packet of p.createRetainedStreamCombi(filters) as AsyncIterable<{ topic: string }>)
      got.push(packet.topic);
    return { ms: Number(process.hrtime.bigint() - s) / 1e6, topics: got };
  };
  // a gateway's SUBSCRIBE (nothing retained under down/) and a filter that finds its Presence
  const down = ['yw/v1/gw/g12345/down/#'];
  const own = ['yw/v1/gw/g12345/#'];
  const plainRuns = [await lookup(plain, down), await lookup(plain, down), await lookup(plain, down)];
  const indexedRuns: { ms: number; topics: string[] }[] = [];
  for (let i = 0; i < 21; i++) indexedRuns.push(await lookup(indexed, down));
  t.same(indexedRuns[0]!.topics, [], 'indexed: nothing under down/');
  t.same(plainRuns[0]!.topics, [], 'scan: nothing under down/');
  t.same((await lookup(indexed, own)).topics, [topics.state('g12345')], 'indexed: the Presence');
  t.same((await lookup(plain, own)).topics, [topics.state('g12345')], 'scan: the same Presence');
  const pm = median(plainRuns.map((r) => r.ms)),
    im = median(indexedRuns.map((r) => r.ms));
  t.comment(
    `retained lookup, ${N} retained: persistence scan median ${pm.toFixed(1)} ms, index median ${im.toFixed(2)} ms`,
  );
  t.ok(im * 10 < pm, `the index is over 10× cheaper (${im.toFixed(2)} vs ${pm.toFixed(1)} ms)`);
});
