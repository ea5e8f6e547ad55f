/** Camera onboarding and health grading against the strict test camera (no video needed). */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { FakeOnvifCamera } from '../../../../scripts/sim/onvif-camera.js';
import { WsDiscoveryResponder } from '../../../../scripts/sim/ws-discovery-responder.js';
import { Secret } from '../../../../edge/southbound/onvif/secret.js';
import { until } from '../../../helpers/wait.js';
import { freePort } from '../../../helpers/rtsp-server.js';
import { makeManager } from './setup.js';

const PASSWORD = 'S3cret-camera-pw!';

t.test('discover → onboard → up with auth; credentials never shown', async (t) => {
  const cam = await new FakeOnvifCamera({ password: PASSWORD }).start();
  const responder = await new WsDiscoveryResponder().add(cam.deviceServiceUrl).start();
  const { manager, logs, dir } = makeManager();
  t.teardown(async () => {
    await manager.stop();
    await responder.stop();
    await cam.stop();
  });
  await manager.start();
  t.equal(manager.isActive, false, 'no cameras: nothing started');
  const found = await manager.discover(`127.0.0.1:${responder.port}`, 300);
  t.equal(found.length, 1, 'one camera answered the probe');
  t.same(found[0]?.xaddrs, [cam.deviceServiceUrl]);
  t.equal(found[0]?.name, 'PREDATOR', 'name scope parsed');
  await manager.add(found[0]!.xaddrs[0]!, 'admin', new Secret(PASSWORD));
  const m = [...manager.monitors.values()][0]!;
  await until('up_auth', () => m.state === 'up_auth', 10_000);
  const s = m.status();
  t.equal(s.device?.model, 'Mockup Model');
  t.equal(s.profiles[0]?.token, 'main');
  t.equal(s.streamUri, 'rtsp://127.0.0.1:8554/test');
  t.match(s.snapshotUri, /^http:\/\/127\.0\.0\.1:\d+\/snapshot\.jpg$/);
  t.equal(manager.counts().up_auth, 1);
  const shown =
    JSON.stringify(logs.lines) +
    JSON.stringify(manager.list()) +
    readFileSync(join(dir, 'data', 'cameras.json'), 'utf8');
  t.notMatch(shown, PASSWORD, 'password appears in no log line, status or registry file');
  t.match(readFileSync(join(dir, 'data', 'cameras.json'), 'utf8'), /"password": "v1:/, 'stored sealed');
  t.equal(`${new Secret('x')}`, '[redacted]');
});

t.test('wrong password → up without auth, backs off, no lockout', async (t) => {
  const cam = await new FakeOnvifCamera({ password: PASSWORD, lockoutAfter: 3 }).start();
  const { manager } = makeManager({ auth_backoff_ms: 60_000 });
  t.teardown(async () => {
    await manager.stop();
    await cam.stop();
  });
  await manager.start();
  await manager.add(cam.deviceServiceUrl, 'admin', new Secret('wrong-password'));
  const m = [...manager.monitors.values()][0]!;
  await until('up_noauth', () => m.state === 'up_noauth', 10_000);
  const checked = m.lastCheckAt!;
  // several more health checks while backing off
  await until(
    '5 more checks',
    () => (cam.requests.get('GetSystemDateAndTime') ?? 0) >= 6 && m.lastCheckAt! > checked,
    10_000,
  );
  t.equal(m.state, 'up_noauth');
  t.equal(cam.auth.failedLogins, 1, 'one failed login, then backoff');
  t.equal(cam.auth.lockedOut, false, 'account not locked');
  t.equal(m.status().lastError?.code, 'CAMERA_ERR_AUTH');
  const ev = manager.events!.list().find((e) => e.type === 'camera_auth_failed');
  t.ok(ev?.active, 'camera_auth_failed event raised');
  t.equal(ev?.attributes.state, 'up_noauth');
});

t.test('the test camera locks the account after repeated bad logins (as cameras do)', async (t) => {
  const cam = await new FakeOnvifCamera({ password: PASSWORD, lockoutAfter: 2 }).start();
  t.teardown(() => cam.stop());
  const { PackageOnvifClient } = await import('../../../../edge/southbound/onvif/onvif-client.js');
  const ep = { hostname: '127.0.0.1', port: cam.port, path: '/onvif/device_service' };
  const bad = new PackageOnvifClient(ep, 'admin', new Secret('nope'), 1000);
  const good = new PackageOnvifClient(ep, 'admin', new Secret(PASSWORD), 1000);
  t.teardown(() => {
    bad.close();
    good.close();
  });
  for (let i = 0; i < 2; i++) await t.rejects(bad.deviceInfo(), { code: 'CAMERA_ERR_AUTH' });
  t.equal(cam.auth.lockedOut, true);
  await t.rejects(good.deviceInfo(), { code: 'CAMERA_ERR_AUTH' }, 'even the right password is refused while locked');
});

t.test('dead camera → unreachable; TCP accept without answer → reachable', async (t) => {
  const closedPort = await freePort();
  const held: Socket[] = [];
  const silent = createServer((s) => held.push(s)); // accepts, never answers
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const silentPort = (silent.address() as { port: number }).port;
  const { manager } = makeManager({ request_timeout_ms: 500 });
  t.teardown(async () => {
    await manager.stop();
    for (const s of held) s.destroy();
    silent.close();
  });
  await manager.start();
  await manager.add(`127.0.0.1:${closedPort}`, 'admin', new Secret('x'), 'dead');
  await manager.add(`127.0.0.1:${silentPort}`, 'admin', new Secret('x'), 'silent');
  await until(
    'graded',
    () => manager.get('dead').state !== 'unknown' && manager.get('silent').state !== 'unknown',
    10_000,
  );
  t.equal(manager.get('dead').state, 'unreachable');
  t.equal(manager.get('dead').status().lastError?.code, 'CAMERA_ERR_UNREACHABLE');
  t.equal(manager.get('silent').state, 'reachable');
  t.equal(manager.get('silent').status().lastError?.code, 'CAMERA_ERR_NO_ANSWER');
  const offline = manager.events!.list().filter((e) => e.type === 'camera_offline' && e.active);
  t.same(offline.map((e) => e.deviceId).sort(), ['dead', 'silent'], 'camera_offline events for both');
  t.same(manager.counts(), {
    total: 2,
    online: 0,
    up_auth: 0,
    up_noauth: 0,
    reachable: 1,
    unreachable: 1,
    unknown: 0,
    stream_down: 0,
    needs_credentials: 0,
  });
});

t.test('a camera that hangs goes from up to reachable and back, raising and clearing camera_offline', async (t) => {
  // The camera holds every PullMessages for a minute (as real ones may): a held pull must not delay
  // the health checks. It once did — stopping the PullPoint loop waited for the pull's 80 s socket
  // timeout — which made this test slow and flaky; now stop() aborts the pull (abortPull).
  const cam = await new FakeOnvifCamera({ password: PASSWORD, pullHoldMs: 60_000 }).start();
  const { manager } = makeManager({ request_timeout_ms: 400 });
  t.teardown(async () => {
    await manager.stop();
    await cam.stop();
  });
  await manager.start();
  await manager.add(cam.deviceServiceUrl, 'admin', new Secret(PASSWORD), 'c1');
  const m = manager.get('c1');
  await until(
    'up_auth with a pull held',
    () => m.state === 'up_auth' && (cam.requests.get('PullMessages') ?? 0) >= 1,
    10_000,
  );
  cam.mode = 'hang';
  let t0 = Date.now();
  await until('reachable', () => m.state === 'reachable', 10_000);
  const downMs = Date.now() - t0;
  const checkedAt = m.lastCheckAt!;
  await until('checks go on while hung', () => m.lastCheckAt! > checkedAt, 10_000);
  cam.mode = 'ok';
  t0 = Date.now();
  await until('up again', () => m.state === 'up_auth', 10_000);
  const upMs = Date.now() - t0;
  // each transition takes about one check (interval 200 ms, request timeout 400 ms); the bound is loose for a loaded machine
  t.ok(downMs < 8_000 && upMs < 8_000, `down after ${downMs} ms, up again after ${upMs} ms`);
  const ev = manager.events!.list({ deviceId: 'c1' }).filter((e) => e.type === 'camera_offline');
  t.same(
    ev.map((e) => e.active),
    [true, false],
    'raised then cleared',
  );
});

t.test('stopping the PullPoint loop ends a held PullMessages at once', async (t) => {
  const cam = await new FakeOnvifCamera({ password: PASSWORD, pullHoldMs: 60_000 }).start();
  const { manager } = makeManager();
  t.teardown(() => cam.stop());
  await manager.start();
  await manager.add(cam.deviceServiceUrl, 'admin', new Secret(PASSWORD), 'c1');
  const m = manager.get('c1');
  await until('pull held', () => m.events.subscribed && (cam.requests.get('PullMessages') ?? 0) >= 1, 10_000);
  const t0 = Date.now();
  await m.events.stop();
  t.ok(
    Date.now() - t0 < 5_000,
    `PullPoint loop stopped in ${Date.now() - t0} ms (the camera would hold the pull 60 s)`,
  );
  await manager.stop();
});
