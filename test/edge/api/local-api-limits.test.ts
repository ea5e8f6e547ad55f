/**
 * The edge agent's local API (a Unix socket, mode 0600: no browser can reach it, so no CSRF or
 * DNS rebinding) shares two weaknesses of the cloud API fixed in issue 16: a malformed
 * %-escape answered 500, and request bodies were read without a cap.
 */
import t from 'tap';
import { request } from 'node:http';
import { join } from 'node:path';
import { LocalApiServer, MAX_API_BODY_BYTES, type Lwm2mApi } from '../../../edge/api/server.js';
import { technicianRoutes } from '../../../edge/api/technician-routes.js';
import { silentLogger } from '../../../common/log.js';
import { tempDir } from '../../helpers/fleet.js';
import type { AgentStatus } from '../../../edge/api/status.js';

function call(
  socketPath: string,
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: { error?: { code?: string } } }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, method, path, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

t.test('malformed %-escapes are 400, bodies over the cap 413', async (t) => {
  const socket = join(tempDir('yw-api-'), 'agent.sock');
  let submitted = 0;
  const lwm2m: Lwm2mApi = {
    devices: () => [],
    requests: () => ({ pending: [] }),
    submit: async () => {
      submitted++;
      return { id: 1, superseded: [], result: Promise.resolve({}) };
    },
  };
  const api = new LocalApiServer(socket, () => ({}) as AgentStatus, silentLogger(), lwm2m);
  api.routes.push(
    technicianRoutes({
      logs: { query: () => [], lastSeq: 0, waitAfter: async () => {} },
      diag: async () => [],
    } as never),
  );
  await api.start();
  t.teardown(() => api.stop());

  for (const path of ['/v1/lwm2m/devices/%E0%A4%A/queue', '/v1/devices/%E0%A4%A', '/v1/devices/%zz']) {
    const r = await call(socket, 'GET', path);
    t.equal(r.status, 400, path);
    t.equal(r.json.error?.code, 'EDGE_ERR_BAD_REQUEST');
  }
  const declared = await call(socket, 'POST', '/v1/lwm2m/devices/ep-1/requests', '{}', {
    'content-length': String(MAX_API_BODY_BYTES + 1),
  });
  t.equal(declared.status, 413, 'a declared length over the cap is refused before reading');
  const streamed = await call(
    socket,
    'POST',
    '/v1/lwm2m/devices/ep-1/requests',
    Buffer.alloc(MAX_API_BODY_BYTES + 65_536, 0x20),
    { 'transfer-encoding': 'chunked' },
  );
  t.equal(streamed.status, 413, 'a streamed body over the cap: 413');
  t.equal(streamed.json.error?.code, 'EDGE_ERR_BODY_TOO_LARGE');
  const ok = await call(
    socket,
    'POST',
    '/v1/lwm2m/devices/ep-1/requests',
    JSON.stringify({ op: 'read', path: '/3/0' }),
  );
  t.equal(ok.status, 202, 'a normal request still works');
  t.equal(submitted, 1, 'only that one reached the LwM2M server');
});
