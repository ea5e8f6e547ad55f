/** `cameras discover|add|test` against a real agent process, a fake ONVIF camera and a WS-Discovery responder. */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeOnvifCamera } from '../../../scripts/sim/onvif-camera.js';
import { WsDiscoveryResponder } from '../../../scripts/sim/ws-discovery-responder.js';
import { tempDir } from '../../helpers/fleet.js';
import { cli, startAgent, writeConfig } from './harness.js';

t.test('discover → add → test; password never shown; offline camera exits 1', async (t) => {
  const cam = await new FakeOnvifCamera({ password: 'cam-secret-42' }).start();
  const responder = await new WsDiscoveryResponder().add(cam.deviceServiceUrl).start();
  const dir = tempDir('yw-cli-cam-');
  const config = writeConfig(dir, {
    extra: '[cameras]\nhealth_interval_ms = 60000\nstream_probe = false\nevents = false\nrequest_timeout_ms = 2000\n',
  });
  const agent = await startAgent(dir, config);
  t.teardown(async () => {
    await agent.stop();
    await cam.stop();
    await responder.stop();
  });
  const run = (...a: string[]): ReturnType<typeof cli> => cli(['--config', config, ...a]);

  const found = await run(
    '--json',
    'cameras',
    'discover',
    '--target',
    `127.0.0.1:${responder.port}`,
    '--window',
    '300',
  );
  t.equal(found.code, 0, found.err);
  t.match(JSON.parse(found.out), { found: [{ xaddrs: [cam.deviceServiceUrl] }] });
  const human = await run('cameras', 'discover', '--target', `127.0.0.1:${responder.port}`, '--window', '300');
  t.match(human.out, /^address +name +hardware +from\n/);

  const pw = join(dir, 'cam.pw');
  writeFileSync(pw, 'cam-secret-42\n');
  const added = await run('--json', 'cameras', 'add', `127.0.0.1:${cam.port}`, '--id', 'gate-1', '--password-file', pw);
  t.equal(added.code, 0, added.err);
  t.match(JSON.parse(added.out), { id: 'gate-1' });
  t.notMatch(added.out, /cam-secret-42/);

  const test = await run('cameras', 'test', 'gate-1');
  t.equal(test.code, 0, test.err);
  t.match(test.out, /^health +up_auth: camera answers and accepts the credentials$/m);
  t.notMatch(test.out, /cam-secret-42/);

  await cam.stop();
  const down = await run('--json', 'cameras', 'test', 'gate-1');
  t.equal(down.code, 1, 'offline camera: exit 1');
  t.match(JSON.parse(down.out), { id: 'gate-1', online: false, state: /unreachable|reachable/ });
  const none = await run('cameras', 'test', 'no-such');
  t.match(none.err, /^error CAMERA_ERR_NOT_FOUND: /);
});
