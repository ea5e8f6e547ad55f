/**
 * HTTP client of the operator CLI. API errors become YiwangErrors with the server's code; a
 * connection that fails is named as such (CLOUD_ERR_UNREACHABLE, CLOUD_ERR_TLS: "cannot reach the
 * cloud at URL"), refused credentials as CLOUD_ERR_UNAUTHORIZED / CLOUD_ERR_FORBIDDEN with where
 * the URL and token came from, an answer that is not the API's JSON as CLOUD_ERR_BAD_RESPONSE.
 */
import { YiwangError } from '../../common/errors.js';
import { DEFAULT_TIMEOUT_S, type CloudTarget } from './target.js';
import { isCloudErrorCode } from '../error-catalog.js';

let current: CloudTarget | undefined;

/** The target the running command resolved (cloud/cli/options.ts withApi): its sources name failures. */
export function useTarget(t: CloudTarget | undefined): void {
  current = t;
}

const TLS_CODE =
  /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|EPROTO$|HOSTNAME_MISMATCH)/;

/** The errno-style code under fetch's "fetch failed" (undici puts it on the cause, or on each of several addresses tried). */
function causeOf(err: unknown): { code: string; message: string } {
  let c = err as { code?: unknown; message?: string; cause?: unknown; errors?: unknown[]; name?: string } | undefined;
  let message = (err as Error)?.message ?? String(err);
  for (let i = 0; i < 4 && c; i++) {
    if (c.name === 'TimeoutError') return { code: 'TIMEOUT', message: c.message ?? '' };
    if (typeof c.code === 'string' && c.code !== 'UND_ERR_SOCKET') return { code: c.code, message: c.message ?? '' };
    const first = Array.isArray(c.errors) ? (c.errors[0] as typeof c) : undefined;
    if (first && typeof first.code === 'string') return { code: first.code, message: first.message ?? '' };
    if (c.message && c !== err) message = c.message; // the innermost says most ("bad port", "other side closed")
    c = c.cause as typeof c;
  }
  return { code: '', message };
}

/** A failed connection as a coded error naming the URL, where it came from and what went wrong. */
export function connectionError(base: string, err: unknown, t: CloudTarget | undefined): YiwangError {
  const { code, message } = causeOf(err);
  const host = (() => {
    try {
      return new URL(base).hostname;
    } catch {
      return base;
    }
  })();
  const from = t?.source ? ` (from ${t.source})` : '';
  const timeoutS = (t?.timeoutMs ?? DEFAULT_TIMEOUT_S * 1000) / 1000;
  const what =
    code === 'ECONNREFUSED'
      ? 'connection refused: nothing listens there'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME'
        ? `the host name ${host} does not resolve (DNS ${code})`
        : code === 'TIMEOUT' ||
            code === 'ETIMEDOUT' ||
            code === 'UND_ERR_CONNECT_TIMEOUT' ||
            code === 'UND_ERR_HEADERS_TIMEOUT'
          ? `no answer within ${timeoutS} s (--timeout)`
          : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
            ? `no route to ${host} (${code})`
            : code === 'ECONNRESET' || code === 'EPIPE'
              ? `the connection was reset (${code}; an https URL for an http port, or a proxy in between?)`
              : TLS_CODE.test(code)
                ? `TLS failed: ${message || code} (${code})`
                : message === 'bad port'
                  ? `fetch refuses to connect to port ${(() => {
                      try {
                        return new URL(base).port;
                      } catch {
                        return '?';
                      }
                    })()} (a port browsers block)`
                  : `${message || 'fetch failed'}${code ? ` (${code})` : ''}`;
  return new YiwangError(
    TLS_CODE.test(code) ? 'CLOUD_ERR_TLS' : 'CLOUD_ERR_UNREACHABLE',
    `cannot reach the cloud at ${base}${from}: ${what}`,
    { cause: err },
  );
}

export async function apiRequest<T>(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const t = current?.url === base ? current : undefined;
  let res: Response;
  let text: string;
  try {
    res = await fetch(new URL(base.replace(/\/+$/, '') + path), {
      // a path prefix of the URL (a reverse proxy's) is kept
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(t?.timeoutMs ?? DEFAULT_TIMEOUT_S * 1000),
    });
    text = await res.text();
  } catch (err) {
    throw connectionError(base, err, t);
  }
  let data: { error?: { code?: string; message?: string } } | undefined;
  try {
    data = text ? (JSON.parse(text) as typeof data) : {};
  } catch {
    /* named below */
  }
  if (!data || typeof data !== 'object') {
    throw new YiwangError(
      'CLOUD_ERR_BAD_RESPONSE',
      `${base}${t ? ` (from ${t.source})` : ''} answered ${method} ${path} with HTTP ${res.status} ${res.headers.get('content-type') ?? ''} that is not the Yiwang API's JSON: ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
  if (res.ok) return data as T;
  const code = data.error?.code,
    message = data.error?.message ?? `HTTP ${res.status}`;
  // sign-in answers and an ended session keep their own code (login asks the code; "log in again")
  if (res.status === 401 && (code === 'CLOUD_ERR_LOGIN_FAILED' || code === 'CLOUD_ERR_TOTP_REQUIRED'))
    throw new YiwangError(code, `the cloud at ${base} refused the sign-in: ${message}`);
  if (res.status === 401 && code === 'CLOUD_ERR_SESSION_EXPIRED')
    throw new YiwangError(
      code,
      `the cloud at ${base} refused the session token from ${t?.tokenSource || 'the command line'}: ${message} (yiwang-cloud login --user NAME)`,
    );
  if (res.status === 401) {
    const sent = token ? `the token from ${t?.tokenSource || 'the command line'}` : 'no token';
    throw new YiwangError('CLOUD_ERR_UNAUTHORIZED', `the cloud at ${base} refused ${sent} (HTTP 401: ${message})`);
  }
  if (res.status === 403 && code === 'CLOUD_ERR_FORBIDDEN')
    throw new YiwangError(
      code,
      `the cloud at ${base} refused the token from ${t?.tokenSource || 'the command line'}: ${message}`,
    );
  if (!code)
    throw new YiwangError(
      'CLOUD_ERR_BAD_RESPONSE',
      `${base} answered ${method} ${path} with HTTP ${res.status} and no coded error: is it the Yiwang cloud?`,
    );
  if (!isCloudErrorCode(code))
    throw new YiwangError(
      'CLOUD_ERR_BAD_RESPONSE',
      `${base} answered ${method} ${path} with HTTP ${res.status} and an unknown code ${code}: ${message}`,
    );
  throw new YiwangError(code, message);
}
