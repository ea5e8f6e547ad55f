/**
 * Who may do what (issue 22): every route the HTTP API serves, called by every role — signed-in
 * accounts of the five roles, a legacy read key, a legacy admin key, the bootstrap token — against
 * a matrix written out here by hand (the policy as the docs state it, not read from the code's
 * table), so that a change to the code's table that the docs do not make fails. Without
 * credentials /api/ answers 401 (the sign-in itself excepted). A route the matrix does not list
 * fails the test. Then district scoping: a device manager of one district acts only there.
 */
import t from 'tap';
import { startCloud } from '../../helpers/fleet.js';
import { samplePath, templateOf } from '../../helpers/route-paths.js';

const TOKEN = 'tok-admin-0123456789';
const PASSWORD = 'Correct-Horse-9-Battery';

type Who = 'viewer' | 'operator' | 'device_manager' | 'security_admin' | 'auditor' | 'read-key' | 'admin-key' | 'token';
const ROLES = ['viewer', 'operator', 'device_manager', 'security_admin', 'auditor'] as const;

/** Allowed callers per route; everyone else gets 403. `self`: every caller (their own session and keys). */
const FLEET_READ = 'viewer operator device_manager read-key admin-key token';
const DM = 'device_manager admin-key token';
/** Handle incidents: operators and device managers. */
const IH = 'operator device_manager admin-key token';
const ALL = 'viewer operator device_manager security_admin auditor read-key admin-key token';
const MATRIX: Record<string, string> = {
  'GET /api/v1/stats': ALL,
  'GET /api/v1/gateways': FLEET_READ,
  'POST /api/v1/gateways': DM,
  'GET /api/v1/gateways/{}': FLEET_READ,
  'POST /api/v1/gateways/{}/revoke': DM,
  'DELETE /api/v1/gateways/{}': DM,
  'PUT /api/v1/gateways/{}/tags': DM,
  'PATCH /api/v1/gateways/{}/tags': DM,
  'GET /api/v1/gateways/{}/quarantine': FLEET_READ,
  'GET /api/v1/devices': FLEET_READ,
  'GET /api/v1/devices/{}': FLEET_READ,
  'GET /api/v1/devices/{}/readings': FLEET_READ,
  'PUT /api/v1/devices': DM,
  'POST /api/v1/devices/{}/move': DM,
  'GET /api/v1/events': FLEET_READ,
  'GET /api/v1/alarms': FLEET_READ,
  'POST /api/v1/alarms/{}/ack': 'operator device_manager admin-key token',
  'GET /api/v1/health/summary': FLEET_READ,
  'GET /api/v1/health/gateways': FLEET_READ,
  'GET /api/v1/health/gateways/{}': FLEET_READ,
  'GET /api/v1/live': FLEET_READ,
  'GET /api/v1/claims': DM,
  'POST /api/v1/claims': DM,
  'DELETE /api/v1/claims/{}': DM,
  'GET /api/v1/config/fleet': FLEET_READ,
  'PUT /api/v1/config/fleet': DM,
  'GET /api/v1/config/groups/{}': FLEET_READ,
  'PUT /api/v1/config/groups/{}': DM,
  'GET /api/v1/config/gateways/{}': FLEET_READ,
  'PUT /api/v1/config/gateways/{}': DM,
  'GET /api/v1/config/status/{}': FLEET_READ,
  'GET /api/v1/rollouts': FLEET_READ,
  'GET /api/v1/rollouts/{}': FLEET_READ,
  'POST /api/v1/rollouts': DM,
  'POST /api/v1/rollouts/{}/abort': DM,
  'GET /api/v1/incidents': FLEET_READ,
  'POST /api/v1/incidents': IH,
  'GET /api/v1/incidents/{}': FLEET_READ,
  'POST /api/v1/incidents/{}/ack': IH,
  'POST /api/v1/incidents/{}/assign': IH,
  'POST /api/v1/incidents/{}/notes': IH,
  'POST /api/v1/incidents/{}/resolve': IH,
  'POST /api/v1/incidents/{}/close': IH,
  'GET /api/v1/departments': FLEET_READ,
  'POST /api/v1/departments': DM,
  'GET /api/v1/departments/{}': FLEET_READ,
  'PATCH /api/v1/departments/{}': DM,
  'DELETE /api/v1/departments/{}': DM,
  'GET /api/v1/incident-rules': FLEET_READ,
  'POST /api/v1/incident-rules': DM,
  'GET /api/v1/incident-rules/{}': FLEET_READ,
  'PATCH /api/v1/incident-rules/{}': DM,
  'DELETE /api/v1/incident-rules/{}': DM,
  'GET /api/v1/keys': ALL,
  // keys are made by signed-in accounts (and the bootstrap credential), not by other keys
  'POST /api/v1/keys': 'viewer operator device_manager security_admin auditor admin-key token',
  'DELETE /api/v1/keys/{}': ALL,
  'GET /api/v1/audit': 'auditor admin-key token',
  'GET /api/v1/audit/checkpoints': 'auditor admin-key token',
  'GET /api/v1/audit/export': 'auditor admin-key token',
  'GET /api/v1/users': 'security_admin auditor admin-key token',
  'GET /api/v1/users/{}': 'security_admin auditor admin-key token',
  'POST /api/v1/users': 'security_admin admin-key token',
  'PATCH /api/v1/users/{}': 'security_admin admin-key token',
  'POST /api/v1/users/{}/unlock': 'security_admin admin-key token',
  'DELETE /api/v1/users/{}/sessions': 'security_admin admin-key token',
  'GET /api/v1/session': ALL,
  'DELETE /api/v1/session': ALL,
  'PUT /api/v1/session/password': ALL,
  'POST /api/v1/session/totp': ALL,
  'PUT /api/v1/session/totp': ALL,
  'DELETE /api/v1/session/totp': ALL,
  'POST /api/v1/session': 'public',
};

t.test('each role against each route', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const call = async (method: string, path: string, bearer?: string, body: unknown = {}) => {
    const ac = new AbortController();
    const r = await fetch(base + path, {
      method,
      signal: ac.signal,
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: JSON.stringify(body) }),
    });
    let json: Record<string, unknown> = {};
    if ((r.headers.get('content-type') ?? '').includes('application/json')) json = (await r.json()) as typeof json;
    ac.abort(); // an event stream would stay open
    return { status: r.status, code: (json.error as { code?: string } | undefined)?.code, json };
  };
  const creds: Partial<Record<Who, string>> = { token: TOKEN };
  for (const role of ROLES) {
    const made = await call('POST', '/api/v1/users', TOKEN, { name: `u-${role}`, password: PASSWORD, role });
    t.equal(made.status, 201, `account of role ${role} made with the bootstrap token`);
    const s = await call('POST', '/api/v1/session', undefined, {
      name: `u-${role}`,
      password: PASSWORD,
      client: 'cli',
    });
    t.equal(s.status, 201, `${role} signs in`);
    creds[role] = s.json.token as string;
  }
  for (const scope of ['read', 'admin'] as const) {
    const k = await call('POST', '/api/v1/keys', TOKEN, { name: scope, scope });
    creds[`${scope}-key`] = k.json.key as string;
  }
  const routes = cloud.api.routeTable().filter((r) => samplePath(r.path).startsWith('/api/'));
  const unlisted = routes.map((r) => `${r.method} ${templateOf(r.path)}`).filter((k) => MATRIX[k] === undefined);
  t.same(unlisted, [], 'every API route is in the matrix');
  for (const r of routes) {
    const key = `${r.method} ${templateOf(r.path)}`;
    const path = samplePath(r.path);
    const allowed = MATRIX[key] ?? '';
    if (allowed === 'public') continue;
    const none = await call(r.method, path);
    t.same([none.status, none.code], [401, 'CLOUD_ERR_UNAUTHORIZED'], `no credentials: ${key}`);
    if (key === 'DELETE /api/v1/session') continue; // signs the caller out: tested below
    for (const who of Object.keys(creds) as Who[]) {
      const got = await call(r.method, path, creds[who]);
      const may = allowed.split(' ').includes(who);
      if (may) t.ok(got.status !== 401 && got.status !== 403, `${who} may ${key} (${got.status} ${got.code ?? ''})`);
      else t.same([got.status, got.code], [403, 'CLOUD_ERR_FORBIDDEN'], `${who} may not ${key}`);
    }
  }
  // signing out ends the session
  t.equal((await call('DELETE', '/api/v1/session', creds.viewer)).status, 200, 'sign out');
  const after = await call('GET', '/api/v1/gateways', creds.viewer);
  t.same([after.status, after.code], [401, 'CLOUD_ERR_SESSION_EXPIRED'], 'the token is dead after sign-out');
});

t.test('district scoping: a device manager of one district sees and acts only there', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const call = async (method: string, path: string, bearer: string, body: unknown = {}) => {
    const r = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };
  for (const [id, district] of [
    ['gw-east-1', 'east'],
    ['gw-west-1', 'west'],
  ]) {
    t.equal((await call('POST', '/api/v1/gateways', TOKEN, { id })).status, 201);
    t.equal((await call('PUT', `/api/v1/gateways/${id}/tags`, TOKEN, { district, site: '', group: '' })).status, 200);
  }
  await call('POST', '/api/v1/users', TOKEN, {
    name: 'east-dm',
    password: PASSWORD,
    role: 'device_manager',
    districts: ['east'],
  });
  const s = await call('POST', '/api/v1/session', '', { name: 'east-dm', password: PASSWORD, client: 'cli' });
  const east = s.json.token as string;
  t.same(s.json.districts, ['east'], 'the session carries the scope');
  t.equal((await call('GET', '/api/v1/gateways/gw-east-1', east)).status, 200, 'its own district');
  const west = await call('GET', '/api/v1/gateways/gw-west-1', east);
  t.equal(west.status, 403, 'another district: 403');
  t.match(west.json, { error: { code: 'CLOUD_ERR_FORBIDDEN', message: /outside your scope/ } });
  t.equal(
    (await call('GET', '/api/v1/gateways/gw-none', east)).status,
    403,
    'an unknown gateway: 403 too (no probing)',
  );
  t.equal(
    (await call('PATCH', '/api/v1/gateways/gw-west-1/tags', east, { site: 'x' })).status,
    403,
    'cannot change another district',
  );
  t.equal((await call('PATCH', '/api/v1/gateways/gw-east-1/tags', east, { site: 's1' })).status, 200, 'can its own');
  const list = await call('GET', '/api/v1/gateways', east);
  t.same(
    (list.json.gateways as { id: string }[]).map((g) => g.id),
    ['gw-east-1'],
    'lists keep its district only',
  );
  const table = await call('GET', '/api/v1/health/gateways', east);
  t.same(
    (table.json.items as { id: string }[]).map((g) => g.id),
    ['gw-east-1'],
    'the health table too',
  );
  t.equal((await call('PUT', '/api/v1/config/fleet', east, { toml: '' })).status, 403, 'no city-wide configuration');
  t.equal(
    (await call('PUT', '/api/v1/devices', TOKEN, { devices: [{ id: 'meter-e1', gatewayId: 'gw-east-1' }] })).status,
    200,
  );
  const move = await call('POST', '/api/v1/devices/meter-e1/move', east, { gateway: 'gw-west-1' });
  t.equal(move.status, 403, 'its device may not be moved to another district');
  t.match(move.json, { error: { message: /gw-west-1 is outside your scope/ } });
  t.equal(
    (await call('POST', '/api/v1/gateways', east, { id: 'gw-new' })).status,
    403,
    'no new gateways (no district yet)',
  );
  const key = await call('POST', '/api/v1/keys', east, { name: 'east-script' });
  t.equal(key.status, 201, 'it may make a key');
  t.equal(key.json.scope, 'device_manager', "the key's role defaults to the owner's");
  t.equal(
    (await call('GET', '/api/v1/gateways/gw-west-1', key.json.key as string)).status,
    403,
    "the key carries the owner's scope",
  );
  t.equal(
    (await call('POST', '/api/v1/keys', east, { scope: 'security_admin' })).status,
    403,
    'no key above its own role',
  );
  // demoting the owner below the key's role disables the key
  await call('PATCH', '/api/v1/users/east-dm', TOKEN, { role: 'viewer' });
  t.equal(
    (await call('GET', '/api/v1/gateways/gw-east-1', key.json.key as string)).status,
    401,
    'the key no longer works',
  );
  t.equal((await call('GET', '/api/v1/gateways/gw-east-1', east)).status, 401, 'the role change ended the session');
});
