/**
 * Local API for the technician CLI: HTTP over a Unix socket whose file mode (0600) is the
 * access control. The CLI never opens the agent's SQLite file itself.
 */
import { createServer, type Server } from 'node:http';
import { chmodSync } from 'node:fs';
import { removeStaleSocket } from './stale-socket.js';
import type { Logger } from '../../common/log.js';
import type { AgentStatus } from './status.js';
import { isYiwangError, YiwangError } from '../../common/errors.js';
import { EdgeMetrics } from './metrics.js';
import { edgeHttpStatus } from '../error-catalog.js';

/** Largest request body the local API reads (device specs, LwM2M requests); larger: 413. */
export const MAX_API_BODY_BYTES = 1_048_576;

/** What the local API needs of the LwM2M server (edge/southbound/lwm2m/server/server.ts). */
export interface Lwm2mApi {
  devices(): unknown[];
  requests(endpoint: string): unknown;
  submit(endpoint: string, spec: unknown): Promise<{ id: number; superseded: number[]; result: Promise<unknown> }>;
}

const LWM2M_ROUTE = /^\/v1\/lwm2m\/devices\/([^/?]+)\/(queue|requests)(\?.*)?$/;

export class LocalApiServer {
  private server: Server | undefined;
  private metrics: EdgeMetrics | undefined;
  /** Route handlers of adapters (cameras …), tried after the built-in routes. */
  readonly routes: ((
    method: string,
    url: string,
    body: () => Promise<string>,
  ) => Promise<[number, unknown] | undefined>)[] = [];
  constructor(
    readonly socketPath: string,
    private readonly status: () => AgentStatus,
    private readonly log: Logger,
    private readonly lwm2m?: Lwm2mApi,
  ) {}

  /** GET /v1/lwm2m/devices, GET …/devices/{ep}/queue, POST …/devices/{ep}/requests[?wait=ms]. */
  private async lwm2mRoute(
    method: string,
    url: string,
    body: () => Promise<string>,
  ): Promise<[number, unknown] | undefined> {
    const api = this.lwm2m;
    if (!api || !url.startsWith('/v1/lwm2m/')) return undefined;
    if (method === 'GET' && url === '/v1/lwm2m/devices') return [200, { devices: api.devices() }];
    const m = LWM2M_ROUTE.exec(url);
    if (!m) return undefined;
    try {
      const ep = decodeURIComponent(m[1] as string);
      if (method === 'GET' && m[2] === 'queue') return [200, api.requests(ep)];
      if (method === 'POST' && m[2] === 'requests') {
        let spec: unknown;
        try {
          spec = JSON.parse(await body());
        } catch {
          return [400, { error: { code: 'LWM2M_ERR_REQUEST', message: 'body is not JSON' } }];
        }
        const sub = await api.submit(ep, spec);
        const wait = Number(new URLSearchParams(m[3] ?? '').get('wait') ?? 0);
        if (!(wait > 0)) return [202, { id: sub.id, superseded: sub.superseded, state: 'pending' }];
        const result = await Promise.race([
          sub.result,
          new Promise((r) => setTimeout(r, Math.min(wait, 600_000)).unref()),
        ]);
        return result === undefined
          ? [202, { id: sub.id, superseded: sub.superseded, state: 'pending' }]
          : [200, { id: sub.id, superseded: sub.superseded, result }];
      }
    } catch (err) {
      if (isYiwangError(err)) return [edgeHttpStatus(err.code, 400), { error: err.toJSON() }];
      throw err;
    }
    return undefined;
  }

  async start(): Promise<void> {
    await removeStaleSocket(this.socketPath); // a killed agent's, never a live one's
    const server = createServer((req, res) => {
      const send = (code: number, body: unknown): void => {
        if (res.headersSent) return;
        const close = !req.complete && Number(req.headers['content-length'] ?? 0) > MAX_API_BODY_BYTES;
        res.writeHead(code, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) });
        res.end(JSON.stringify(body));
      };
      const tooLarge = (): void =>
        send(413, {
          error: new YiwangError('EDGE_ERR_BODY_TOO_LARGE', `the body is over ${MAX_API_BODY_BYTES} bytes`).toJSON(),
        });
      if (Number(req.headers['content-length'] ?? 0) > MAX_API_BODY_BYTES) return tooLarge();
      if (req.method === 'GET' && req.url === '/v1/status') return send(200, this.status());
      if (req.method === 'GET' && req.url === '/metrics') {
        this.metrics ??= new EdgeMetrics(this.status);
        const m = this.metrics;
        void m.render().then(
          (text) => {
            res.writeHead(200, { 'content-type': m.contentType });
            res.end(text);
          },
          (err: Error) => send(500, { error: { code: 'EDGE_ERR_STORE', message: `metrics: ${err.message}` } }),
        );
        return;
      }
      // keep at most MAX_API_BODY_BYTES: past it the client gets 413 at once
      const body = (): Promise<string> =>
        new Promise((resolve, reject) => {
          const chunks: Buffer[] = [];
          let size = 0;
          req
            .on('data', (c: Buffer) => {
              if (size > MAX_API_BODY_BYTES) return; // refused already: the rest is read and dropped
              size += c.length;
              if (size <= MAX_API_BODY_BYTES) {
                chunks.push(c);
                return;
              }
              chunks.length = 0;
              tooLarge();
              reject(new YiwangError('EDGE_ERR_BODY_TOO_LARGE', `the body is over ${MAX_API_BODY_BYTES} bytes`));
            })
            .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
            .on('error', reject);
        });
      const route = async (method: string, url: string): Promise<[number, unknown] | undefined> => {
        const r = await this.lwm2mRoute(method, url, body);
        if (r) return r;
        for (const h of this.routes) {
          const x = await h(method, url, body);
          if (x) return x;
        }
        return undefined;
      };
      void route(req.method ?? '', req.url ?? '').then(
        (r) =>
          r
            ? send(r[0], r[1])
            : send(404, { error: { code: 'EDGE_ERR_NOT_FOUND', message: `no ${req.method} ${req.url}` } }),
        // a malformed %-escape in the path is the client's mistake, not the agent's
        (err: unknown) =>
          err instanceof URIError
            ? send(400, {
                error: new YiwangError(
                  'EDGE_ERR_BAD_REQUEST',
                  `malformed %-escape in ${JSON.stringify((req.url ?? '').slice(0, 200))}`,
                ).toJSON(),
              })
            : send(500, { error: { code: 'LWM2M_ERR_INTERNAL', message: (err as Error).message } }),
      );
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
