/** The CLI's client of the agent's local API (HTTP over the Unix socket). */
import { request } from 'node:http';
import { YiwangError } from '../../common/errors.js';
import '../errors.js';

export function localApiGet<T>(socketPath: string, path: string, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => reject(new YiwangError('EDGE_ERR_AGENT_NOT_RUNNING', `no agent answers on ${socketPath} (${err.message})`)));
    req.end();
  });
}
