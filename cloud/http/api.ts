/**
 * REST API (docs/reference/http-api.md). JSON in and out; errors as
 * `{ "error": { "code", "message", "hint" } }` with a matching HTTP status.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Registry } from 'prom-client';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../../common/log.js';
import { definedProps } from '../../common/defined.js';
import { YiwangError, isYiwangError, type ErrorCode } from '../../common/errors.js';
import { GATEWAY_ID_RE, GATEWAY_ID_RULE } from '../../proto/topics.js';
import type { CloudStore } from '../store/cloud-store.js';
import { hashSecret, newSecret } from '../registry/secrets.js';
import { decodeId, intParam, readJson, redactUrl, responseHeadersOf, type RawRoute, type Route } from './http-util.js';
import { RequestGuard, type RefusedCounters } from './request-guard.js';
import { registerHttpMetrics } from './http-metrics.js';
import type { LiveHub } from './live.js';
import { CLOUD_SCHEMA } from '../config.js';
import { cloudHttpStatus } from '../error-catalog.js';
import type { AuditActor } from '../audit/audit-entry.js';
import { anonymousActor, type HttpAuditor } from '../audit/http-audit.js';
import { type Accounts, SESSION_COOKIE } from '../auth/accounts.js';
import { permissionOf, roleOfScope, roleWithin } from '../auth/roles.js';
import { type ScopeLookups, WHOLE_CITY, scopeFilter, scopeRefusal } from '../auth/scope.js';
import { type Actor, auditActorOf, bootstrapActor, isPublicRoute, refusalOf, setActor } from './access.js';
import { sessionRoutes } from './session-routes.js';

/** Limits of the HTTP listener (the http.* options; docs/reference/limits.md). */
export interface HttpLimits {
  allowedHosts: string[];
  maxHeaderBytes: number;
  maxConnections: number;
  requestTimeoutMs: number;
  authFailuresPerMin: number;
}
/** The value of cookie `name` in a Cookie header (RFC 6265 §5.4), if present. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** HSTS of an HTTPS listener: a year, this host (docs/reference/security.md, "Transport"). */
export const HSTS = 'max-age=31536000';
/** Content-Security-Policy of the dashboard (cloud/web): its own files only, no inline script or style, no framing. */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** Content-Security-Policy of every other answer (JSON, metrics): nothing may load from it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The security headers every answer carries; a route's own headers (writeHead) may add to them. */
export function securityHeaders(pathname: string, tls: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': pathname === '/' || pathname.startsWith('/ui/') ? DASHBOARD_CSP : API_CSP,
    ...(pathname.startsWith('/api/') ? { 'cache-control': 'no-store' } : {}),
    ...(tls ? { 'strict-transport-security': HSTS } : {}),
  };
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
  /** Operator API keys: the key (id, name, scope = its role, owner account) given its SHA-256 (hex), if it is valid. */
  apiKey?: (sha256: string) => Promise<{ id: string; name: string; scope: string; owner?: string | null } | undefined>;
  /** Operator accounts and sign-in (cloud/auth/accounts.ts); none: only the token and keys. */
  accounts?: Accounts;
  /** auth.token_mode: what the bootstrap token (and the no-token loopback mode) may do. */
  tokenMode?: 'full' | 'first-run' | 'off';
  /** What the scope check of scoped accounts looks up (cloud/auth/scope.ts). */
  scopeLookups?: ScopeLookups;
  /** Session cookies get Secure (the API is served over TLS). */
  secureCookies?: boolean;
  /** Serve HTTPS with this certificate (chain) and key, PEM (http.tls); adds Strict-Transport-Security. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The audit hook (cloud/audit/http-audit.ts): writes and refused requests are recorded there. */
  audit?: HttpAuditor;
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
      ...(o.accounts ? sessionRoutes(o.accounts, { secureCookies: o.secureCookies ?? false }) : []),
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
   * The caller, in this order: a session (cookie `yw_session`, or bearer `yws_…` from
   * `yiwang-cloud login --user`), http.api_token (or no token on loopback) as the bootstrap
   * `admin` under auth.token_mode, an API key (its role within its owner's, its owner's scope). An
   * address past its failed authentications of the minute is refused (429) before a key is looked
   * up; the configured token itself is always accepted. Undefined: not authenticated (`refused`
   * then holds what the audit records of it).
   */
  private async authenticate(
    req: IncomingMessage,
    url: URL,
    refused: { actor: AuditActor },
  ): Promise<Actor | undefined> {
    const cookie = cookieValue(req.headers.cookie, SESSION_COOKIE);
    // EventSource cannot send headers: the token may come as ?access_token= (RFC 6750 §2.3)
    const q = url.searchParams.get('access_token');
    const header = q !== null ? `Bearer ${q}` : (req.headers.authorization ?? '');
    const bearerSession = /^Bearer yws_([A-Za-z0-9_-]{20,128})$/.exec(header)?.[1];
    if (this.o.accounts && (bearerSession !== undefined || (cookie !== undefined && !header))) {
      const s = await this.o.accounts.session((bearerSession ?? cookie)!);
      return {
        kind: 'user',
        id: s.user.name,
        name: s.user.displayName || s.user.name,
        role: s.user.role,
        scope: s.scope,
        signedIn: s,
        account: s.user.name,
        via: bearerSession !== undefined ? 'bearer' : 'cookie',
      };
    }
    const mode = this.o.tokenMode ?? 'full';
    const bootstrap = async (kind: 'token' | 'loopback'): Promise<Actor> => {
      if (mode === 'off') throw new YiwangError('CLOUD_ERR_TOKEN_DISABLED', 'auth.token_mode is "off"');
      if (mode === 'first-run') {
        if (this.o.accounts && (await this.o.accounts.count()) > 0)
          throw new YiwangError(
            'CLOUD_ERR_TOKEN_DISABLED',
            'auth.token_mode is "first-run" and operator accounts exist: sign in with an account',
          );
        return bootstrapActor(kind, true);
      }
      return bootstrapActor(kind);
    };
    if (!this.o.token && !header) return bootstrap('loopback');
    const got = Buffer.from(header);
    const want = Buffer.from(`Bearer ${this.o.token}`);
    if (this.o.token && got.length === want.length && timingSafeEqual(got, want)) return bootstrap('token');
    refused.actor = anonymousActor(header.replace(/^Bearer /, ''));
    const addr = req.socket.remoteAddress ?? '';
    this.guard.checkAuthThrottle(addr);
    const m = /^Bearer (ywk_[A-Za-z0-9_-]{20,})$/.exec(header);
    const key = m && this.o.apiKey ? await this.o.apiKey(createHash('sha256').update(m[1]!).digest('hex')) : undefined;
    const actor = key ? await this.keyActor(key) : m || this.o.token ? undefined : await bootstrap('loopback');
    if (!actor) this.guard.authFailed(addr);
    return actor;
  }

  /** The actor of a valid API key: its role, within its owner's current role, with its owner's scope. */
  private async keyActor(key: {
    id: string;
    name: string;
    scope: string;
    owner?: string | null;
  }): Promise<Actor | undefined> {
    const role = roleOfScope(key.scope);
    if (!role) return undefined;
    // a key made before accounts (or by the bootstrap credential) is the bootstrap credential's:
    // auth.token_mode limits it the same way (off: refused; first-run: accounts only)
    if (!key.owner) {
      const mode = this.o.tokenMode ?? 'full';
      if (mode === 'off')
        throw new YiwangError(
          'CLOUD_ERR_TOKEN_DISABLED',
          'auth.token_mode is "off": keys without an account are refused',
        );
      if (mode === 'first-run')
        throw new YiwangError(
          'CLOUD_ERR_TOKEN_DISABLED',
          'auth.token_mode is "first-run": keys without an account are refused (sign in, make keys of your account)',
        );
      return { kind: 'api_key', id: key.id, name: key.name, role, scope: WHOLE_CITY };
    }
    const owner = this.o.accounts ? await this.o.accounts.get(key.owner).catch(() => undefined) : undefined;
    // the owner was disabled or demoted below the key: the key does nothing
    if (!owner || owner.disabled || !roleWithin(role, owner.role)) return undefined;
    return {
      kind: 'api_key',
      id: key.id,
      name: key.name || `key of ${owner.name}`,
      role,
      scope: { districts: owner.districts, groups: owner.groups },
      account: owner.name,
    };
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let status = 200,
      body: unknown,
      code = '',
      pathname = '',
      routed = false;
    const who: { actor: AuditActor } = { actor: anonymousActor('') };
    let scoped: Actor['scope'] | undefined;
    try {
      this.guard.check(req);
      let url: URL;
      try {
        url = new URL(`http://x${req.url ?? '/'}`);
      } catch {
        this.guard.count('bad_request');
        throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'the URL cannot be parsed');
      }
      pathname = url.pathname;
      const method = req.method ?? 'GET';
      if (url.pathname.startsWith('/api/') && !isPublicRoute(method, url.pathname)) {
        const actor = await this.authenticate(req, url, who);
        if (!actor) throw new YiwangError('CLOUD_ERR_UNAUTHORIZED', 'missing or wrong bearer token');
        who.actor = actor;
        setActor(req, actor);
        const refusal = refusalOf(actor, method, url.pathname);
        if (refusal) throw refusal;
        if (actor.via === 'cookie' && method !== 'GET' && method !== 'HEAD') {
          const h = req.headers['x-csrf-token'];
          this.o.accounts!.checkCsrf(actor.signedIn!.session, Array.isArray(h) ? h[0] : h);
        }
        if (this.o.scopeLookups) {
          const outside = await scopeRefusal(actor.scope, method, url.pathname, this.o.scopeLookups);
          if (outside) throw outside;
        }
        scoped = actor.scope;
      }
      const raw = this.o.raw?.find(([m, re]) => m === req.method && re.test(url.pathname));
      if (raw && url.pathname.startsWith('/api/') && !permissionOf(method, url.pathname))
        throw new YiwangError(
          'CLOUD_ERR_FORBIDDEN',
          `${method} ${url.pathname} has no permission in cloud/auth/roles.ts`,
        );
      routed = !!raw;
      if (raw) return await raw[2](url.pathname.match(raw[1])!, url, req, res);
      const hit = this.routes.find(([m, re]) => m === req.method && re.test(url.pathname));
      if (!hit) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no route ${req.method} ${url.pathname}`);
      // fail closed: a served API route that the permission table does not list is refused to all
      if (
        url.pathname.startsWith('/api/') &&
        !isPublicRoute(method, url.pathname) &&
        !permissionOf(method, url.pathname)
      )
        throw new YiwangError(
          'CLOUD_ERR_FORBIDDEN',
          `${method} ${url.pathname} has no permission in cloud/auth/roles.ts`,
        );
      routed = true;
      [status, body] = await hit[2](url.pathname.match(hit[1])!, url, req);
      if (scoped && this.o.scopeLookups) body = scopeFilter(scoped, method, url.pathname, body, this.o.scopeLookups);
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
      code = e.code;
      if (res.headersSent) {
        res.end();
        return;
      }
    }
    await this.o.audit?.after({
      req,
      method: req.method ?? '',
      pathname,
      routed,
      actor: auditActorOf(req) ?? who.actor,
      status,
      code,
      body,
    });
    // the unread body of a refused request is read and dropped (bounded by requestTimeout), unless it is declared too large to bother
    const close = !req.complete && Number(req.headers['content-length'] ?? 0) > DRAIN_MAX_BYTES;
    const retryAfterS = (body as { error?: { retryAfterS?: unknown } } | undefined)?.error?.retryAfterS;
    res.writeHead(status, {
      'content-type': 'application/json',
      ...responseHeadersOf(req),
      ...(typeof retryAfterS === 'number' ? { 'retry-after': String(Math.ceil(retryAfterS)) } : {}),
      ...(close ? { connection: 'close' } : {}),
    });
    res.end(JSON.stringify(body));
  }

  /** Text as it may be logged: the API token and any ywk_/ywc_/yws_ credential replaced. */
  private scrub(text: string): string {
    let out = text.replace(/\b(ywk|ywc|yws)_[A-Za-z0-9_.-]+/g, '$1_[redacted]');
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
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: application/json\r\nx-content-type-options: nosniff\r\ncache-control: no-store\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
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
    const tls = this.o.tls;
    const options = {
      maxHeaderSize: l.maxHeaderBytes,
      requestTimeout: l.requestTimeoutMs,
      headersTimeout: Math.min(l.requestTimeoutMs, 60_000),
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(l.requestTimeoutMs / 4))),
    };
    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      for (const [k, v] of Object.entries(securityHeaders(path, !!tls))) res.setHeader(k, v);
      void this.route(req, res);
    };
    // https.Server is a net.Server/tls.Server with the same request API
    let server: Server;
    try {
      server = tls
        ? (createHttpsServer(
            { ...options, cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' },
            handle,
          ) as unknown as Server)
        : createServer(options, handle);
    } catch (err) {
      throw new YiwangError(
        'CONFIG_ERR_INVALID',
        `http.tls: the certificate or key cannot be used (${(err as Error).message}); give a PEM certificate and its PEM private key (http.cert_file, http.key_file)`,
        { cause: err },
      );
    }
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
    this.log.info({ port: this.port, host: this.o.host, tls: !!tls }, 'http api listening');
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
