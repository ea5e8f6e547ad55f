/** Request helpers shared by the API route files. */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { YiwangError } from '../../common/errors.js';

/** A JSON route: returns [status, body]. */
export type Handler = (m: RegExpMatchArray, url: URL, req: IncomingMessage) => Promise<[number, unknown]>;
/** A route that writes its own response (SSE, metrics text, static files). */
export type RawHandler = (m: RegExpMatchArray, url: URL, req: IncomingMessage, res: ServerResponse) => Promise<void>;
export type Route = [method: string, path: RegExp, handler: Handler];
export type RawRoute = [method: string, path: RegExp, handler: RawHandler];

/** Headers a JSON route adds to its answer (Set-Cookie of a sign-in, Retry-After). */
const responseHeaders = new WeakMap<IncomingMessage, Record<string, string | string[]>>();

export function setResponseHeader(req: IncomingMessage, name: string, value: string | string[]): void {
  const h = responseHeaders.get(req) ?? {};
  h[name] = value;
  responseHeaders.set(req, h);
}

export function responseHeadersOf(req: IncomingMessage): Record<string, string | string[]> {
  return responseHeaders.get(req) ?? {};
}

/** SHA-256 and size of each request body readJson read (the audit's digest of what was asked). */
const bodyDigests = new WeakMap<IncomingMessage, { sha256: string; bytes: number }>();

/** The digest of the body readJson read from `req`, if it read one. */
export function bodyDigestOf(req: IncomingMessage): { sha256: string; bytes: number } | undefined {
  return bodyDigests.get(req);
}

/** Default cap of a JSON request body; routes that take more pass their own (config layers, device lists). */
export const MAX_JSON_BYTES = 65_536;

/**
 * Reads a JSON object body of at most `limit` bytes: a Content-Length over it is refused before
 * reading, a body that grows past it while streaming is refused as soon as it does (its rest is
 * read and dropped, bounded by http.request_timeout_ms); both 413 CLOUD_ERR_BODY_TOO_LARGE.
 */
export async function readJson(
  req: IncomingMessage,
  limit = MAX_JSON_BYTES,
  opts: { secret?: boolean } = {},
): Promise<Record<string, unknown>> {
  const tooLarge = (): YiwangError => new YiwangError('CLOUD_ERR_BODY_TOO_LARGE', `the body is over ${limit} bytes`);
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge();
  let size = 0;
  let over = false;
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (over) return;
      if (size <= limit) {
        chunks.push(c);
        return;
      }
      over = true;
      chunks.length = 0;
      reject(tooLarge());
    });
    req.on('end', () => resolve());
    const cutOff = (): void =>
      reject(new YiwangError('CLOUD_ERR_BAD_REQUEST', 'the request was cut off before its body ended'));
    req.on('error', cutOff); // the client went away ("aborted"): its mistake, not a server failure
    req.on('close', () => {
      if (!req.complete) cutOff();
    });
  });
  if (size === 0) return {};
  const raw = Buffer.concat(chunks);
  // a body with a password gets no digest: an unsalted hash of it could be guessed offline
  bodyDigests.set(req, {
    sha256: opts.secret ? 'withheld' : createHash('sha256').update(raw).digest('hex'),
    bytes: size,
  });
  try {
    const v = JSON.parse(raw.toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `body is not a JSON object: ${(err as Error).message}`);
  }
}

export function intParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n))
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `${name} must be an integer (ms since epoch, or a count)`);
  return n;
}

export function boolParam(url: URL, name: string): boolean | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (['1', 'true', 'yes'].includes(v)) return true;
  if (['0', 'false', 'no'].includes(v)) return false;
  throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `${name} must be true or false`);
}

export function choiceParam<T extends string>(url: URL, name: string, choices: readonly T[]): T | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  if (!(choices as readonly string[]).includes(v))
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `${name} must be one of ${choices.join(', ')}`);
  return v as T;
}

export function strParam(url: URL, name: string): string | undefined {
  return url.searchParams.get(name) ?? undefined;
}

/** A path segment, %-decoded; a malformed escape is the client's mistake (400), never a 500. */
export function decodeId(s: string | undefined): string {
  try {
    return decodeURIComponent(s ?? '');
  } catch {
    throw new YiwangError(
      'CLOUD_ERR_BAD_REQUEST',
      `malformed %-escape in the path segment ${JSON.stringify((s ?? '').slice(0, 100))}`,
    );
  }
}

/** Query parameters that carry credentials (RFC 6750 access_token and the like). */
const SECRET_PARAMS = /^(access_token|token|api_key|apikey|key|secret|password|auth)$/i;

/** The URL as it may be logged: values of credential parameters replaced by `[redacted]`. */
export function redactUrl(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((kv) => {
      const eq = kv.indexOf('=');
      const k = eq < 0 ? kv : kv.slice(0, eq);
      let name = k;
      try {
        name = decodeURIComponent(k.replace(/\+/g, ' '));
      } catch {
        /* keep it raw */
      }
      return eq >= 0 && SECRET_PARAMS.test(name.trim()) ? `${k}=[redacted]` : kv;
    });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}
