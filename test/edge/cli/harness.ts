/** Runs the built `yiwang-edge` binary and real agent processes for the CLI tests. */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';
import { EDGE_NODE_FLAGS } from '../../../edge/runtime-flags.js';

export const BIN = join(REPO_ROOT, 'dist', 'edge', 'cli', 'main.js');

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export function cli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, NO_COLOR: '', ...env }, timeout: timeoutMs },
      (e, out, err) =>
        resolve({
          code: e ? (typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : 1) : 0,
          out,
          err,
        }),
    ),
  );
}

export interface AgentOptions {
  gatewayId?: string;
  secret?: string;
  mqttUrl?: string;
  extra?: string;
}

/** Writes an agent config in `dir` (loopback, any CoAP port, clock trusted) and returns its path. */
export function writeConfig(dir: string, o: AgentOptions = {}): string {
  const file = join(dir, 'edge.toml');
  writeFileSync(
    file,
    `${[
      '[gateway]',
      `id = "${o.gatewayId ?? 'gw-cli'}"`,
      `secret = "${o.secret ?? 'gw-secret-s3cr3t'}"`,
      'site = "Jiefang Rd 12"',
      '[cloud]',
      `url = "${o.mqttUrl ?? 'mqtt://127.0.0.1:9'}"`,
      'reconnect_ms = 200',
      'connect_timeout_ms = 2000',
      '[store]',
      `path = "${join(dir, 'edge.db')}"`,
      '[coap]',
      'host = "127.0.0.1"',
      'port = 0',
      '[sync]',
      'linger_ms = 20',
      '[clock]',
      'sync = "always"',
      o.extra ?? '',
    ].join('\n')}\n`,
  );
  return file;
}

export interface AgentProcess {
  proc: ChildProcess;
  coapPort: number;
  stop(): Promise<void>;
}

/** `yiwang-edge --config FILE run` as a child; resolves on its IPC "ready". */
export async function startAgent(dir: string, config: string): Promise<AgentProcess> {
  const log = openSync(join(dir, 'agent.log'), 'a');
  const proc = fork(BIN, ['--config', config, 'run'], {
    stdio: ['ignore', log, log, 'ipc'],
    execArgv: [...EDGE_NODE_FLAGS],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const coapPort = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m: { ready?: { coapPort: number } }) =>
      m.ready ? resolve(m.ready.coapPort) : reject(new Error('unexpected message')),
    );
    proc.once('exit', (code) => reject(new Error(`agent exited with ${code} (see ${dir}/agent.log)`)));
  });
  return {
    proc,
    coapPort,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}
