/**
 * Sign-in over HTTP (issue 22): the session cookie's attributes, CSRF refused on cookie writes
 * without the token (and accepted with it), a bearer session needing none, the lock answered 429
 * with Retry-After, and auth.token_mode: "first-run" lets the token create accounts only while
 * there are none, "off" refuses it; failed and successful sign-ins are in the audit log.
 */
import t, { type Test } from 'tap';
import { startCloud, tempDir } from '../../helpers/fleet.js';

/** An answer's JSON, read loosely (the tests compare what they need). */
// biome-ignore lint/suspicious/noExplicitAny: answers of many shapes
type Json = Record<string, any>;
const TOKEN = 'tok-admin-0123456789';
const PW = 'Correct-Horse-9-Battery';

async function cloudWith(t: Test, auth: Record<string, unknown> = {}) {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN }, auth });
  t.teardown(() => cloud.stop());
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const call = async (
    method: string,
    path: string,
    o: { bearer?: string; cookie?: string; csrf?: string; body?: unknown } = {},
  ) => {
    const r = await fetch(base + path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(o.bearer ? { authorization: `Bearer ${o.bearer}` } : {}),
        ...(o.cookie ? { cookie: o.cookie } : {}),
        ...(o.csrf ? { 'x-csrf-token': o.csrf } : {}),
      },
      ...(method === 'GET' ? {} : { body: JSON.stringify(o.body ?? {}) }),
    });
    return { status: r.status, headers: r.headers, json: (await r.json()) as Json };
  };
  return { cloud, call };
}

t.test('the cookie session: attributes, CSRF, sign-out', async (t) => {
  const { call } = await cloudWith(t);
  t.equal(
    (await call('POST', '/api/v1/users', { bearer: TOKEN, body: { name: 'op', password: PW, role: 'operator' } }))
      .status,
    201,
  );
  const s = await call('POST', '/api/v1/session', { body: { name: 'op', password: PW } });
  t.equal(s.status, 201);
  const setCookie = s.headers.get('set-cookie') ?? '';
  t.match(
    setCookie,
    /^yw_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict$/,
    `cookie attributes (${setCookie.split('=')[0]})`,
  );
  t.notMatch(setCookie, /Secure/, 'no Secure without auth.secure_cookies');
  const cookie = setCookie.split(';')[0]!;
  const csrf = s.json.csrfToken as string;
  t.notOk(JSON.stringify(s.json).includes(cookie.split('=')[1]!), 'the session value is only in the cookie');
  const me = await call('GET', '/api/v1/session', { cookie });
  t.match(me.json, { kind: 'user', name: 'op', role: 'operator', csrfToken: csrf });
  const noCsrf = await call('POST', '/api/v1/alarms/1/ack', { cookie });
  t.same([noCsrf.status, noCsrf.json.error?.code], [403, 'CLOUD_ERR_CSRF'], 'a cookie write without the token: 403');
  const badCsrf = await call('POST', '/api/v1/alarms/1/ack', { cookie, csrf: 'x'.repeat(24) });
  t.same([badCsrf.status, badCsrf.json.error?.code], [403, 'CLOUD_ERR_CSRF'], 'a wrong token: 403');
  const withCsrf = await call('POST', '/api/v1/alarms/1/ack', { cookie, csrf });
  t.equal(withCsrf.status, 404, 'with the token the write goes through (no alarm 1: 404)');
  const cli = await call('POST', '/api/v1/session', { body: { name: 'op', password: PW, client: 'cli' } });
  t.match(cli.json.token, /^yws_/, 'a bearer session for the CLI');
  t.equal(cli.headers.get('set-cookie'), null, 'and no cookie');
  t.equal(
    (await call('POST', '/api/v1/alarms/1/ack', { bearer: cli.json.token })).status,
    404,
    'bearer writes need no CSRF token',
  );
  // enrolling a second factor: its seed never reaches the audit log
  const begin = await call('POST', '/api/v1/session/totp', { cookie, csrf });
  t.match(begin.json.uri, /^otpauth:/);
  const log = await call('GET', '/api/v1/audit?action=session.totp.begin', { bearer: TOKEN });
  t.equal((log.json.entries as unknown[]).length, 1, 'the enrolment is audited');
  t.notOk(
    JSON.stringify(log.json).includes('otpauth') || JSON.stringify(log.json).includes(begin.json.secret),
    'without its secret, URI or pending value',
  );
  const out = await call('DELETE', '/api/v1/session', { cookie, csrf });
  t.match(out.headers.get('set-cookie'), /yw_session=; .*Max-Age=0/, 'sign-out clears the cookie');
  t.same(
    (await call('GET', '/api/v1/session', { cookie })).json.error?.code,
    'CLOUD_ERR_SESSION_EXPIRED',
    'and the session is gone',
  );
});

t.test('a locked account is answered 429 with Retry-After; sign-ins are audited', async (t) => {
  const { call } = await cloudWith(t);
  await call('POST', '/api/v1/users', { bearer: TOKEN, body: { name: 'eve', password: PW, role: 'viewer' } });
  const codes: string[] = [];
  let last: Awaited<ReturnType<typeof call>> | undefined;
  for (let i = 0; i < 8; i++) {
    last = await call('POST', '/api/v1/session', { body: { name: 'eve', password: 'Wrong-Password-1' } });
    codes.push(last.json.error?.code);
  }
  t.ok(codes.includes('CLOUD_ERR_LOGIN_THROTTLED') || codes.includes('CLOUD_ERR_LOGIN_LOCKED'), codes.join(','));
  t.equal(last?.status, 429, '429');
  t.match(last?.headers.get('retry-after'), /^\d+$/, 'with Retry-After');
  const audit = await call('GET', '/api/v1/audit?action=session.sign_in', { bearer: TOKEN });
  const entries = audit.json.entries as { actor: { id: string }; result: string }[];
  t.ok(entries.length >= 3, `sign-in attempts audited (${entries.length})`);
  t.ok(
    entries.every((e) => e.actor.id === 'eve' && e.result === 'refused'),
    'as the name tried, refused',
  );
  t.notOk(JSON.stringify(audit.json).includes('Wrong-Password-1'), 'no password in the audit log');
});

t.test('auth.token_mode first-run and off', async (t) => {
  const first = await cloudWith(t, { token_mode: 'first-run' });
  const stats = await first.call('GET', '/api/v1/stats', { bearer: TOKEN });
  t.same(
    [stats.status, stats.json.error?.code],
    [401, 'CLOUD_ERR_TOKEN_DISABLED'],
    'first-run: the token may not read',
  );
  t.equal(
    (
      await first.call('POST', '/api/v1/users', {
        bearer: TOKEN,
        body: { name: 'root-sec', password: PW, role: 'security_admin' },
      })
    ).status,
    201,
    'but may create the first account',
  );
  const again = await first.call('POST', '/api/v1/users', {
    bearer: TOKEN,
    body: { name: 'x2', password: PW, role: 'viewer' },
  });
  t.same(
    [again.status, again.json.error?.code],
    [401, 'CLOUD_ERR_TOKEN_DISABLED'],
    'once an account exists, not even that',
  );
  const s = await first.call('POST', '/api/v1/session', { body: { name: 'root-sec', password: PW, client: 'cli' } });
  t.equal(
    (
      await first.call('POST', '/api/v1/users', {
        bearer: s.json.token,
        body: { name: 'x2', password: PW, role: 'device_manager' },
      })
    ).status,
    201,
    'the security administrator makes the next accounts',
  );
  // a key made with the token while it could (mode full) is the token's: later modes limit it too
  const dir = tempDir('yw-token-mode-');
  const full = await startCloud(dir, { http: { api_token: TOKEN } });
  const made = await fetch(`http://127.0.0.1:${full.cloud.api.port}/api/v1/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ scope: 'admin' }),
  });
  const legacy = ((await made.json()) as { key: string }).key;
  await full.cloud.stop();
  const { cloud: offCloud } = await startCloud(dir, { http: { api_token: TOKEN }, auth: { token_mode: 'off' } });
  t.teardown(() => offCloud.stop());
  for (const bearer of [TOKEN, legacy]) {
    const r = await fetch(`http://127.0.0.1:${offCloud.api.port}/api/v1/stats`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    t.same(
      [r.status, ((await r.json()) as Json).error?.code],
      [401, 'CLOUD_ERR_TOKEN_DISABLED'],
      `off: the ${bearer === TOKEN ? 'token' : 'ownerless admin key'} is refused`,
    );
  }
});
