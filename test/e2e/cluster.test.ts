/**
 * Issue 19: a three-node cluster end to end. Three `yiwang-cloud serve` child processes (the built
 * CLI: A, B, C) share one PostgreSQL database (a temp one per run), one Redis (a random key prefix,
 * its keys deleted afterwards) and one PKI directory; 30 real edge agents (in-process, fed over real
 * CoAP by SimSensor) list the three brokers in cloud.urls, gateway i starting at node i % 3.
 *
 * - an alarm raised by a gateway connected to A appears in C's live feed (SSE);
 * - a config rollout started through A reaches the gateways connected to B and C, each in its wave
 *   (started once PostgreSQL shows every session up: a gateway then deferred as offline was judged
 *   from a stale view of the node sending the wave);
 * - a node (not A, not the leader) is SIGKILLed while the gateways drain their backlogs (the ingest
 *   quota keeps them draining for seconds): every gateway reconnects to a surviving node, and every
 *   reading the edge saw acknowledged is in PostgreSQL exactly once;
 * - the leader (the holder of the advisory lock, application_name yiwang-leader-<node>) is
 *   SIGKILLed during a rollout: another node holds the lock within 10 s and the rollout advances.
 */
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { tempDir } from '../helpers/fleet.js';
import { tempPgDatabase } from '../helpers/pg.js';
import { until } from '../helpers/wait.js';
import { killNode, startCloudNode, stopNode, type CloudNode } from '../helpers/cloud-node.js';
import { SimSensor } from '../../scripts/sim/coap-sensors.js';
import { claimIdentity } from '../../edge/provisioning/claim-client.js';
import { EdgeAgent } from '../../edge/agent.js';
import { loadEdgeConfig } from '../../edge/config.js';
import { silentLogger } from '../../common/log.js';
import { LEADER_LOCK } from '../../cloud/cluster/leader.js';

const REDIS_URL = process.env.YW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const GATEWAYS = 30;
/** Readings each gateway holds when the drain starts (device m-<i>, values 0..PER_GW-1). */
const PER_GW = 300;
/** Largest edge batch. */
const PACK = 20;
/** Readings per SenML request (a CoAP datagram holds at most 1280 bytes). */
const SENML_PACK = 20;
/** Ingest quota per gateway and node (readings/s): a backlog of PER_GW takes about 7 s to drain. */
const QUOTA = 40;
const T0 = Math.floor(Date.now() / 1000) - 3600;

const TH_PROFILE = `
[profile]
vendor = "Acme"
model = "TH-1"
reporting_interval_s = 600
[match]
coap_path = "acme-th"
[transport.coap]
raw = true
[layout]
length = 3
fields = [
  { name = "t", type = "i16", scale = 0.1, unit = "Cel" },
  { name = "rh", type = "u8", unit = "%RH" },
]
[metrics.temperature]
from = "t"
unit = "Cel"
[metrics.humidity]
from = "rh"
unit = "%RH"
[[alarms]]
metric = "temperature"
above = 50
clear = 45
event = "overheat"
severity = "critical"
[[vectors]]
hex = "00D72D"
readings = { temperature = 21.5, humidity = 45 }
`;

function nodeToml(id: string, dir: string, pki: string, pgUrl: string, prefix: string): string {
  return `[mqtt]
host = "127.0.0.1"
port = 0
[tls]
enabled = false
[http]
host = "127.0.0.1"
port = 0
[store]
backend = "postgres"
postgres_url = "${pgUrl}"
path = "${join(dir, id, 'cloud.db')}"
postgres_pool = 4
[pki]
dir = "${pki}"
[cluster]
redis_url = "${REDIS_URL}"
redis_prefix = "${prefix}"
node_id = "${id}"
[rollout]
tick_ms = 200
[ingest]
gateway_readings_per_s = ${QUOTA}
gateway_burst_readings = ${QUOTA}
gateway_max_delay_ms = 3000
[health]
live_ms = 200
[log]
level = "warn"
`;
}

async function api<T>(node: CloudNode, method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${node.api}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${node.id} ${method} ${path}: ${r.status} ${text}`);
  return JSON.parse(text) as T;
}

interface RolloutView {
  id: string;
  state: 'running' | 'completed' | 'aborted';
  wave: number;
  applied: number;
  members: string[];
  failed: Record<string, string>;
  deferred: Record<string, number>;
}

/** An SSE reader of GET /api/v1/live: the frames received so far. */
async function openLive(node: CloudNode): Promise<{ frames: string[]; close(): void }> {
  const ac = new AbortController();
  const res = await fetch(`${node.api}/api/v1/live`, { signal: ac.signal, headers: { accept: 'text/event-stream' } });
  if (!res.ok || !res.body) throw new Error(`${node.id} live: ${res.status}`);
  const frames: string[] = [];
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buf += dec.decode(value, { stream: true });
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          frames.push(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
      }
    } catch {
      // aborted
    }
  })();
  return { frames, close: () => ac.abort() };
}

interface Gw {
  i: number;
  id: string;
  agent: EdgeAgent;
  sensor: SimSensor;
  urls: string[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

t.test('three nodes: failover, exactly-once, rollout and alarm across nodes, leader takeover', async (t: Test) => {
  const started = Date.now();
  const pgUrl = await tempPgDatabase(t, 'yw_cluster');
  const prefix = `ywe2e-${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  t.teardown(async () => {
    let n = 0;
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>)
      if (keys.length) n += await redis.del(...keys);
    t.comment(`deleted ${n} Redis keys of prefix ${prefix}`);
    redis.disconnect();
  });
  const db = new pg.Client({ connectionString: pgUrl });
  await db.connect();
  t.teardown(() => db.end());

  // ── three nodes: A first (creates the PKI and the schema), then B and C ──
  const dir = tempDir('yw-cluster-e2e-');
  const pki = join(dir, 'pki');
  for (const id of ['A', 'B', 'C']) mkdirSync(join(dir, id));
  const nodes: CloudNode[] = [];
  t.teardown(async () => {
    await Promise.all(nodes.map((n) => stopNode(n, 5000)));
  });
  nodes.push(await startCloudNode('A', dir, nodeToml('A', dir, pki, pgUrl, prefix)));
  nodes.push(
    ...(await Promise.all(['B', 'C'].map((id) => startCloudNode(id, dir, nodeToml(id, dir, pki, pgUrl, prefix))))),
  );
  const [A, B, C] = nodes as [CloudNode, CloudNode, CloudNode];
  const byUrl = new Map(nodes.map((n) => [n.mqttUrl, n]));
  const alive = (n: CloudNode): boolean => n.child.exitCode === null && n.child.signalCode === null;
  const failMsg = (n: CloudNode): string => `${n.id} log tail:\n${n.log.slice(-15).join('\n')}`;
  t.comment(`nodes up in ${Date.now() - started} ms`);

  /** The node whose leader connection holds the leader's advisory lock now (undefined: none). */
  const lockHolder = async (): Promise<string | undefined> => {
    const r = await db.query<{ app: string }>(
      `SELECT a.application_name AS app FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND l.classid::text::bigint = $1 AND l.objid::text::bigint = $2 AND l.objsubid = 1`,
      [Math.floor(LEADER_LOCK / 2 ** 32), LEADER_LOCK % 2 ** 32],
    );
    const apps = r.rows.map((x) => x.app);
    if (apps.length > 1) throw new Error(`two holders of the leader lock: ${apps.join(', ')}`);
    return apps[0]?.replace(/^yiwang-leader-/, '');
  };
  await until('a leader', async () => (await lockHolder()) !== undefined, 10_000, 50);
  const leaderId = (await lockHolder())!;
  t.ok(['A', 'B', 'C'].includes(leaderId), `node ${leaderId} holds the leader lock`);

  // ── 30 gateways: claimed through the node they start at, same group ──
  const { token } = await api<{ token: string }>(A, 'POST', '/api/v1/claims', { group: 'east', uses: GATEWAYS });
  await api(A, 'PUT', '/api/v1/config/groups/east', { toml: '[sampling]\ndefault_interval_s = 300\n' });
  const overlay = join(dir, 'profiles');
  mkdirSync(join(overlay, 'acme'), { recursive: true });
  writeFileSync(join(overlay, 'acme', 'th-1.toml'), TH_PROFILE);
  const gws: Gw[] = [];
  t.teardown(async () => {
    for (const g of gws) g.sensor.close();
    await Promise.all(gws.map((g) => g.agent.stop()));
  });
  const urlsOf = (i: number): string[] => [0, 1, 2].map((k) => nodes[(i + k) % 3]!.mqttUrl);
  for (let from = 0; from < GATEWAYS; from += 10) {
    const ids = await Promise.all(
      Array.from({ length: Math.min(10, GATEWAYS - from) }, (_, k) =>
        claimIdentity({
          url: urlsOf(from + k)[0]!,
          token,
          requestedId: `gw-${String(from + k).padStart(2, '0')}`,
          timeoutMs: 15_000,
        }),
      ),
    );
    const started = await Promise.all(
      ids.map(async (id, k) => {
        const i = from + k;
        const gdir = join(dir, id.gatewayId);
        mkdirSync(gdir);
        const config = loadEdgeConfig(undefined, {
          gateway: { id: id.gatewayId, secret: id.secret, config_key: id.configPublicKey.toString('base64') },
          cloud: { urls: urlsOf(i), reconnect_ms: 100 },
          store: { path: join(gdir, 'edge.db') },
          coap: { host: '127.0.0.1', port: 0 },
          sync: { linger_ms: 20, batch_max_readings: PACK, batch_min_readings: 10, ack_timeout_ms: 5000 },
          profiles: { library: false, dirs: i === 0 ? [overlay] : [] },
        });
        const agent = await EdgeAgent.start(config, silentLogger());
        const sensor = new SimSensor(`m-${i}`, { host: '127.0.0.1', port: agent.coap.port });
        return { i, id: id.gatewayId, agent, sensor, urls: urlsOf(i) };
      }),
    );
    gws.push(...started);
  }
  await until('every gateway online', () => gws.every((g) => g.agent.uplink.state === 'online'), 20_000, 50);
  const on = (g: Gw): string => byUrl.get(g.agent.uplink.url)?.id ?? '?';
  const spread = (): Record<string, number> => {
    const s: Record<string, number> = {};
    for (const g of gws) s[on(g)] = (s[on(g)] ?? 0) + 1;
    return s;
  };
  t.same(spread(), { A: 10, B: 10, C: 10 }, 'the gateways spread over the three nodes (i % 3)');
  await until(
    'every gateway runs the group config',
    () => gws.every((g) => g.agent.remoteConfig?.config?.sampling.default_interval_s === 300),
    20_000,
    50,
  );
  t.comment(`30 gateways online and configured at ${Date.now() - started} ms`);

  // ── an alarm raised by a gateway on A appears in C's live feed ──
  const g0 = gws[0]!;
  t.equal(on(g0), 'A', 'gateway 0 is connected to A');
  const live = await openLive(C);
  t.teardown(() => live.close());
  // the first summary: C's live hub has taken its starting point in the events (later ones are streamed)
  await until('C live feed open', () => live.frames.some((f) => f.startsWith('event: summary\n')), 10_000, 20);
  const th = new SimSensor('th-alarm', { host: '127.0.0.1', port: g0.agent.coap.port });
  t.teardown(() => th.close());
  const hot = await th.sendRaw('acme-th', Uint8Array.from([0x02, 0x26, 0x1e])); // 55.0 Cel: overheat
  t.equal(hot.code, '2.04', 'the hot reading is taken by the agent on A');
  const alarmAt = Date.now();
  const isAlarm = (f: string): boolean => f.startsWith('event: event\n') && /"deviceId":"th-alarm"/.test(f);
  await until('the alarm in C live feed', () => live.frames.some(isAlarm), 15_000, 20);
  const frame = live.frames.find(isAlarm)!;
  const ev = JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as {
    type: string;
    gatewayId: string;
    alarm: boolean;
  };
  t.match(
    ev,
    { type: 'overheat', gatewayId: g0.id, alarm: true },
    `C streamed the alarm ${Date.now() - alarmAt} ms after it was raised on A`,
  );
  live.close();

  // ── a rollout started through A reaches the gateways on B and C ──
  await api(A, 'PUT', '/api/v1/config/groups/east', {
    toml: '[sampling]\ndefault_interval_s = 301\n',
    activate: false,
  });
  // the nodes holding the sessions have written them to the shared store (health.flush_ms): from
  // now on every gateway is online as far as PostgreSQL knows, whichever node reads it
  const downInStore = async (): Promise<string[]> =>
    (
      await db.query<{ id: string }>(
        `SELECT g.id FROM gateways g LEFT JOIN gateway_health h ON h.gateway_id = g.id
         WHERE NOT g.online OR h.session_up IS NOT TRUE ORDER BY g.id`,
      )
    ).rows.map((r) => r.id);
  await until('every session up in PostgreSQL', async () => (await downInStore()).length === 0, 10_000, 50);
  const storeUpAt = Date.now();
  const r1 = await api<RolloutView>(A, 'POST', '/api/v1/rollouts', {
    group: 'east',
    waves: ['100%'],
    soakMs: 5000,
    maxFailedRatio: 0.5,
  });
  const onAtRollout = new Map(gws.map((g) => [g.id, on(g)]));
  t.comment(`rollout 1 started ${Date.now() - storeUpAt} ms after PostgreSQL showed every session up`);
  await until(
    'rollout 1 finished',
    async () => (await api<RolloutView>(B, 'GET', `/api/v1/rollouts/${r1.id}`)).state !== 'running',
    20_000,
    100,
  );
  const end1 = await api<RolloutView>(C, 'GET', `/api/v1/rollouts/${r1.id}`);
  t.equal(end1.state, 'completed', 'rollout 1 completed');
  // a gateway the rollout's node sees offline is deferred: not sent in its wave, sent at completion
  t.equal(
    end1.applied,
    GATEWAYS,
    `every gateway applied it in its wave (deferred as offline: ${Object.keys(end1.deferred).join(' ') || 'none'}; failed: ${JSON.stringify(end1.failed)})`,
  );
  const has301 = (g: Gw): boolean => g.agent.remoteConfig?.config?.sampling.default_interval_s === 301;
  // deferred gateways are sent the revision when the rollout completes: give it a moment to arrive
  await until('every gateway runs rollout 1', () => gws.every(has301), 10_000, 50).catch(() => undefined);
  for (const node of ['B', 'C']) {
    const there = gws.filter((g) => onAtRollout.get(g.id) === node);
    t.equal(there.length, 10, `10 gateways on ${node} when the rollout started`);
    t.same(
      there.filter((g) => !has301(g)).map((g) => g.id),
      [],
      `the rollout started through A reached every gateway on ${node}`,
    );
  }

  // ── drain: every gateway holds a backlog; a node is SIGKILLed while they drain ──
  const victim = leaderId === 'C' ? B : C; // neither A (the rollouts go through it) nor the leader
  const ackedBefore = new Map(gws.map((g) => [g.id, g.agent.uplink.counters.readingsAcked]));
  await Promise.all(
    gws.map(async (g) => {
      for (let j = 0; j < PER_GW; j += SENML_PACK) {
        const recs = Array.from({ length: Math.min(SENML_PACK, PER_GW - j) }, (_, k) => ({
          n: 'volume',
          u: 'm3',
          v: j + k,
          t: T0 + j + k,
        }));
        const r = await g.sensor.sendSenml(recs);
        if (r.code !== '2.04') throw new Error(`${g.id} readings ${j}..: ${r.code} ${r.payload}`);
      }
    }),
  );
  const onVictim = gws.filter((g) => on(g) === victim.id);
  const rowsAtKill = onVictim.reduce((s, g) => s + g.agent.store.stats().rows, 0);
  const backlogAtKill = gws.reduce((s, g) => s + g.agent.store.stats().rows, 0);
  const killAt = Date.now();
  await killNode(victim);
  t.ok(
    rowsAtKill > 0,
    `the gateways on ${victim.id} were draining when it was killed (${rowsAtKill} readings unacknowledged, ${backlogAtKill} in all)`,
  );
  t.equal(onVictim.length, 10, `10 gateways were on ${victim.id}`);
  const reconnectMs = new Map<string, number>();
  await until(
    `every gateway of ${victim.id} online at a surviving node`,
    () => {
      for (const g of onVictim)
        if (!reconnectMs.has(g.id) && g.agent.uplink.state === 'online' && g.agent.uplink.url !== victim.mqttUrl)
          reconnectMs.set(g.id, Date.now() - killAt);
      return reconnectMs.size === onVictim.length;
    },
    15_000,
    10,
  );
  const rms = [...reconnectMs.values()];
  t.ok(Math.max(...rms) < 10_000, `reconnected to a survivor: median ${median(rms)} ms, max ${Math.max(...rms)} ms`);
  await until(
    'every backlog acknowledged',
    () => gws.every((g) => g.agent.store.stats().rows === 0),
    60_000,
    100,
  ).catch((err: Error) => {
    throw new Error(
      `${err.message}; left: ${gws.map((g) => `${g.id}:${g.agent.store.stats().rows}@${on(g)}`).join(' ')}`,
    );
  });
  const drainMs = Date.now() - killAt;
  t.ok(
    gws.every((g) => g.agent.uplink.state === 'online' && g.agent.uplink.url !== victim.mqttUrl),
    `every gateway online at a surviving node (${JSON.stringify(spread())})`,
  );
  // exactly once: what each edge saw acknowledged is in PostgreSQL once
  const dup = await db.query(
    'SELECT device_id, metric, ts, count(*)::int AS n FROM readings GROUP BY device_id, metric, ts HAVING count(*) > 1 LIMIT 5',
  );
  t.same(dup.rows, [], 'no reading twice in PostgreSQL');
  const perGw = new Map(
    (
      await db.query<{ gateway_id: string; n: number }>(
        'SELECT gateway_id, count(*)::int AS n FROM readings GROUP BY gateway_id',
      )
    ).rows.map((r) => [r.gateway_id, r.n]),
  );
  const wrong = gws.filter((g) => perGw.get(g.id) !== g.agent.uplink.counters.readingsAcked);
  t.same(
    wrong.map((g) => `${g.id}: edge acked ${g.agent.uplink.counters.readingsAcked}, PostgreSQL ${perGw.get(g.id)}`),
    [],
    'per gateway, PostgreSQL holds exactly the readings the edge saw acknowledged',
  );
  const meters = (
    await db.query<{ device_id: string; n: number; lo: number; hi: number }>(
      `SELECT device_id, count(DISTINCT num)::int AS n, min(num) AS lo, max(num) AS hi FROM readings
       WHERE device_id LIKE 'm-%' GROUP BY device_id`,
    )
  ).rows;
  t.equal(meters.length, GATEWAYS, 'every meter has readings');
  t.ok(
    meters.every((m) => m.n === PER_GW && m.lo === 0 && m.hi === PER_GW - 1),
    `each meter's ${PER_GW} readings are all there`,
  );
  const total = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM readings')).rows[0]!.n);
  const ackedTotal = gws.reduce((s, g) => s + g.agent.uplink.counters.readingsAcked, 0);
  t.equal(total, ackedTotal, `totals equal: ${total} readings in PostgreSQL, ${ackedTotal} acknowledged on the edges`);
  const drained = gws.reduce((s, g) => s + g.agent.uplink.counters.readingsAcked - ackedBefore.get(g.id)!, 0);
  t.equal(drained, GATEWAYS * PER_GW, 'the backlogs acknowledged once each');
  const resends = gws.reduce((s, g) => s + g.agent.uplink.counters.resends, 0);
  t.comment(
    `drain: ${backlogAtKill} readings unacknowledged at the kill of ${victim.id}, all acknowledged ${drainMs} ms after; ${resends} batch resends`,
  );

  // ── the leader is SIGKILLed during a rollout: another node holds the lock within 10 s, the rollout advances ──
  const leader = nodes.find((n) => n.id === leaderId)!;
  t.ok(alive(leader), `the leader ${leader.id} is alive`);
  const survivors = nodes.filter((n) => alive(n) && n !== leader);
  await api(A, 'PUT', '/api/v1/config/groups/east', {
    toml: '[sampling]\ndefault_interval_s = 302\n',
    activate: false,
  });
  const r2 = await api<RolloutView>(A, 'POST', '/api/v1/rollouts', {
    group: 'east',
    waves: ['5', '15', '100%'],
    soakMs: 2500,
    maxFailedRatio: 0.9,
  });
  await until(
    'rollout 2 first wave applied',
    async () => (await api<RolloutView>(survivors[0]!, 'GET', `/api/v1/rollouts/${r2.id}`)).applied >= 5,
    15_000,
    50,
  );
  const atKill = await api<RolloutView>(survivors[0]!, 'GET', `/api/v1/rollouts/${r2.id}`);
  t.equal(atKill.state, 'running', 'rollout 2 runs when the leader is killed');
  const leaderKillAt = Date.now();
  await killNode(leader);
  let newLeader: string | undefined;
  await until(
    'another node holds the leader lock',
    async () => {
      newLeader = await lockHolder();
      return newLeader !== undefined && newLeader !== leader.id;
    },
    15_000,
    20,
  );
  const takeoverMs = Date.now() - leaderKillAt;
  t.ok(
    survivors.some((n) => n.id === newLeader),
    `a surviving node (${newLeader}) holds the leader lock`,
  );
  t.ok(takeoverMs < 10_000, `leader lock taken over ${takeoverMs} ms after the SIGKILL of ${leader.id}`);
  await until(
    'rollout 2 advances after the leader was killed',
    async () => {
      const r = await api<RolloutView>(survivors[0]!, 'GET', `/api/v1/rollouts/${r2.id}`);
      return r.wave > atKill.wave || r.state !== 'running';
    },
    20_000,
    100,
  );
  const advanceMs = Date.now() - leaderKillAt;
  t.ok(advanceMs < 10_000, `rollout 2 moved past wave ${atKill.wave + 1} ${advanceMs} ms after the leader was killed`);
  await until(
    'rollout 2 finished',
    async () => (await api<RolloutView>(survivors[0]!, 'GET', `/api/v1/rollouts/${r2.id}`)).state !== 'running',
    30_000,
    100,
  );
  const end2 = await api<RolloutView>(survivors[0]!, 'GET', `/api/v1/rollouts/${r2.id}`);
  t.equal(end2.state, 'completed', `rollout 2 completed under the new leader ${newLeader}`);
  await until(
    'every gateway runs rollout 2',
    () => gws.every((g) => g.agent.remoteConfig?.config?.sampling.default_interval_s === 302),
    15_000,
    50,
  ).catch((err: Error) => {
    throw new Error(
      `${err.message}: ${gws
        .filter((g) => g.agent.remoteConfig?.config?.sampling.default_interval_s !== 302)
        .map((g) => g.id)
        .join(' ')}`,
    );
  });
  t.equal(
    gws.filter((g) => g.agent.remoteConfig?.config?.sampling.default_interval_s === 302).length,
    GATEWAYS,
    'every gateway runs the config of rollout 2',
  );

  // ── an abort through a node that is not the leader: it holds, and the leader tracks its rollback ──
  // a fourth node joins (two were killed): the operator's API requests go to it, never the leader
  mkdirSync(join(dir, 'D'));
  const follower = await startCloudNode('D', dir, nodeToml('D', dir, pki, pgUrl, prefix));
  nodes.push(follower);
  t.not(await lockHolder(), 'D', 'the new node D is not the leader');
  await api(follower, 'PUT', '/api/v1/config/groups/east', {
    toml: '[sampling]\ndefault_interval_s = 303\n',
    activate: false,
  });
  const r3 = await api<RolloutView>(follower, 'POST', '/api/v1/rollouts', {
    group: 'east',
    waves: ['5', '100%'],
    soakMs: 120_000, // stays in its first wave until aborted
    maxFailedRatio: 0.9,
  });
  await until(
    'rollout 3 first wave applied',
    async () => (await api<RolloutView>(follower, 'GET', `/api/v1/rollouts/${r3.id}`)).applied >= 5,
    15_000,
    50,
  );
  const aborted = await api<RolloutView>(follower, 'POST', `/api/v1/rollouts/${r3.id}/abort`);
  t.equal(aborted.state, 'aborted', `rollout 3 aborted through ${follower.id} (the leader is ${newLeader})`);
  const seen = new Set<string>();
  await until(
    'the leader finished the rollback of rollout 3',
    async () => {
      const r = await api<RolloutView & { finished: boolean }>(follower, 'GET', `/api/v1/rollouts/${r3.id}`);
      seen.add(r.state);
      return r.finished;
    },
    20_000,
    50,
  );
  t.strictSame([...seen], ['aborted'], 'the leader’s ticks never put the aborted rollout back to running');
  const end3 = await api<RolloutView & { rollback: { applied: number; total: number } }>(
    follower,
    'GET',
    `/api/v1/rollouts/${r3.id}`,
  );
  t.equal(
    end3.rollback.applied,
    end3.rollback.total,
    `every gateway of wave 1 confirmed its rollback (${end3.rollback.total})`,
  );
  await until(
    'every gateway runs rollout 2’s config again',
    () => gws.every((g) => g.agent.remoteConfig?.config?.sampling.default_interval_s === 302),
    15_000,
    50,
  );
  t.pass('the 5 gateways of the aborted wave went back to rollout 2’s config');

  for (const n of nodes) if (alive(n) && n.log.some((l) => /"level":(50|60)/.test(l))) t.comment(failMsg(n));
  t.comment(`run time ${Date.now() - started} ms`);
});
