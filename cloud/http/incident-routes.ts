/**
 * Incident and dispatch routes of the REST API (docs/reference/http-api.md, "Incidents"):
 * departments and routing rules (permission incident.configure, whole-city accounts only),
 * incidents listed, read, opened from an alarm by hand, acknowledged, assigned, annotated,
 * resolved and closed (incident.handle; an account scoped to districts or groups sees and handles
 * only the incidents of its places). Every write is audited (cloud/audit/audit-actions.ts).
 */
import type { IncomingMessage } from 'node:http';
import { YiwangError } from '../../common/errors.js';
import { definedProps } from '../../common/defined.js';
import { isWholeCity, placeInScope } from '../auth/scope.js';
import type { DispatchConfig } from '../incidents/dispatch-config.js';
import type { IncidentService } from '../incidents/incident-service.js';
import { type Incident, INCIDENT_LIMITS, INCIDENT_STATES } from '../incidents/types.js';
import type { HealthStore } from '../store/health-store.js';
import { actorOf } from './access.js';
import { boolParam, choiceParam, decodeId, intParam, readJson, strParam, type Route } from './http-util.js';

const bad = (msg: string): never => {
  throw new YiwangError('CLOUD_ERR_BAD_REQUEST', msg);
};
const TEXT_RE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$/;

function text(b: Record<string, unknown>, k: string, max: number, required: boolean): string | undefined {
  const v = b[k];
  if (v === undefined || v === null) return required ? bad(`${k} is required`) : undefined;
  if (typeof v !== 'string' || v.length > max || !TEXT_RE.test(v))
    bad(`${k} must be a string of at most ${max} characters`);
  return v as string;
}

function optInt(b: Record<string, unknown>, k: string, lo: number, hi: number): number | undefined {
  const v = b[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    bad(`${k} must be a whole number ${lo}..${hi}`);
  return v as number;
}

/** Who the request acts as, for notes and the incident's fields. */
export function actorName(req: IncomingMessage): string {
  const a = actorOf(req);
  return (a.name || a.id || a.kind).slice(0, 64);
}

const cityWide = (req: IncomingMessage): void => {
  if (!isWholeCity(actorOf(req).scope))
    throw new YiwangError(
      'CLOUD_ERR_FORBIDDEN',
      'departments and routing rules concern the whole city: an account scoped to some districts or groups cannot change them',
    );
};

const inScope = (req: IncomingMessage, i: Incident): boolean =>
  placeInScope(actorOf(req).scope, { district: i.district, group: i.group });

const idOf = (s: string | undefined): number => {
  const n = Number(s);
  return Number.isSafeInteger(n) && n > 0 ? n : bad(`incident id ${s} is not a number`);
};

export function incidentRoutes(
  service: IncidentService,
  config: DispatchConfig,
  events: Pick<HealthStore, 'getEvent'>,
): Route[] {
  /**
   * The incident when the actor may see it: for an account scoped to districts or groups, one
   * outside them — or none at all (no probing) — is 403, as gateways are (cloud/auth/scope.ts).
   */
  const visible = async (req: IncomingMessage, id: number): Promise<Incident> => {
    const scoped = !isWholeCity(actorOf(req).scope);
    const inc = await service.get(id).catch((err: unknown) => {
      if (scoped && (err as YiwangError).code === 'CLOUD_ERR_NOT_FOUND') return undefined;
      throw err;
    });
    if (!inc || !inScope(req, inc))
      throw new YiwangError(
        'CLOUD_ERR_FORBIDDEN',
        `incident ${id} is outside your scope (districts and groups of your account)`,
      );
    return inc;
  };
  const act =
    (fn: (id: number, by: string, b: Record<string, unknown>) => Promise<Incident>) =>
    async (m: RegExpMatchArray, _u: URL, req: IncomingMessage): Promise<[number, unknown]> => {
      const id = idOf(m[1]);
      const b = await readJson(req);
      await visible(req, id);
      return [200, await fn(id, actorName(req), b)];
    };
  return [
    ['GET', /^\/api\/v1\/departments$/, async () => [200, { departments: await config.departments() }]],
    [
      'POST',
      /^\/api\/v1\/departments$/,
      async (_m, _u, req) => {
        cityWide(req);
        return [201, await config.createDepartment(await readJson(req, 16_384, { secret: true }))];
      },
    ],
    ['GET', /^\/api\/v1\/departments\/([^/]+)$/, async (m) => [200, await config.department(decodeId(m[1]))]],
    [
      'PATCH',
      /^\/api\/v1\/departments\/([^/]+)$/,
      async (m, _u, req) => {
        cityWide(req);
        return [200, await config.updateDepartment(decodeId(m[1]), await readJson(req, 16_384, { secret: true }))];
      },
    ],
    [
      'DELETE',
      /^\/api\/v1\/departments\/([^/]+)$/,
      async (m, _u, req) => {
        cityWide(req);
        return [200, await config.deleteDepartment(decodeId(m[1]))];
      },
    ],
    ['GET', /^\/api\/v1\/incident-rules$/, async () => [200, { rules: await config.rules() }]],
    [
      'POST',
      /^\/api\/v1\/incident-rules$/,
      async (_m, _u, req) => {
        cityWide(req);
        return [201, await config.createRule(await readJson(req))];
      },
    ],
    ['GET', /^\/api\/v1\/incident-rules\/([^/]+)$/, async (m) => [200, await config.rule(decodeId(m[1]))]],
    [
      'PATCH',
      /^\/api\/v1\/incident-rules\/([^/]+)$/,
      async (m, _u, req) => {
        cityWide(req);
        return [200, await config.updateRule(decodeId(m[1]), await readJson(req))];
      },
    ],
    [
      'DELETE',
      /^\/api\/v1\/incident-rules\/([^/]+)$/,
      async (m, _u, req) => {
        cityWide(req);
        return [200, await config.deleteRule(decodeId(m[1]))];
      },
    ],
    [
      'GET',
      /^\/api\/v1\/incidents$/,
      async (_m, u, req) => {
        const limit = intParam(u, 'limit') ?? 100;
        if (limit < 1 || limit > 1000) bad('limit must be 1..1000');
        const priority = intParam(u, 'priority');
        if (priority !== undefined && (priority < 1 || priority > 5)) bad('priority must be 1..5');
        const page = await service.list(
          definedProps({
            state: choiceParam(u, 'state', INCIDENT_STATES),
            active: boolParam(u, 'active'),
            departmentId: strParam(u, 'department'),
            district: strParam(u, 'district'),
            assignee: strParam(u, 'assignee'),
            priority,
            beforeId: intParam(u, 'before'),
            limit,
          }),
        );
        // a scoped account pages through its own places only (a short page may still have a next)
        const incidents = page.filter((i) => inScope(req, i));
        const counts = await service.counts((p) => placeInScope(actorOf(req).scope, p));
        return [200, { incidents, next: page.length === limit ? page[page.length - 1]!.id : null, counts }];
      },
    ],
    [
      'POST',
      /^\/api\/v1\/incidents$/,
      async (_m, _u, req) => {
        const b = await readJson(req);
        const alarmId = optInt(b, 'alarmId', 1, Number.MAX_SAFE_INTEGER) ?? bad('alarmId is required');
        const e = await events.getEvent(alarmId);
        if (!e) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no alarm ${alarmId}`);
        const inc = await service.openByHand(
          e,
          actorName(req),
          definedProps({
            departmentId: text(b, 'departmentId', 64, false),
            title: text(b, 'title', 200, false),
            priority: optInt(b, 'priority', 1, 5),
            slaMinutes: optInt(b, 'slaMinutes', 1, 43_200),
          }),
        );
        return [201, inc];
      },
    ],
    [
      'GET',
      /^\/api\/v1\/incidents\/(\d+)$/,
      async (m, _u, req) => {
        const id = idOf(m[1]);
        await visible(req, id);
        return [200, await service.detail(id)];
      },
    ],
    ['POST', /^\/api\/v1\/incidents\/(\d+)\/ack$/, act((id, by) => service.ack(id, by))],
    [
      'POST',
      /^\/api\/v1\/incidents\/(\d+)\/assign$/,
      act((id, by, b) =>
        service.assign(
          id,
          by,
          definedProps({ assignee: text(b, 'assignee', 64, false), departmentId: text(b, 'departmentId', 64, false) }),
        ),
      ),
    ],
    [
      'POST',
      /^\/api\/v1\/incidents\/(\d+)\/notes$/,
      act((id, by, b) => {
        const t = text(b, 'text', INCIDENT_LIMITS.noteChars, true)!;
        if (!t.trim()) bad('text must not be empty');
        return service.note(id, by, t);
      }),
    ],
    [
      'POST',
      /^\/api\/v1\/incidents\/(\d+)\/resolve$/,
      act((id, by, b) => service.resolve(id, by, text(b, 'resolution', INCIDENT_LIMITS.resolutionChars, true)!)),
    ],
    [
      'POST',
      /^\/api\/v1\/incidents\/(\d+)\/close$/,
      act((id, by, b) => service.close(id, by, text(b, 'resolution', INCIDENT_LIMITS.resolutionChars, false))),
    ],
  ];
}
