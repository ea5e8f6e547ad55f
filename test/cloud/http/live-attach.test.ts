/**
 * A live-update request whose client left while it was being authenticated (an API key lookup
 * is a store read) must not become a listener: its 'close' has fired already, so it would never
 * be detached and would hold a place among http.live_max_listeners and its address's
 * http.live_max_per_client for good.
 */
import t, { type Test } from 'tap';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { LiveHub } from '../../../cloud/http/live.js';
import type { HealthService } from '../../../cloud/health/health-service.js';
import type { CloudStore } from '../../../cloud/store/cloud-store.js';
import { captureLog } from '../../helpers/log-capture.js';

/** A real `GET /api/v1/live` request as the server's handler receives it (a raw client on loopback). */
function liveRequest(t: Test): Promise<[IncomingMessage, ServerResponse]> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => resolve([req, res]));
    server.listen(0, '127.0.0.1');
    t.teardown(() => {
      server.closeAllConnections();
      server.close();
    });
    server.once('listening', () => {
      const c = connect((server.address() as AddressInfo).port, '127.0.0.1');
      c.on('error', () => {});
      c.write('GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      t.teardown(() => c.destroy());
    });
  });
}

t.test('a request whose client already left is not attached', async (t) => {
  const hub = new LiveHub(new EventEmitter() as unknown as HealthService, {} as CloudStore, 60_000, captureLog().log, {
    maxListeners: 1,
    maxPerClient: 1,
  });
  t.teardown(() => hub.stop());
  const [req, res] = await liveRequest(t);
  // the client goes away before the handler gets to attach (as during an awaited key lookup)
  req.socket.destroy();
  await new Promise<void>((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));
  hub.attach(req, res);
  t.equal(hub.listeners, 0, 'not counted as a listener');

  // the places it would have held are free: a live client from the same address is accepted
  const live = await liveRequest(t);
  t.doesNotThrow(
    () => hub.attach(live[0], live[1]),
    'the per-client and total places were not taken by the dead request',
  );
  t.equal(hub.listeners, 1);
});
