/** The edge agent as a real child process (`node dist/edge/cli/main.js run`), for crash tests. */
import { fork, type ChildProcess } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/paths.js';
import { EDGE_NODE_FLAGS } from '../../edge/runtime-flags.js';
import { startCloud, tempDir, type TestCloud } from './fleet.js';
import { freeUdpPortOutsideEphemeral } from '../sim/free-port.js';

export interface EdgeProcess {
  proc: ChildProcess;
  coapPort: number;
  exited: Promise<number | null>;
}

export function writeEdgeToml(
  dir: string,
  o: { gatewayId: string; secret: string; mqttUrl: string; coapPort: number },
): string {
  const file = join(dir, 'edge.toml');
  writeFileSync(
    file,
    `${[
      '[gateway]',
      `id = "${o.gatewayId}"`,
      `secret = "${o.secret}"`,
      '[cloud]',
      `url = "${o.mqttUrl}"`,
      'reconnect_ms = 200',
      '[store]',
      `path = "${join(dir, 'edge.db')}"`,
      '[coap]',
      'host = "127.0.0.1"',
      `port = ${o.coapPort}`,
      '[sync]',
      'linger_ms = 20',
      'ack_timeout_ms = 3000',
      '[log]',
      'level = "info"',
    ].join('\n')}\n`,
  );
  return file;
}

/** Starts the built agent and waits for its IPC "ready" message. Logs go to <dir>/edge.log. */
export async function spawnEdge(dir: string, configFile: string): Promise<EdgeProcess> {
  const log = openSync(join(dir, 'edge.log'), 'a');
  const proc = fork(join(REPO_ROOT, 'dist', 'edge', 'cli', 'main.js'), ['--config', configFile, 'run'], {
    stdio: ['ignore', log, log, 'ipc'],
    execArgv: [...EDGE_NODE_FLAGS],
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const coapPort = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m: { ready?: { coapPort: number } }) =>
      m.ready ? resolve(m.ready.coapPort) : reject(new Error('unexpected message')),
    );
    proc.once('exit', (code) => reject(new Error(`edge agent exited with ${code} before ready (see ${dir}/edge.log)`)));
  });
  return { proc, coapPort, exited };
}

export interface CloudAndEdge {
  cloud: TestCloud;
  edge: EdgeProcess;
  dir: string;
  config: string;
  secret: string;
}

/**
 * A fresh cloud, a gateway registered on it and its agent as a child process. The config names a
 * fixed CoAP port, so a restarted agent (after a SIGKILL) listens where devices send.
 */
export async function startCloudAndEdge(gatewayId: string): Promise<CloudAndEdge> {
  const cloud = await startCloud();
  const secret = await cloud.cloud.createGateway(gatewayId);
  const dir = tempDir(`yw-${gatewayId}-`);
  // Outside the ephemeral range: restarted after a SIGKILL, the agent binds the same port again,
  // and a port 0 could by then belong to another socket on the machine (the agent binds exclusively).
  const config = writeEdgeToml(dir, {
    gatewayId,
    secret,
    mqttUrl: cloud.mqttUrl,
    coapPort: await freeUdpPortOutsideEphemeral(),
  });
  const edge = await spawnEdge(dir, config);
  return { cloud, edge, dir, config, secret };
}
