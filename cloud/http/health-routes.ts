/**
 * Fleet-health routes of the REST API (docs/reference/http-api.md): summary, gateways table and
 * drill-down, gateway tags, device registry and listing, events and alarms with acknowledge.
 */
import { actorOf } from './access.js';
import { placeInScope } from '../auth/scope.js';
import { YiwangError } from '../../common/errors.js';
import { definedProps } from '../../common/defined.js';
import { GATEWAY_ID_RE } from '../../proto/topics.js';
import type { CloudStore } from '../store/cloud-store.js';
import type { HealthService } from '../health/health-service.js';
import { SORT_KEYS, TABLE_STATUSES } from '../health/gateway-table.js';
import type { DeviceRegistration, GatewayTags } from '../health/types.js';
import { boolParam, choiceParam, decodeId, intParam, readJson, strParam, type Route } from './http-util.js';
import type {
  AlarmsResponse,
  DevicesResponse,
  EventRecord,
  EventsResponse,
  GatewayDetail,
  GatewayPage,
  SummaryResponse,
} from './api-types.js';

const bad = (msg: string): never => {
  throw new YiwangError('CLOUD_ERR_BAD_REQUEST', msg);
};
const TAG_RE = /^[^\u0000-\u001f]{0,64}$/;
const TAG_KEYS = ['district', 'site', 'group'] as const;
const MAX_REGISTER = 10_000;

/**
 * The tags a body sets: with `all` (PUT) every one must be there; otherwise (PATCH) only those
 * present change, and `null` or '' clears one. Nothing else may be in the body.
 */
function tagsOf(b: Record<string, unknown>, all: boolean): Partial<GatewayTags> {
  const unknown = Object.keys(b).filter((k) => !(TAG_KEYS as readonly string[]).includes(k));
  if (unknown.length)
    bad(`unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')}: the tags are district, site and group`);
  const missing = TAG_KEYS.filter((k) => b[k] === undefined);
  if (all && missing.length)
    bad(
      `PUT replaces all tags: give ${missing.join(', ')} too (PATCH changes only the tags given; '' or null clears one)`,
    );
  if (!all && missing.length === TAG_KEYS.length) bad('give at least one of district, site, group');
  const out: Partial<GatewayTags> = {};
  for (const k of TAG_KEYS) {
    const v = b[k] === null ? '' : b[k];
    if (v === undefined) continue;
    out[k] = typeof v === 'string' && TAG_RE.test(v) ? v : bad(`${k} must be a string of at most 64 characters`);
  }
  return out;
}

function registration(x: unknown, i: number): DeviceRegistration {
  const o = (typeof x === 'object' && x !== null ? x : bad(`devices[${i}] must be an object`)) as Record<
    string,
    unknown
  >;
  const str = (k: string): string =>
    typeof o[k] === 'string' ? (o[k] as string) : bad(`devices[${i}].${k} must be a string`);
  const id = str('id');
  if (!id || id.length > 256) bad(`devices[${i}].id must be 1..256 characters`);
  const gatewayId = str('gatewayId');
  if (!GATEWAY_ID_RE.test(gatewayId)) bad(`devices[${i}].gatewayId is not a gateway id`);
  // type and intervalS left out keep what the registry has ('' and 0 set them explicitly)
  const intervalS = o.intervalS;
  if (intervalS !== undefined && (typeof intervalS !== 'number' || !Number.isInteger(intervalS) || intervalS < 0))
    bad(`devices[${i}].intervalS must be a whole number of seconds (0 = default)`);
  return {
    id,
    gatewayId,
    ...(o.type !== undefined ? { type: str('type') } : {}),
    ...(intervalS !== undefined ? { intervalS: intervalS as number } : {}),
  };
}

/**
 * `onGroup`: called when a tag change names a group; the group tag is the gateway's configuration
 * group (the server moves its identity and issues that group's configuration).
 */
export function healthRoutes(
  store: CloudStore,
  health: HealthService,
  onGroup?: (id: string, group: string) => Promise<void>,
): Route[] {
  const notFound = (what: string): never => {
    throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no ${what}`);
  };
  return [
    [
      'GET',
      /^\/api\/v1\/health\/summary$/,
      async (_m, u) => {
        const t0 = performance.now();
        const s = await health.summary(boolParam(u, 'sites') ?? false);
        return [200, { ...s, tookMs: Math.round((performance.now() - t0) * 1000) / 1000 } satisfies SummaryResponse];
      },
    ],
    [
      'GET',
      /^\/api\/v1\/health\/gateways$/,
      async (_m, u) => [
        200,
        health.table(
          definedProps({
            status: choiceParam(u, 'status', TABLE_STATUSES),
            reason: strParam(u, 'reason'),
            q: strParam(u, 'q'),
            district: strParam(u, 'district'),
            site: strParam(u, 'site'),
            group: strParam(u, 'group'),
            sort: choiceParam(u, 'sort', SORT_KEYS),
            desc: choiceParam(u, 'order', ['asc', 'desc'] as const) === 'desc',
            offset: intParam(u, 'offset'),
            limit: intParam(u, 'limit'),
          }),
          await store.revokedGateways(),
        ) satisfies GatewayPage,
      ],
    ],
    [
      'GET',
      /^\/api\/v1\/health\/gateways\/([^/]+)$/,
      async (m, u) => {
        const id = decodeId(m[1]);
        const gateway = (await store.getGateway(id)) ?? notFound(`gateway ${id}`);
        const known = health.gateway(id) ?? (await store.getGatewayHealth(id));
        // a revoked gateway shows as such, not as the offline its refused connects leave it
        const status =
          known && gateway.revokedMs !== null
            ? { ...known, status: 'revoked' as const, revokedMs: gateway.revokedMs }
            : known;
        const hours = intParam(u, 'hours') ?? 6;
        const [counters, events, backlog] = await Promise.all([
          store.counters('gateway', id),
          store.listEvents({ gatewayId: id, limit: 20 }),
          store.backlogHistory(id, Date.now() - hours * 3_600_000),
        ]);
        const c = Object.fromEntries(counters.map((r) => [r.metric, r.value]));
        return [
          200,
          {
            gateway,
            ...(status !== undefined ? { status } : {}),
            events,
            backlog,
            devices: { total: c.devices_total ?? 0, online: c.devices_online ?? 0 },
            alarms: { open: c.alarms_open ?? 0 },
          } satisfies GatewayDetail,
        ];
      },
    ],
    // PUT replaces all three tags (each must be given), PATCH changes those given: a tag is never blanked by leaving it out
    ...(['PUT', 'PATCH'] as const).map(
      (method): Route => [
        method,
        /^\/api\/v1\/gateways\/([^/]+)\/tags$/,
        async (m, _u, req) => {
          const id = decodeId(m[1]);
          const tags = tagsOf(await readJson(req), method === 'PUT');
          const after = await health.setTags(id, tags);
          if (tags.group !== undefined) await onGroup?.(id, tags.group);
          return [200, { id, ...after }];
        },
      ],
    ),
    [
      'GET',
      /^\/api\/v1\/devices$/,
      async (_m, u) => {
        const limit = intParam(u, 'limit') ?? 1000;
        if (limit < 1 || limit > 100_000) bad('limit must be 1..100000');
        const devices = await store.queryDevices(
          definedProps({
            gatewayId: strParam(u, 'gateway'),
            online: boolParam(u, 'online'),
            type: strParam(u, 'type'),
            afterId: strParam(u, 'after'),
            limit,
          }),
        );
        return [
          200,
          {
            devices,
            next: devices.length === limit ? devices[devices.length - 1]!.id : null,
          } satisfies DevicesResponse,
        ];
      },
    ],
    [
      'PUT',
      /^\/api\/v1\/devices$/,
      async (_m, _u, req) => {
        const b = await readJson(req, 8 * 1024 * 1024);
        if (!Array.isArray(b.devices) || b.devices.length > MAX_REGISTER)
          bad(`devices must be an array of at most ${MAX_REGISTER}`);
        const list = (b.devices as unknown[]).map(registration);
        await store.registerDevices(list, Date.now());
        return [200, { registered: list.length }];
      },
    ],
    // device ownership (issue 16): only an operator moves a device to another gateway (POST needs the admin scope)
    [
      'POST',
      /^\/api\/v1\/devices\/([^/]+)\/move$/,
      async (m, _u, req) => {
        const b = await readJson(req);
        if (typeof b.gateway !== 'string' || !GATEWAY_ID_RE.test(b.gateway)) bad('gateway must be a gateway id');
        // the device's own gateway was checked against the caller's scope before; the new one is checked here
        if (!placeInScope(actorOf(req).scope, health.gateway(b.gateway as string)?.tags))
          throw new YiwangError('CLOUD_ERR_FORBIDDEN', `gateway ${b.gateway as string} is outside your scope`);
        return [200, await store.moveDevice(decodeId(m[1]), b.gateway as string)];
      },
    ],
    [
      'GET',
      /^\/api\/v1\/gateways\/([^/]+)\/quarantine$/,
      async (m, u) => {
        const id = decodeId(m[1]);
        if (!(await store.getGateway(id))) notFound(`gateway ${id}`);
        return [200, { gatewayId: id, ...(await store.quarantine(id, intParam(u, 'limit') ?? 100)) }];
      },
    ],
    [
      'GET',
      /^\/api\/v1\/events$/,
      async (_m, u) => [
        200,
        {
          events: await store.listEvents(
            definedProps({
              gatewayId: strParam(u, 'gateway'),
              deviceId: strParam(u, 'device'),
              type: strParam(u, 'type'),
              sinceMs: intParam(u, 'since'),
              alarmsOnly: boolParam(u, 'alarms'),
              open: boolParam(u, 'open'),
              beforeId: intParam(u, 'before'),
              afterId: intParam(u, 'after'),
              limit: intParam(u, 'limit'),
            }),
          ),
        } satisfies EventsResponse,
      ],
    ],
    [
      'GET',
      /^\/api\/v1\/alarms$/,
      async (_m, u) => {
        const all = boolParam(u, 'all') ?? false;
        const [alarms, fleet] = await Promise.all([
          store.listEvents(
            definedProps({
              gatewayId: strParam(u, 'gateway'),
              alarmsOnly: true,
              open: !all,
              beforeId: intParam(u, 'before'),
              limit: intParam(u, 'limit'),
            }),
          ),
          store.counters('fleet', ''),
        ]);
        return [
          200,
          { open: fleet.find((r) => r.metric === 'alarms_open')?.value ?? 0, alarms } satisfies AlarmsResponse,
        ];
      },
    ],
    [
      'POST',
      /^\/api\/v1\/alarms\/(\d+)\/ack$/,
      async (m, _u, req) => {
        const b = await readJson(req);
        // a signed-in account acknowledges in its own name; keys and the bootstrap credential as the body says
        const actor = actorOf(req);
        const by = actor.kind === 'user' ? actor.id : typeof b.by === 'string' && b.by ? b.by.slice(0, 64) : 'operator';
        const e = (await store.ackEvent(Number(m[1]), by, Date.now())) ?? notFound(`event ${m[1]}`);
        if (!e.alarm)
          throw new YiwangError('CLOUD_ERR_CONFLICT', `event ${e.id} is not an alarm (severity info or a clear)`);
        return [200, e satisfies EventRecord];
      },
    ],
  ];
}
