/**
 * `openssl s_client -dtls1_2` with a pre-shared key as a real peer for the DTLS tests: its
 * arguments, and one connection run until the test is done with it.
 */
import { spawn } from 'node:child_process';

/** The arguments of a PSK connection to 127.0.0.1:`port`, then `extra` (-sess_out, -sess_in, -quiet …). */
export function sClientArgs(
  port: number,
  identity: string,
  key: Buffer,
  cipher = 'PSK-AES128-CCM8',
  extra: string[] = [],
): string[] {
  return [
    's_client',
    '-dtls1_2',
    '-connect',
    `127.0.0.1:${port}`,
    '-psk_identity',
    identity,
    '-psk',
    key.toString('hex'),
    '-cipher',
    cipher,
    ...extra,
  ];
}

/** The handshake is over: s_client printed its session summary (after "New, …" or "Reused, …"). */
export const handshakeDone = (out: string): boolean => {
  const at = out.indexOf('Cipher is');
  return at >= 0 && out.includes('---\n', at);
};

/**
 * Runs `openssl` with `args`, writes `input` (if any), and closes its stdin — s_client then ends the
 * connection with close_notify and exits — once `done(output)` holds; killed after `timeoutMs`.
 * Resolves with what it printed on stdout; never rejects.
 */
export function runSClient(
  args: string[],
  done: (out: string) => boolean,
  input?: string,
  timeoutMs = 10_000,
): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (done(out)) child.stdin.end();
    });
    child.stderr.on('data', () => {});
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    if (input !== undefined) child.stdin.write(input);
  });
}
