/** API routes of provisioning, operator keys, desired configuration and rollouts (docs/reference/http-api.md). */
import { createHash, randomBytes } from 'node:crypto';
import { YiwangError } from '../../common/errors.js';
import { definedProps } from '../../common/defined.js';
import type { ProvisioningService } from '../provisioning/service.js';
import type { HealthService } from '../health/health-service.js';
import type { DesiredConfigService } from '../rollout/desired.js';
import type { RolloutService } from '../rollout/rollout.js';
import type { ApiScope, ControlPlaneStore, LayerScope } from '../store/control-plane-store.js';
import { roleOfScope, roleWithin } from '../auth/roles.js';
import { actorOf, may } from './access.js';
import { rolloutView } from '../rollout/view.js';
import { boolParam, decodeId, intParam, readJson, type Route } from './http-util.js';

const bad = (m: string): never => {
  throw new YiwangError('CLOUD_ERR_BAD_REQUEST', m);
};
const optStr = (b: Record<string, unknown>, k: string): string | undefined =>
  b[k] === undefined ? undefined : typeof b[k] === 'string' ? (b[k] as string) : bad(`${k} must be a string`);
const optNum = (b: Record<string, unknown>, k: string): number | undefined =>
  b[k] === undefined ? undefined : typeof b[k] === 'number' ? (b[k] as number) : bad(`${k} must be a number`);

export function controlPlaneRoutes(
  p: ProvisioningService,
  desired: DesiredConfigService,
  rollouts: RolloutService,
  controlPlane: ControlPlaneStore,
  health: HealthService,
): Route[] {
  const layerRoute = (scope: LayerScope): Route[1] =>
    scope === 'fleet' ? /^\/api\/v1\/config\/fleet$/ : new RegExp(`^/api/v1/config/${scope}s/([^/]+)$`);
  const layerRoutes = (['fleet', 'group', 'gateway'] as const).flatMap((scope): Route[] => [
    [
      'PUT',
      layerRoute(scope),
      async (m, _u, req) => {
        const b = await readJson(req, 1_048_576);
        const toml = optStr(b, 'toml') ?? bad('toml (the layer as TOML text) is required');
        const key = scope === 'fleet' ? '' : decodeId(m[1]!);
        if (b.dryRun !== undefined && typeof b.dryRun !== 'boolean') bad('dryRun must be true or false');
        if (b.dryRun === true)
          return [200, await desired.previewLayer(scope, key, toml, b.activate !== false, optNum(b, 'base'))];
        return [200, await desired.setLayer(scope, key, toml, b.activate !== false)];
      },
    ],
    [
      'GET',
      layerRoute(scope),
      async (m, u) => {
        const key = scope === 'fleet' ? '' : decodeId(m[1]!);
        const layer = await controlPlane.getLayer(scope, key, intParam(u, 'revision'));
        if (!layer) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no ${scope} layer${key ? ` ${key}` : ''}`);
        return [
          200,
          { ...layer, ...(scope === 'group' ? { activeRevision: await controlPlane.activeGroupRevision(key) } : {}) },
        ];
      },
    ],
  ]);
  return [
    [
      'POST',
      /^\/api\/v1\/claims$/,
      async (_m, _u, req) => {
        const b = await readJson(req);
        return [
          201,
          await p.createClaim(
            definedProps({
              group: optStr(b, 'group'),
              site: optStr(b, 'site'),
              district: optStr(b, 'district'),
              ttlS: optNum(b, 'ttlS'),
              uses: optNum(b, 'uses'),
              note: optStr(b, 'note'),
            }),
          ),
        ];
      },
    ],
    ['GET', /^\/api\/v1\/claims$/, async () => [200, { claims: await controlPlane.listClaims() }]],
    [
      'DELETE',
      /^\/api\/v1\/claims\/([^/]+)$/,
      async (m) => {
        await p.revokeClaim(decodeId(m[1]!));
        return [200, { id: decodeId(m[1]!), revoked: true }];
      },
    ],
    [
      'POST',
      /^\/api\/v1\/gateways\/([^/]+)\/revoke$/,
      async (m) => [200, { id: decodeId(m[1]!), revoked: true, ...(await p.revokeGateway(decodeId(m[1]!))) }],
    ],
    // removal: a revoked gateway (?revoke=true revokes it first); one with devices only with ?devices=true
    [
      'DELETE',
      /^\/api\/v1\/gateways\/([^/]+)$/,
      async (m, u) => {
        const id = decodeId(m[1]!);
        const o = { revoke: boolParam(u, 'revoke') ?? false, withDevices: boolParam(u, 'devices') ?? false };
        return [200, { id, removed: true, ...(await health.forget(id, () => p.removeGateway(id, o))) }];
      },
    ],
    [
      'POST',
      /^\/api\/v1\/keys$/,
      async (_m, _u, req) => {
        const actor = actorOf(req);
        const b = await readJson(req);
        const owner = actor.signedIn?.user.name ?? null;
        if (!owner && actor.role !== 'admin')
          throw new YiwangError(
            'CLOUD_ERR_FORBIDDEN',
            'API keys are made by a signed-in account (or the bootstrap token)',
          );
        const asked = optStr(b, 'scope') ?? (owner ? actor.role : 'read');
        const role = roleOfScope(asked);
        if (!role || (owner && role === 'admin'))
          bad(
            `scope must be a role (viewer, operator, device_manager, security_admin, auditor)${owner ? '' : ', read or admin'}`,
          );
        if (owner && !roleWithin(role!, actor.role))
          throw new YiwangError('CLOUD_ERR_FORBIDDEN', `a key of ${owner} (${actor.role}) cannot have role ${role}`);
        const key = `ywk_${randomBytes(24).toString('base64url')}`;
        const rec = {
          id: `k-${randomBytes(4).toString('hex')}`,
          name: optStr(b, 'name') ?? '',
          scope: (owner && asked === 'read' ? 'viewer' : asked) as ApiScope,
          owner,
          createdMs: Date.now(),
          revokedMs: null,
        };
        await controlPlane.createApiKey(rec, createHash('sha256').update(key).digest('hex'));
        return [201, { ...rec, key }];
      },
    ],
    [
      'GET',
      /^\/api\/v1\/keys$/,
      async (_m, _u, req) => {
        const actor = actorOf(req);
        const all = await controlPlane.listApiKeys();
        // a security administrator (and the bootstrap admin) sees every key; others their own
        return [
          200,
          {
            keys: may(actor, 'keys.manage') ? all : all.filter((k) => k.owner && k.owner === actor.signedIn?.user.name),
          },
        ];
      },
    ],
    [
      'DELETE',
      /^\/api\/v1\/keys\/([^/]+)$/,
      async (m, _u, req) => {
        const actor = actorOf(req);
        const id = decodeId(m[1]!);
        if (!may(actor, 'keys.manage')) {
          const k = (await controlPlane.listApiKeys()).find((x) => x.id === id);
          if (!k?.owner || k.owner !== actor.signedIn?.user.name)
            throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no active key ${id} of yours`);
        }
        if (!(await controlPlane.revokeApiKey(id, Date.now())))
          throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no active key ${m[1]}`);
        return [200, { id, revoked: true }];
      },
    ],
    ...layerRoutes,
    ['GET', /^\/api\/v1\/config\/status\/([^/]+)$/, async (m) => [200, await desired.view(decodeId(m[1]!))]],
    [
      'POST',
      /^\/api\/v1\/rollouts$/,
      async (_m, _u, req) => {
        const b = await readJson(req);
        const waves =
          b.waves === undefined
            ? undefined
            : Array.isArray(b.waves) && b.waves.every((w) => typeof w === 'number' || typeof w === 'string')
              ? (b.waves as (number | string)[])
              : bad('waves must be an array of steps: "N" (gateways), "P%" (of the group) or numbers (percentages)');
        if (b.deferOffline !== undefined && typeof b.deferOffline !== 'boolean')
          bad('deferOffline must be true or false');
        const r = await rollouts.begin(
          definedProps({
            group: optStr(b, 'group') ?? bad('group is required'),
            revision: optNum(b, 'revision'),
            waves,
            soakMs: optNum(b, 'soakMs'),
            maxFailedRatio: optNum(b, 'maxFailedRatio'),
            deferOffline: b.deferOffline as boolean | undefined,
          }),
        );
        return [201, rolloutView(r)];
      },
    ],
    ['GET', /^\/api\/v1\/rollouts$/, async () => [200, { rollouts: (await rollouts.list()).map(rolloutView) }]],
    ['GET', /^\/api\/v1\/rollouts\/([^/]+)$/, async (m) => [200, rolloutView(await rollouts.get(decodeId(m[1]!)))]],
    [
      'POST',
      /^\/api\/v1\/rollouts\/([^/]+)\/abort$/,
      async (m) => [200, rolloutView(await rollouts.abort(decodeId(m[1]!)))],
    ],
  ];
}
