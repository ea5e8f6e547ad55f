/**
 * The real GStreamer RTSP server (scripts/sim/rtsp-server.py) on 127.0.0.1 for camera tests;
 * with `auth` it requires RTSP Digest authentication, as real cameras do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/paths.js';
import { freePort } from '../../scripts/sim/free-port.js';

export { freePort };

export class RtspTestServer {
  proc: ChildProcess | undefined;
  constructor(
    readonly port: number,
    readonly auth?: { user: string; password: string },
  ) {}

  get url(): string {
    return `rtsp://127.0.0.1:${this.port}/test`;
  }

  static async start(port?: number, auth?: { user: string; password: string }): Promise<RtspTestServer> {
    const s = new RtspTestServer(port ?? (await freePort()), auth);
    await s.start();
    return s;
  }

  async start(): Promise<void> {
    const proc = spawn(
      '/usr/bin/python3',
      [
        join(REPO_ROOT, 'scripts', 'sim', 'rtsp-server.py'),
        String(this.port),
        ...(this.auth ? ['--user', this.auth.user, '--password', this.auth.password] : []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.proc = proc;
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) resolve();
      });
      proc.once('exit', (code) => reject(new Error(`rtsp-server.py exited ${code}: ${err}`)));
    });
  }

  signal(sig: NodeJS.Signals): void {
    this.proc?.kill(sig);
  }

  async kill(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill('SIGCONT');
    p.kill('SIGKILL');
    await gone;
  }
}

/** Processes whose command line contains every one of `parts` (read from /proc). */
export async function processesMatching(...parts: string[]): Promise<number[]> {
  const { readdirSync, readFileSync } = await import('node:fs');
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (parts.every((p) => cmd.includes(p))) pids.push(Number(d));
    } catch {
      /* exited */
    }
  }
  return pids;
}
