/** Shared set-up of the LwM2M server tests: an edge agent without cloud, and simulated clients. */
import { edgeConfig, startEdge, tempDir, type TestEdge } from '../../../../helpers/fleet.js';
import type { EdgeOverrides } from '../../../../../edge/config.js';
import type { Lwm2mServer } from '../../../../../edge/southbound/lwm2m/server/server.js';

export const NO_CLOUD = 'mqtt://127.0.0.1:9'; // nothing listens: readings stay buffered

export async function startLwm2mEdge(
  overrides: EdgeOverrides = {},
  dir = tempDir('yw-lwm2m-'),
): Promise<TestEdge & { lwm2m: Lwm2mServer; port: number; storeDir: string }> {
  const e = await startEdge(edgeConfig(dir, 'gw-lwm2m', 's3cret', NO_CLOUD, overrides));
  return { ...e, lwm2m: e.agent.lwm2m!, port: e.agent.coap.port, storeDir: dir };
}
