/**
 * Status transitions online → degraded → offline → online, driven by a real edge agent (its
 * MQTT session, will and Health) and by a simulated gateway (mqtt.js publishing Health).
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { pb } from '../../../proto/index.js';
import { topics } from '../../../proto/topics.js';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import type { StatusChange } from '../../../cloud/health/health-service.js';

const exec = promisify(execFile);
const fast = { health: { flush_ms: 50, sweep_ms: 100, live_ms: 100 } };

t.test('a real edge agent: online, degraded while it drops readings, offline when stopped, online again', async (t) => {
  const { cloud } = await startCloud(undefined, fast);
  t.teardown(() => cloud.stop());
  const changes: StatusChange[] = [];
  cloud.health.on('status', (c) => changes.push(c));
  const secret = await cloud.createGateway('gw-e');
  const dir = tempDir('yw-edge-');
  const cfg = edgeConfig(dir, 'gw-e', secret, `mqtt://127.0.0.1:${cloud.broker.port}`, {
    sync: { health_interval_ms: 1000 },
  });
  let edge = await startEdge(cfg);
  await until(
    'online with a Health',
    () => cloud.health.gateway('gw-e')?.status === 'online' && cloud.health.gateway('gw-e')?.health !== null,
  );
  t.ok((cloud.health.gateway('gw-e')?.health?.diskTotalBytes ?? 0) > 0, 'the edge reports its disk');

  const file = join(dir, 'bad.json');
  writeFileSync(file, '{"not":"senml"');
  const { stdout, stderr } = await exec('coap-client-notls', [
    '-B',
    '5',
    '-m',
    'post',
    '-t',
    '110',
    '-f',
    file,
    `coap://127.0.0.1:${edge.agent.coap.port}/senml/dev-1`,
  ]);
  t.match(stdout + stderr, /4\.00/, 'the edge refuses the malformed uplink');
  await until('degraded: dropping', () => cloud.health.gateway('gw-e')?.status === 'degraded');
  t.same(cloud.health.gateway('gw-e')?.reasons, ['dropping']);
  await until('online again after a Health without new drops', () => cloud.health.gateway('gw-e')?.status === 'online');

  await edge.agent.stop();
  await until('offline', () => cloud.health.gateway('gw-e')?.status === 'offline');
  const offlineSince = cloud.health.gateway('gw-e')!.sinceMs;
  await until('gateway_offline alarm', async () =>
    (await cloud.store.listEvents({ open: true })).some((e) => e.type === 'gateway_offline' && e.gatewayId === 'gw-e'),
  );
  edge = await startEdge(cfg);
  t.teardown(() => edge.agent.stop());
  await until('online after restart', () => cloud.health.gateway('gw-e')?.status === 'online');
  t.same(
    changes.map((c) => c.to),
    ['online', 'degraded', 'online', 'offline', 'online'],
  );
  t.ok((changes.at(-1)?.offlineForMs ?? -1) >= 0, 'the offline period is measured');
  t.ok(offlineSince <= Date.now());
  const [alarm] = await cloud.store.listEvents({ gatewayId: 'gw-e', alarmsOnly: true });
  await until('the offline alarm is cleared', async () => (await cloud.store.getEvent(alarm!.id))?.active === false);

  await cloud.health.flush();
  const res = await fetch(`http://127.0.0.1:${cloud.api.port}/api/v1/health/summary`);
  const s = (await res.json()) as {
    gateways: { total: number; online: number };
    alarms: { open: number };
    tookMs: number;
  };
  t.match(s.gateways, { total: 1, online: 1 });
  t.equal(s.alarms.open, 1, 'the offline alarm stays open until acknowledged');
});

t.test(
  'a simulated gateway: backlog and store cap degrade it, the will takes it offline, a new session brings it back',
  async (t) => {
    const { cloud } = await startCloud(undefined, { health: { ...fast.health, backlog_age_ms: 60_000 } });
    t.teardown(() => cloud.stop());
    const changes: StatusChange[] = [];
    cloud.health.on('status', (c) => {
      if (c.gatewayId === 'gw-s') changes.push(c);
    });
    const secret = await cloud.createGateway('gw-s');
    await cloud.health.setTags('gw-s', { district: 'jiefang', site: 'js-01', group: 'pilot' });
    const will = {
      topic: topics.state('gw-s'),
      payload: Buffer.from(pb.Presence.encode({ online: false }).finish()),
      qos: 1 as const,
      retain: true,
    };
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.broker.port}`, {
      clientId: 'gw-s',
      username: 'gw-s',
      password: secret,
      protocolVersion: 4,
      will,
      reconnectPeriod: 0,
    });
    const health = (o: Record<string, unknown>): Promise<unknown> =>
      c.publishAsync(
        topics.up('gw-s', 'health'),
        Buffer.from(
          pb.Health.encode({ gatewayId: 'gw-s', tsMs: Date.now(), uptimeS: 5, clockSynced: true, ...o }).finish(),
        ),
      );
    await health({ storeRows: 10, oldestAgeMs: 1000, camerasTotal: 4, camerasOnline: 3 });
    await until(
      'online',
      () => cloud.health.gateway('gw-s')?.status === 'online' && cloud.health.gateway('gw-s')?.health !== null,
    );
    await health({
      storeRows: 50_000,
      storeBytes: 4_000_000,
      oldestAgeMs: 3_600_000,
      camerasTotal: 4,
      camerasOnline: 3,
    });
    await until('degraded: backlog', () => cloud.health.gateway('gw-s')?.status === 'degraded');
    t.same(cloud.health.gateway('gw-s')?.reasons, ['backlog']);
    await health({
      storeRows: 50_000,
      storeBytes: 9_500_000,
      storeCapBytes: 10_000_000,
      oldestAgeMs: 3_600_000,
      camerasTotal: 4,
      camerasOnline: 3,
    });
    await until('store near its cap too', () => cloud.health.gateway('gw-s')?.reasons.length === 2);
    t.same(cloud.health.gateway('gw-s')?.reasons, ['backlog', 'store_near_cap']);
    await cloud.health.flush();
    const s1 = await cloud.health.summary();
    t.match(s1, {
      gateways: { degraded: 1 },
      backlog: { rows: 50_000, bytes: 9_500_000 },
      cameras: { total: 4, online: 3, rate: 0.75 },
    });
    t.match(s1.byDistrict, [{ key: 'jiefang', gateways: { total: 1, degraded: 1 } }]);

    c.stream.destroy(); // no DISCONNECT: the broker publishes the will
    await until('offline', () => cloud.health.gateway('gw-s')?.status === 'offline');
    await cloud.health.flush();
    const s2 = await cloud.health.summary();
    t.match(
      s2,
      { gateways: { offline: 1, degraded: 0 }, cameras: { total: 4, online: 0 }, backlog: { rows: 50_000 } },
      'cameras behind an offline gateway count as offline; its backlog stays counted',
    );
    await c.endAsync(true);

    // back: a new session whose Health shows the backlog drained
    const c2 = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.broker.port}`, {
      clientId: 'gw-s',
      username: 'gw-s',
      password: secret,
      protocolVersion: 4,
      will,
      reconnectPeriod: 0,
    });
    await c2.publishAsync(
      topics.up('gw-s', 'health'),
      Buffer.from(
        pb.Health.encode({
          gatewayId: 'gw-s',
          tsMs: Date.now(),
          uptimeS: 7,
          clockSynced: true,
          storeRows: 0,
          camerasTotal: 4,
          camerasOnline: 4,
        }).finish(),
      ),
    );
    await until(
      'online again',
      () => cloud.health.gateway('gw-s')?.status === 'online' && cloud.health.gateway('gw-s')?.health?.storeRows === 0,
    );
    // the session comes up before its first Health: judged on the last one known (backlog) until that arrives
    t.same(
      changes.map((x) => x.to),
      ['online', 'degraded', 'offline', 'degraded', 'online'],
    );
    t.ok((changes[3]?.offlineForMs ?? -1) >= 0, 'the offline period is measured when the session is back');
    await cloud.health.flush();
    t.match(await cloud.health.summary(), {
      gateways: { online: 1, offline: 0 },
      cameras: { online: 4 },
      backlog: { rows: 0 },
    });
    await until('the gateway_offline alarm is cleared', async () =>
      (await cloud.store.listEvents({ gatewayId: 'gw-s', alarmsOnly: true })).every((e) => !e.active),
    );
    await c2.endAsync();
  },
);
