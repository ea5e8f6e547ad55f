/**
 * Who may call what: the one place the API decides, after authentication (cloud/http/api.ts).
 * An actor has a role (cloud/auth/roles.ts: each route needs one permission, each role is a set
 * of them) and a scope (cloud/auth/scope.ts: districts and groups). The bootstrap credential
 * (http.api_token, the no-token loopback mode, keys made before accounts) is `admin`; under
 * auth.token_mode = "first-run" it may only create accounts, and only while there are none.
 * Routes read the actor of their request with `actorOf(req)`.
 */
import type { IncomingMessage } from 'node:http';
import { YiwangError } from '../../common/errors.js';
import type { AuditActor } from '../audit/audit-entry.js';
import type { SignedIn } from '../auth/accounts.js';
import { type Permission, PUBLIC_ROUTES, permissionOf, type Role, roleAllows } from '../auth/roles.js';
import { type Scope, WHOLE_CITY } from '../auth/scope.js';

export interface Actor extends AuditActor {
  role: Role;
  scope: Scope;
  /** A signed-in account (cookie or bearer session). */
  signedIn?: SignedIn;
  /** The account behind the actor: the signed-in one, or the owner of an API key. */
  account?: string;
  /** How the session came: a cookie needs the CSRF token on writes. */
  via?: 'cookie' | 'bearer';
  /** The bootstrap token under token_mode "first-run": it may only create accounts. */
  firstRunOnly?: boolean;
}

/** The bootstrap credential's actor. */
export function bootstrapActor(kind: 'token' | 'loopback', firstRunOnly = false): Actor {
  return {
    kind,
    id: kind === 'token' ? 'http.api_token' : '',
    name: '',
    role: 'admin',
    scope: WHOLE_CITY,
    ...(firstRunOnly ? { firstRunOnly } : {}),
  };
}

const actors = new WeakMap<IncomingMessage, Actor>();
/** Who the audit records for a request when the route knows better (a sign-in: the account, or the name tried). */
const auditActors = new WeakMap<IncomingMessage, AuditActor>();

export function setActor(req: IncomingMessage, a: Actor): void {
  actors.set(req, a);
}

export function setAuditActor(req: IncomingMessage, a: AuditActor): void {
  auditActors.set(req, a);
}

export function auditActorOf(req: IncomingMessage): AuditActor | undefined {
  return auditActors.get(req);
}

/** The authenticated actor of a request (routes under /api/ always have one). */
export function actorOf(req: IncomingMessage): Actor {
  const a = actors.get(req);
  if (!a) throw new YiwangError('CLOUD_ERR_UNAUTHORIZED', 'not signed in');
  return a;
}

export const isPublicRoute = (method: string, pathname: string): boolean => PUBLIC_ROUTES.has(`${method} ${pathname}`);

/** The refusal of a request by an authenticated actor, or undefined when it may go on. */
export function refusalOf(actor: Actor, method: string, pathname: string): YiwangError | undefined {
  if (actor.firstRunOnly && !(method === 'POST' && pathname === '/api/v1/users'))
    return new YiwangError(
      'CLOUD_ERR_TOKEN_DISABLED',
      'auth.token_mode is "first-run": the bootstrap token may only create the first accounts (POST /api/v1/users)',
    );
  const p: Permission | undefined = permissionOf(method, pathname);
  // no route of that shape: the router answers 404 (nothing to protect)
  if (p === undefined) return undefined;
  if (roleAllows(actor.role, p)) return undefined;
  return new YiwangError(
    'CLOUD_ERR_FORBIDDEN',
    `${actor.role === 'viewer' && actor.kind === 'api_key' ? 'a read-only key' : `role ${actor.role}`} cannot ${method} ${pathname} (needs ${p})`,
  );
}

/** Whether the actor holds a permission (routes that answer more or less by role, e.g. API keys). */
export const may = (actor: Actor, p: Permission): boolean => roleAllows(actor.role, p);
