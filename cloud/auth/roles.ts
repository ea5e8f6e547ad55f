/**
 * Roles and what each may do (issue 22, least privilege with administrator, security and audit
 * duties separated as graded protection level 3 asks). Every API route needs one permission
 * (ROUTE_PERMISSIONS, keyed like the audit actions: `METHOD /path/{}`); a role is a set of
 * permissions. test/cloud/auth/role-matrix.test.ts enumerates the routes the API registers and
 * fails when one has no permission here, and checks each role against each route.
 *
 * | role | duty | may |
 * |---|---|---|
 * | viewer | watch | read the fleet (gateways, health, devices, readings, events, alarms, config, rollouts) |
 * | operator | handle | viewer + acknowledge alarms, handle incidents |
 * | device_manager | administer | operator + gateways, claims, devices, configuration, rollouts, departments and incident rules |
 * | security_admin | security | operator accounts and roles, every API key, sessions; nothing of the fleet |
 * | auditor | audit | the audit log (search, export, verify) and the list of accounts; nothing else |
 *
 * `admin` is not a role an account can have: it is the bootstrap credential (http.api_token, the
 * no-token loopback mode, keys made before accounts existed) and may do everything, until
 * auth.token_mode turns it into a first-run path or off.
 */
import { templateOf } from '../audit/audit-actions.js';

export const PERMISSIONS = [
  'fleet.read',
  'alarm.ack',
  /** Acknowledge, assign, annotate, resolve and close incidents, open one from an alarm. */
  'incident.handle',
  /** Departments and incident routing rules. */
  'incident.configure',
  'gateway.write',
  'device.write',
  'config.write',
  'users.read',
  'users.manage',
  'keys.manage',
  'audit.read',
  'stats.read',
  /** Every signed-in actor: its own session, password and keys. */
  'self',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const USER_ROLES = ['viewer', 'operator', 'device_manager', 'security_admin', 'auditor'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export type Role = UserRole | 'admin';

const VIEWER: readonly Permission[] = ['fleet.read', 'stats.read', 'self'];
const OPERATOR: readonly Permission[] = [...VIEWER, 'alarm.ack', 'incident.handle'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: VIEWER,
  operator: OPERATOR,
  device_manager: [...OPERATOR, 'gateway.write', 'device.write', 'config.write', 'incident.configure'],
  security_admin: ['users.read', 'users.manage', 'keys.manage', 'stats.read', 'self'],
  auditor: ['audit.read', 'users.read', 'stats.read', 'self'],
  admin: PERMISSIONS,
};

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && Object.hasOwn(ROLE_PERMISSIONS, v);
}

export function isUserRole(v: unknown): v is UserRole {
  return typeof v === 'string' && (USER_ROLES as readonly string[]).includes(v);
}

/** Legacy key scopes (before accounts): read = viewer, admin = admin. */
export function roleOfScope(scope: string): Role | undefined {
  if (scope === 'read') return 'viewer';
  return isRole(scope) ? scope : undefined;
}

export function roleAllows(role: Role, p: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(p);
}

/** Whether `sub` may do nothing `sup` may not (an API key's role within its owner's). */
export function roleWithin(sub: Role, sup: Role): boolean {
  return ROLE_PERMISSIONS[sub].every((p) => ROLE_PERMISSIONS[sup].includes(p));
}

/** The permission of each API route (every route under /api/ must be here). */
export const ROUTE_PERMISSIONS: Readonly<Record<string, Permission>> = {
  'GET /api/v1/stats': 'stats.read',
  'GET /api/v1/gateways': 'fleet.read',
  'POST /api/v1/gateways': 'gateway.write',
  'GET /api/v1/gateways/{}': 'fleet.read',
  'POST /api/v1/gateways/{}/revoke': 'gateway.write',
  'DELETE /api/v1/gateways/{}': 'gateway.write',
  'PUT /api/v1/gateways/{}/tags': 'gateway.write',
  'PATCH /api/v1/gateways/{}/tags': 'gateway.write',
  'GET /api/v1/gateways/{}/quarantine': 'fleet.read',
  'GET /api/v1/devices': 'fleet.read',
  'GET /api/v1/devices/{}': 'fleet.read',
  'GET /api/v1/devices/{}/readings': 'fleet.read',
  'PUT /api/v1/devices': 'device.write',
  'POST /api/v1/devices/{}/move': 'device.write',
  'GET /api/v1/events': 'fleet.read',
  'GET /api/v1/alarms': 'fleet.read',
  'POST /api/v1/alarms/{}/ack': 'alarm.ack',
  'GET /api/v1/health/summary': 'fleet.read',
  'GET /api/v1/health/gateways': 'fleet.read',
  'GET /api/v1/health/gateways/{}': 'fleet.read',
  'GET /api/v1/live': 'fleet.read',
  'GET /api/v1/claims': 'gateway.write',
  'POST /api/v1/claims': 'gateway.write',
  'DELETE /api/v1/claims/{}': 'gateway.write',
  'GET /api/v1/config/fleet': 'fleet.read',
  'PUT /api/v1/config/fleet': 'config.write',
  'GET /api/v1/config/groups/{}': 'fleet.read',
  'PUT /api/v1/config/groups/{}': 'config.write',
  'GET /api/v1/config/gateways/{}': 'fleet.read',
  'PUT /api/v1/config/gateways/{}': 'config.write',
  'GET /api/v1/config/status/{}': 'fleet.read',
  'GET /api/v1/rollouts': 'fleet.read',
  'GET /api/v1/rollouts/{}': 'fleet.read',
  'POST /api/v1/rollouts': 'config.write',
  'POST /api/v1/rollouts/{}/abort': 'config.write',
  'GET /api/v1/incidents': 'fleet.read',
  'POST /api/v1/incidents': 'incident.handle',
  'GET /api/v1/incidents/{}': 'fleet.read',
  'POST /api/v1/incidents/{}/ack': 'incident.handle',
  'POST /api/v1/incidents/{}/assign': 'incident.handle',
  'POST /api/v1/incidents/{}/notes': 'incident.handle',
  'POST /api/v1/incidents/{}/resolve': 'incident.handle',
  'POST /api/v1/incidents/{}/close': 'incident.handle',
  'GET /api/v1/departments': 'fleet.read',
  'POST /api/v1/departments': 'incident.configure',
  'GET /api/v1/departments/{}': 'fleet.read',
  'PATCH /api/v1/departments/{}': 'incident.configure',
  'DELETE /api/v1/departments/{}': 'incident.configure',
  'GET /api/v1/incident-rules': 'fleet.read',
  'POST /api/v1/incident-rules': 'incident.configure',
  'GET /api/v1/incident-rules/{}': 'fleet.read',
  'PATCH /api/v1/incident-rules/{}': 'incident.configure',
  'DELETE /api/v1/incident-rules/{}': 'incident.configure',
  'GET /api/v1/keys': 'self',
  'POST /api/v1/keys': 'self',
  'DELETE /api/v1/keys/{}': 'self',
  'GET /api/v1/audit': 'audit.read',
  'GET /api/v1/audit/checkpoints': 'audit.read',
  'GET /api/v1/audit/export': 'audit.read',
  'GET /api/v1/users': 'users.read',
  'POST /api/v1/users': 'users.manage',
  'GET /api/v1/users/{}': 'users.read',
  'PATCH /api/v1/users/{}': 'users.manage',
  'POST /api/v1/users/{}/unlock': 'users.manage',
  'DELETE /api/v1/users/{}/sessions': 'users.manage',
  'GET /api/v1/session': 'self',
  'DELETE /api/v1/session': 'self',
  'PUT /api/v1/session/password': 'self',
  'POST /api/v1/session/totp': 'self',
  'PUT /api/v1/session/totp': 'self',
  'DELETE /api/v1/session/totp': 'self',
};

/** Routes anyone may call, signed in or not (signing in itself). */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set(['POST /api/v1/session']);

const COMPILED = Object.entries(ROUTE_PERMISSIONS).map(([key, permission]) => {
  const sp = key.indexOf(' ');
  const path = key.slice(sp + 1);
  const re = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\}/g, '([^/]+)')}$`);
  return { method: key.slice(0, sp), re, permission };
});

/** The permission a request needs; undefined: no route of that shape (the router answers 404 after the check). */
export function permissionOf(method: string, pathname: string): Permission | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  for (const c of COMPILED) if (c.method === m && c.re.test(pathname)) return c.permission;
  return undefined;
}

/** `METHOD /path/{}` of a route as the API registers it (its RegExp). */
export function routeKey(method: string, path: RegExp): string {
  return `${method} ${templateOf(path)}`;
}
