/**
 * HTTP endpoint of the live view (HLS): GET /live/{cameraId}/index.m3u8 starts the restream on
 * demand and answers once the first segment exists; segments follow; GET /live/{cameraId}/ is a
 * minimal player page. Every request counts as viewer activity. Binds loopback by default.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../common/log.js';
import type { LiveView } from './live-view.js';

export class LiveServer {
  private server: Server | undefined;
  port = 0;

  constructor(
    private readonly host: string,
    private readonly wantPort: number,
    private readonly view: (id: string) => LiveView | undefined,
    private readonly startTimeoutMs: number,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req.method ?? 'GET', req.url ?? '/', res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.wantPort, this.host, () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
    this.log.info({ host: this.host, port: this.port }, 'live view listening');
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  private async handle(method: string, url: string, res: ServerResponse): Promise<void> {
    const m = /^\/live\/([\w.:-]+)\/([\w.-]*)$/.exec(url.split('?')[0]!);
    const fail = (code: number, msg: string): void => {
      res.writeHead(code, { 'content-type': 'text/plain' });
      res.end(`${msg}\n`);
    };
    if (method !== 'GET' || !m) return fail(404, 'not found');
    const v = this.view(m[1]!);
    if (!v) return fail(404, `no camera ${m[1]}`);
    const file = m[2] || 'index.html';
    if (file === 'index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><meta charset="utf-8"><title>${m[1]}</title><video src="index.m3u8" autoplay muted controls playsinline style="width:100%"></video>\n`,
      );
      return;
    }
    v.touch();
    const path = join(v.playlist, '..', file);
    if (file === 'index.m3u8') {
      const deadline = Date.now() + this.startTimeoutMs;
      while (!existsSync(path) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        v.touch();
      }
      if (!existsSync(path)) return fail(503, 'stream not available yet; retry');
      return this.send(res, path, 'application/vnd.apple.mpegurl');
    }
    if (!/^seg-\d+\.ts$/.test(file) || !existsSync(path)) return fail(404, 'no such segment');
    this.send(res, path, 'video/mp2t');
  }

  private send(res: ServerResponse, path: string, type: string): void {
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
    createReadStream(path)
      .on('error', () => res.destroy())
      .pipe(res);
  }
}
