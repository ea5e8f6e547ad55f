/** Runs the built `yiwang-cloud` binary for the CLI tests: config files, `serve` children. */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';

export const CLOUD_BIN = join(REPO_ROOT, 'dist', 'cloud', 'cli', 'main.js');

/** A cloud config on loopback, any free ports, TLS off unless asked (no PKI to make), the store in `dir`. */
export function cloudConfig(dir: string, name = 'cloud.toml', o: { tls?: boolean } = {}): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `${[
      '[mqtt]',
      'host = "127.0.0.1"',
      'port = 0',
      '[tls]',
      `enabled = ${o.tls ?? false}`,
      'host = "127.0.0.1"',
      'port = 0',
      '[http]',
      'host = "127.0.0.1"',
      'port = 0',
      '[store]',
      `path = "${join(dir, 'cloud.db')}"`,
    ].join('\n')}\n`,
  );
  return file;
}

/** `yiwang-cloud --config FILE serve` as a child; resolves on its IPC "ready". */
export function serve(config: string, out: 'ignore' | 'pipe' | number = 'ignore'): Promise<ChildProcess> {
  const proc = fork(CLOUD_BIN, ['--config', config, 'serve'], { stdio: ['ignore', out, out, 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { ready?: unknown }) =>
      m.ready ? resolve(proc) : reject(new Error('unexpected message')),
    );
    proc.once('exit', (code) => reject(new Error(`cloud exited with ${code} before it was ready`)));
  });
}

/** Resolves with the exit code and how long it took; SIGKILLs the process past `bound`. */
export function exitWithin(proc: ChildProcess, bound: number): Promise<{ code: number | null; ms: number }> {
  const from = Date.now();
  return new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve({ code: proc.exitCode, ms: 0 });
    const kill = setTimeout(() => proc.kill('SIGKILL'), bound);
    proc.once('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, ms: Date.now() - from });
    });
  });
}
