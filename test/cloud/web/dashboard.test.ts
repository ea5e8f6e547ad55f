/**
 * The dashboard in headless Chromium (Debian `chromium`, driven by playwright-core) against a
 * real cloud with gateways that publish Health over MQTT (three mqtt.js clients with chosen
 * figures and 80 from the fleet simulator, scripts/sim/fleet.ts: half offline, some backlogged, some
 * raising alarms), registered devices and alarms: the
 * numbers shown equal the API's, a gateway opens with its devices, acknowledging an alarm
 * updates the list and the count. The screenshot goes to .tap/screenshots/dashboard.png.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../../../common/paths.js';
import { pb } from '../../../proto/index.js';
import { topics } from '../../../proto/topics.js';
import { encodeBatch } from '../../../proto/batch-codec.js';
import { startCloud } from '../../helpers/fleet.js';
import { startFleet } from '../../../scripts/sim/fleet.js';
import { until } from '../../helpers/wait.js';

const exec = promisify(execFile);

t.test('summary, drill-down and alarm acknowledgement in a real browser', async (t) => {
  await exec(process.execPath, [
    join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    join(REPO_ROOT, 'cloud', 'web', 'tsconfig.json'),
  ]);
  const { cloud } = await startCloud(undefined, { health: { flush_ms: 50, sweep_ms: 200, live_ms: 100 } });
  t.teardown(() => cloud.stop());
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const districts = ['jiefang', 'shanyang', 'zhongzhan', 'macun'];
  const simulated: { id: string; secret: string }[] = [];
  for (let i = 0; i < 80; i++) {
    const id = `gw-${String(i).padStart(3, '0')}`;
    simulated.push({ id, secret: await cloud.createGateway(id) });
    await cloud.health.setTags(id, {
      district: districts[i % 4]!,
      site: `site-${i % 10}`,
      group: i % 2 ? 'meters' : 'cameras',
    });
  }
  const devices = Array.from({ length: 400 }, (_, i) => ({
    id: `meter-${i}`,
    gatewayId: `gw-${String(i % 5).padStart(3, '0')}`,
    type: i % 3 ? 'water_meter' : 'smoke_detector',
    intervalS: 3600,
  }));
  const put = await fetch(`${base}/api/v1/devices`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ devices }),
  });
  t.equal(put.status, 200);

  // three live gateways with Health and a batch carrying two alarms
  const clients: mqtt.MqttClient[] = [];
  for (let i = 0; i < 3; i++) {
    const id = `live-${i}`;
    const secret = await cloud.createGateway(id);
    await cloud.health.setTags(id, { district: districts[i]!, site: 'site-live', group: 'pilot' });
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.broker.port}`, {
      clientId: id,
      username: id,
      password: secret,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    clients.push(c);
    await c.publishAsync(
      topics.up(id, 'health'),
      Buffer.from(
        pb.Health.encode({
          gatewayId: id,
          tsMs: Date.now(),
          uptimeS: 60,
          clockSynced: true,
          storeRows: 100 * (i + 1),
          storeBytes: 9000,
          oldestAgeMs: i === 2 ? 3_600_000 : 1000,
          camerasTotal: 5,
          camerasOnline: 4 - i,
          agentVersion: '0.1.0',
          configVersion: 'v7',
        }).finish(),
      ),
    );
  }
  t.teardown(() => Promise.all(clients.map((c) => c.endAsync(true))));
  const now = Date.now();
  // its own devices: the registered meter-* belong to gw-000…gw-004, and another gateway's data for them would be quarantined
  const batch = encodeBatch(
    { gatewayId: 'live-0', epoch: 1, seq: 1 },
    [{ deviceId: 'live-meter-0', metric: 'flow', unit: 'm3', ts: now, value: 1, clock: 0, priority: 1 }],
    [
      {
        id: 'a1',
        deviceId: 'live-meter-0',
        type: 'leak',
        severity: 2,
        tsMs: now,
        message: 'leak detected',
        active: true,
      },
      {
        id: 'a2',
        deviceId: 'live-meter-1',
        type: 'cover_open',
        severity: 1,
        tsMs: now,
        message: 'manhole cover open',
        active: true,
      },
    ],
  );
  await clients[0]!.publishAsync(topics.up('live-0', 'batch'), Buffer.from(batch), { qos: 1 });
  await until('three gateways online with Health', () =>
    [0, 1, 2].every((i) => cloud.health.gateway(`live-${i}`)?.health),
  );
  // the simulated share: one Health each right after connecting (the next is an hour away), so the figures hold still
  const fleet = startFleet({
    mqttUrl: `mqtt://127.0.0.1:${cloud.broker.port}`,
    gateways: simulated,
    devicesPerGateway: 20,
    healthIntervalMs: 3_600_000,
    maxPhaseMs: 0,
    mix: { offline: 0.5, backlogged: 0.2, alarming: 0.1 },
    seed: 7,
  });
  t.teardown(() => fleet.close());
  await fleet.connected;
  let sim = fleet.gateways(),
    simUp = sim.filter((g) => g.up);
  t.ok(simUp.length > 0 && simUp.length < 80, `${simUp.length} of 80 simulated gateways online`);
  t.ok(
    simUp.some((g) => g.backlogged),
    'a backlogged one among them',
  );
  const simAlarms = simUp.reduce((a, g) => a + g.alarmsSent, 0);
  t.ok(simAlarms > 0, `${simAlarms} alarms from the simulated gateways`);
  await until('every simulated gateway online with Health', () =>
    fleet.gateways().every((g) => !g.up || (g.lastHealth && cloud.health.gateway(g.id)?.health)),
  );
  sim = fleet.gateways();
  simUp = sim.filter((g) => g.up);
  await cloud.health.flush();
  const sumOf = (f: (h: NonNullable<(typeof sim)[number]['lastHealth']>) => number): number =>
    simUp.reduce((a, g) => a + f(g.lastHealth!), 0);
  const summary = async (): Promise<{
    gateways: Record<string, number>;
    devices: { total: number; online: number };
    cameras: { online: number; total: number };
    backlog: { rows: number };
    alarms: { open: number };
  }> => (await fetch(`${base}/api/v1/health/summary`)).json() as never;
  // each simulated alarm came in a batch with a reading of its own (new) device, which the cloud registers online
  const openAlarms = 2 + simAlarms;
  await until('the alarms are in', async () => (await summary()).alarms.open === openAlarms);
  const s = await summary();
  t.match(s, {
    gateways: { total: 83, offline: 80 - simUp.length },
    devices: { total: 401 + simAlarms, online: 1 + simAlarms },
    cameras: { total: 15 + sumOf((h) => h.camerasTotal), online: 9 + sumOf((h) => h.camerasOnline) },
    backlog: { rows: 600 + sumOf((h) => h.storeRows) },
    alarms: { open: openAlarms },
  });

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  }); // playwright gives it a temporary --user-data-dir
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (process.env.DEBUG_PAGE) console.error(r.url());
  });
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, not the DOM property: the test checks the text as rendered for the operator
  const text = (sel: string): Promise<string> => page.locator(sel).innerText();
  t.equal(await text('#sum-gateways-total'), String(s.gateways.total));
  t.equal(await text('#sum-gateways-offline'), String(s.gateways.offline));
  t.equal(await text('#sum-gateways-online'), String(s.gateways.online));
  t.equal(await text('#sum-gateways-degraded'), String(s.gateways.degraded));
  t.equal(await text('#sum-devices-total'), String(s.devices.total));
  t.equal(await text('#sum-cameras-rate'), `${((s.cameras.online / s.cameras.total) * 100).toFixed(1)}%`);
  t.equal(
    await text('#sum-backlog-rows'),
    s.backlog.rows.toLocaleString('en-US'),
    'backlog rows, grouped like the page groups them',
  );
  t.equal(await text('#sum-alarms-open'), String(openAlarms));
  t.equal(await page.locator('#gateways tbody tr').count(), 50, 'one page of the gateways table');
  t.match(await text('#page-info'), /1–50 of 83/);
  await page.waitForSelector('#live.on');

  await page.fill('#filter', 'live-');
  await until('filtered table', async () => (await page.locator('#gateways tbody tr').count()) === 3);
  await page.locator('#gateways tbody tr[data-id="live-0"]').click();
  await page.waitForSelector('#detail:not([hidden])');
  t.match(await text('#detail-title'), /live-0/);
  await until('devices of the gateway', async () => (await page.locator('#detail-devices tbody tr').count()) > 0);
  t.match(await text('#detail-facts'), /v7/, 'config version shown');
  t.equal((await page.locator('#backlog-chart canvas').count()) > 0, true, 'backlog chart drawn');

  t.equal(await page.locator('#alarms button.ack').count(), openAlarms);
  await page.locator('#alarms button.ack').first().click();
  await until(
    'one alarm fewer in the list',
    async () => (await page.locator('#alarms button.ack').count()) === openAlarms - 1,
  );
  await until('the count follows', async () => (await text('#sum-alarms-open')) === String(openAlarms - 1));
  t.equal((await summary()).alarms.open, openAlarms - 1, 'the API agrees');
  const acked = (await cloud.store.listEvents({ alarmsOnly: true })).filter((e) => e.ackedMs !== null);
  t.equal(acked.length, 1);
  t.equal(acked[0]?.ackedBy, 'dashboard');

  const dir = join(REPO_ROOT, '.tap', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, 'dashboard.png'), fullPage: true });
  t.same(errors, [], 'no script errors on the page');
});
