/**
 * Local API routes of the technician's CLI (docs/reference/cli.md):
 *   GET    /v1/devices                 pre-registered + heard (kept across restarts) + LwM2M devices, one state each
 *   GET    /v1/devices/{id}            last seen, last readings, pending commands, profile, LwM2M registration
 *   POST   /v1/devices                 pre-register {id, kind?, profile?, address?, key?, tags?, pskIdentity?, pskKey?, bootstrapIdentity?, bootstrapKey?}
 *   POST   /v1/devices/keys            DTLS keys in bulk {rows: [{line, deviceId, identity, key}], kind?}
 *   DELETE /v1/devices/{id}
 *   GET    /v1/logs?after=&device=&level=&limit=&wait=ms   recent log lines (long poll with wait)
 *   POST   /v1/cameras/{id}/test       check one camera now, return its status
 *   GET    /v1/diag                    checks only the agent can make (database, uplink, round trip)
 *   GET    /v1/events?since=ms&limit=n&device=id   the local alarm history, newest first, and its figures
 */
import { isYiwangError, YiwangError } from '../../common/errors.js';
import type { LogRing } from '../log-ring.js';
import { LOG_LEVELS } from '../log-ring.js';
import { deviceDetail, deviceSummaries, type DeviceSources } from '../devices/view.js';
import type { DeviceSpec } from '../devices/registry.js';
import { PSK_CSV_MAX_ROWS, type PskCsvRow } from '../devices/psk-keys.js';
import type { EventHistoryStats, EventQuery, HistoryEvent } from '../store/event-history.js';
import { edgeHttpStatus } from '../error-catalog.js';
import { definedProps } from '../../common/defined.js';

export type ApiRoute = (
  method: string,
  url: string,
  body: () => Promise<string>,
) => Promise<[number, unknown] | undefined>;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  hint: string;
  skipped?: boolean;
}

export interface TechnicianDeps extends DeviceSources {
  logs: LogRing;
  /** Runs an immediate health check of a camera and returns its status (cameras adapter). */
  cameraTest?: (id: string) => Promise<unknown>;
  /** Checks of the agent's own state: database integrity, uplink, broker round trip. */
  diag: () => Promise<Check[]>;
  /** Heard devices kept, their cap, and how many were forgotten at the cap. */
  heard?: () => { held: number; cap: number; evicted: number };
  /** The local alarm history (edge/store/event-history.ts). */
  events?: (q: EventQuery) => { events: HistoryEvent[]; stats: EventHistoryStats };
}

/** A non-negative integer query parameter, or undefined when absent. */
function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new YiwangError(
      'EDGE_ERR_BAD_REQUEST',
      `${name} must be a non-negative integer, not ${JSON.stringify(v.slice(0, 40))}`,
    );
  return n;
}

export function technicianRoutes(d: TechnicianDeps): ApiRoute {
  return async (method, url, body) => {
    const [path, qs] = url.split('?') as [string, string | undefined];
    const q = new URLSearchParams(qs ?? '');
    try {
      if (path === '/v1/devices' && method === 'GET')
        return [200, { devices: deviceSummaries(d), ...(d.heard ? { heard: d.heard() } : {}) }];
      if (path === '/v1/devices' && method === 'POST') {
        let spec: DeviceSpec;
        try {
          spec = JSON.parse(await body()) as DeviceSpec;
        } catch {
          throw new YiwangError('EDGE_ERR_BAD_REQUEST', 'body is not JSON');
        }
        if (typeof spec !== 'object' || spec === null)
          throw new YiwangError('EDGE_ERR_BAD_REQUEST', 'body must be a JSON object');
        return [201, d.registry.add(spec)];
      }
      if (path === '/v1/devices/keys' && method === 'POST') {
        // DTLS keys in bulk (yiwang-edge devices import-keys): good rows in one transaction, bad ones by line
        let req: { rows?: unknown; kind?: unknown; keys?: unknown };
        try {
          req = JSON.parse(await body()) as typeof req;
        } catch {
          throw new YiwangError('EDGE_ERR_BAD_REQUEST', 'body is not JSON');
        }
        if (typeof req !== 'object' || req === null || !Array.isArray(req.rows))
          throw new YiwangError(
            'EDGE_ERR_BAD_REQUEST',
            'body must be {rows: [{line, deviceId, identity, key}], kind?, keys?: "device" | "bootstrap"}',
          );
        // the CLI splits files at PSK_CSV_MAX_ROWS; a caller of the API is held to the same bound
        if (req.rows.length > PSK_CSV_MAX_ROWS)
          throw new YiwangError(
            'EDGE_ERR_PSK_CSV',
            `${req.rows.length} rows in one request, at most ${PSK_CSV_MAX_ROWS}: split them`,
          );
        if (req.keys !== undefined && req.keys !== 'device' && req.keys !== 'bootstrap')
          throw new YiwangError('EDGE_ERR_BAD_REQUEST', 'keys must be "device" or "bootstrap"');
        return [
          200,
          d.registry.importPskKeys(
            req.rows as PskCsvRow[],
            typeof req.kind === 'string' ? req.kind : 'coap',
            Date.now(),
            req.keys ?? 'device',
          ),
        ];
      }
      const one = /^\/v1\/devices\/([^/]+)$/.exec(path);
      if (one) {
        const id = decodeURIComponent(one[1] as string);
        if (method === 'GET') {
          const det = deviceDetail(d, id);
          if (!det)
            throw new YiwangError(
              'EDGE_ERR_UNKNOWN_DEVICE',
              `no device ${id} (not pre-registered, never heard, no LwM2M registration)`,
            );
          return [200, det];
        }
        if (method === 'DELETE') {
          d.registry.remove(id);
          return [200, { removed: id }];
        }
      }
      if (path === '/v1/logs' && method === 'GET') {
        const after = Number(q.get('after') ?? 0) || 0;
        const wait = Math.min(Number(q.get('wait') ?? 0) || 0, 25_000);
        const level = q.get('level');
        if (level && LOG_LEVELS[level] === undefined)
          throw new YiwangError('EDGE_ERR_BAD_REQUEST', `level must be one of ${Object.keys(LOG_LEVELS).join(', ')}`);
        const query = definedProps({
          after,
          deviceId: q.get('device') ?? undefined,
          minLevel: level ? LOG_LEVELS[level] : 0,
          limit: q.get('limit') === null ? undefined : Math.max(0, Number(q.get('limit')) || 0),
        });
        let entries = d.logs.query(query);
        // Long poll: wait for lines after `after` (those of other devices wake us too, so loop).
        const deadline = Date.now() + wait;
        while (entries.length === 0 && Date.now() < deadline) {
          const seen = d.logs.lastSeq;
          await d.logs.waitAfter(seen, deadline - Date.now());
          entries = d.logs.query({ ...query, after: Math.max(after, 0) });
        }
        return [
          200,
          {
            entries: entries.map((e) => e.line),
            last: entries.length ? entries[entries.length - 1]!.seq : Math.max(after, d.logs.lastSeq),
          },
        ];
      }
      const cam = /^\/v1\/cameras\/([\w.:-]+)\/test$/.exec(path);
      if (cam && method === 'POST') {
        if (!d.cameraTest)
          throw new YiwangError('EDGE_ERR_NOT_FOUND', 'the cameras adapter is off (cameras.enabled = false)');
        return [200, await d.cameraTest(cam[1] as string)];
      }
      if (path === '/v1/diag' && method === 'GET') return [200, { checks: await d.diag() }];
      if (path === '/v1/events' && method === 'GET' && d.events) {
        const r = d.events(
          definedProps({
            sinceMs: intParam(q, 'since'),
            limit: intParam(q, 'limit') ?? 100,
            deviceId: q.get('device') ?? undefined,
          }),
        );
        return [200, { events: r.events, ...r.stats }];
      }
    } catch (err) {
      if (isYiwangError(err)) return [edgeHttpStatus(err.code, 400), { error: err.toJSON() }];
      throw err;
    }
    return undefined;
  };
}
