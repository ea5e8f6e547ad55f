/**
 * A cloud node as a child process (`dist/cloud/cli/main.js --config <toml> serve`, the built CLI),
 * so that a test can SIGKILL it for real. The node reports `{ ready: { mqttPort, httpPort } }` over
 * IPC (common/service-lifecycle.ts); its stderr (the log) is kept, the last lines only, for failure
 * messages.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/paths.js';

export interface CloudNode {
  id: string;
  child: ChildProcess;
  mqttPort: number;
  httpPort: number;
  mqttUrl: string;
  api: string;
  /** The last lines the node wrote to stderr. */
  log: string[];
  exited: Promise<number | null>;
}

const LOG_LINES = 200;

/** Writes `dir/<id>.toml` and starts the node; rejects when it exits before it is ready or in `timeoutMs`. */
export async function startCloudNode(id: string, dir: string, toml: string, timeoutMs = 30_000): Promise<CloudNode> {
  const file = join(dir, `${id}.toml`);
  writeFileSync(file, toml);
  const child = fork(join(REPO_ROOT, 'dist', 'cloud', 'cli', 'main.js'), ['--config', file, 'serve'], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const log: string[] = [];
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    const lines = (partial + s).split('\n');
    partial = lines.pop() ?? '';
    log.push(...lines);
    if (log.length > LOG_LINES) log.splice(0, log.length - LOG_LINES);
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = await Promise.race([
      new Promise<Record<string, number>>((resolve, reject) =>
        child.once('message', (m: { ready?: Record<string, number> }) =>
          m.ready ? resolve(m.ready) : reject(new Error(`node ${id}: unexpected message ${JSON.stringify(m)}`)),
        ),
      ),
      exited.then((c) => {
        throw new Error(`node ${id} exited ${c} before it was ready:\n${log.slice(-20).join('\n')}`);
      }),
      new Promise<never>((_r, reject) => {
        timer = setTimeout(() => reject(new Error(`node ${id} not ready in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const mqttPort = Number(ready.mqttPort),
      httpPort = Number(ready.httpPort);
    return {
      id,
      child,
      mqttPort,
      httpPort,
      mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
      api: `http://127.0.0.1:${httpPort}`,
      log,
      exited,
    };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** SIGKILL: the process dies at once, its sockets are closed by the kernel. Resolves when it is gone. */
export async function killNode(n: CloudNode): Promise<void> {
  if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGKILL');
  await n.exited;
}

/** SIGTERM, then SIGKILL when it has not stopped within `graceMs`. */
export async function stopNode(n: CloudNode, graceMs = 10_000): Promise<void> {
  if (n.child.exitCode !== null || n.child.signalCode !== null) return;
  n.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((r) => {
    timer = setTimeout(() => {
      n.child.kill('SIGKILL');
      r();
    }, graceMs);
  });
  await Promise.race([n.exited, late]);
  clearTimeout(timer);
  await n.exited;
}
