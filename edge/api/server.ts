/**
 * Local API for the technician CLI: HTTP over a Unix socket whose file mode (0600) is the
 * access control. The CLI never opens the agent's SQLite file itself.
 */
import { createServer, type Server } from 'node:http';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import type { Logger } from '../../common/log.js';
import type { AgentStatus } from './status.js';

export class LocalApiServer {
  private server: Server | undefined;
  constructor(readonly socketPath: string, private readonly status: () => AgentStatus, private readonly log: Logger) {}

  async start(): Promise<void> {
    if (existsSync(this.socketPath)) unlinkSync(this.socketPath); // stale socket of a killed agent
    const server = createServer((req, res) => {
      const send = (code: number, body: unknown): void => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && req.url === '/v1/status') return send(200, this.status());
      send(404, { error: { code: 'EDGE_ERR_NOT_FOUND', message: `no ${req.method} ${req.url}` } });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => resolve());
    });
    chmodSync(this.socketPath, 0o600);
    this.server = server;
    this.log.child({ component: 'api' }).info({ socket: this.socketPath }, 'local API listening');
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
