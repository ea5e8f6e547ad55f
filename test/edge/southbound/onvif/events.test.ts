/** PullPoint events normalised to Events with a stored snapshot; camera clock drift. */
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeOnvifCamera, SNAPSHOT_BYTES } from '../../../../scripts/sim/onvif-camera.js';
import { Secret } from '../../../../edge/southbound/onvif/secret.js';
import { normalise } from '../../../../edge/southbound/onvif/normalise.js';
import { SnapshotStore } from '../../../../edge/southbound/onvif/snapshots.js';
import { until } from '../../../helpers/wait.js';
import { makeManager, tempDir } from './setup.js';

t.test('motion, tamper and video loss become Events; alarms carry a stored snapshot', async (t) => {
  const cam = await new FakeOnvifCamera({ password: 'pw', pullHoldMs: 300 }).start();
  const { manager } = makeManager();
  t.teardown(async () => {
    await manager.stop();
    await cam.stop();
  });
  await manager.start();
  await manager.add(cam.deviceServiceUrl, 'admin', new Secret('pw'), 'cam1');
  const m = manager.get('cam1');
  await until('subscribed', () => m.state === 'up_auth' && cam.subscriptions === 1, 10_000);
  cam.raise('motion', true);
  await until('motion event', () => manager.events!.list().some((e) => e.type === 'camera_motion'), 10_000);
  const motion = manager.events!.list().find((e) => e.type === 'camera_motion')!;
  t.equal(motion.deviceId, 'cam1');
  t.equal(motion.active, true);
  t.equal(motion.attributes.rule, 'MyMotionDetectorRule');
  t.ok(motion.attributes.snapshot, 'snapshot referenced');
  const file = join(manager.snapshotDir, motion.attributes.snapshot!);
  t.ok(existsSync(file), 'snapshot kept on disk');
  t.same(readFileSync(file), SNAPSHOT_BYTES, 'the camera image, fetched with HTTP digest auth');
  cam.raise('motion', false);
  cam.raise('tamper', true);
  cam.raise('video_loss', true);
  await until(
    'three more',
    () => manager.events!.list().filter((e) => /motion|tamper|video_loss/.test(e.type)).length === 4,
    10_000,
  );
  const types = manager
    .events!.list()
    .filter((e) => /motion|tamper|video_loss/.test(e.type))
    .map((e) => `${e.type}:${e.active}`);
  t.same(types, ['camera_motion:true', 'camera_motion:false', 'camera_tamper:true', 'camera_video_loss:true']);
  t.equal(cam.snapshotsServed, 3, 'one snapshot per raised alarm, none for the clear');
});

t.test('normalise: vendor topics with whitespace and prefixes', async (t) => {
  const n = (topic: string, data: Record<string, string>) => normalise({ topic, utcMs: undefined, data, source: {} });
  t.match(n('\n  tns1:VideoSource/MotionAlarm ', { State: 'true' }), { type: 'camera_motion', active: true });
  t.match(n('tns1:RuleEngine/TamperDetector/Tamper', { IsTamper: 'false' }), { type: 'camera_tamper', active: false });
  t.match(n('tns1:VideoSource/GlobalSceneChange/ImagingService', { State: '1' }), {
    type: 'camera_tamper',
    active: true,
  });
  t.equal(n('tns1:Device/Trigger/DigitalInput', { LogicalState: 'true' }), undefined, 'unrelated topics ignored');
});

t.test('snapshot store is bounded in bytes, oldest first', async (t) => {
  const s = new SnapshotStore(tempDir('yw-snap-'), 100);
  const names = [0, 1, 2, 3].map((i) => s.put('cam', 1000 + i, Buffer.alloc(40, i)));
  t.equal(s.count, 2);
  t.ok(s.bytes <= 100);
  t.notOk(existsSync(join(s.dir, names[0]!)));
  t.ok(existsSync(join(s.dir, names[3]!)));
});

t.test('camera clock drift is detected and reported; WS-Security still works', async (t) => {
  const cam = await new FakeOnvifCamera({ password: 'pw', skewMs: 120_000 }).start();
  const { manager } = makeManager({ clock_drift_max_ms: 5000, events: false });
  t.teardown(async () => {
    await manager.stop();
    await cam.stop();
  });
  await manager.start();
  await manager.add(cam.deviceServiceUrl, 'admin', new Secret('pw'), 'skewed');
  const m = manager.get('skewed');
  await until('up_auth', () => m.state === 'up_auth', 10_000);
  t.ok(Math.abs(m.clockDriftMs! - 120_000) < 1500, `drift ≈ 120 s (${m.clockDriftMs})`);
  const ev = manager.events!.list().find((e) => e.type === 'camera_clock_drift');
  t.ok(ev?.active, 'camera_clock_drift raised');
  t.equal(ev?.attributes.code, 'CAMERA_ERR_CLOCK_DRIFT');
  cam.skewMs = 0;
  await until(
    'cleared',
    () => manager.events!.list().some((e) => e.type === 'camera_clock_drift' && !e.active),
    10_000,
  );
  t.ok(Math.abs(m.clockDriftMs!) < 1500);
});

t.test('an event the camera answers while the PullPoint loop is stopping is still delivered', async (t) => {
  const cam = await new FakeOnvifCamera({ password: 'pw', pullHoldMs: 60_000 }).start();
  const { manager } = makeManager();
  t.teardown(async () => {
    await manager.stop();
    await cam.stop();
  });
  await manager.start();
  await manager.add(cam.deviceServiceUrl, 'admin', new Secret('pw'), 'cam1');
  const m = manager.get('cam1');
  await until('pull held', () => m.events.subscribed && (cam.requests.get('PullMessages') ?? 0) >= 1, 10_000);
  cam.raise('tamper', true); // answers the held pull at once
  await m.events.stop(); // as when a health check fails: a short grace, then the pull is aborted
  t.ok(
    manager.events!.list().some((e) => e.type === 'camera_tamper' && e.active),
    'the tamper event in the answered pull was raised',
  );
});
