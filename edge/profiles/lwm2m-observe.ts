/**
 * The observations a profile's LwM2M binding asks for (`[transport.lwm2m] observe = [{ path, pmin,
 * pmax }]`), requested when a device with that profile registers: Write-Attributes (pmin/pmax) on
 * the path, then Observe, through the LwM2M server's downlink queue (so they wait for a queue-mode
 * device to wake, and survive restarts). Paths the server already observes (or will re-establish
 * after this Register), or with the same request still open, are skipped.
 */
import { isYiwangError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { LogLimiter } from '../../common/log-limiter.js';
import type { Profile } from './types.js';

/** What this needs of the LwM2M server (edge/southbound/lwm2m/server/server.ts). */
export interface ObserveServer {
  submit(
    endpoint: string,
    spec: unknown,
  ): Promise<{
    id: number;
    result: Promise<{ ok: boolean; coapCode?: string; error?: { code: string; message: string } }>;
  }>;
  requests(endpoint: string): { open: readonly { op: string; path: string }[] };
  readonly observations: { list(endpoint: string): readonly { key: string }[] };
}

/**
 * Bindings the LwM2M server refused to queue (a full queue or observation budget) or that failed
 * (devices that never answer): a registration flood makes thousands, so they are counted by code
 * and logged a few lines a minute per logger.
 */
const refusals = new WeakMap<Logger, LogLimiter>();
function refusalLog(log: Logger): LogLimiter {
  let l = refusals.get(log);
  if (!l) {
    l = new LogLimiter(log, { what: 'profile observe bindings not queued' });
    refusals.set(log, l);
  }
  return l;
}

/** Queues the binding's Write-Attributes and Observe requests for the device; resolves with the number of paths queued. */
export async function observeBindings(
  server: ObserveServer,
  endpoint: string,
  profile: Profile,
  log: Logger,
): Promise<number> {
  const bindings = profile.transport.lwm2m?.observe ?? [];
  if (bindings.length === 0) return 0;
  const observed = new Set(server.observations.list(endpoint).map((o) => o.key));
  const open = new Set(server.requests(endpoint).open.map((r) => `${r.op} ${r.path}`));
  let queued = 0;
  for (const b of bindings) {
    if (observed.has(b.path) || open.has(`observe ${b.path}`)) continue;
    const attributes = {
      ...(b.pmin !== undefined ? { pmin: b.pmin } : {}),
      ...(b.pmax !== undefined ? { pmax: b.pmax } : {}),
    };
    try {
      if (Object.keys(attributes).length > 0 && !open.has(`write-attributes ${b.path}`)) {
        const wa = await server.submit(endpoint, { op: 'write-attributes', path: b.path, attributes });
        void wa.result.then((r) => {
          if (!r.ok)
            refusalLog(log).log(
              'warn',
              r.error?.code ?? 'failed',
              {
                deviceId: endpoint,
                profile: profile.id,
                path: b.path,
                coapCode: r.coapCode,
                code: r.error?.code,
                err: r.error?.message,
              },
              'profile observe binding: write-attributes refused',
            );
        });
      }
      const ob = await server.submit(endpoint, { op: 'observe', path: b.path });
      queued++;
      void ob.result.then((r) => {
        if (r.ok)
          log.info(
            { deviceId: endpoint, profile: profile.id, path: b.path, ...attributes },
            'profile observe binding established',
          );
        else
          refusalLog(log).log(
            'warn',
            r.error?.code ?? 'failed',
            {
              deviceId: endpoint,
              profile: profile.id,
              path: b.path,
              coapCode: r.coapCode,
              code: r.error?.code,
              err: r.error?.message,
            },
            'profile observe binding refused',
          );
      });
    } catch (e) {
      if (!isYiwangError(e)) throw e;
      refusalLog(log).log(
        'warn',
        e.code,
        { deviceId: endpoint, profile: profile.id, path: b.path, code: e.code, err: e.message },
        'profile observe binding not queued',
      );
    }
  }
  return queued;
}
