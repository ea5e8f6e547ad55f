/** The CLI's client of the agent's local API (HTTP over the Unix socket). */
import { request } from 'node:http';
import { resolve as resolvePath } from 'node:path';
import { YiwangError } from '../../common/errors.js';
import { describeOwner, fileOwner, userName } from '../../common/file-owner.js';
import { isEdgeErrorCode } from '../error-catalog.js';

/**
 * Why the socket could not be used. No permission (EACCES/EPERM: the socket or its directory is
 * another user's) is not "not running": the agent may well run, and starting a second one is the
 * wrong fix, so the message names the user to run as.
 */
export function connectError(socketPath: string, err: NodeJS.ErrnoException): YiwangError {
  if (err.code !== 'EACCES' && err.code !== 'EPERM')
    return new YiwangError('EDGE_ERR_AGENT_NOT_RUNNING', `no agent answers on ${socketPath} (${err.message})`);
  const o = fileOwner(socketPath);
  const me = process.getuid?.();
  const self =
    me === undefined ? '' : `, this command runs as ${describeOwner({ path: '', uid: me, user: userName(me) })}`;
  if (!o)
    return new YiwangError(
      'EDGE_ERR_API_PERMISSION',
      `permission denied on ${socketPath} (${err.code})${self}; run it as the agent's user or as root`,
    );
  const what = o.path === resolvePath(socketPath) ? 'the socket' : `its directory ${o.path}`;
  const runAs =
    o.uid === 0
      ? 'run it as root (sudo yiwang-edge …)'
      : `run it as ${o.user ?? `uid ${o.uid}`} (sudo -u ${o.user ?? `'#${o.uid}'`} yiwang-edge …) or as root`;
  return new YiwangError(
    'EDGE_ERR_API_PERMISSION',
    `permission denied on ${socketPath} (${err.code}): ${what} belongs to ${describeOwner(o)}${self}; ${runAs}`,
  );
}

/**
 * One request; a 2xx JSON body resolves, an error body `{error: {code, message}}` rejects as that
 * coded error, no answer on the socket rejects as EDGE_ERR_AGENT_NOT_RUNNING, a socket this user
 * may not open as EDGE_ERR_API_PERMISSION.
 */
export function localApi<T>(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path,
        method,
        timeout: timeoutMs,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
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
          const code = isEdgeErrorCode(e?.code) ? e.code : 'EDGE_ERR_NOT_FOUND';
          reject(new YiwangError(code, e?.message ?? `${method} ${path}: HTTP ${status}`));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(connectError(socketPath, err)));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export function localApiGet<T>(socketPath: string, path: string, timeoutMs = 5000): Promise<T> {
  return localApi<T>(socketPath, 'GET', path, undefined, timeoutMs);
}
