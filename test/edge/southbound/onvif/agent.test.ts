/** The cameras adapter inside the edge agent: free with no cameras; configured cameras graded; local API routes. */
import t from 'tap';
import { request } from 'node:http';
import { FakeOnvifCamera } from '../../../../scripts/sim/onvif-camera.js';
import { edgeConfig, startEdge, tempDir } from '../../../helpers/fleet.js';
import { until } from '../../../helpers/wait.js';

function api(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: { 'content-type': 'application/json' } }, (res) => {
      let s = '';
      res
        .on('data', (d: Buffer) => {
          s += d.toString();
        })
        .on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(s) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

t.test('no cameras: the adapter starts nothing', async (t) => {
  const dir = tempDir('yw-cam-agent-');
  const { agent } = await startEdge(edgeConfig(dir, 'gw-cam0', 's', 'mqtt://127.0.0.1:9'));
  t.teardown(() => agent.stop());
  t.ok(agent.cameras, 'adapter present (cameras.enabled defaults to true)');
  t.equal(agent.cameras!.isActive, false, 'inactive: no timers, sockets, files or processes');
  t.equal(agent.cameras!.livePort, 0, 'no live-view server listening');
});

t.test('configured camera is graded; API lists and onboards without showing the password', async (t) => {
  const cam = await new FakeOnvifCamera({ password: 'site-pw-123' }).start();
  const dir = tempDir('yw-cam-agent-');
  const { agent, logs } = await startEdge(
    edgeConfig(dir, 'gw-cam1', 's', 'mqtt://127.0.0.1:9', {
      cameras: {
        addresses: [cam.deviceServiceUrl],
        username: 'admin',
        password: 'site-pw-123',
        health_interval_ms: 200,
        stream_probe: false,
        events: false,
      },
    }),
  );
  t.teardown(async () => {
    await agent.stop();
    await cam.stop();
  });
  await until('up_auth', () => agent.cameras!.counts().up_auth === 1, 10_000);
  const list = await api(agent.api.socketPath, 'GET', '/v1/cameras');
  t.equal(list.status, 200);
  t.match(list.json, { counts: { total: 1, up_auth: 1 } });
  const added = await api(agent.api.socketPath, 'POST', '/v1/cameras', {
    address: `127.0.0.1:${cam.port}`,
    username: 'admin',
    password: 'site-pw-123',
    id: 'gate-2',
  });
  t.equal(added.status, 201);
  await until('second up', () => agent.cameras!.counts().up_auth === 2, 10_000);
  t.equal((await api(agent.api.socketPath, 'GET', '/v1/cameras/nope')).status, 404);
  const shown =
    JSON.stringify(logs.lines) + JSON.stringify((await api(agent.api.socketPath, 'GET', '/v1/cameras')).json);
  t.notMatch(shown, 'site-pw-123', 'password in no log line and no API output');
});
