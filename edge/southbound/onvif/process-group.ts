/** Child processes in their own process group, ended with SIGTERM then SIGKILL of the group. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface GroupChild {
  proc: ChildProcess;
  exited: Promise<number | null>;
}

export function spawnGroup(cmd: string, args: string[], opts: SpawnOptions = {}): GroupChild {
  const proc = spawn(cmd, args, { ...opts, detached: true, stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
    proc.once('error', () => resolve(null));
  });
  return { proc, exited };
}

function signalGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    /* group already gone */
  }
}

/** SIGTERM to the group; SIGKILL after `graceMs` if it has not exited. Resolves once it exited. */
export async function endGroup(c: GroupChild, graceMs: number): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) {
    signalGroup(c.proc.pid, 'SIGKILL');
    return;
  }
  signalGroup(c.proc.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup(c.proc.pid, 'SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([c.exited, killed]);
  clearTimeout(timer);
  await c.exited;
  signalGroup(c.proc.pid, 'SIGKILL'); // leftovers of the group, if any
}
