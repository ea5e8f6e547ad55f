/**
 * A TCP proxy for link-fault tests (in the spirit of toxiproxy): forwards loopback connections to
 * a target and can cut the link (drop every connection and refuse new ones), add latency, or reset
 * a connection in the middle of a large write.
 */
import { createServer, connect, type Server, type Socket, type AddressInfo } from 'node:net';

export class FaultyLink {
  private server: Server | undefined;
  private readonly pairs = new Set<[Socket, Socket]>();
  private down = false;
  latencyMs = 0;
  /** When set, the next client→target chunk of at least this many bytes is cut halfway and the connection reset. */
  resetOnChunkOver = 0;
  resets = 0;

  constructor(private readonly targetPort: number) {}

  async start(port = 0): Promise<number> {
    const server = createServer((client) => {
      if (this.down) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, '127.0.0.1');
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const close = (): void => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      };
      client.on('error', close);
      upstream.on('error', close);
      client.on('close', close);
      upstream.on('close', close);
      const forward = (from: Socket, to: Socket, upstreamDir: boolean): void => {
        from.on('data', (chunk: Buffer) => {
          if (upstreamDir && this.resetOnChunkOver > 0 && chunk.length >= this.resetOnChunkOver) {
            this.resetOnChunkOver = 0;
            this.resets++;
            to.write(chunk.subarray(0, chunk.length >> 1), () => {
              client.resetAndDestroy();
              upstream.resetAndDestroy();
              this.pairs.delete(pair);
            });
            return;
          }
          if (this.latencyMs > 0) {
            from.pause();
            setTimeout(() => {
              if (!to.destroyed) to.write(chunk);
              from.resume();
            }, this.latencyMs);
          } else to.write(chunk);
        });
      };
      forward(client, upstream, true);
      forward(upstream, client, false);
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  /** Drops every connection and refuses new ones until restore(). */
  cut(): void {
    this.down = true;
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  restore(): void {
    this.down = false;
  }

  get connections(): number {
    return this.pairs.size;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}
