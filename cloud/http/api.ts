/**
 * REST API (docs/reference/http-api.md). JSON in and out; errors as
 * `{ "error": { "code", "message", "hint" } }` with a matching HTTP status.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../../common/log.js';
import { YiwangError, isYiwangError } from '../../common/errors.js';
import { GATEWAY_ID_RE } from '../../proto/topics.js';
import type { CloudStore } from '../store/store.js';
import { hashSecret, newSecret } from '../registry/secrets.js';
import { intParam, readJson, type RawRoute, type Route } from './http-util.js';
import '../errors.js';

export interface ApiOptions {
  host: string; port: number; token: string; store: CloudStore; log: Logger; stats: () => Record<string, unknown>;
  /** More JSON routes (fleet health …), tried after the built-in ones. */
  routes?: Route[];
  /** Routes that write their own response (live updates, metrics, dashboard files). */
  raw?: RawRoute[];
  /** Scoped operator API keys: the scope of a key given its SHA-256 (hex), if it is valid. */
  apiKeyScope?: (sha256: string) => Promise<'read' | 'admin' | undefined>;
}

const STATUS: Record<string, number> = {
  CLOUD_ERR_NOT_FOUND: 404, CLOUD_ERR_BAD_REQUEST: 400, CLOUD_ERR_UNAUTHORIZED: 401, CLOUD_ERR_CONFLICT: 409, CLOUD_ERR_FORBIDDEN: 403,
  CLOUD_ERR_CONFIG_INVALID: 400, CLOUD_ERR_ROLLOUT_BUSY: 409,
};

export class HttpApi {
  private server: Server | undefined;
  private readonly routes: Route[];
  private readonly log: Logger;

  constructor(private readonly o: ApiOptions) {
    this.log = o.log.child({ component: 'http' });
    const s = o.store;
    const notFound = (what: string): never => { throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no ${what}`); };
    this.routes = [
      ['GET', /^\/healthz$/, async () => [200, { ok: true }]],
      ['GET', /^\/api\/v1\/stats$/, async () => [200, { store: await s.stats(), ...o.stats() }]],
      ['GET', /^\/api\/v1\/gateways$/, async () => [200, { gateways: await s.listGateways() }]],
      ['POST', /^\/api\/v1\/gateways$/, async (_m, _u, req) => {
        const body = await readJson(req);
        const id = body.id;
        if (typeof id !== 'string' || !GATEWAY_ID_RE.test(id)) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'id must match [A-Za-z0-9][A-Za-z0-9_.-]{0,63}');
        const secret = newSecret();
        await s.createGateway(id, await hashSecret(secret));
        this.log.info({ gatewayId: id }, 'gateway created');
        return [201, { id, secret }];
      }],
      ['GET', /^\/api\/v1\/gateways\/([^/]+)$/, async (m) => [200, (await s.getGateway(decodeURIComponent(m[1]))) ?? notFound(`gateway ${m[1]}`)]],
      ['GET', /^\/api\/v1\/devices\/([^/]+)$/, async (m) => [200, (await s.getDevice(decodeURIComponent(m[1]))) ?? notFound(`device ${m[1]}`)]],
      ['GET', /^\/api\/v1\/devices\/([^/]+)\/readings$/, async (m, u) => {
        const deviceId = decodeURIComponent(m[1]);
        if (!(await s.getDevice(deviceId))) notFound(`device ${deviceId}`);
        const limit = intParam(u, 'limit') ?? 1000;
        if (limit < 1 || limit > 100_000) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'limit must be 1..100000');
        const readings = await s.readings({ deviceId, metric: u.searchParams.get('metric') ?? undefined, fromMs: intParam(u, 'from'), toMs: intParam(u, 'to'), limit });
        return [200, { deviceId, readings }];
      }],
      ...(o.routes ?? []),
    ];
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Every route served, raw ones first as they are tried (test/cloud/http/routes-doc.test.ts checks http-api.md lists them). */
  routeTable(): { method: string; path: RegExp }[] {
    return [...(this.o.raw ?? []), ...this.routes].map(([method, path]) => ({ method, path }));
  }

  /** The caller's scope: http.api_token (or no token on loopback) is admin; stored keys carry theirs. */
  private async scope(req: IncomingMessage, url: URL): Promise<'read' | 'admin' | undefined> {
    // EventSource cannot send headers: the token may come as ?access_token= (RFC 6750 §2.3)
    const q = url.searchParams.get('access_token');
    const header = q !== null ? `Bearer ${q}` : req.headers.authorization ?? '';
    if (!this.o.token && !header) return 'admin';
    const got = Buffer.from(header);
    const want = Buffer.from(`Bearer ${this.o.token}`);
    if (this.o.token && got.length === want.length && timingSafeEqual(got, want)) return 'admin';
    const m = /^Bearer (ywk_[A-Za-z0-9_-]{20,})$/.exec(header);
    if (m && this.o.apiKeyScope) return this.o.apiKeyScope(createHash('sha256').update(m[1]!).digest('hex'));
    return this.o.token ? undefined : 'admin';
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    let status = 200, body: unknown;
    try {
      if (url.pathname.startsWith('/api/')) {
        const scope = await this.scope(req, url);
        if (!scope) throw new YiwangError('CLOUD_ERR_UNAUTHORIZED', 'missing or wrong bearer token');
        if (scope === 'read' && req.method !== 'GET' && req.method !== 'HEAD') throw new YiwangError('CLOUD_ERR_FORBIDDEN', `a read-only key cannot ${req.method} ${url.pathname}`);
      }
      const raw = this.o.raw?.find(([m, re]) => m === req.method && re.test(url.pathname));
      if (raw) return await raw[2](url.pathname.match(raw[1])!, url, req, res);
      const hit = this.routes.find(([m, re]) => m === req.method && re.test(url.pathname));
      if (!hit) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no route ${req.method} ${url.pathname}`);
      [status, body] = await hit[2](url.pathname.match(hit[1])!, url, req);
    } catch (err) {
      const e = isYiwangError(err) ? err : new YiwangError('CLOUD_ERR_STORE', (err as Error).message);
      status = STATUS[e.code] ?? 500;
      if (status === 500) this.log.error({ code: e.code, err: e.message, url: req.url }, 'request failed');
      body = { error: e.toJSON() };
      if (res.headersSent) { res.end(); return; }
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  async start(): Promise<void> {
    const loopback = ['127.0.0.1', '::1', 'localhost'].includes(this.o.host);
    if (!this.o.token && !loopback) throw new YiwangError('CONFIG_ERR_INVALID', `http.api_token is required when http.host (${this.o.host}) is not loopback`);
    const server = createServer((req, res) => { void this.route(req, res); });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, this.o.host, () => resolve());
    });
    this.server = server;
    this.log.info({ port: this.port, host: this.o.host }, 'http api listening');
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }
}
