/**
 * The dashboard's calls to the REST API (docs/reference/http-api.md). The shapes it answers with
 * come from the API's own types (cloud/http/api-types.d.ts, types only): never declare them here.
 *
 * Credentials: a sign-in session lives only in its HttpOnly cookie (set and cleared by the server);
 * its CSRF token is kept in memory here and sent as x-csrf-token on every write. An API token typed
 * into the dashboard (the access before operator accounts) is kept in localStorage as before and
 * sent as a bearer token; a password or session value is never stored.
 */
import type { ApiErrorBody, SessionResponse } from '../../http/api-types.js';

let token = localStorage.getItem('yiwang-token') ?? '';
let csrf = '';

export const setToken = (t: string): void => {
  token = t;
  localStorage.setItem('yiwang-token', t);
};
export const hasToken = (): boolean => token !== '';
export const tokenQuery = (): string => (token ? `?access_token=${encodeURIComponent(token)}` : '');

/** An error answer: its HTTP status, code and, for 429, the seconds to wait (Retry-After). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterS: number | null,
  ) {
    super(message);
  }
}
/** A 401: no credentials, wrong ones, or the session ended (code CLOUD_ERR_SESSION_EXPIRED). */
export class Unauthorized extends ApiError {}

export async function api<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const method = init?.method ?? 'GET';
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(csrf && method !== 'GET' && method !== 'HEAD' ? { 'x-csrf-token': csrf } : {}),
    },
    ...(init?.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const data = (await res.json().catch(() => ({}))) as T & Partial<ApiErrorBody>;
  if (res.ok) return data;
  const retry = Number(res.headers.get('retry-after') ?? Number.NaN);
  const E = res.status === 401 ? Unauthorized : ApiError;
  throw new E(
    res.status,
    data.error?.code ?? `HTTP ${res.status}`,
    data.error?.message ?? res.statusText,
    Number.isFinite(retry) ? retry : null,
  );
}

/**
 * Who the API takes this dashboard for (GET /api/v1/session): a signed-in account (`kind: "user"`),
 * or the API token, an API key or a loopback client (no sign-in needed). Null when the cloud has no
 * such route. A cookie session's CSRF token is taken from the answer (it survives a reload).
 */
export async function whoAmI(): Promise<Who | null> {
  try {
    const me = await api<Who & { csrfToken?: string }>('/api/v1/session');
    csrf = me.csrfToken ?? '';
    return me;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** Signs in with a cookie session; the server sets the cookie, the CSRF token stays in memory. */
export async function signIn(name: string, password: string, totp: string): Promise<void> {
  const r = await api<{ csrfToken: string }>('/api/v1/session', {
    method: 'POST',
    body: { name, password, ...(totp ? { totp } : {}) },
  });
  csrf = r.csrfToken;
  // a bearer token would be taken instead of the cookie: the session replaces it
  token = '';
  localStorage.removeItem('yiwang-token');
}

/** Signs out (the server ends the session and clears the cookie); forgets the CSRF token either way. */
export async function signOut(): Promise<void> {
  try {
    await api('/api/v1/session', { method: 'DELETE' });
  } finally {
    csrf = '';
  }
}

export const forgetSession = (): void => {
  csrf = '';
};

/** What the dashboard reads of GET /api/v1/session. */
export type Who = SessionResponse;
