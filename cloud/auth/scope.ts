/**
 * Scopes by district and gateway group (issue 22): an account limited to some districts and/or
 * groups sees and acts only on gateways there (a gateway's place is its tags, PUT
 * /api/v1/gateways/{id}/tags). Empty lists are the whole city. A gateway is in scope when its
 * district is listed (or no district is) and its group is listed (or no group is).
 *
 * Enforced in one place, the API's access step (cloud/http/api.ts → access.ts):
 *  - before the route: a request naming a gateway, a device (its gateway), an alarm (its
 *    gateway) or a configuration group outside the scope is refused 403 (an unknown one too: a
 *    scoped account cannot probe what exists elsewhere); city-wide writes (fleet configuration,
 *    rollouts, new gateways, claims, bulk device registration) and the live stream are refused to
 *    scoped accounts;
 *  - after the route: lists (gateways, the health table, devices, events, alarms, the summary's
 *    rows by district / group / site) keep only what is in scope.
 */
import { YiwangError } from '../../common/errors.js';

export interface Scope {
  districts: readonly string[];
  groups: readonly string[];
}

export const WHOLE_CITY: Scope = Object.freeze({ districts: [], groups: [] });

export const isWholeCity = (s: Scope): boolean => s.districts.length === 0 && s.groups.length === 0;

export interface GatewayPlace {
  district: string;
  group: string;
}

export function placeInScope(s: Scope, p: GatewayPlace | undefined): boolean {
  if (isWholeCity(s)) return true;
  if (!p) return false;
  return (
    (s.districts.length === 0 || s.districts.includes(p.district)) &&
    (s.groups.length === 0 || s.groups.includes(p.group))
  );
}

/** What the scope check looks up. */
export interface ScopeLookups {
  /** The gateway's tags; undefined for a gateway never heard of. */
  gatewayPlace(id: string): GatewayPlace | undefined;
  deviceGateway(id: string): Promise<string | undefined>;
  eventGateway(id: number): Promise<string | undefined>;
}

const CITY_WIDE: readonly RegExp[] = [
  /^POST \/api\/v1\/gateways$/,
  /^PUT \/api\/v1\/config\/fleet$/,
  /^POST \/api\/v1\/rollouts(\/[^/]+\/abort)?$/,
  /^(GET|POST) \/api\/v1\/claims$/,
  /^DELETE \/api\/v1\/claims\/[^/]+$/,
  /^PUT \/api\/v1\/devices$/,
  /^GET \/api\/v1\/live$/,
];
const GATEWAY_PARAM =
  /^\/api\/v1\/(?:gateways|config\/gateways|config\/status|health\/gateways)\/([^/]+)(?:\/(?:revoke|tags|quarantine))?$/;
const DEVICE_PARAM = /^\/api\/v1\/devices\/([^/]+)(?:\/(?:readings|move))?$/;
const ALARM_PARAM = /^\/api\/v1\/alarms\/(\d+)\/ack$/;
const GROUP_PARAM = /^\/api\/v1\/config\/groups\/([^/]+)$/;

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const outside = (what: string): YiwangError =>
  new YiwangError('CLOUD_ERR_FORBIDDEN', `${what} is outside your scope (districts and groups of your account)`);

/** Why a scoped actor may not make this request (before the route runs), or undefined. */
export async function scopeRefusal(
  s: Scope,
  method: string,
  pathname: string,
  look: ScopeLookups,
): Promise<YiwangError | undefined> {
  if (isWholeCity(s)) return undefined;
  const key = `${method === 'HEAD' ? 'GET' : method} ${pathname}`;
  if (CITY_WIDE.some((re) => re.test(key)))
    return new YiwangError(
      'CLOUD_ERR_FORBIDDEN',
      `${method} ${pathname} concerns the whole city: an account scoped to some districts or groups cannot use it`,
    );
  let m = GATEWAY_PARAM.exec(pathname);
  if (m) {
    const id = decode(m[1]!);
    return placeInScope(s, look.gatewayPlace(id)) ? undefined : outside(`gateway ${id}`);
  }
  m = DEVICE_PARAM.exec(pathname);
  if (m) {
    const id = decode(m[1]!);
    const gw = await look.deviceGateway(id);
    return gw !== undefined && placeInScope(s, look.gatewayPlace(gw)) ? undefined : outside(`device ${id}`);
  }
  m = ALARM_PARAM.exec(pathname);
  if (m) {
    const gw = await look.eventGateway(Number(m[1]));
    return gw !== undefined && placeInScope(s, look.gatewayPlace(gw)) ? undefined : outside(`alarm ${m[1]}`);
  }
  m = GROUP_PARAM.exec(pathname);
  if (m) {
    const g = decode(m[1]!);
    // a group's configuration reaches every district the group spans: only a group-scoped account
    return s.groups.includes(g) && s.districts.length === 0 ? undefined : outside(`configuration group ${g}`);
  }
  return undefined;
}

type Json = Record<string, unknown>;
const keep = (arr: unknown, pred: (x: Json) => boolean): unknown =>
  Array.isArray(arr) ? arr.filter((x) => x !== null && typeof x === 'object' && pred(x as Json)) : arr;

/** The answer to a GET as a scoped actor may see it (lists filtered to its scope). */
export function scopeFilter(s: Scope, method: string, pathname: string, body: unknown, look: ScopeLookups): unknown {
  if (isWholeCity(s) || method !== 'GET' || body === null || typeof body !== 'object') return body;
  const b = { ...(body as Json) };
  const byGateway = (field: string) => (x: Json) =>
    typeof x[field] === 'string' && placeInScope(s, look.gatewayPlace(x[field] as string));
  switch (pathname) {
    case '/api/v1/gateways':
      b.gateways = keep(b.gateways, byGateway('id'));
      break;
    case '/api/v1/health/gateways': {
      const items = keep(b.items, (x) =>
        placeInScope(s, { district: String(x.district ?? ''), group: String(x.group ?? '') }),
      ) as unknown[];
      b.items = items;
      b.total = items.length;
      b.scoped = true;
      break;
    }
    case '/api/v1/devices':
      b.devices = keep(b.devices, byGateway('gatewayId'));
      break;
    case '/api/v1/events':
      b.events = keep(b.events, byGateway('gatewayId'));
      break;
    case '/api/v1/alarms':
      b.alarms = keep(b.alarms, byGateway('gatewayId'));
      if (Array.isArray(b.alarms)) b.open = (b.alarms as Json[]).filter((a) => a.ackedMs == null).length;
      break;
    case '/api/v1/health/summary':
      b.byDistrict = keep(b.byDistrict, (x) => s.districts.length === 0 || s.districts.includes(String(x.key)));
      b.byGroup = keep(b.byGroup, (x) => s.groups.length === 0 || s.groups.includes(String(x.key)));
      if (b.bySite !== undefined) b.bySite = [];
      b.byType = [];
      b.scoped = true;
      break;
    default:
      return body;
  }
  return b;
}
