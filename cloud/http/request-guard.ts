/**
 * Checks every HTTP request passes before it is routed, token or not (docs/reference/limits.md,
 * "Cloud: HTTP API and dashboard"):
 * - Host: a loopback name (`localhost`, `*.localhost`), an IP address, the listen address or an
 *   `http.allowed_hosts` entry; any other name is DNS rebinding (a page of another site whose
 *   name now resolves to this server) and is refused 421.
 * - Origin: a browser request from another origin (Origin not this Host, `Origin: null`, or a
 *   write with `Sec-Fetch-Site: cross-site`) is refused 403, so no web page can drive the API
 *   (CSRF). Programs (CLI, curl) send no Origin; the dashboard is same-origin.
 * - Writes (POST, PUT, PATCH, DELETE) with a body must declare `Content-Type: application/json`
 *   (415): HTML forms and "simple" cross-site fetches can only send form or text/plain bodies.
 * - The URL is at most MAX_URL_BYTES (414).
 * Failed authentications are counted per client address; past `http.auth_failures_per_min` the
 * address gets 429 without its token being checked until the minute is over.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { YiwangError, type ErrorCode } from '../../common/errors.js';

/** Longest request target (path and query) accepted. */
export const MAX_URL_BYTES = 8192;
/** Client addresses whose failed authentications are remembered at once (oldest forgotten first). */
export const AUTH_TABLE_MAX = 10_000;

export interface GuardOptions {
  /** Address the API listens on (allowed as Host when it is a name). */
  listenHost: string;
  /** http.allowed_hosts: exact names, `.example.org` (the domain and its subdomains) or `*`. */
  allowedHosts: readonly string[];
  /** http.auth_failures_per_min (0 = no limit). */
  authFailuresPerMin: number;
}

/** Requests refused by reason (`/api/v1/stats` http.refused, metric yiwang_http_refused_total{reason}). */
export interface RefusedCounters {
  host: number;
  origin: number;
  content_type: number;
  url_too_long: number;
  body_too_large: number;
  headers_too_large: number;
  bad_request: number;
  timeout: number;
  auth_throttled: number;
  connections: number;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `Host` header → lower-case host name without port or IPv6 brackets; undefined when malformed. */
export function hostName(host: string): string | undefined {
  const h = host.trim().toLowerCase();
  const v6 = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(h);
  if (v6) return isIP(v6[1]!) === 6 ? v6[1] : undefined;
  const m = /^([a-z0-9._-]+)(?::\d{1,5})?$/.exec(h);
  return m?.[1]?.replace(/\.$/, '');
}

export class RequestGuard {
  readonly refused: RefusedCounters = {
    host: 0,
    origin: 0,
    content_type: 0,
    url_too_long: 0,
    body_too_large: 0,
    headers_too_large: 0,
    bad_request: 0,
    timeout: 0,
    auth_throttled: 0,
    connections: 0,
  };
  /** client address → [window start ms, failures in the window] */
  private readonly failures = new Map<string, [number, number]>();

  constructor(private readonly o: GuardOptions) {}

  /** Whether a host name (from hostName) may be used to reach this server. */
  hostAllowed(name: string): boolean {
    if (name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0) return true;
    if (name === this.o.listenHost.toLowerCase()) return true;
    return this.o.allowedHosts.some((a) => {
      const e = a.toLowerCase();
      return e === '*' || e === name || (e.startsWith('.') && (name.endsWith(e) || name === e.slice(1)));
    });
  }

  /** Throws the coded error a request must be refused with (and counts it); returns quietly when it may go on. */
  check(req: IncomingMessage): void {
    const url = req.url ?? '';
    if (Buffer.byteLength(url) > MAX_URL_BYTES)
      this.refuse('url_too_long', 'CLOUD_ERR_URL_TOO_LONG', `the URL is over ${MAX_URL_BYTES} bytes`);
    if (!url.startsWith('/'))
      this.refuse('bad_request', 'CLOUD_ERR_BAD_REQUEST', 'the request target must be a path (origin form)');
    const host = req.headers.host;
    const name = host === undefined ? undefined : hostName(host);
    if (name === undefined || !this.hostAllowed(name)) {
      this.refuse(
        'host',
        'CLOUD_ERR_HOST_NOT_ALLOWED',
        `Host ${JSON.stringify((host ?? '').slice(0, 100))} is not a loopback name, an IP address or in http.allowed_hosts`,
      );
    }
    const method = req.method ?? 'GET';
    const origin = req.headers.origin;
    if (origin !== undefined && !this.sameOrigin(origin, host!)) {
      this.refuse(
        'origin',
        'CLOUD_ERR_CROSS_ORIGIN',
        `Origin ${JSON.stringify(origin.slice(0, 100))} is not this server (${host})`,
      );
    }
    if (WRITES.has(method) && req.headers['sec-fetch-site'] === 'cross-site') {
      this.refuse('origin', 'CLOUD_ERR_CROSS_ORIGIN', `a cross-site ${method} (Sec-Fetch-Site: cross-site)`);
    }
    if (WRITES.has(method)) {
      const type = req.headers['content-type'];
      const hasBody =
        (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') ||
        req.headers['transfer-encoding'] !== undefined;
      const json = type !== undefined && type.split(';')[0]!.trim().toLowerCase() === 'application/json';
      if (type !== undefined ? !json : hasBody) {
        this.refuse(
          'content_type',
          'CLOUD_ERR_UNSUPPORTED_MEDIA_TYPE',
          `a ${method} body must be Content-Type: application/json (got ${JSON.stringify((type ?? 'none').slice(0, 100))})`,
        );
      }
    }
  }

  /** Same origin: the Origin's host (name and port) is the Host header the browser sent with it. */
  private sameOrigin(origin: string, host: string): boolean {
    if (origin === 'null') return false;
    try {
      const o = new URL(origin);
      return (o.protocol === 'http:' || o.protocol === 'https:') && o.host === new URL(`${o.protocol}//${host}`).host;
    } catch {
      return false;
    }
  }

  /** Counts a request refused by the HTTP layer itself (parse errors, connection limit). */
  count(reason: keyof RefusedCounters): void {
    this.refused[reason]++;
  }

  /** Throws CLOUD_ERR_RATE_LIMITED while an address is past its failed authentications of the minute. */
  checkAuthThrottle(addr: string, nowMs = Date.now()): void {
    const limit = this.o.authFailuresPerMin;
    const f = this.failures.get(addr);
    if (limit === 0 || !f || nowMs - f[0] >= 60_000 || f[1] < limit) return;
    this.refuse(
      'auth_throttled',
      'CLOUD_ERR_RATE_LIMITED',
      `more than ${limit} failed authentications from ${addr} within a minute`,
    );
  }

  /** Counts a failed authentication of an address. */
  authFailed(addr: string, nowMs = Date.now()): void {
    if (this.o.authFailuresPerMin === 0) return;
    const f = this.failures.get(addr);
    if (f && nowMs - f[0] < 60_000) {
      f[1]++;
      return;
    }
    this.failures.delete(addr);
    if (this.failures.size >= AUTH_TABLE_MAX) {
      // a window is (re)started only by set() below, so the map is in window-start order: the
      // expired windows come first, and the scan stops at the first live one (no full scan per failure)
      for (const [a, w] of this.failures) {
        if (nowMs - w[0] < 60_000) break;
        this.failures.delete(a);
      }
      if (this.failures.size >= AUTH_TABLE_MAX) this.failures.delete(this.failures.keys().next().value!);
    }
    this.failures.set(addr, [nowMs, 1]);
  }

  /** Addresses whose failures are remembered (bounded by AUTH_TABLE_MAX). */
  get trackedAddresses(): number {
    return this.failures.size;
  }

  private refuse(reason: keyof RefusedCounters, code: ErrorCode, message: string): never {
    this.refused[reason]++;
    throw new YiwangError(code, message);
  }
}
