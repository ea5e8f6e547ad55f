/** Starts real clouds and edge agents on loopback (port 0, temp dirs) for tests and benches. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudServer } from '../../cloud/server.js';
import { loadCloudConfig, type CloudOverrides } from '../../cloud/config.js';
import { EdgeAgent } from '../../edge/agent.js';
import { loadEdgeConfig, type EdgeOverrides, type EdgeConfig } from '../../edge/config.js';
import { captureLog, type CapturedLog } from './log-capture.js';

export const tempDir = (prefix = 'yw-'): string => mkdtempSync(join(tmpdir(), prefix));

export interface TestCloud {
  cloud: CloudServer;
  logs: CapturedLog;
  dir: string;
  mqttUrl: string;
}

export async function startCloud(dir = tempDir('yw-cloud-'), overrides: CloudOverrides = {}): Promise<TestCloud> {
  const logs = captureLog();
  const config = loadCloudConfig(undefined, {
    ...overrides,
    mqtt: { host: '127.0.0.1', port: 0, ...overrides.mqtt },
    http: { host: '127.0.0.1', port: 0, ...overrides.http },
    tls: { host: '127.0.0.1', port: 0, ...overrides.tls },
    store: { path: join(dir, 'cloud.db'), ...overrides.store },
  });
  const cloud = await CloudServer.start(config, logs.log);
  return { cloud, logs, dir, mqttUrl: `mqtt://127.0.0.1:${cloud.broker.port}` };
}

export function edgeConfig(
  dir: string,
  gatewayId: string,
  secret: string,
  mqttUrl: string,
  overrides: EdgeOverrides = {},
): EdgeConfig {
  return loadEdgeConfig(undefined, {
    ...overrides,
    gateway: { id: gatewayId, secret },
    cloud: { url: mqttUrl, reconnect_ms: 200, ...overrides.cloud },
    store: { path: join(dir, 'edge.db'), ...overrides.store },
    coap: { host: '127.0.0.1', port: 0, ...overrides.coap },
    sync: { linger_ms: 20, ...overrides.sync },
  });
}

export interface TestEdge {
  agent: EdgeAgent;
  logs: CapturedLog;
  dir: string;
}

export async function startEdge(config: EdgeConfig): Promise<TestEdge> {
  const logs = captureLog();
  const agent = await EdgeAgent.start(config, logs.log);
  return { agent, logs, dir: config.store.path };
}
