/** The fleet-health conformance suite against SqliteCloudStore, plus what survives a restart. */
import t from 'tap';
import { join } from 'node:path';
import { SqliteCloudStore } from '../../../cloud/store/sqlite-cloud-store.js';
import { tempDir } from '../../helpers/fleet.js';
import { healthConformance } from './health-conformance.js';

healthConformance(t, async (st) => {
  const s = new SqliteCloudStore(join(tempDir('yw-hc-'), 'cloud.db'), 0);
  st.teardown(() => s.close());
  return s;
});

t.test('counters, tags and alarms survive a restart', async (t) => {
  const path = join(tempDir('yw-hc-'), 'cloud.db');
  const a = new SqliteCloudStore(path, 0);
  await a.createGateway('gw-1', 'h');
  await a.setGatewayTags('gw-1', { district: 'd', site: 's', group: 'g' });
  await a.registerDevices(
    [{ id: 'x', gatewayId: 'gw-1', type: 'smoke', intervalS: 600, lastSeenMs: Date.now() }],
    Date.now(),
  );
  await a.addEvents(
    [
      {
        gatewayId: 'gw-1',
        deviceId: 'x',
        type: 'smoke',
        severity: 'critical',
        tsMs: 1,
        message: '',
        attributes: {},
        active: true,
        sourceId: 'e-1',
      },
    ],
    Date.now(),
  );
  await a.close();
  const b = new SqliteCloudStore(path, 0);
  t.teardown(() => b.close());
  const f = Object.fromEntries((await b.counters('district', 'd')).map((r) => [r.metric, r.value]));
  t.match(f, { gateways_total: 1, gateways_offline: 1, devices_total: 1, devices_online: 1, alarms_open: 1 });
  t.equal((await b.listEvents({ open: true })).length, 1);
});
