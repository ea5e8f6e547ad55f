/**
 * REST API (docs/reference/http-api.md). JSON in and out; errors as
 * `{ "error": { "code", "message", "hint" } }` with a matching HTTP status.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '../../common/log.js';
import { YiwangError, isYiwangError } from '../../common/errors.js';
import { GATEWAY_ID_RE } from '../../proto/topics.js';
import type { CloudStore } from '../store/store.js';
import { hashSecret, newSecret } from '../registry/secrets.js';
import '../errors.js';

export interface ApiOptions { host: string; port: number; token: string; store: CloudStore; log: Logger; stats: () => Record<string, unknown> }

const STATUS: Record<string, number> = { CLOUD_ERR_NOT_FOUND: 404, CLOUD_ERR_BAD_REQUEST: 400, CLOUD_ERR_UNAUTHORIZED: 401, CLOUD_ERR_CONFLICT: 409 };

type Handler = (m: RegExpMatchArray, url: URL, req: IncomingMessage) => Promise<[number, unknown]>;

async function readJson(req: IncomingMessage, limit = 65_536): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `body over ${limit} bytes`);
    chunks.push(c as Buffer);
  }
  if (size === 0) return {};
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `body is not a JSON object: ${(err as Error).message}`);
  }
}

function intParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `${name} must be an integer (ms since epoch, or a count)`);
  return n;
}

export class HttpApi {
  private server: Server | undefined;
  private readonly routes: [string, RegExp, Handler][];
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
      ['GET', /^\/api\/v1\/devices$/, async (_m, u) => [200, { devices: await s.listDevices(u.searchParams.get('gateway') ?? undefined) }]],
      ['GET', /^\/api\/v1\/devices\/([^/]+)$/, async (m) => [200, (await s.getDevice(decodeURIComponent(m[1]))) ?? notFound(`device ${m[1]}`)]],
      ['GET', /^\/api\/v1\/devices\/([^/]+)\/readings$/, async (m, u) => {
        const deviceId = decodeURIComponent(m[1]);
        if (!(await s.getDevice(deviceId))) notFound(`device ${deviceId}`);
        const limit = intParam(u, 'limit') ?? 1000;
        if (limit < 1 || limit > 100_000) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'limit must be 1..100000');
        const readings = await s.readings({ deviceId, metric: u.searchParams.get('metric') ?? undefined, fromMs: intParam(u, 'from'), toMs: intParam(u, 'to'), limit });
        return [200, { deviceId, readings }];
      }],
    ];
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  private authorized(req: IncomingMessage): boolean {
    if (!this.o.token) return true;
    const got = Buffer.from(req.headers.authorization ?? '');
    const want = Buffer.from(`Bearer ${this.o.token}`);
    return got.length === want.length && timingSafeEqual(got, want);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    let status = 200, body: unknown;
    try {
      if (url.pathname.startsWith('/api/') && !this.authorized(req)) throw new YiwangError('CLOUD_ERR_UNAUTHORIZED', 'missing or wrong bearer token');
      const hit = this.routes.find(([m, re]) => m === req.method && re.test(url.pathname));
      if (!hit) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no route ${req.method} ${url.pathname}`);
      [status, body] = await hit[2](url.pathname.match(hit[1])!, url, req);
    } catch (err) {
      const e = isYiwangError(err) ? err : new YiwangError('CLOUD_ERR_STORE', (err as Error).message);
      status = STATUS[e.code] ?? 500;
      if (status === 500) this.log.error({ code: e.code, err: e.message, url: req.url }, 'request failed');
      body = { error: e.toJSON() };
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
