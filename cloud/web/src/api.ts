/**
 * The dashboard's calls to the REST API (docs/reference/http-api.md). The shapes it answers with
 * come from the API's own types (cloud/http/api-types.d.ts, types only): never declare them here.
 */
import type { ApiErrorBody } from '../../http/api-types.js';

let token = localStorage.getItem('yiwang-token') ?? '';
export const setToken = (t: string): void => {
  token = t;
  localStorage.setItem('yiwang-token', t);
};
export const tokenQuery = (): string => (token ? `?access_token=${encodeURIComponent(token)}` : '');

export class Unauthorized extends Error {}

export async function api<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const res = await fetch(path, {
    method: init?.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(init?.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  if (res.status === 401) throw new Unauthorized('token required');
  const data = (await res.json()) as T & Partial<ApiErrorBody>;
  if (!res.ok) throw new Error(`${data.error?.code ?? res.status}: ${data.error?.message ?? ''}`);
  return data;
}
