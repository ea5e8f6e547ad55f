/**
 * Queue mode: a b=UQ device sleeps, requests for it are held in SQLite (coalesced, with TTL),
 * survive an agent restart, and are delivered in order inside its awake window when it wakes.
 */
import t from 'tap';
import { request } from 'node:http';
import { tempDir } from '../../../../helpers/fleet.js';
import { until } from '../../../../helpers/wait.js';
import { createSimDevices } from '../../../../../edge/profiles/lwm2m-sim-device.js';
import { startLwm2mEdge } from './helpers.js';

/** The local API's answers, the fields checked here. */
type ErrorBody = { error: { code: string } };
type QueueBody = { open: { op: string; path: string; state: string }[]; recent: { state: string }[] };

/** One call to the agent's local API over its Unix socket. */
function api<T>(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const WINDOW_MS = 1500;

t.test(
  'a sleeping UQ device gets its queued write, execute and read in order on wake, across an agent restart',
  async (t) => {
    const dir = tempDir('yw-lwm2m-queue-');
    const overrides = { lwm2m: { awake_window_ms: WINDOW_MS, request_timeout_ms: 1000 } };
    let e = await startLwm2mEdge(overrides, dir);
    const port = e.port;
    const [dev] = await createSimDevices(1, { host: '127.0.0.1', port }, { binding: 'UQ', prefix: 'urn:imei:8650000' });
    t.teardown(() => dev!.close());
    const ep = dev!.opts.endpoint;
    t.equal(await dev!.register(), '2.01');
    dev!.sleep();
    await until('awake window of the register is over', () => e.lwm2m.devices()[0]!.reachable === false, 5000);

    const sock = e.agent.api.socketPath;
    const w1 = await api<{ id: number }>(sock, 'POST', `/v1/lwm2m/devices/${encodeURIComponent(ep)}/requests`, {
      op: 'write',
      path: '/3/0/14',
      value: '+08:00',
    });
    t.equal(w1.status, 202, 'queued, not sent: the device sleeps');
    const w2 = await e.lwm2m.submit(ep, { op: 'write', path: '/3/0/14', value: '+09:00' });
    t.same(w2.superseded, [w1.json.id], 'second write to the same resource supersedes the first');
    t.match(
      await e.lwm2m.result(w1.json.id),
      { ok: false, error: { code: 'LWM2M_ERR_SUPERSEDED' } },
      'the first requester learns it was superseded',
    );
    const ex = await e.lwm2m.submit(ep, { op: 'execute', path: '/3/0/4' });
    const rd = await e.lwm2m.submit(ep, { op: 'read', path: '/3303/0/5700' });
    const short = await e.lwm2m.submit(ep, { op: 'read', path: '/3/0/0', ttlMs: 1000 });
    const bad = await api<ErrorBody>(sock, 'POST', `/v1/lwm2m/devices/${encodeURIComponent(ep)}/requests`, {
      op: 'write',
      path: '/3303/0/5700',
      value: 'hot',
    });
    t.equal(bad.status, 400, 'a value that does not fit the resource is refused up front');
    t.equal(bad.json.error.code, 'LWM2M_ERR_REQUEST');
    t.equal((await api(sock, 'POST', '/v1/lwm2m/devices/nobody/requests', { op: 'read', path: '/3/0' })).status, 404);

    const listed = await api<QueueBody>(sock, 'GET', `/v1/lwm2m/devices/${encodeURIComponent(ep)}/queue`);
    t.same(
      listed.json.open.map((r) => [r.op, r.path, r.state]),
      [
        ['write', '/3/0/14', 'pending'],
        ['execute', '/3/0/4', 'pending'],
        ['read', '/3303/0/5700', 'pending'],
        ['read', '/3/0/0', 'pending'],
      ],
    );
    t.equal(listed.json.recent[0]?.state, 'superseded');
    t.equal(dev!.requests.length, 0, 'nothing reached the sleeping device');
    const devs = await api<{ devices: { pendingRequests: number }[] }>(sock, 'GET', '/v1/lwm2m/devices');
    t.equal(devs.json.devices[0]?.pendingRequests, 4);

    // Restart the agent on the same port and store: the queue is still there.
    await e.agent.stop();
    e = await startLwm2mEdge({ ...overrides, coap: { host: '127.0.0.1', port } }, dir);
    t.teardown(() => e.agent.stop());
    t.equal(e.lwm2m.requests(ep).open.length, 4, 'queue survived the restart');
    await until('the short-lived request expires', () => e.lwm2m.requests(ep).open.length === 3, 5000);
    t.match(await e.lwm2m.result(short.id), { ok: false, error: { code: 'LWM2M_ERR_EXPIRED' } });

    // Wake: the device sends an Update; the server delivers the queue in order inside the window.
    const woke = Date.now();
    t.equal(await dev!.update(), '2.04');
    const [wr, exr, rdr] = await Promise.all([e.lwm2m.result(w2.id), e.lwm2m.result(ex.id), e.lwm2m.result(rd.id)]);
    t.match(wr, { ok: true, coapCode: '2.04' }, 'write done');
    t.match(exr, { ok: true, coapCode: '2.04' }, 'execute done');
    t.match(
      rdr,
      { ok: true, coapCode: '2.05', records: [{ path: '/3303/0/5700', value: 21.5 }] },
      'read result reaches the requester',
    );
    t.same(
      dev!.requests.map((r) => `${r.method} ${r.path}`),
      ['PUT /3/0/14', 'POST /3/0/4', 'GET /3303/0/5700'],
      'in order, superseded and expired ones not sent',
    );
    t.ok(
      dev!.requests.every((r) => r.at - woke < WINDOW_MS),
      'all inside the awake window',
    );
    t.same(dev!.values.get('/3/0/14'), { type: 'string', value: '+09:00' }, 'the newest value was written');
    t.equal(e.lwm2m.requests(ep).open.length, 0);
  },
);

t.test('a request to a sleeping device that does not answer stays queued for its next wake', async (t) => {
  const e = await startLwm2mEdge({ lwm2m: { awake_window_ms: 5000, request_timeout_ms: 300 } });
  t.teardown(() => e.agent.stop());
  const [dev] = await createSimDevices(
    1,
    { host: '127.0.0.1', port: e.port },
    { binding: 'UQ', prefix: 'urn:imei:8650001' },
  );
  t.teardown(() => dev!.close());
  t.equal(await dev!.register(), '2.01');
  dev!.sleep(); // asleep although the server still believes it awake: the request times out
  const r = await e.lwm2m.submit(dev!.opts.endpoint, { op: 'read', path: '/3/0/9' });
  await until(
    'first attempt timed out',
    () =>
      e.lwm2m.requests(dev!.opts.endpoint).open[0]?.attempts === 1 &&
      e.lwm2m.requests(dev!.opts.endpoint).open[0]?.state === 'pending',
    5000,
  );
  t.equal(await dev!.update(), '2.04');
  t.match(await r.result, { ok: true, records: [{ path: '/3/0/9', value: 90 }] }, 'delivered on the next wake');
});
