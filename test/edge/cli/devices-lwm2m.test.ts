/**
 * LwM2M from the technician's CLI (issue 17, item 11) against a real agent process and simulated
 * LwM2M clients: `devices show` tells pre-registration from the LwM2M registration (registered,
 * deregistered, expired; lifetime, last update, binding and queue mode); `devices read|write|exec|
 * observe|discover` reach the device; unknown devices, non-LwM2M devices, bad paths and values,
 * sleeping and offline devices give coded errors that say what happens to the request.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { createSimDevices, type SimLwm2mDevice } from '../../../edge/profiles/lwm2m-sim-device.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { BIN, cli, startAgent, writeConfig, type AgentProcess } from './harness.js';
import type { DeviceDetail } from '../../../edge/devices/view.js';

const dir = tempDir('yw-cli-lwm2m-');
const config = writeConfig(dir, {
  extra: '[lwm2m]\nawake_window_ms = 1500\nrequest_timeout_ms = 1000\nlifetime_grace_ms = 0\n',
});
const run = (...args: string[]): ReturnType<typeof cli> => cli(['--config', config, ...args]);
const detail = async (ep: string): Promise<DeviceDetail> =>
  JSON.parse((await run('--json', 'devices', 'show', ep)).out) as DeviceDetail;
let agent: AgentProcess;
const sims: SimLwm2mDevice[] = [];
const devices = async (n: number, o: Parameters<typeof createSimDevices>[2]): Promise<SimLwm2mDevice[]> => {
  const d = await createSimDevices(n, { host: '127.0.0.1', port: agent.coapPort }, o);
  sims.push(...d);
  return d;
};

t.before(async () => {
  agent = await startAgent(dir, config);
});
t.teardown(async () => {
  for (const d of sims) d.close();
  await agent.stop();
});

t.test('a registered device: show, read, write, exec, observe, discover', async (t) => {
  const [dev] = await devices(1, { prefix: 'urn:imei:8610000' });
  const ep = dev!.opts.endpoint;
  t.equal(await dev!.register(), '2.01');

  const show = await run('devices', 'show', ep);
  t.equal(show.code, 0, show.err);
  t.match(
    show.out,
    /^pre-registered +no \(not added with devices add/m,
    'pre-registration is its own line, not "registered no"',
  );
  t.notMatch(show.out, /^registered /m);
  t.match(show.out, /^lwm2m registration +registered \d{4}-/m);
  t.match(show.out, /^lifetime +300 s; last update \d{4}-\S+ \(\d+ s ago\); expires in \d+ s without an Update$/m);
  t.match(show.out, /^binding +U: no queue mode, reachable$/m);
  t.match(show.out, /^endpoint +registration \S+, LwM2M 1\.1, from 127\.0\.0\.1:\d+/m);
  t.match(await detail(ep), {
    kind: 'lwm2m',
    preRegistered: false,
    lwm2mRegistration: { state: 'registered', binding: 'U', queueMode: false, reachable: true, lifetimeS: 300 },
  });

  const read = await run('devices', 'read', ep, '/3/0');
  t.equal(read.code, 0, read.err);
  t.match(read.out, /^path +value +type/m);
  t.match(read.out, /^\/3\/0\/0 +Yiwang Sim +string/m);
  t.match(read.out, /^\/3\/0\/9 +90 +integer/m);
  const rj = JSON.parse((await run('--json', 'devices', 'read', ep, '/3303/0/5700')).out);
  t.match(rj, {
    id: Number,
    result: { ok: true, coapCode: '2.05', records: [{ path: '/3303/0/5700', value: 21.5, type: 'float' }] },
  });

  const write = await run('devices', 'write', ep, '/3/0/14', '+08:00');
  t.equal(write.code, 0, write.err);
  t.match(write.out, new RegExp(`^wrote /3/0/14 on ${ep} \\(2\\.04\\)$`, 'm'));
  t.same(
    dev!.values.get('/3/0/14'),
    { type: 'string', value: '+08:00' },
    'the device has the value, typed as a string by the object model',
  );

  const exec = await run('devices', 'exec', ep, '/3/0/4');
  t.equal(exec.code, 0, exec.err);
  t.match(exec.out, /^executed \/3\/0\/4 on .* \(2\.04\)$/m);
  t.ok(
    dev!.requests.some((r) => r.method === 'POST' && r.path === '/3/0/4'),
    'the device got the Execute',
  );

  const obs = await run('devices', 'observe', ep, '/3303/0/5700');
  t.equal(obs.code, 0, obs.err);
  t.match(obs.out, /^observing \/3303\/0\/5700 on .*: its notifications are stored as readings\n/m);
  t.match(obs.out, /^\/3303\/0\/5700 +21\.5 +float/m);
  t.ok(dev!.observations.has('/3303/0/5700'), 'the device holds the observation');
  t.equal((await run('devices', 'observe', '--cancel', ep, '/3303/0/5700')).code, 0);
  t.notOk(dev!.observations.has('/3303/0/5700'), 'cancelled');

  const disc = await run('devices', 'discover', ep, '/3/0');
  t.equal(disc.code, 0, disc.err);
  t.match(disc.out, /^<\/3\/0\/0>$/m);
  t.match(disc.out, /^<\/3\/0\/14>$/m);

  // the device answers with an error: its code, one line
  const missing = await run('devices', 'read', ep, '/3303/7');
  t.equal(missing.code, 1);
  t.match(missing.err, /^error LWM2M_ERR_DEVICE: read \/3303\/7 on \S+: .*4\.04/);
});

t.test('coded errors: unknown device, not an LwM2M device, bad path, bad value', async (t) => {
  const unknown = await run('devices', 'read', 'urn:imei:000000000000000', '/3/0');
  t.equal(unknown.code, 1);
  t.match(unknown.err, /^error EDGE_ERR_UNKNOWN_DEVICE: no device urn:imei:000000000000000 /);
  t.equal(unknown.err.trim().split('\n').length, 1, 'one line');

  t.equal(
    (
      await new SimSensor('aq-not-lwm2m', { host: '127.0.0.1', port: agent.coapPort }).sendSenml([
        { n: 'pm10', u: 'ug/m3', v: 5 },
      ])
    ).code,
    '2.04',
  );
  const coap = await run('devices', 'read', 'aq-not-lwm2m', '/3/0');
  t.equal(coap.code, 1);
  t.match(
    coap.err,
    /^error LWM2M_ERR_UNKNOWN_DEVICE: aq-not-lwm2m is known to this gateway \(heard over coap\) but has never registered with its LwM2M server/,
  );

  const badPath = await run('devices', 'read', 'urn:imei:000000000000000', '/3/zero');
  t.equal(badPath.code, 1);
  t.match(
    badPath.err,
    /^error LWM2M_ERR_PATH: path "\/3\/zero": segment "zero" is not a decimal id/,
    'checked before anything is sent',
  );
  const level = await run('devices', 'exec', 'urn:imei:000000000000000', '/3/0');
  t.match(
    level.err,
    /^error LWM2M_ERR_PATH: execute needs a resource path such as \/3\/0\/4, not "\/3\/0" \(instance\)/,
  );
  const badValue = await run('devices', 'write', 'urn:imei:000000000000000', '/3303/0/5700', 'hot');
  t.match(badValue.err, /^error LWM2M_ERR_REQUEST: \/3303\/0\/5700: Sensor Value is a number, not "hot"/);
});

t.test('a sleeping (queue mode) device: the request is queued, said so, and delivered when it wakes', async (t) => {
  const [dev] = await devices(1, { prefix: 'urn:imei:8620000', binding: 'UQ' });
  const ep = dev!.opts.endpoint;
  t.equal(await dev!.register(), '2.01');
  dev!.sleep();
  await until(
    'the awake window is over',
    async () => (await detail(ep)).lwm2mRegistration?.reachable === false,
    15_000,
    200,
  );
  const show = await run('devices', 'show', ep);
  t.match(show.out, /^binding +UQ: queue mode, asleep \(requests wait until it next wakes\)$/m);

  const started = Date.now();
  const r = await run('devices', 'read', ep, '/3303/0/5700');
  t.equal(r.code, 1);
  t.match(
    r.err,
    new RegExp(
      `^error EDGE_ERR_DEVICE_ASLEEP: request (\\d+) \\(read /3303/0/5700\\) is queued: ${ep} is asleep \\(queue mode, binding UQ, last heard \\d+ s ago\\); it goes out when the device next wakes \\(Update, notification or Send\\), until \\d{4}-\\S+ \\(then LWM2M_ERR_EXPIRED\\)`,
    ),
  );
  t.ok(Date.now() - started < 15_000, 'no long wait for a sleeping device by default');
  const id = Number(/request (\d+)/.exec(r.err)![1]);
  const queued = await detail(ep);
  t.match(queued.commands.open, [{ id, op: 'read', path: '/3303/0/5700', state: 'pending' }]);
  const shown = await run('devices', 'show', ep);
  t.match(
    shown.out,
    new RegExp(`^${id} +read +/3303/0/5700 +pending +0 +\\d{4}-`, 'm'),
    'devices show lists the queued request',
  );

  const noWait = await run('devices', 'write', '--no-wait', ep, '/3/0/14', '+09:00');
  t.equal(noWait.code, 0, noWait.err);
  t.match(noWait.out, /^queued request \d+ \(write \/3\/0\/14\) for .*: it goes out when the device is reachable/);

  t.equal(await dev!.update(), '2.04', 'the device wakes');
  await until(
    'the queued read and write reach the device',
    () =>
      dev!.requests.some((q) => q.method === 'GET' && q.path === '/3303/0/5700') &&
      dev!.values.get('/3/0/14')?.value === '+09:00',
    10_000,
  );
  await until('their results are listed', async () => (await detail(ep)).commands.open.length === 0, 10_000, 200);
  const done = (await detail(ep)).commands.recent as {
    id: number;
    state: string;
    result?: { records?: { value: unknown }[] };
  }[];
  t.match(
    done.find((q) => q.id === id),
    { state: 'done', result: { ok: true, records: [{ path: '/3303/0/5700', value: 21.5 }] } },
    "the queued read's answer is kept for devices show",
  );

  // with --wait the CLI waits for the device to wake and prints the answer
  dev!.sleep();
  await until('asleep again', async () => (await detail(ep)).lwm2mRegistration?.reachable === false, 15_000, 200);
  const waiting = spawn(process.execPath, [BIN, '--config', config, 'devices', 'read', '--wait', '30', ep, '/3/0/9'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  waiting.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const exited = new Promise<number>((resolve) => waiting.on('exit', (c) => resolve(c ?? -1)));
  await until('the request is queued', async () => (await detail(ep)).commands.open.length === 1, 15_000, 200);
  t.equal(await dev!.update(), '2.04');
  t.equal(await exited, 0);
  t.match(out, /^\/3\/0\/9 +90 +integer/m);
});

t.test('deregistered and expired registrations are shown as such; requests to them are queued', async (t) => {
  const [gone] = await devices(1, { prefix: 'urn:imei:8630000' });
  const [late] = await devices(1, { prefix: 'urn:imei:8640000', lifetimeS: 1 });
  t.equal(await gone!.register(), '2.01');
  t.equal(await late!.register(), '2.01');
  t.equal(await gone!.deregister(), '2.02');
  const dereg = await run('devices', 'show', gone!.opts.endpoint);
  t.match(dereg.out, /^state +silent$/m);
  t.match(dereg.out, /^lwm2m registration +deregistered \d{4}-\S+ \(the device sent De-register\)$/m);
  const req = await run('devices', 'read', gone!.opts.endpoint, '/3/0');
  t.equal(req.code, 1);
  t.match(
    req.err,
    /^error EDGE_ERR_DEVICE_OFFLINE: request \d+ \(read \/3\/0\) is queued: \S+ is offline \(LwM2M registration deregistered /,
  );

  await until(
    'the 1 s registration expires',
    async () => (await detail(late!.opts.endpoint)).lwm2mRegistration?.state === 'expired',
    15_000,
    200,
  );
  const exp = await run('devices', 'show', late!.opts.endpoint);
  t.match(exp.out, /^lwm2m registration +expired \d{4}-\S+ \(no Update within its lifetime\)$/m);
  t.match(exp.out, /^lifetime +1 s; last update /m);
});
