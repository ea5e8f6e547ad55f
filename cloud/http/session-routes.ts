/**
 * API routes of sign-in and operator accounts (issue 22; docs/reference/http-api.md, "Operators"):
 *   POST   /api/v1/session               sign in {name, password, totp?, client?: "cli"} — a cookie, or a bearer token for the CLI
 *   GET    /api/v1/session               who am I (role, scope, permissions, CSRF token of a cookie session)
 *   DELETE /api/v1/session               sign out
 *   PUT    /api/v1/session/password      {current, password}
 *   POST   /api/v1/session/totp          start a second factor → {secret, uri, pending}
 *   PUT    /api/v1/session/totp          confirm it {pending, code}
 *   DELETE /api/v1/session/totp          remove it {password}
 *   GET    /api/v1/users, GET /api/v1/users/{name}
 *   POST   /api/v1/users                 {name, password, role, displayName?, districts?, groups?}
 *   PATCH  /api/v1/users/{name}          {role?, districts?, groups?, displayName?, disabled?, password?, totp?: false}
 *   POST   /api/v1/users/{name}/unlock   end a sign-in lock
 *   DELETE /api/v1/users/{name}/sessions end its sessions
 * Permissions are checked before (access.ts, roles.ts); these answer for the actor of the request.
 */
import type { IncomingMessage } from 'node:http';
import { YiwangError } from '../../common/errors.js';
import { type Accounts, SESSION_COOKIE, type SignedIn } from '../auth/accounts.js';
import { ROLE_PERMISSIONS } from '../auth/roles.js';
import { actorOf, setAuditActor } from './access.js';
import { decodeId, readJson, type Route, setResponseHeader } from './http-util.js';

function signedIn(req: IncomingMessage): SignedIn {
  const a = actorOf(req);
  if (!a.signedIn)
    throw new YiwangError(
      'CLOUD_ERR_BAD_REQUEST',
      'this is for a signed-in operator account (not a token or an API key)',
    );
  return a.signedIn;
}

export function sessionRoutes(accounts: Accounts, o: { secureCookies: boolean }): Route[] {
  const cookie = (value: string, maxAgeS?: number): string =>
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict${o.secureCookies ? '; Secure' : ''}${maxAgeS !== undefined ? `; Max-Age=${maxAgeS}` : ''}`;
  return [
    [
      'POST',
      /^\/api\/v1\/session$/,
      async (_m, _u, req) => {
        const b = await readJson(req, 4096, { secret: true });
        const typed = typeof b.name === 'string' ? b.name.trim().toLowerCase().slice(0, 64) : '';
        setAuditActor(req, { kind: 'anonymous', id: typed, name: '', role: '' });
        const r = await accounts.signIn(b.name, b.password, b.totp, req.socket.remoteAddress ?? '');
        setAuditActor(req, {
          kind: 'user',
          id: r.user.name,
          name: r.user.displayName || r.user.name,
          role: r.user.role,
        });
        const view = {
          name: r.user.name,
          role: r.user.role,
          districts: r.user.districts,
          groups: r.user.groups,
          idleTimeoutS: Math.round(accounts.idleMs / 1000),
          maxAgeS: Math.round(accounts.maxMs / 1000),
        };
        if (b.client === 'cli') return [201, { ...view, token: `yws_${r.value}` }];
        setResponseHeader(req, 'set-cookie', cookie(r.value));
        return [201, { ...view, csrfToken: r.session.csrf }];
      },
    ],
    [
      'GET',
      /^\/api\/v1\/session$/,
      async (_m, _u, req) => {
        const a = actorOf(req);
        return [
          200,
          {
            kind: a.kind,
            name: a.signedIn?.user.name ?? a.name,
            displayName: a.signedIn?.user.displayName ?? '',
            role: a.role,
            districts: a.scope.districts,
            groups: a.scope.groups,
            permissions: ROLE_PERMISSIONS[a.role],
            totp: a.signedIn ? a.signedIn.user.totpSealed !== '' : false,
            ...(a.via === 'cookie' ? { csrfToken: a.signedIn!.session.csrf } : {}),
          },
        ];
      },
    ],
    [
      'DELETE',
      /^\/api\/v1\/session$/,
      async (_m, _u, req) => {
        const s = signedIn(req);
        await accounts.signOut(s.session);
        setResponseHeader(req, 'set-cookie', cookie('', 0));
        return [200, { signedOut: true }];
      },
    ],
    [
      'PUT',
      /^\/api\/v1\/session\/password$/,
      async (_m, _u, req) => {
        const b = await readJson(req, 4096, { secret: true });
        await accounts.changePassword(signedIn(req), b.current, b.password);
        return [200, { changed: true }];
      },
    ],
    ['POST', /^\/api\/v1\/session\/totp$/, async (_m, _u, req) => [200, await accounts.totpBegin(signedIn(req))]],
    [
      'PUT',
      /^\/api\/v1\/session\/totp$/,
      async (_m, _u, req) => {
        const b = await readJson(req, 8192, { secret: true });
        await accounts.totpConfirm(signedIn(req), b.pending, b.code);
        return [200, { totp: true }];
      },
    ],
    [
      'DELETE',
      /^\/api\/v1\/session\/totp$/,
      async (_m, _u, req) => {
        const b = await readJson(req, 4096, { secret: true });
        await accounts.totpRemove(signedIn(req), b.password);
        return [200, { totp: false }];
      },
    ],
    ['GET', /^\/api\/v1\/users$/, async () => [200, { users: await accounts.list() }]],
    ['GET', /^\/api\/v1\/users\/([^/]+)$/, async (m) => [200, await accounts.get(decodeId(m[1]))]],
    [
      'POST',
      /^\/api\/v1\/users$/,
      async (_m, _u, req) => [201, await accounts.create(await readJson(req, 8192, { secret: true }))],
    ],
    [
      'PATCH',
      /^\/api\/v1\/users\/([^/]+)$/,
      async (m, _u, req) => [
        200,
        await accounts.update(decodeId(m[1]), await readJson(req, 8192, { secret: true }), actorOf(req).account),
      ],
    ],
    [
      'POST',
      /^\/api\/v1\/users\/([^/]+)\/unlock$/,
      async (m) => {
        const name = decodeId(m[1]);
        await accounts.get(name);
        accounts.unlock(name);
        return [200, { name, unlocked: true }];
      },
    ],
    [
      'DELETE',
      /^\/api\/v1\/users\/([^/]+)\/sessions$/,
      async (m) => {
        const name = decodeId(m[1]);
        await accounts.get(name);
        return [200, { name, sessionsEnded: await accounts.endSessions(name) }];
      },
    ],
  ];
}
