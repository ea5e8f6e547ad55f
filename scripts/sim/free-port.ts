/** Free ports on 127.0.0.1 for simulators, benches and tests. */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A TCP port free right now (bound to port 0, read, released). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The kernel's ephemeral range (where port 0 and every client socket's port come from). */
function ephemeralRange(): [number, number] {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo && hi) return [lo, hi];
  } catch {
    /* not Linux: the IANA range */
  }
  return [49152, 65535];
}

/**
 * A UDP port free right now and outside the ephemeral range, for a server that a test restarts on
 * the same port (a crash test): a port from the ephemeral range can be taken by any client socket
 * on the machine in the moment between a kill and the restart, and the agent binds exclusively.
 */
export async function freeUdpPortOutsideEphemeral(): Promise<number> {
  const [lo] = ephemeralRange();
  const floor = 20_000,
    ceil = Math.max(floor + 1000, lo - 1);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = floor + Math.floor(Math.random() * (ceil - floor));
    const s = createSocket({ type: 'udp4', reuseAddr: false });
    const ok = await new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((r) => {
      try {
        s.close(() => r());
      } catch {
        r();
      }
    });
    if (ok) return port;
  }
  throw new Error('no free UDP port outside the ephemeral range');
}
