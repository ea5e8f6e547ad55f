/**
 * A virtual null-modem cable: socat joins two pseudo-terminals and links them at `a` and `b`
 * (the agent opens one end, a simulator the other). `unplug()` ends socat, so both paths vanish
 * as when a USB adapter is pulled; `plug()` brings them back.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export class PtyPair {
  private proc: ChildProcess | undefined;
  constructor(
    readonly a: string,
    readonly b: string,
  ) {}

  static async open(a: string, b: string): Promise<PtyPair> {
    const p = new PtyPair(a, b);
    await p.plug();
    return p;
  }

  /** Starts socat and resolves once both links exist. */
  async plug(): Promise<void> {
    const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.proc = proc;
    let err = '';
    await new Promise<void>((resolve, reject) => {
      proc.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (/starting data transfer loop/.test(err)) resolve();
      });
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`socat exited ${code}: ${err}`)));
    });
  }

  /** Ends socat; resolves when it has exited (both links gone). */
  async unplug(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill('SIGTERM');
    await gone;
  }
}
