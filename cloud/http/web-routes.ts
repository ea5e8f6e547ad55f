/**
 * Routes that write their own response: the dashboard's files (cloud/web, its compiled script
 * in dist/web, uPlot from node_modules), live updates (SSE) and Prometheus /metrics.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../../common/paths.js';
import { YiwangError } from '../../common/errors.js';
import type { CloudMetrics } from '../health/metrics.js';
import type { LiveHub } from './live.js';
import type { SessionRecord } from '../store/user-store.js';
import { actorOf } from './access.js';
import type { RawRoute } from './http-util.js';

const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));

/** Dashboard files: name → [file, content type]. */
const FILES: Record<string, [string, string]> = {
  '': [join(REPO_ROOT, 'cloud', 'web', 'index.html'), 'text/html; charset=utf-8'],
  'style.css': [join(REPO_ROOT, 'cloud', 'web', 'style.css'), 'text/css; charset=utf-8'],
  'app.js': [join(REPO_ROOT, 'dist', 'web', 'app.js'), 'text/javascript; charset=utf-8'],
  'api.js': [join(REPO_ROOT, 'dist', 'web', 'api.js'), 'text/javascript; charset=utf-8'],
  'views.js': [join(REPO_ROOT, 'dist', 'web', 'views.js'), 'text/javascript; charset=utf-8'],
  'format.js': [join(REPO_ROOT, 'dist', 'web', 'format.js'), 'text/javascript; charset=utf-8'],
  'vendor/uPlot.iife.min.js': [join(UPLOT_DIR, 'uPlot.iife.min.js'), 'text/javascript; charset=utf-8'],
  'vendor/uPlot.min.css': [join(UPLOT_DIR, 'uPlot.min.css'), 'text/css; charset=utf-8'],
};

/** How often a live stream of a sign-in session checks that the session still holds. */
export const LIVE_SESSION_CHECK_MS = 10_000;

export function webRoutes(
  metrics: CloudMetrics,
  live: LiveHub,
  stillSignedIn?: (s: SessionRecord) => Promise<boolean>,
): RawRoute[] {
  return [
    [
      'GET',
      /^\/$/,
      async (_m, _u, _req, res) => {
        res.writeHead(302, { location: '/ui/' });
        res.end();
      },
    ],
    [
      'GET',
      /^\/ui\/(.*)$/,
      async (m, _u, _req, res) => {
        const f = FILES[m[1]!]; // (.*) always participates
        if (!f) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no file /ui/${m[1]}`);
        let body: Buffer;
        try {
          body = await readFile(f[0]);
        } catch {
          throw new YiwangError('CLOUD_ERR_NOT_FOUND', `/ui/${m[1]} is not built (run npm run build)`);
        }
        res.writeHead(200, { 'content-type': f[1], 'cache-control': 'no-cache' });
        res.end(body);
      },
    ],
    [
      'GET',
      /^\/api\/v1\/live$/,
      async (_m, _u, req, res) => {
        live.attach(req, res);
        // a stream of a sign-in session ends with the session (sign-out, timeout, ended by an administrator)
        const s = actorOf(req).signedIn?.session;
        if (!s || !stillSignedIn) return;
        const timer = setInterval(() => {
          void stillSignedIn(s).then(
            (ok) => {
              if (!ok) res.end();
            },
            () => undefined,
          );
        }, LIVE_SESSION_CHECK_MS);
        timer.unref();
        res.on('close', () => clearInterval(timer));
      },
    ],
    [
      'GET',
      /^\/metrics$/,
      async (_m, _u, _req, res) => {
        const text = await metrics.render();
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(text);
      },
    ],
  ];
}
