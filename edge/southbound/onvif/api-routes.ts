/**
 * Local API routes of the cameras adapter:
 *   GET    /v1/cameras                 status of every camera (no credentials), counts, live-view port;
 *                                       a kept camera whose credentials must be re-entered has state needs_credentials
 *   POST   /v1/cameras                 {address, username, password, id?, name?} — onboard by address
 *   DELETE /v1/cameras/{id}
 *   POST   /v1/cameras/discover        WS-Discovery probe {target?, windowMs?}
 *   GET    /v1/cameras/{id}/events     recent Events of the camera
 */
import { isYiwangError } from '../../../common/errors.js';
import type { CameraManager } from './camera-manager.js';
import { Secret } from './secret.js';

export type ApiRoute = (
  method: string,
  url: string,
  body: () => Promise<string>,
) => Promise<[number, unknown] | undefined>;

const STATUS: Record<string, number> = {
  CAMERA_ERR_NOT_FOUND: 404,
  CAMERA_ERR_BAD_ADDRESS: 400,
  CAMERA_ERR_CREDENTIALS_SEALED: 409,
  CAMERA_ERR_REGISTRY: 409,
};

export function cameraRoutes(m: CameraManager): ApiRoute {
  return async (method, url, body) => {
    if (!url.startsWith('/v1/cameras')) return undefined;
    const path = url.split('?')[0]!;
    try {
      if (method === 'GET' && path === '/v1/cameras')
        return [200, { cameras: m.list(), counts: m.counts(), livePort: m.livePort }];
      if (method === 'POST' && (path === '/v1/cameras' || path === '/v1/cameras/discover')) {
        let spec: Record<string, unknown>;
        try {
          spec = JSON.parse((await body()) || '{}') as Record<string, unknown>;
        } catch {
          return [400, { error: { code: 'CAMERA_ERR_BAD_ADDRESS', message: 'body is not JSON' } }];
        }
        const s = (k: string): string | undefined => (typeof spec[k] === 'string' ? (spec[k] as string) : undefined);
        if (path === '/v1/cameras/discover')
          return [
            200,
            { found: await m.discover(s('target'), typeof spec.windowMs === 'number' ? spec.windowMs : undefined) },
          ];
        if (!s('address')) return [400, { error: { code: 'CAMERA_ERR_BAD_ADDRESS', message: 'address is required' } }];
        return [
          201,
          await m.add(s('address')!, s('username') ?? '', new Secret(s('password') ?? ''), s('id'), s('name')),
        ];
      }
      const one = /^\/v1\/cameras\/([\w.:-]+)(\/events)?$/.exec(path);
      if (one && method === 'DELETE' && !one[2]) {
        await m.remove(one[1]!);
        return [200, { removed: one[1] }];
      }
      if (one && method === 'GET' && one[2]) {
        m.get(one[1]!);
        return [200, { events: m.events?.list({ deviceId: one[1]! }) ?? [] }];
      }
      if (one && method === 'GET') return [200, m.statusOf(one[1]!)];
    } catch (err) {
      if (isYiwangError(err)) return [STATUS[err.code] ?? 400, { error: err.toJSON() }];
      throw err;
    }
    return undefined;
  };
}
