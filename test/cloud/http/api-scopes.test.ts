/**
 * Operator access matrix over every route the HTTP API serves: without a token /api/ answers 401,
 * a read-only key may GET but nothing else (403), an admin key (and http.api_token) may call
 * everything; a revoked key is refused.
 */
import t from 'tap';
import { startCloud } from '../../helpers/fleet.js';

const TOKEN = 'tok-admin-0123456789';

/** A concrete path for a route pattern: every parameter becomes `x` (digits: `1`). */
const samplePath = (re: RegExp): string =>
  re.source
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .replace(/\\\//g, '/')
    .replace(/\(\\d\+\)/g, '1')
    .replace(/\([^)]*\)/g, 'x');

t.test('read keys only read, admin keys do everything, no key nothing', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const call = async (
    method: string,
    path: string,
    bearer?: string,
  ): Promise<{ status: number; code?: string | undefined }> => {
    const ac = new AbortController();
    const r = await fetch(base + path, {
      method,
      signal: ac.signal,
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }),
    });
    let code: string | undefined;
    if ((r.headers.get('content-type') ?? '').includes('application/json'))
      code = ((await r.json()) as { error?: { code?: string } }).error?.code;
    ac.abort(); // an event stream would stay open
    return { status: r.status, code };
  };
  const mk = async (scope: string): Promise<{ id: string; key: string }> => {
    const r = await fetch(`${base}/api/v1/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ name: scope, scope }),
    });
    t.equal(r.status, 201, `${scope} key created`);
    return (await r.json()) as { id: string; key: string };
  };
  const read = await mk('read'),
    admin = await mk('admin');
  t.match(read.key, /^ywk_/);

  const routes = cloud.api.routeTable().filter((r) => samplePath(r.path).startsWith('/api/'));
  t.ok(routes.length >= 25, `${routes.length} API routes`);
  for (const r of routes) {
    const path = samplePath(r.path),
      what = `${r.method} ${path}`;
    const none = await call(r.method, path);
    t.same([none.status, none.code], [401, 'CLOUD_ERR_UNAUTHORIZED'], `no key: ${what}`);
    const wrong = await call(r.method, path, 'ywk_not-a-key-at-all-0000000');
    t.equal(wrong.status, 401, `unknown key: ${what}`);
    const ro = await call(r.method, path, read.key);
    if (r.method === 'GET') t.ok(ro.status !== 401 && ro.status !== 403, `read key may ${what} (${ro.status})`);
    else t.same([ro.status, ro.code], [403, 'CLOUD_ERR_FORBIDDEN'], `read key may not ${what}`);
  }
  // admin last: its writes (claims, layers …) must not change what the read checks saw
  for (const r of routes) {
    const path = samplePath(r.path),
      what = `${r.method} ${path}`;
    const ad = await call(r.method, path, admin.key);
    t.ok(ad.status !== 401 && ad.status !== 403, `admin key may ${what} (${ad.status})`);
  }
  t.equal((await call('DELETE', `/api/v1/keys/${read.id}`, admin.key)).status, 200, 'an admin revokes the read key');
  t.equal((await call('GET', '/api/v1/claims', read.key)).status, 401, 'a revoked key is refused');
  t.equal((await call('GET', '/api/v1/claims', TOKEN)).status, 200, 'http.api_token is an admin key');
});
