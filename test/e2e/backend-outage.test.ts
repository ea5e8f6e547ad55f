/**
 * PostgreSQL and Redis lost during ingest (issue 19): a cloud node on PostgreSQL and Redis, each
 * behind a loopback link that can be cut (dropping every connection, as a server restart does);
 * a real edge agent fed over real CoAP. While PostgreSQL is gone the cloud acknowledges nothing and
 * the edge keeps what it was given; Redis is not on the ingest path (a batch is ingested on the node
 * where it arrives and never crosses Redis, cloud/broker/cluster-mq.ts), so while Redis is gone
 * ingest goes on and only what crosses nodes waits. Once the backend is back every reading has
 * arrived exactly once.
 */
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { edgeConfig, startCloud, startEdge, tempDir, type TestCloud } from '../helpers/fleet.js';
import { FaultyLink } from '../helpers/tcp-proxy.js';
import { tempPgDatabase } from '../helpers/pg.js';
import { until } from '../helpers/wait.js';
import { SimSensor } from '../../scripts/sim/coap-sensors.js';
import type { EdgeAgent } from '../../edge/agent.js';

t.setTimeout(180_000);
const T0 = Math.floor(Date.now() / 1000) - 3600;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function feed(s: SimSensor, from: number, to: number): Promise<void> {
  for (let j = from; j < to; j++) {
    const r = await s.sendSenml([{ n: 'volume', u: 'm3', v: j, t: T0 + j }]);
    if (r.code !== '2.04') throw new Error(`reading ${j}: ${r.code} ${r.payload}`);
  }
}

async function setup(t: Test): Promise<{ cloud: TestCloud; agent: EdgeAgent; pg: FaultyLink; redis: FaultyLink }> {
  const pg = new FaultyLink(5432);
  const redis = new FaultyLink(6379);
  const pgPort = await pg.start();
  const redisPort = await redis.start();
  t.teardown(() => pg.stop());
  t.teardown(() => redis.stop());
  const url = new URL(await tempPgDatabase(t));
  url.port = String(pgPort);
  const prefix = `ywout${randomBytes(4).toString('hex')}:`;
  t.teardown(async () => {
    const r = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    await r.connect();
    const keys = await r.keys(`${prefix}*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
  });
  const cloud = await startCloud(tempDir('yw-out-cloud-'), {
    store: { backend: 'postgres', postgres_url: url.toString(), postgres_pool: 4 },
    cluster: { redis_url: `redis://127.0.0.1:${redisPort}`, redis_prefix: prefix, node_id: 'out-a' },
    // sweeps and flushes run during every outage: their failures must be logged, never crash the node
    health: { sweep_ms: 200, flush_ms: 100 },
  });
  t.teardown(() => cloud.cloud.stop());
  const secret = await cloud.cloud.createGateway('gw-out');
  const dir = tempDir('yw-out-edge-');
  const { agent } = await startEdge(
    edgeConfig(dir, 'gw-out', secret, cloud.mqttUrl, { sync: { ack_timeout_ms: 1500 } }),
  );
  t.teardown(() => agent.stop());
  await until('online', () => agent.uplink.state === 'online', 15_000);
  return { cloud, agent, pg, redis };
}

async function outage(t: Test, which: 'pg' | 'redis'): Promise<void> {
  const { cloud, agent, pg, redis } = await setup(t);
  const link = which === 'pg' ? pg : redis;
  const sensor = new SimSensor(`meter-${which}`, { host: '127.0.0.1', port: agent.coap.port });
  t.teardown(() => sensor.close());
  await feed(sensor, 0, 50);
  await until('phase 1 acknowledged', () => agent.uplink.counters.readingsAcked === 50, 20_000);

  link.cut();
  await feed(sensor, 50, 120); // the edge takes them: its store does not need the cloud
  if (which === 'pg') {
    await sleep(3000);
    t.equal(agent.uplink.counters.readingsAcked, 50, 'nothing acknowledged while PostgreSQL is gone');
    t.equal(agent.store.stats().rows, 70, 'the edge holds the readings given meanwhile');
    t.ok(cloud.cloud.health.counters.sweepErrors > 0, 'health sweeps failed meanwhile, the node lives');
  } else {
    await until(
      'the readings given during the Redis outage acknowledged',
      () => agent.uplink.counters.readingsAcked === 120,
      20_000,
      100,
    );
    t.pass('ingest went on while Redis was gone: 120 acknowledged (stored in PostgreSQL first)');
    t.equal(agent.store.stats().rows, 0, 'the edge holds nothing back');
    t.ok(
      cloud.cloud.broker.counters.clusterRedisErrors > 0,
      'the lost Redis link was seen and counted, the node lives',
    );
  }
  await feed(sensor, 120, 150);

  link.restore();
  await until('everything acknowledged after the restore', () => agent.store.stats().rows === 0, 60_000, 100);
  t.equal(agent.uplink.counters.readingsAcked >= 150, true, 'the edge saw all 150 acknowledged');
  const got = (await cloud.cloud.store.readings({ deviceId: `meter-${which}`, limit: 1000 })).map((r) =>
    Number(r.value),
  );
  t.same(
    got,
    Array.from({ length: 150 }, (_, i) => i),
    'every reading once, in order',
  );
}

t.test('PostgreSQL lost and back during ingest', (t) => outage(t, 'pg'));
t.test('Redis lost and back during ingest', (t) => outage(t, 'redis'));
