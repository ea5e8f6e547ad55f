/**
 * The CoAP/LwM2M port is this agent's alone (issue 17): node-coap binds with SO_REUSEADDR unless
 * told not to, and then a second agent (another config, another store) bound the same UDP port
 * and took part of the devices' datagrams.
 */
import t from 'tap';
import { edgeConfig, startEdge, tempDir } from '../../../helpers/fleet.js';

t.test('a second agent on the same CoAP port is refused at start', async (t) => {
  const first = await startEdge(edgeConfig(tempDir('yw-coap-a-'), 'gw-a', 's3cret', 'mqtt://127.0.0.1:9'));
  t.teardown(() => first.agent.stop());
  const port = first.agent.coap.port;
  t.ok(port > 0);
  await t.rejects(
    startEdge(edgeConfig(tempDir('yw-coap-b-'), 'gw-b', 's3cret', 'mqtt://127.0.0.1:9', { coap: { port } })),
    { code: 'EADDRINUSE' },
  );
  t.equal(first.agent.coap.port, port, 'the first one still serves its port');
});
