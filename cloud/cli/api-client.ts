/** HTTP client of the operator CLI; API errors become YiwangErrors with the server's code. */
import { YiwangError } from '../../common/errors.js';

export async function apiRequest<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(new URL(path, base), {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `cannot reach ${base}: ${(err as Error).message}`);
  }
  const data = (await res.json()) as { error?: { code: string; message: string } };
  if (!res.ok) throw new YiwangError(data.error?.code ?? 'CLOUD_ERR_BAD_REQUEST', data.error?.message ?? `HTTP ${res.status}`);
  return data as T;
}
