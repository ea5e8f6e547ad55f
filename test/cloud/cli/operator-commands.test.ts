/**
 * Issue 17 item 7: the operator commands that were missing — API keys (list/create/revoke),
 * events, a device's readings newest first, and revoking and removing a gateway.
 */
import t from 'tap';
import { decodeBatch, encodeBatch } from '../../../proto/batch-codec.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import { startCloud } from '../../helpers/fleet.js';
import { cloudCli, isolateCliEnv } from './run-cli.js';

isolateCliEnv();
const TOKEN = 'tok-ops-0123456789';

t.test('keys list / create / revoke', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const cli = (...a: string[]) => cloudCli(['--url', `http://127.0.0.1:${cloud.api.port}`, '--token', TOKEN, ...a]);
  const made = await cli('keys', 'create', '--name', 'wallboard');
  t.equal(made.code, 0, made.err);
  const key = /^key\s+(ywk_\S+)$/m.exec(made.out)?.[1];
  t.ok(key, 'the key is printed once');
  const id = /^id\s+(k-[0-9a-f]+) scope=read name=wallboard$/m.exec(made.out)?.[1];
  t.ok(id, 'read scope by default');
  const admin = JSON.parse((await cli('--json', 'keys', 'create', '--scope', 'admin')).out) as {
    id: string;
    scope: string;
  };
  t.equal(admin.scope, 'admin');
  t.equal((await cli('keys', 'create', '--scope', 'root')).errCode, 'CLOUD_ERR_BAD_REQUEST');
  const list = await cli('keys', 'list');
  t.match(list.out, new RegExp(`^${id}\\s+wallboard\\s+read\\s+\\S+\\s+valid$`, 'm'));
  t.notMatch(list.out, /ywk_/, 'the list never shows keys');
  t.equal(
    (await cloudCli(['--url', `http://127.0.0.1:${cloud.api.port}`, '--token', key!, 'gateways', 'list'])).code,
    0,
    'the key works',
  );
  const revoked = await cli('keys', 'revoke', id!);
  t.match(revoked.out, `key ${id} revoked`);
  t.equal(
    (await cloudCli(['--url', `http://127.0.0.1:${cloud.api.port}`, '--token', key!, 'gateways', 'list'])).errCode,
    'CLOUD_ERR_UNAUTHORIZED',
    'a revoked key is refused',
  );
  t.match((await cli('keys', 'list')).out, new RegExp(`^${id}\\s+wallboard\\s+read\\s+\\S+\\s+revoked `, 'm'));
  t.equal((await cli('keys', 'revoke', id!)).errCode, 'CLOUD_ERR_NOT_FOUND');
});

t.test('events with filters, newest first', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const cli = (...a: string[]) => cloudCli(['--url', `http://127.0.0.1:${cloud.api.port}`, ...a]);
  await cloud.store.createGateway('gw-ev', 'x');
  const now = Date.now();
  const ev = (id: string, deviceId: string, type: string, severity: number, ageMs: number) => ({
    id,
    deviceId,
    type,
    severity,
    tsMs: now - ageMs,
    message: `${type} at ${deviceId}`,
    active: true,
  });
  await cloud.store.ingestBatch(
    decodeBatch(
      encodeBatch(
        { gatewayId: 'gw-ev', epoch: 1, seq: 1 },
        [],
        [
          ev('e1', 'cover-1', 'cover_open', 2, 3 * 3_600_000),
          ev('e2', 'smoke-1', 'smoke', 2, 20 * 60_000),
          ev('e3', 'cover-1', 'tilt', 0, 5 * 60_000),
        ],
      ),
    ),
  );
  const all = JSON.parse((await cli('--json', 'events')).out) as { events: { type: string }[] };
  t.same(
    all.events.map((e) => e.type),
    ['tilt', 'smoke', 'cover_open'],
    'newest first',
  );
  const ids = async (...a: string[]): Promise<string[]> => {
    const r = await cli('--json', 'events', ...a);
    t.equal(r.code, 0, r.err);
    return (JSON.parse(r.out) as { events: { type: string }[] }).events.map((e) => e.type);
  };
  t.same(await ids('--device', 'cover-1'), ['tilt', 'cover_open'], '--device');
  t.same(await ids('--type', 'smoke'), ['smoke'], '--type');
  t.same(await ids('--since', '1h'), ['tilt', 'smoke'], '--since 1h');
  t.same(await ids('--since', new Date(now - 10 * 60_000).toISOString()), ['tilt'], '--since an ISO time');
  t.same(await ids('--alarms'), ['smoke', 'cover_open'], '--alarms: warning and critical only');
  t.same(await ids('--gateway', 'gw-other'), [], '--gateway');
  t.same(await ids('--limit', '1'), ['tilt']);
  const text = await cli('events', '--limit', '2');
  t.match(text.out, /^ID\s+WHEN\s+SEVERITY\s+GATEWAY\s+DEVICE\s+TYPE\s+STATE\s+MESSAGE$/m);
  t.match(text.out, /smoke-1\s+smoke\s+active, open\s+smoke at smoke-1/);
  t.match(text.out, /^more: --before \d+$/m);
  t.equal((await cli('events', '--since', 'yesterday')).errCode, 'CLOUD_ERR_BAD_REQUEST');
});

t.test('devices readings <id> --since --limit: newest first', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const cli = (...a: string[]) => cloudCli(['--url', `http://127.0.0.1:${cloud.api.port}`, ...a]);
  await cloud.store.createGateway('gw-r', 'x');
  const now = Date.now();
  const readings = Array.from({ length: 30 }, (_, i) => ({
    deviceId: 'wm-7',
    metric: 'volume_total',
    unit: 'm3',
    ts: now - (30 - i) * 60_000 + 30_000,
    value: 100 + i,
    clock: ClockQuality.CLOCK_DEVICE,
    priority: Priority.PRIORITY_NORMAL,
  }));
  await cloud.store.ingestBatch(decodeBatch(encodeBatch({ gatewayId: 'gw-r', epoch: 1, seq: 1 }, readings)));
  const values = async (...a: string[]): Promise<number[]> => {
    const r = await cli('--json', 'devices', 'readings', 'wm-7', ...a);
    t.equal(r.code, 0, r.err);
    return (JSON.parse(r.out) as { readings: { value: number }[] }).readings.map((x) => x.value);
  };
  t.same(await values('--limit', '3'), [129, 128, 127], 'the newest, newest first');
  t.same(
    await values(),
    Array.from({ length: 20 }, (_, i) => 129 - i),
    'default 20',
  );
  t.same(await values('--since', '5m'), [129, 128, 127, 126, 125], '--since 5m');
  t.same(await values('--since', '10m', '--limit', '2'), [129, 128]);
  const text = await cli('devices', 'readings', 'wm-7', '--limit', '2');
  t.match(text.out, /^TIME\s+METRIC\s+VALUE\s+UNIT\s+CLOCK\s+GATEWAY$/m);
  t.match(text.out, /volume_total\s+129\s+m3\s+device\s+gw-r/);
  t.equal((await cli('devices', 'readings', 'nope')).errCode, 'CLOUD_ERR_NOT_FOUND');
});

t.test('gateways revoke and remove', async (t) => {
  const { cloud } = await startCloud(undefined, { health: { flush_ms: 50, sweep_ms: 100 } });
  t.teardown(() => cloud.stop());
  const cli = (...a: string[]) => cloudCli(['--url', `http://127.0.0.1:${cloud.api.port}`, ...a]);
  for (const id of ['gw-keep', 'gw-old', 'gw-new']) await cloud.store.createGateway(id, 'x');
  await cloud.health.sweep(); // the health table knows them
  await cloud.health.setTags('gw-old', { district: 'jiefang' });
  await cloud.store.registerDevices(
    [{ id: 'wm-1', gatewayId: 'gw-old', type: 'water_meter', intervalS: 900, lastSeenMs: Date.now() }],
    Date.now(),
  );

  t.equal(
    (await cli('gateways', 'remove', 'gw-old')).errCode,
    'CLOUD_ERR_CONFLICT',
    'a gateway that is not revoked is not removed',
  );
  const rv = await cli('gateways', 'revoke', 'gw-old');
  t.match(rv.out, /^gateway gw-old revoked \(/);
  t.match((await cli('gateways', 'revoke', 'gw-old')).out, 'was revoked already');
  t.equal((await cli('gateways', 'revoke', 'gw-none')).errCode, 'CLOUD_ERR_NOT_FOUND');
  const list = JSON.parse((await cli('--json', 'gateways', 'list')).out) as {
    items: { id: string; status: string; revokedMs: number | null }[];
  };
  t.match(
    list.items.find((g) => g.id === 'gw-old'),
    { status: 'revoked', revokedMs: Number },
  );
  t.same(
    JSON.parse((await cli('--json', 'gateways', 'list', '--status', 'revoked')).out).items.map(
      (g: { id: string }) => g.id,
    ),
    ['gw-old'],
    '--status revoked',
  );
  t.match((await cli('gateways', 'show', 'gw-old')).out, /^status\s+revoked since \S+Z/m);

  const withDevices = await cli('gateways', 'remove', 'gw-old');
  t.equal(withDevices.errCode, 'CLOUD_ERR_CONFLICT');
  t.match(withDevices.err, /still has 1 devices: move them/);
  const removed = await cli('gateways', 'remove', 'gw-old', '--with-devices');
  t.equal(removed.code, 0, removed.err);
  t.match(removed.out, 'gateway gw-old removed with its 1 devices');
  t.notOk(await cloud.store.getGateway('gw-old'));
  t.notOk(await cloud.store.getDevice('wm-1'), 'its device is gone from the registry');
  t.notOk(cloud.health.gateway('gw-old'), 'and from the health table');
  const sum = JSON.parse((await cli('--json', 'health', 'summary')).out) as {
    gateways: { total: number };
    devices: { total: number };
    byDistrict: { key: string; gateways: { total: number } }[];
  };
  t.equal(sum.gateways.total, 2, 'the fleet counts two gateways');
  t.equal(sum.devices.total, 0);
  t.same(
    sum.byDistrict.filter((d) => d.gateways.total > 0).map((d) => d.key),
    [''],
    'nothing left counted in its district',
  );
  t.equal((await cli('gateways', 'remove', 'gw-old')).errCode, 'CLOUD_ERR_NOT_FOUND');

  const both = await cli('gateways', 'remove', 'gw-new', '--revoke');
  t.equal(both.code, 0, `--revoke revokes and removes in one step: ${both.err}`);
  t.equal((await cli('gateways', 'add', 'gw-new')).code, 0, 'the id can be used again');
  t.equal((await cloud.store.getGateway('gw-new'))?.revokedMs, null, 'and the new gateway is not revoked');
  t.notOk(await cloud.controlPlane.isRevoked('gw-new'));
});
