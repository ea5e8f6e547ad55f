/**
 * Broker defaults (issue 16): plain MQTT listened on 0.0.0.0; it is loopback now (TLS is the way
 * in from outside). The packet limit leaves room for the largest batch the codec accepts (the
 * broker's DEFAULT_BROKER_LIMITS are read from cloud/config.ts, so they cannot disagree).
 */
import t from 'tap';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { loadCloudConfig } from '../../../cloud/config.js';
import { CloudServer } from '../../../cloud/server.js';
import { DEFAULT_BROKER_LIMITS } from '../../../cloud/broker/connection-gate.js';
import { MAX_BODY_BYTES } from '../../../proto/batch-codec.js';
import { captureLog } from '../../helpers/log-capture.js';
import { tempDir } from '../../helpers/fleet.js';

t.test('option defaults', async (t) => {
  const c = loadCloudConfig();
  t.equal(c.mqtt.host, '127.0.0.1', 'plain MQTT on loopback by default');
  t.equal(c.tls.host, '0.0.0.0', 'TLS stays the way in from outside');
  t.ok(
    DEFAULT_BROKER_LIMITS.maxPacketBytes >= MAX_BODY_BYTES + 1024,
    'the largest batch body (deflate stored blocks add ~5 bytes per 64 KiB) fits in a packet',
  );
  t.ok(
    DEFAULT_BROKER_LIMITS.maxConnectBytes < DEFAULT_BROKER_LIMITS.maxPacketBytes,
    'the limit before authentication is the smaller one',
  );
});

t.test('with the default mqtt.host the plain listener is not reachable on other addresses', async (t) => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  const dir = tempDir('yw-cloud-');
  const cloud = await CloudServer.start(
    loadCloudConfig(undefined, {
      mqtt: { port: 0 },
      http: { host: '127.0.0.1', port: 0 },
      tls: { enabled: false },
      store: { path: join(dir, 'cloud.db') },
    }),
    captureLog().log,
  );
  t.teardown(() => cloud.stop());
  const reach = (host: string): Promise<string> =>
    new Promise((resolve) => {
      const s = connect(cloud.broker.port, host);
      s.once('connect', () => {
        s.destroy();
        resolve('open');
      });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
  t.equal(await reach('127.0.0.1'), 'open');
  if (!external) return t.comment('no non-loopback IPv4 address on this machine; skipped the outside check');
  t.equal(await reach(external), 'ECONNREFUSED', `not listening on ${external}`);
});
