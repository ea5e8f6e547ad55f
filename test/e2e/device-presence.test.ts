/**
 * Device presence from the edge to the cloud (issue 20, item 4): a real cloud and a real edge agent,
 * simulated LwM2M devices. A device that de-registers, or whose registration lifetime expires, is
 * offline in the cloud within seconds (not after its 2 h reporting deadline): the device list, the
 * gateway's and the fleet's online counters, and a `device_offline` alarm; registering again brings
 * it back online and clears the alarm.
 */
import t, { type Test } from 'tap';
import { edgeConfig, startCloud, startEdge, tempDir, type TestCloud } from '../helpers/fleet.js';
import { until } from '../helpers/wait.js';
import { createSimDevices, type SimLwm2mDevice } from '../../edge/profiles/lwm2m-sim-device.js';
import { Lwm2mPath, val } from '../../edge/southbound/lwm2m/core/index.js';

const TOKEN = 'presence-test-token';
const GW = 'gw-presence';

interface DeviceJson {
  id: string;
  gatewayId: string;
  online: boolean;
  offlineAtMs: number | null;
}
interface EventJson {
  id: number;
  deviceId: string;
  type: string;
  severity: string;
  active: boolean;
  alarm: boolean;
  clearedMs: number | null;
  message: string;
}

async function setup(t: Test): Promise<{ cloud: TestCloud; port: number; devices: SimLwm2mDevice[] }> {
  const cloud = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.cloud.stop());
  const secret = await cloud.cloud.createGateway(GW);
  const edge = await startEdge(
    edgeConfig(tempDir('yw-presence-'), GW, secret, cloud.mqttUrl, { lwm2m: { lifetime_grace_ms: 0 } }),
  );
  t.teardown(() => edge.agent.stop());
  const devices = await createSimDevices(
    2,
    { host: '127.0.0.1', port: edge.agent.coap.port },
    { prefix: 'urn:imei:8620000', lifetimeS: 300 },
  );
  t.teardown(() => {
    for (const d of devices) d.close();
  });
  return { cloud, port: cloud.cloud.api.port, devices };
}

function apiOf(port: number) {
  return async <T>(path: string): Promise<T> => {
    const r = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
}

function views(port: number) {
  const api = apiOf(port);
  return {
    api,
    device: async (id: string): Promise<DeviceJson | undefined> =>
      (await api<{ devices: DeviceJson[] }>(`/api/v1/devices?gateway=${GW}`)).devices.find((d) => d.id === id),
    events: async (id: string): Promise<EventJson[]> =>
      (await api<{ events: EventJson[] }>(`/api/v1/events?device=${encodeURIComponent(id)}&type=device_offline`))
        .events,
    online: async (): Promise<{ gateway: number; fleet: number; alarms: number }> => {
      const g = await api<{ devices: { online: number }; alarms: { open: number } }>(`/api/v1/health/gateways/${GW}`);
      const s = await api<{ devices: { online: number } }>('/api/v1/health/summary');
      return { gateway: g.devices.online, fleet: s.devices.online, alarms: g.alarms.open };
    },
  };
}

/** Both devices register and report (a Send): known to the cloud, online. */
async function registerAndReport(t: Test, devices: SimLwm2mDevice[], v: ReturnType<typeof views>): Promise<void> {
  for (const d of devices) {
    t.equal(await d.register(), '2.01', `${d.opts.endpoint} registers`);
    const now = Math.floor(Date.now() / 1000);
    t.equal(
      await d.send([{ path: Lwm2mPath.of(3303, 0, 5700), value: val.float(21.5), time: now }]),
      '2.04',
      'Send accepted',
    );
  }
  await until('both devices online in the cloud', async () => (await v.online()).fleet === 2, 15_000, 100);
  t.same(await v.online(), { gateway: 2, fleet: 2, alarms: 0 }, 'counters: 2 online, no alarm');
}

t.test('de-registration: offline at once with an alarm; registering again clears it', async (t) => {
  const { port, devices } = await setup(t);
  const { api, device, events, online } = views(port);
  const [a, b] = devices as [SimLwm2mDevice, SimLwm2mDevice];
  const ida = a.opts.endpoint,
    idb = b.opts.endpoint;

  // both register and report: known to the cloud, online
  await registerAndReport(t, devices, { api, device, events, online });

  // A de-registers: offline within seconds, with a device_offline alarm
  const t0 = Date.now();
  t.equal(await a.deregister(), '2.02', 'De-register accepted');
  // fails past 10 s (the device's deadline is 2 h away)
  await until('A offline in the cloud', async () => (await device(ida))?.online === false, 10_000, 100);
  t.comment(`offline after ${Date.now() - t0} ms`);
  t.match(await device(ida), { online: false, offlineAtMs: null }, 'the device list shows A offline');
  t.match(await device(idb), { online: true }, 'B stays online');
  t.same(await online(), { gateway: 1, fleet: 1, alarms: 1 }, 'counters: 1 online, 1 open alarm');
  const raised = await events(ida);
  t.equal(raised.length, 1, 'one device_offline event for A');
  t.match(raised[0], { type: 'device_offline', severity: 'warning', active: true, alarm: true, clearedMs: null });
  const open = await api<{ alarms: EventJson[] }>('/api/v1/alarms');
  t.ok(
    open.alarms.some((x) => x.deviceId === ida && x.type === 'device_offline'),
    'the alarm is among the open alarms',
  );

  // A registers again: online, the alarm cleared
  t.equal(await a.register(), '2.01', 'A registers again');
  await until('A back online in the cloud', async () => (await device(ida))?.online === true, 10_000, 100);
  await until('the alarm of A cleared', async () => (await events(ida))[1]?.active === false, 10_000, 100);
  const [clear, alarm] = await events(ida); // newest first
  t.match(clear, { type: 'device_offline', active: false, alarm: false, severity: 'info' }, 'a clear event');
  t.match(alarm, { id: raised[0]!.id, active: false, alarm: true }, 'the alarm is no longer active');
  t.type(alarm!.clearedMs, 'number', 'with the time it was cleared');
  t.match(await online(), { gateway: 2, fleet: 2 }, 'counters: 2 online again');
});

t.test('lifetime expiry: offline at once with an alarm; registering again clears it', async (t) => {
  const { port, devices } = await setup(t);
  const { device, events, online } = views(port);
  const [a, b] = devices as [SimLwm2mDevice, SimLwm2mDevice];
  const ida = a.opts.endpoint,
    idb = b.opts.endpoint;
  await registerAndReport(t, devices, views(port));

  // B's registration lifetime expires (lifetime 1 s, no Update): offline, alarm
  b.opts.lifetimeS = 1;
  t.equal(await b.register(), '2.01', 'B registers with a 1 s lifetime');
  await until('B offline in the cloud', async () => (await device(idb))?.online === false, 10_000, 100);
  t.same(await online(), { gateway: 1, fleet: 1, alarms: 1 }, 'counters: 1 online after the expiry, 1 open alarm');
  t.match(await device(ida), { online: true }, 'A stays online');
  const expired = await events(idb);
  t.equal(expired.length, 1, 'one device_offline event for B');
  t.match(expired[0], { active: true, alarm: true, severity: 'warning' });
  t.equal(await b.update(), '4.04', 'an Update after the expiry is refused: the device must register again');
  b.opts.lifetimeS = 300;
  t.equal(await b.register(), '2.01', 'B registers again');
  await until('B back online in the cloud', async () => (await device(idb))?.online === true, 10_000, 100);
  await until('the alarm of B cleared', async () => (await events(idb))[1]?.active === false, 10_000, 100);
  t.match(await online(), { gateway: 2, fleet: 2 }, 'counters: 2 online');
});
