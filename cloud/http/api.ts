/**
 * REST API (docs/reference/http-api.md). JSON in and out; errors as
 * `{ "error": { "code", "message", "hint" } }` with a matching HTTP status.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Registry } from 'prom-client';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../../common/log.js';
import { definedProps } from '../../common/defined.js';
import { YiwangError, isYiwangError, type ErrorCode } from '../../common/errors.js';
import { GATEWAY_ID_RE, GATEWAY_ID_RULE } from '../../proto/topics.js';
import type { CloudStore } from '../store/cloud-store.js';
import { hashSecret, newSecret } from '../registry/secrets.js';
import { decodeId, intParam, readJson, redactUrl, type RawRoute, type Route } from './http-util.js';
import { RequestGuard, type RefusedCounters } from './request-guard.js';
import { registerHttpMetrics } from './http-metrics.js';
import type { LiveHub } from './live.js';
import { CLOUD_SCHEMA } from '../config.js';
import { cloudHttpStatus } from '../error-catalog.js';

/** Limits of the HTTP listener (the http.* options; docs/reference/limits.md). */
export interface HttpLimits {
  allowedHosts: string[];
  maxHeaderBytes: number;
  maxConnections: number;
  requestTimeoutMs: number;
  authFailuresPerMin: number;
}
/** A refused request's unread body up to this size is drained (the connection stays usable); a larger one closes it. */
const DRAIN_MAX_BYTES = 1_048_576;
const H = CLOUD_SCHEMA.http;
/** The defaults of the http.* options (cloud/config.ts), for a listener started without a config. */
export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = {
  allowedHosts: H.allowed_hosts.default,
  maxHeaderBytes: H.max_header_bytes.default,
  maxConnections: H.max_connections.default,
  requestTimeoutMs: H.request_timeout_ms.default,
  authFailuresPerMin: H.auth_failures_per_min.default,
};

export interface ApiOptions {
  host: string;
  port: number;
  token: string;
  store: CloudStore;
  log: Logger;
  stats: () => Record<string, unknown>;
  /** More JSON routes (fleet health …), tried after the built-in ones. */
  routes?: Route[];
  /** Routes that write their own response (live updates, metrics, dashboard files). */
  raw?: RawRoute[];
  /** Scoped operator API keys: the scope of a key given its SHA-256 (hex), if it is valid. */
  apiKeyScope?: (sha256: string) => Promise<'read' | 'admin' | undefined>;
  limits?: Partial<HttpLimits>;
  /** The live-update hub, whose listener figures join the stats and metrics. */
  live?: LiveHub;
  /** Prometheus registry the HTTP counters are added to (the cloud's /metrics). */
  registry?: Registry;
}

export class HttpApi {
  private server: Server | undefined;
  private readonly routes: Route[];
  private readonly log: Logger;
  private readonly limits: HttpLimits;
  readonly guard: RequestGuard;

  constructor(private readonly o: ApiOptions) {
    this.log = o.log.child({ component: 'http' });
    this.limits = { ...DEFAULT_HTTP_LIMITS, ...o.limits };
    this.guard = new RequestGuard({
      listenHost: o.host,
      allowedHosts: this.limits.allowedHosts,
      authFailuresPerMin: this.limits.authFailuresPerMin,
    });
    if (o.registry) registerHttpMetrics(o.registry, this.guard.refused, o.live);
    const s = o.store;
    const notFound = (what: string): never => {
      throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no ${what}`);
    };
    this.routes = [
      ['GET', /^\/healthz$/, async () => [200, { ok: true }]],
      [
        'GET',
        /^\/api\/v1\/stats$/,
        async () => [200, { store: await s.stats(), ...o.stats(), http: this.httpStats() }],
      ],
      ['GET', /^\/api\/v1\/gateways$/, async () => [200, { gateways: await s.listGateways() }]],
      [
        'POST',
        /^\/api\/v1\/gateways$/,
        async (_m, _u, req) => {
          const body = await readJson(req);
          const id = body.id;
          if (typeof id !== 'string' || !GATEWAY_ID_RE.test(id))
            throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `id: ${GATEWAY_ID_RULE}`);
          const secret = newSecret();
          await s.createGateway(id, await hashSecret(secret));
          this.log.info({ gatewayId: id }, 'gateway created');
          return [201, { id, secret }];
        },
      ],
      [
        'GET',
        /^\/api\/v1\/gateways\/([^/]+)$/,
        async (m) => [200, (await s.getGateway(decodeId(m[1]))) ?? notFound(`gateway ${m[1]}`)],
      ],
      [
        'GET',
        /^\/api\/v1\/devices\/([^/]+)$/,
        async (m) => [200, (await s.getDevice(decodeId(m[1]))) ?? notFound(`device ${m[1]}`)],
      ],
      [
        'GET',
        /^\/api\/v1\/devices\/([^/]+)\/readings$/,
        async (m, u) => {
          const deviceId = decodeId(m[1]);
          if (!(await s.getDevice(deviceId))) notFound(`device ${deviceId}`);
          const limit = intParam(u, 'limit') ?? 1000;
          if (limit < 1 || limit > 100_000) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'limit must be 1..100000');
          // order=desc: the newest `limit` readings, newest first (default asc: the oldest, in time order)
          const order = u.searchParams.get('order') ?? 'asc';
          if (order !== 'asc' && order !== 'desc')
            throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `order must be asc or desc (got "${order}")`);
          const readings = await s.readings(
            definedProps({
              deviceId,
              metric: u.searchParams.get('metric') ?? undefined,
              fromMs: intParam(u, 'from'),
              toMs: intParam(u, 'to'),
              limit,
              newestFirst: order === 'desc',
            }),
          );
          return [200, { deviceId, readings }];
        },
      ],
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

  /** Refusals by reason and live-update figures (`/api/v1/stats` → http). */
  httpStats(): { refused: RefusedCounters; live?: ReturnType<LiveHub['stats']> } {
    return { refused: { ...this.guard.refused }, ...(this.o.live ? { live: this.o.live.stats() } : {}) };
  }

  /**
   * The caller's scope: http.api_token (or no token on loopback) is admin; stored keys carry
   * theirs. An address past its failed authentications of the minute is refused (429) before a
   * key is looked up; the configured token itself is always accepted.
   */
  private async scope(req: IncomingMessage, url: URL): Promise<'read' | 'admin' | undefined> {
    // EventSource cannot send headers: the token may come as ?access_token= (RFC 6750 §2.3)
    const q = url.searchParams.get('access_token');
    const header = q !== null ? `Bearer ${q}` : (req.headers.authorization ?? '');
    if (!this.o.token && !header) return 'admin';
    const got = Buffer.from(header);
    const want = Buffer.from(`Bearer ${this.o.token}`);
    if (this.o.token && got.length === want.length && timingSafeEqual(got, want)) return 'admin';
    const addr = req.socket.remoteAddress ?? '';
    this.guard.checkAuthThrottle(addr);
    const m = /^Bearer (ywk_[A-Za-z0-9_-]{20,})$/.exec(header);
    const scope =
      m && this.o.apiKeyScope
        ? await this.o.apiKeyScope(createHash('sha256').update(m[1]!).digest('hex'))
        : this.o.token
          ? undefined
          : 'admin';
    if (!scope) this.guard.authFailed(addr);
    return scope;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let status = 200,
      body: unknown;
    try {
      this.guard.check(req);
      let url: URL;
      try {
        url = new URL(`http://x${req.url ?? '/'}`);
      } catch {
        this.guard.count('bad_request');
        throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'the URL cannot be parsed');
      }
      if (url.pathname.startsWith('/api/')) {
        const scope = await this.scope(req, url);
        if (!scope) throw new YiwangError('CLOUD_ERR_UNAUTHORIZED', 'missing or wrong bearer token');
        if (scope === 'read' && req.method !== 'GET' && req.method !== 'HEAD')
          throw new YiwangError('CLOUD_ERR_FORBIDDEN', `a read-only key cannot ${req.method} ${url.pathname}`);
      }
      const raw = this.o.raw?.find(([m, re]) => m === req.method && re.test(url.pathname));
      if (raw) return await raw[2](url.pathname.match(raw[1])!, url, req, res);
      const hit = this.routes.find(([m, re]) => m === req.method && re.test(url.pathname));
      if (!hit) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no route ${req.method} ${url.pathname}`);
      [status, body] = await hit[2](url.pathname.match(hit[1])!, url, req);
    } catch (err) {
      const e = isYiwangError(err) ? err : new YiwangError('CLOUD_ERR_STORE', (err as Error).message);
      status = cloudHttpStatus(e.code, 500);
      if (e.code === 'CLOUD_ERR_BODY_TOO_LARGE') this.guard.count('body_too_large');
      if (status === 500)
        this.log.error(
          { code: e.code, err: this.scrub(e.message), url: this.scrub(redactUrl(req.url)) },
          'request failed',
        );
      body = { error: e.toJSON() };
      if (res.headersSent) {
        res.end();
        return;
      }
    }
    // the unread body of a refused request is read and dropped (bounded by requestTimeout), unless it is declared too large to bother
    const close = !req.complete && Number(req.headers['content-length'] ?? 0) > DRAIN_MAX_BYTES;
    res.writeHead(status, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) });
    res.end(JSON.stringify(body));
  }

  /** Text as it may be logged: the API token and any ywk_/ywc_ credential replaced. */
  private scrub(text: string): string {
    let out = text.replace(/\b(ywk|ywc)_[A-Za-z0-9_.-]+/g, '$1_[redacted]');
    if (this.o.token) out = out.split(this.o.token).join('[redacted]');
    return out;
  }

  /** Answers a request the HTTP parser refused (head too large, malformed, too slow) with a coded JSON error. */
  private clientError(err: NodeJS.ErrnoException, socket: Socket): void {
    const busy =
      (socket as Socket & { _httpMessage?: unknown })._httpMessage !== undefined &&
      (socket as Socket & { _httpMessage?: unknown })._httpMessage !== null;
    if (err.code === 'ECONNRESET' || !socket.writable || busy) {
      socket.destroy();
      return;
    }
    const [status, code, reason]: [number, ErrorCode, keyof RefusedCounters] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'CLOUD_ERR_HEADERS_TOO_LARGE', 'headers_too_large']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'CLOUD_ERR_REQUEST_TIMEOUT', 'timeout']
          : [400, 'CLOUD_ERR_BAD_REQUEST', 'bad_request'];
    this.guard.count(reason);
    const detail =
      status === 431
        ? `the request head is over ${this.limits.maxHeaderBytes} bytes`
        : status === 408
          ? `the request did not arrive within ${this.limits.requestTimeoutMs} ms`
          : `malformed HTTP request (${err.code ?? 'parse error'})`;
    const text = JSON.stringify({ error: new YiwangError(code, detail).toJSON() });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
  }

  async start(): Promise<void> {
    const loopback = ['127.0.0.1', '::1', 'localhost'].includes(this.o.host);
    if (!this.o.token && !loopback)
      throw new YiwangError(
        'CONFIG_ERR_INVALID',
        `http.api_token is required when http.host (${this.o.host}) is not loopback`,
      );
    const l = this.limits;
    const server = createServer(
      {
        maxHeaderSize: l.maxHeaderBytes,
        requestTimeout: l.requestTimeoutMs,
        headersTimeout: Math.min(l.requestTimeoutMs, 60_000),
        connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(l.requestTimeoutMs / 4))),
      },
      (req, res) => {
        void this.route(req, res);
      },
    );
    server.maxConnections = l.maxConnections;
    let lastDropLog = 0;
    server.on('drop', () => {
      this.guard.count('connections');
      if (Date.now() - lastDropLog < 10_000) return;
      lastDropLog = Date.now();
      this.log.warn(
        { maxConnections: l.maxConnections, dropped: this.guard.refused.connections },
        'http connections at http.max_connections: new ones are closed',
      );
    });
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => this.clientError(err, socket));
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
