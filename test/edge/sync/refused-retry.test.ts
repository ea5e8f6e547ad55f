/**
 * A refused connect is retried (issue 17): mqtt.js gives up for good after a refused CONNACK
 * unless told otherwise, so a gateway whose credentials the cloud did not know yet (or a cloud
 * answering "unavailable" while it restarts) stayed offline until the agent was restarted.
 */
import t from 'tap';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { hashSecret } from '../../../cloud/registry/secrets.js';

t.test('refused (unknown credentials), then known: the gateway connects without a restart', async (t) => {
  const { cloud, mqttUrl } = await startCloud();
  t.teardown(() => cloud.stop());
  const { agent } = await startEdge(edgeConfig(tempDir('yw-refused-'), 'gw-late', 'late-s3cret', mqttUrl));
  t.teardown(() => agent.stop());
  await until(
    'first connect refused',
    () =>
      agent.uplink.lastError?.code === 'EDGE_ERR_CLOUD_CONNECT' && /credentials/.test(agent.uplink.lastError.message),
    10_000,
  );
  await cloud.store.createGateway('gw-late', await hashSecret('late-s3cret'));
  // reconnect_ms = 200 in tests: the longest step is 6.4 s (× 0.5–1.5 jitter)
  await until('connected after the cloud learned the gateway', () => agent.uplink.state === 'online', 20_000);
  t.equal(agent.uplink.state, 'online');
});
