/** The CLI's client of the agent's local API (HTTP over the Unix socket). */
import { request } from 'node:http';
import { registeredErrors, YiwangError } from '../../common/errors.js';
import '../errors.js';

/**
 * One request; a 2xx JSON body resolves, an error body `{error: {code, message}}` rejects as that
 * coded error, no answer on the socket rejects as EDGE_ERR_AGENT_NOT_RUNNING.
 */
export function localApi<T>(socketPath: string, method: string, path: string, body?: unknown, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const req = request({ socketPath, path, method, timeout: timeoutMs, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch (err) {
          return reject(err);
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(json as T);
        const e = (json as { error?: { code?: string; message?: string } }).error;
        const code = e?.code && registeredErrors().has(e.code) ? e.code : 'EDGE_ERR_NOT_FOUND';
        reject(new YiwangError(code, e?.message ?? `${method} ${path}: HTTP ${status}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new YiwangError('EDGE_ERR_AGENT_NOT_RUNNING', `no agent answers on ${socketPath} (${err.message})`)));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export function localApiGet<T>(socketPath: string, path: string, timeoutMs = 5000): Promise<T> {
  return localApi<T>(socketPath, 'GET', path, undefined, timeoutMs);
}
