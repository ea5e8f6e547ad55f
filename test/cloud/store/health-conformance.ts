/**
 * Conformance suite of the fleet-health part of CloudStore (cloud/store/health-store.ts): every
 * implementation (SQLite now, PostgreSQL later) must pass it. Counters are checked after each
 * step against what a full recount (`rebuildCounters`) gives.
 */
import type { Test } from 'tap';
import { decodeBatch, encodeBatch } from '../../../proto/batch-codec.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import type { CloudStore } from '../../../cloud/store/cloud-store.js';
import { CounterDeltas, gatewayContribution, gatewayScopes } from '../../../cloud/health/counters.js';
import type { CounterScope, HealthSnapshot } from '../../../cloud/health/types.js';

const SCOPES: CounterScope[] = ['fleet', 'district', 'site', 'group', 'type', 'gateway'];

async function allCounters(s: CloudStore): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const scope of SCOPES)
    for (const r of await s.counters(scope)) if (r.value !== 0) out[`${scope}/${r.key}/${r.metric}`] = r.value;
  return out;
}

async function fig(s: CloudStore, scope: CounterScope, key: string, metric: string): Promise<number> {
  return (await s.counters(scope, key)).find((r) => r.metric === metric)?.value ?? 0;
}

const reading = (deviceId: string, ts: number): Reading => ({
  deviceId,
  metric: 'volume',
  unit: 'm3',
  ts,
  value: 1,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
});

/** The edge's presence report of a device (cloud/health/presence.ts). */
const presence = (deviceId: string, ts: number, online: boolean): Reading => ({
  deviceId,
  metric: 'online',
  unit: '',
  ts,
  value: online,
  clock: ClockQuality.CLOCK_GATEWAY_SYNCED,
  priority: online ? Priority.PRIORITY_NORMAL : Priority.PRIORITY_ALARM,
});

const snapshot = (o: Partial<HealthSnapshot> = {}): HealthSnapshot => ({
  tsMs: 1,
  receivedMs: 1,
  uptimeS: 1,
  rssBytes: 1,
  storeRows: 0,
  storeBytes: 0,
  storeCapBytes: 0,
  oldestAgeMs: 0,
  dropped: {},
  devicesOnline: 0,
  devicesTotal: 0,
  devicesByState: {},
  camerasOnline: 0,
  camerasTotal: 0,
  camerasByState: {},
  clockSynced: true,
  configVersion: '',
  configError: '',
  agentVersion: 't',
  readingsAccepted: 0,
  batchesAcked: 0,
  diskFreeBytes: 0,
  diskTotalBytes: 0,
  link: null,
  ...o,
});

/** `make(st)` gives a fresh, empty store for subtest `st` and registers on `st` the teardown that closes it. */
export function healthConformance(t: Test, make: (t: Test) => Promise<CloudStore>): void {
  t.test('counters follow gateways, tags, devices, expiry, moves and alarms; a recount agrees', async (t) => {
    const s = await make(t);
    const now = Date.now();
    const consistent = async (what: string): Promise<void> => {
      const inc = await allCounters(s);
      await s.rebuildCounters(now);
      t.same(await allCounters(s), inc, `incremental counters equal a recount: ${what}`);
    };

    await s.createGateway('gw-1', 'h');
    await s.createGateway('gw-2', 'h');
    t.equal(await fig(s, 'fleet', '', 'gateways_total'), 2);
    t.equal(await fig(s, 'fleet', '', 'gateways_offline'), 2, 'a new gateway is offline since its creation');
    await s.setGatewayTags('gw-1', { district: 'north', site: 'n-1', group: 'meters' });
    t.equal(await fig(s, 'district', 'north', 'gateways_total'), 1, 'tags move the gateway');
    t.equal(await fig(s, 'district', '', 'gateways_total'), 1);
    await t.rejects(s.setGatewayTags('gw-nope', { district: 'x', site: '', group: '' }), {
      code: 'CLOUD_ERR_NOT_FOUND',
    });

    await s.registerDevices(
      [
        { id: 'm-1', gatewayId: 'gw-1', type: 'water_meter', intervalS: 60, lastSeenMs: now - 1000 },
        { id: 'm-2', gatewayId: 'gw-1', type: 'water_meter', intervalS: 60, lastSeenMs: now - 1000 },
        { id: 'd-1', gatewayId: 'gw-1', type: 'daily_meter', intervalS: 86_400, lastSeenMs: now - 3_600_000 },
        { id: 'm-3', gatewayId: 'gw-1', type: 'water_meter', intervalS: 60 },
      ],
      now,
    );
    t.equal(await fig(s, 'fleet', '', 'devices_total'), 4);
    t.equal(
      await fig(s, 'fleet', '', 'devices_online'),
      3,
      'never-seen devices count as offline; a daily meter silent for an hour is online',
    );
    t.equal(await fig(s, 'type', 'water_meter', 'devices_online'), 2);
    t.equal(await fig(s, 'district', 'north', 'devices_total'), 4);
    await consistent('after registration');

    // m-3 is registered on gw-1: gw-2's data for it would be quarantined (issue 16) until an operator moves it
    t.match(await s.moveDevice('m-3', 'gw-2'), { id: 'm-3', gatewayId: 'gw-2', type: 'water_meter' });
    const b1 = decodeBatch(
      encodeBatch(
        { gatewayId: 'gw-2', epoch: 1, seq: 1 },
        [reading('x-1', now - 10), reading('m-3', now - 5)],
        [
          {
            id: 'e1',
            deviceId: 'x-1',
            type: 'cover_open',
            severity: 2,
            tsMs: now,
            message: 'cover opened',
            active: true,
            attributes: { angle: '42' },
          },
          { id: 'e2', deviceId: 'x-1', type: 'battery', severity: 0, tsMs: now, message: 'info only', active: true },
        ],
      ),
    );
    t.equal((await s.ingestBatch(b1)).status, 'stored');
    t.equal(await fig(s, 'fleet', '', 'devices_total'), 5, 'a device first seen in a batch is counted');
    t.equal(await fig(s, 'fleet', '', 'devices_online'), 5);
    t.equal(await fig(s, 'gateway', 'gw-1', 'devices_total'), 3, 'm-3 moved to gw-2');
    t.equal(await fig(s, 'gateway', 'gw-2', 'devices_total'), 2);
    t.equal(await fig(s, 'type', 'water_meter', 'devices_total'), 3, 'a moved device keeps its type');
    t.equal(
      await fig(s, 'fleet', '', 'alarms_open'),
      1,
      'a critical active event is an open alarm, an info one is not',
    );
    t.equal((await s.ingestBatch(b1)).status, 'duplicate');
    t.equal(await fig(s, 'fleet', '', 'alarms_open'), 1, 'a resent batch raises nothing twice');
    await consistent('after ingest');

    const dev = await s.getDevice('m-3');
    t.match(dev, { gatewayId: 'gw-2', type: 'water_meter', intervalS: 60, online: true });
    t.equal(await s.expireDevices(now + 60_000, 100), 0, 'nothing expires within two intervals');
    t.equal(await s.expireDevices(now + 130_000, 100), 3, 'the 60 s meters expire after two missed reports');
    t.equal(await fig(s, 'fleet', '', 'devices_online'), 2);
    t.equal(await s.expireDevices(now + 130_000, 100), 0, 'expiry is done once');
    t.equal((await s.getDevice('m-1'))?.online, false);
    t.equal((await s.getDevice('d-1'))?.online, true, 'the daily meter stays online');
    const page1 = await s.queryDevices({ gatewayId: 'gw-1', limit: 2 });
    const page2 = await s.queryDevices({ gatewayId: 'gw-1', limit: 2, afterId: page1[1]!.id });
    t.same(
      [...page1, ...page2].map((d) => d.id),
      ['d-1', 'm-1', 'm-2'],
      'paged by id within a gateway',
    );
    t.same(
      (await s.queryDevices({ online: true, limit: 10 })).map((d) => d.id),
      ['d-1', 'x-1'],
      'filter by state',
    );

    const [alarm] = await s.listEvents({ open: true });
    if (!alarm) throw new Error('no open alarm');
    t.match(alarm, {
      gatewayId: 'gw-2',
      deviceId: 'x-1',
      type: 'cover_open',
      severity: 'critical',
      active: true,
      alarm: true,
      attributes: { angle: '42' },
      ackedMs: null,
    });
    t.equal((await s.listEvents({ gatewayId: 'gw-2' })).length, 2);
    const b2 = decodeBatch(
      encodeBatch(
        { gatewayId: 'gw-2', epoch: 1, seq: 2 },
        [],
        [{ id: 'e3', deviceId: 'x-1', type: 'cover_open', severity: 0, tsMs: now + 1, active: false }],
      ),
    );
    await s.ingestBatch(b2);
    t.match(await s.getEvent(alarm.id), { active: false, clearedMs: Number }, 'a clear closes the raised alarm');
    t.equal(await fig(s, 'fleet', '', 'alarms_open'), 1, 'cleared but not acknowledged: still open');
    const acked = await s.ackEvent(alarm.id, 'ops-1', now + 2);
    t.match(acked, { ackedBy: 'ops-1', ackedMs: now + 2 });
    t.equal(await fig(s, 'fleet', '', 'alarms_open'), 0);
    t.match(await s.ackEvent(alarm.id, 'ops-2', now + 3), { ackedBy: 'ops-1' }, 'acknowledging twice changes nothing');
    t.equal(await fig(s, 'gateway', 'gw-2', 'alarms_open'), 0);
    t.equal(await s.ackEvent(999_999, 'x', now), undefined);
    const [cloudAlarm] = await s.addEvents(
      [
        {
          gatewayId: 'gw-1',
          deviceId: '',
          type: 'gateway_offline',
          severity: 'warning',
          tsMs: now,
          message: 'gone',
          attributes: {},
          active: true,
          sourceId: '',
        },
      ],
      now,
    );
    t.equal(await fig(s, 'district', 'north', 'alarms_open'), 1, "cloud-raised alarms count in the gateway's district");
    await s.setGatewayTags('gw-1', { district: 'south', site: 's-1', group: 'meters' });
    t.equal(await fig(s, 'district', 'north', 'alarms_open'), 0, 'retagging moves open alarms');
    t.equal(await fig(s, 'district', 'south', 'devices_total'), 3, 'and devices');
    await s.ackEvent(cloudAlarm!.id, 'ops', now); // addEvents returns one record per event
    t.equal(await fig(s, 'district', 'south', 'alarms_open'), 0);
    await consistent('after expiry, alarms and retagging');

    const [g1] = await s.loadGatewayHealth();
    if (!g1) throw new Error('no gateway health loaded');
    t.match(g1, { gatewayId: 'gw-1', status: 'offline', sessionUp: false, tags: { district: 'south' }, health: null });
    const h = snapshot({ storeRows: 500, storeBytes: 40_000, camerasTotal: 4, camerasOnline: 3 });
    const deltas = new CounterDeltas();
    const scopes = gatewayScopes('gw-1', g1.tags);
    deltas.addContribution(scopes, gatewayContribution('offline', null), -1);
    deltas.addContribution(scopes, gatewayContribution('degraded', h), 1);
    await s.saveGatewayHealth(
      [
        {
          record: {
            ...g1,
            status: 'degraded',
            reasons: ['backlog'],
            sessionUp: true,
            lastHeardMs: now,
            sinceMs: now,
            health: h,
          },
          backlog: { tsMs: now, rows: 500, bytes: 40_000, oldestAgeMs: 9 },
        },
      ],
      deltas,
    );
    t.match(await s.getGatewayHealth('gw-1'), {
      status: 'degraded',
      reasons: ['backlog'],
      sessionUp: true,
      health: { storeRows: 500, camerasOnline: 3 },
    });
    // many at once (a rollout wave): the same records, registered gateways only
    const many = await s.getGatewayHealthMany(['gw-1', 'gw-nobody', 'gw-1']);
    t.strictSame([...many.keys()], ['gw-1'], 'only registered gateways');
    t.strictSame(many.get('gw-1'), await s.getGatewayHealth('gw-1'), 'as getGatewayHealth reads it');
    t.equal((await s.getGatewayHealthMany([])).size, 0, 'no ids: nothing');
    t.equal(await fig(s, 'fleet', '', 'backlog_rows'), 500);
    t.equal(await fig(s, 'fleet', '', 'cameras_online'), 3);
    t.equal(await fig(s, 'site', 's-1', 'gateways_degraded'), 1);
    t.same(await s.backlogHistory('gw-1', 0), [{ tsMs: now, rows: 500, bytes: 40_000, oldestAgeMs: 9 }]);
    await consistent('after a health write');
    t.equal(await s.pruneBacklog(now + 1), 1);
    t.same(await s.backlogHistory('gw-1', 0), []);
  });

  t.test("the edge's presence reports: offline at once with an alarm, back online clears it", async (t) => {
    const s = await make(t);
    const now = Date.now();
    let seq = 0;
    const ingest = (readings: Reading[]) =>
      s.ingestBatch(decodeBatch(encodeBatch({ gatewayId: 'gw-p', epoch: 1, seq: ++seq }, readings, [])));
    const consistent = async (what: string): Promise<void> => {
      const inc = await allCounters(s);
      await s.rebuildCounters(now);
      t.same(await allCounters(s), inc, `incremental counters equal a recount: ${what}`);
    };
    const alarms = () => s.listEvents({ deviceId: 'p-1', type: 'device_offline' });
    await s.createGateway('gw-p', 'h');
    await s.setGatewayTags('gw-p', { site: 'site-p' });

    await ingest([reading('p-1', now - 60_000), reading('p-2', now - 60_000)]);
    t.equal(await fig(s, 'site', 'site-p', 'devices_online'), 2, 'two devices heard: online');
    t.equal((await ingest([presence('p-1', now - 1000, false)])).status, 'stored');
    t.match(await s.getDevice('p-1'), { online: false, offlineAtMs: null }, 'reported offline: offline at once');
    t.equal(await fig(s, 'site', 'site-p', 'devices_online'), 1, 'counted offline in its site');
    t.equal(await fig(s, 'fleet', '', 'devices_online'), 1, 'and in the fleet');
    const [raised, ...more] = await alarms();
    t.equal(more.length, 0, 'one event');
    t.match(raised, { gatewayId: 'gw-p', type: 'device_offline', severity: 'warning', active: true, alarm: true });
    t.equal(await fig(s, 'gateway', 'gw-p', 'alarms_open'), 1, 'an open alarm');
    await consistent('after an offline report');

    // store-and-forward sends alarm-priority readings first: older readings arriving later change nothing
    await ingest([reading('p-1', now - 2000), presence('p-1', now - 3000, false)]);
    t.equal((await s.getDevice('p-1'))?.online, false, 'a reading older than the report: still offline');
    t.equal((await alarms()).length, 1, 'no second alarm');
    await s.registerDevices([{ id: 'p-1', gatewayId: 'gw-p', type: 'meter', intervalS: 60 }], now);
    t.match(await s.getDevice('p-1'), { online: false, type: 'meter' }, 'a registry update keeps it offline');
    t.equal(await s.expireDevices(now + 86_400_000, 100), 1, 'only p-2 expires by its deadline');
    t.equal((await alarms()).length, 1, 'the deadline sweep raises nothing');
    await consistent('after stale readings, a registry update and a sweep');

    // heard again after the report: online, alarm cleared (and a clear event)
    await ingest([presence('p-1', now, true)]);
    t.match(await s.getDevice('p-1'), { online: true }, 'an online report brings it back');
    const [cleared, alarm] = await alarms();
    t.match(cleared, { type: 'device_offline', active: false, alarm: false, severity: 'info' }, 'a clear event');
    t.match(alarm, { id: raised!.id, active: false, clearedMs: Number }, 'the alarm is cleared');
    t.equal(await fig(s, 'type', 'meter', 'devices_online'), 1);
    await consistent('after an online report');

    // an offline report older than what was heard since is stale; a data reading after a report brings it back
    await ingest([presence('p-1', now - 500, false)]);
    t.equal((await s.getDevice('p-1'))?.online, true, 'a stale offline report changes nothing');
    t.equal((await alarms()).length, 2, 'and raises nothing');
    await ingest([reading('p-1', now + 100), presence('p-1', now + 200, false)]);
    t.equal((await s.getDevice('p-1'))?.online, false, 'a report newer than the readings of its batch counts');
    t.equal((await alarms()).length, 3, 'a second alarm');
    await ingest([presence('p-1', now + 300, false), reading('p-1', now + 400)]);
    t.equal((await s.getDevice('p-1'))?.online, true, 'a reading newer than the report brings it back');
    const [clear2, alarm2] = await alarms();
    t.match(clear2, { active: false, alarm: false }, 'a second clear');
    t.match(alarm2, { active: false, alarm: true, clearedMs: Number }, 'the second alarm is cleared');
    t.equal(await fig(s, 'gateway', 'gw-p', 'devices_online'), 1);
    await consistent('after reports and readings in one batch');
  });
}
