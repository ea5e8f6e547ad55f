/** Cloud and edge as child processes for benchmarks (built code, shipped flags), with peak RSS from /proc. */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../common/paths.js';
import { EDGE_NODE_FLAGS } from '../edge/runtime-flags.js';

export interface Proc { child: ChildProcess; ready: Record<string, number | string> }

export async function startProc(bin: 'cloud' | 'edge', config: string): Promise<Proc> {
  const child = fork(join(REPO_ROOT, 'dist', bin, 'cli', 'main.js'), ['--config', config, bin === 'cloud' ? 'serve' : 'run'], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: bin === 'edge' ? [...EDGE_NODE_FLAGS] : [],
  });
  const ready = await new Promise<Record<string, number | string>>((resolve, reject) => {
    child.once('message', (m: { ready?: Record<string, number | string> }) => (m.ready ? resolve(m.ready) : reject(new Error('bad ready'))));
    child.once('exit', (c) => reject(new Error(`${bin} exited ${c}`)));
  });
  return { child, ready };
}

export async function stopProc(p: Proc): Promise<void> {
  if (p.child.exitCode !== null) return;
  const gone = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await gone;
}

/** Peak resident set size (VmHWM) of a live process, in MiB. */
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export function writeCloudToml(dir: string): string {
  const f = join(dir, 'cloud.toml');
  writeFileSync(f, `[mqtt]\nhost = "127.0.0.1"\nport = 0\n[tls]\nhost = "127.0.0.1"\nport = 0\n[http]\nport = 0\n[store]\npath = "${join(dir, 'cloud.db')}"\n[pki]\ndir = "${join(dir, 'pki')}"\n[log]\nlevel = "warn"\n`);
  return f;
}

export async function createGateway(httpPort: number | string, id: string): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${httpPort}/api/v1/gateways`, { method: 'POST', body: JSON.stringify({ id }) });
  return ((await r.json()) as { secret: string }).secret;
}
