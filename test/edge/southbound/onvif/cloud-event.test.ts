/** Acceptance: a motion event of a camera reaches the cloud with its snapshot reference (real agent, real cloud). */
import t from 'tap';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FakeOnvifCamera } from '../../../../scripts/sim/onvif-camera.js';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../../helpers/fleet.js';
import { until } from '../../../helpers/wait.js';

t.test('motion at the camera → Event in the cloud, referencing the snapshot kept on the gateway', async (t) => {
  const { cloud, mqttUrl } = await startCloud();
  t.teardown(() => cloud.stop());
  const secret = await cloud.createGateway('gw-cam-ev');
  const cam = await new FakeOnvifCamera({ password: 'site-pw', pullHoldMs: 500 }).start();
  t.teardown(() => cam.stop());
  const { agent } = await startEdge(
    edgeConfig(tempDir('yw-cam-cloud-'), 'gw-cam-ev', secret, mqttUrl, {
      cameras: {
        addresses: [cam.deviceServiceUrl],
        username: 'admin',
        password: 'site-pw',
        health_interval_ms: 300,
        stream_probe: false,
        events: true,
      },
    }),
  );
  t.teardown(() => agent.stop());
  const mgr = agent.cameras!;
  await until('subscribed', () => mgr.counts().up_auth === 1 && cam.subscriptions === 1, 20_000);
  cam.raise('motion', true);
  const motionInCloud = async () =>
    (await cloud.store.listEvents({ gatewayId: 'gw-cam-ev' })).find((e) => e.type === 'camera_motion');
  await until('camera_motion in the cloud', async () => (await motionInCloud()) !== undefined, 30_000, 100);
  const ev = (await motionInCloud())!;
  const id = [...mgr.monitors.keys()][0];
  t.equal(ev.deviceId, id, 'the camera is the Event device');
  t.equal(ev.active, true);
  t.equal(ev.attributes.rule, 'MyMotionDetectorRule');
  t.match(ev.attributes.snapshot, /\.jpg$/, 'snapshot reference carried to the cloud');
  t.ok(existsSync(join(mgr.snapshotDir, ev.attributes.snapshot!)), 'the referenced snapshot is kept on the gateway');
  t.equal(cam.snapshotsServed, 1, 'fetched from the camera (HTTP digest)');
});
