/** What the CoAP uplink tests share: an agent without a cloud, and UDP peers closed at the end of the test. */
import type { Test } from 'tap';
import { createSocket, type Socket } from 'node:dgram';
import { edgeConfig, startEdge, tempDir, type TestEdge } from '../../../helpers/fleet.js';
import type { EdgeOverrides } from '../../../../edge/config.js';

const noCloud = 'mqtt://127.0.0.1:9';

/** An agent that never reaches a cloud, stopped at the end of `t`; `port` is its CoAP port, `dir` its temporary directory. */
export async function coapAgent(
  t: Test,
  overrides: EdgeOverrides = {},
): Promise<Omit<TestEdge, 'dir'> & { dir: string; port: number }> {
  const dir = tempDir();
  const edge = await startEdge(edgeConfig(dir, 'gw-t', 's', noCloud, overrides));
  t.teardown(() => edge.agent.stop());
  return { ...edge, dir, port: edge.agent.coap.port };
}

/** A UDP socket bound to `address` (any port), closed at the end of `t`. */
export async function udpPeer(t: Test, address = '127.0.0.1'): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, address, () => r()));
  t.teardown(() => s.close());
  return s;
}
