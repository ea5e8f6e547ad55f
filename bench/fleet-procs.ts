/** Cloud and edge as child processes for benchmarks (built code, shipped flags), with peak RSS from /proc. */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../common/paths.js';
import { EDGE_NODE_FLAGS } from '../edge/runtime-flags.js';

export interface Proc {
  child: ChildProcess;
  ready: Record<string, number | string>;
}

/** Starts the built cloud or edge CLI with its shipped flags (plus `extraNodeFlags`, e.g. --cpu-prof). */
export async function startProc(bin: 'cloud' | 'edge', config: string, extraNodeFlags: string[] = []): Promise<Proc> {
  const child = fork(
    join(REPO_ROOT, 'dist', bin, 'cli', 'main.js'),
    ['--config', config, bin === 'cloud' ? 'serve' : 'run'],
    {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      execArgv: [...(bin === 'edge' ? EDGE_NODE_FLAGS : []), ...extraNodeFlags],
    },
  );
  const ready = await new Promise<Record<string, number | string>>((resolve, reject) => {
    child.once('message', (m: { ready?: Record<string, number | string> }) =>
      m.ready ? resolve(m.ready) : reject(new Error('bad ready')),
    );
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

/** Resident set size now (VmRSS) of a live process, in MiB. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time (user + system) a live process has used so far, in seconds (from /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the parenthesised command name; utime and stime are fields 14 and 15
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / clockTicks();
}

let ticks = 0;
function clockTicks(): number {
  if (!ticks) ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticks;
}

/**
 * Raises this process's open-file limit (soft and hard; needs root or CAP_SYS_RESOURCE for the
 * hard one) so that children forked afterwards inherit it; returns the soft limit in force.
 */
export function raiseFdLimit(want: number): number {
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${want}:${want}`], { stdio: 'ignore' });
  } catch {
    // not allowed: keep what we have
  }
  const out = execFileSync('prlimit', ['--pid', String(process.pid), '--nofile', '--noheadings', '--output=SOFT'], {
    encoding: 'utf8',
  }).trim();
  return out === 'unlimited' ? Infinity : Number(out);
}

/** A cloud.toml in `dir` (store `dir/cloud.db`, PKI `dir/pki`, every port free); `extra` is appended TOML. */
export function writeCloudToml(dir: string, extra = ''): string {
  const f = join(dir, 'cloud.toml');
  writeFileSync(
    f,
    `[mqtt]\nhost = "127.0.0.1"\nport = 0\n[tls]\nhost = "127.0.0.1"\nport = 0\n[http]\nport = 0\n[store]\npath = "${join(dir, 'cloud.db')}"\n[pki]\ndir = "${join(dir, 'pki')}"\n[log]\nlevel = "warn"\n${extra}`,
  );
  return f;
}

export async function createGateway(httpPort: number | string, id: string): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${httpPort}/api/v1/gateways`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  });
  return ((await r.json()) as { secret: string }).secret;
}
