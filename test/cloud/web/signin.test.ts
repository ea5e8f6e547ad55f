/**
 * The dashboard's sign-in (issue 22 item 2) in headless Chromium (Debian `chromium`, driven by
 * playwright-core) against a real cloud with http.api_token set, so an anonymous loopback client is
 * not an administrator: the sign-in screen appears, a wrong password is said so, the right one opens
 * the dashboard with the account and role in the header; the session cookie is HttpOnly and
 * SameSite=Strict and nothing is kept in storage or the URL; an alarm acknowledged through the page
 * carries the session's x-csrf-token (the same write without it is refused); a session ended by a
 * security administrator brings the sign-in back with a message; sign-out returns to it and a reload
 * stays signed out. A TOTP account signs in with the code field, a locked one is told how long it
 * waits, and a back-off (a 429 with Retry-After, answered by the test) disables the button until it
 * has passed. Screenshots go to .tap/screenshots/signin*.png.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../../common/paths.js';
import { topics } from '../../../proto/topics.js';
import { encodeBatch } from '../../../proto/batch-codec.js';
import { totpCode } from '../../../cloud/auth/totp.js';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

const exec = promisify(execFile);
const TOKEN = 'tok-admin-0123456789-signin';
const PW = 'Correct-Horse-9-Battery';
const SHOTS = join(REPO_ROOT, '.tap', 'screenshots');

/** The fields of the API's answers read here. */
interface Answer {
  open?: number;
  token?: string;
  secret?: string;
  pending?: string;
  totp?: boolean;
  sessionsEnded?: number;
  error?: { code: string };
}

t.test('sign-in, CSRF on writes, session end, sign-out and TOTP in a real browser', async (t) => {
  await exec(process.execPath, [
    join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    join(REPO_ROOT, 'cloud', 'web', 'tsconfig.json'),
  ]);
  // three failures lock an account: the address back-off (after its first three failures) is not reached
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN }, auth: { lock_after_failures: 3 } });
  t.teardown(() => cloud.stop());
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const call = async (method: string, path: string, body?: unknown, bearer = TOKEN) => {
    const r = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, json: (await r.json()) as Answer };
  };
  for (const [name, role] of [
    ['alice', 'operator'],
    ['bob', 'operator'],
    ['mallory', 'viewer'],
  ] as const)
    t.equal((await call('POST', '/api/v1/users', { name, password: PW, role })).status, 201, `account ${name}`);

  // a gateway with two open alarms
  const secret = await cloud.createGateway('gw-1');
  const gw = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.broker.port}`, {
    clientId: 'gw-1',
    username: 'gw-1',
    password: secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  t.teardown(() => gw.endAsync(true));
  const now = Date.now();
  const alarm = (id: string, type: string) => ({
    id,
    deviceId: 'meter-1',
    type,
    severity: 2,
    tsMs: now,
    message: type,
    active: true,
  });
  await gw.publishAsync(
    topics.up('gw-1', 'batch'),
    Buffer.from(
      encodeBatch(
        { gatewayId: 'gw-1', epoch: 1, seq: 1 },
        [{ deviceId: 'meter-1', metric: 'flow', unit: 'm3', ts: now, value: 1, clock: 0, priority: 1 }],
        [alarm('a1', 'leak'), alarm('a2', 'cover_open')],
      ),
    ),
    { qos: 1 },
  );
  await until('two open alarms', async () => (await call('GET', '/api/v1/alarms')).json.open === 2);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  t.teardown(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const requests: { method: string; url: string; headers: Record<string, string> }[] = [];
  page.on('request', (r) => requests.push({ method: r.method(), url: r.url(), headers: r.headers() }));
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, the text as rendered
  const text = (sel: string): Promise<string> => page.locator(sel).innerText();
  const signInScreen = async (p: Page = page): Promise<void> => {
    await p.waitForSelector('#signin:not([hidden])');
    await p.waitForSelector('body[data-auth="signin"]');
  };
  const signIn = async (name: string, password: string): Promise<void> => {
    await page.fill('#signin-name', name);
    await page.fill('#signin-password', password);
    await page.click('#signin-submit');
  };
  mkdirSync(SHOTS, { recursive: true });

  await page.goto(`${base}/`);
  await signInScreen();
  t.notOk(await page.locator('#summary').isVisible(), 'the fleet is not shown before sign-in');
  t.notOk(await page.locator('#signin-totp').isVisible(), 'no code field until the account asks for one');
  t.equal(await page.locator('#who').isVisible(), false, 'nobody in the header');

  await signIn('alice', 'Wrong-Horse-9-Battery');
  await page.waitForSelector('#signin-error:not(:empty)');
  t.match(await text('#signin-error'), /Wrong account name or password/);
  t.equal(await page.inputValue('#signin-password'), '', 'the wrong password is cleared');
  await page.screenshot({ path: join(SHOTS, 'signin.png') });

  await signIn('alice', PW);
  await page.waitForSelector('body[data-ready="true"]');
  t.equal(await text('#who-name'), 'alice');
  t.equal(await text('#who-role'), 'operator');
  t.equal(await text('#sum-alarms-open'), '2', 'the fleet figures load');
  await page.screenshot({ path: join(SHOTS, 'signin-dashboard.png') });
  t.notOk(await page.locator('#signin').isVisible(), 'the sign-in screen is gone');
  t.equal(await page.inputValue('#signin-password'), '', 'no password left in the form');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'yw_session');
  t.ok(session, 'the session cookie is set');
  t.match(session, { httpOnly: true, sameSite: 'Strict', path: '/' }, 'HttpOnly, SameSite=Strict');
  t.equal(await page.evaluate(() => document.cookie.includes('yw_session')), false, 'the page script cannot read it');
  const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
  t.equal(stored, '[{},{}]', 'nothing in localStorage or sessionStorage');
  t.equal(page.url(), `${base}/ui/`, 'nothing in the URL');
  t.notOk(
    requests.some((r) => r.url.includes(PW) || r.url.includes(session!.value)),
    'neither the password nor the session in any URL',
  );

  // a write: the page's ack carries the CSRF token; the same write without it is refused
  const csrf = (await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()))) as { csrfToken: string };
  t.match(csrf.csrfToken, /^[A-Za-z0-9_-]{20,}$/);
  const firstId = await page.locator('#alarms button.ack').first().getAttribute('data-id');
  const bare = await page.evaluate(
    (id) =>
      fetch(`/api/v1/alarms/${id}/ack`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }).then(async (r) => [r.status, ((await r.json()) as { error?: { code: string } }).error?.code]),
    firstId,
  );
  t.same(bare, [403, 'CLOUD_ERR_CSRF'], 'a cookie write without x-csrf-token is refused');
  t.equal(await page.locator('#alarms button.ack').count(), 2, 'an operator may acknowledge');
  await page.locator('#alarms button.ack').first().click();
  await until('one alarm fewer', async () => (await page.locator('#alarms button.ack').count()) === 1);
  await until('the count follows', async () => (await text('#sum-alarms-open')) === '1');
  // the last one: the first was the bare fetch above
  const ack = requests.filter((r) => r.method === 'POST' && r.url.endsWith(`/api/v1/alarms/${firstId}/ack`)).at(-1);
  t.equal(ack?.headers['x-csrf-token'], csrf.csrfToken, "the page's write carried the session's CSRF token");
  t.notOk(ack?.headers.authorization, 'and no bearer token: the cookie is the credential');
  const acked = (await cloud.store.listEvents({ alarmsOnly: true })).filter((e) => e.ackedMs !== null);
  t.same(
    acked.map((e) => [String(e.id), e.ackedBy]),
    [[firstId, 'alice']],
    'acknowledged by alice',
  );

  // a security administrator ends alice's sessions: the next call brings the sign-in back
  t.equal((await call('DELETE', '/api/v1/users/alice/sessions')).json.sessionsEnded, 1);
  await page.fill('#filter', 'gw');
  await signInScreen();
  t.match(await text('#signin-notice'), /session ended — sign in again/i, 'the session-ended message');
  t.equal(await page.locator('#alarms li').count(), 0, 'nothing of the fleet stays on the page');
  t.equal(await page.locator('#who').isVisible(), false);

  // sign in again, then sign out
  await signIn('alice', PW);
  await page.waitForSelector('body[data-ready="true"]');
  t.equal(await text('#who-name'), 'alice');
  const signOutsBefore = requests.filter((r) => r.method === 'DELETE').length;
  await page.click('#sign-out');
  await signInScreen();
  t.match(await text('#signin-notice'), /Signed out/);
  const del = requests.filter((r) => r.method === 'DELETE').slice(signOutsBefore);
  t.same(
    del.map((r) => [new URL(r.url).pathname, typeof r.headers['x-csrf-token']]),
    [['/api/v1/session', 'string']],
    'DELETE /api/v1/session with the CSRF header',
  );
  t.notOk(
    (await context.cookies()).some((c) => c.name === 'yw_session' && c.value !== ''),
    'the cookie is gone',
  );
  await page.reload();
  await signInScreen();
  t.equal(await text('#signin-notice').catch(() => ''), '', 'a reload: the plain sign-in, no dashboard');
  t.notOk(await page.locator('#summary').isVisible());
  t.equal(await page.locator('body[data-ready]').count(), 0);

  // a TOTP account: enrolled through the API, signed in through the code field
  const cli = await call('POST', '/api/v1/session', { name: 'bob', password: PW, client: 'cli' });
  const bobToken = cli.json.token!;
  const begun = await call('POST', '/api/v1/session/totp', undefined, bobToken);
  t.equal(begun.status, 200);
  const totpSecret = begun.json.secret!;
  const confirmed = await call(
    'PUT',
    '/api/v1/session/totp',
    { pending: begun.json.pending, code: totpCode(totpSecret, Date.now()) },
    bobToken,
  );
  t.same(confirmed.json, { totp: true }, 'bob has a second factor');
  await signIn('bob', PW);
  await page.waitForSelector('#signin-totp:visible');
  t.match(await text('#signin-notice'), /second factor/, 'the code is asked for');
  t.equal(await page.inputValue('#signin-password'), PW, 'the password stays typed for the second step');
  await page.screenshot({ path: join(SHOTS, 'signin-totp.png') });
  // the next step's code: the one of the enrolment's step was used and is refused again
  await page.fill('#signin-totp', totpCode(totpSecret, Date.now() + 30_000));
  await page.click('#signin-submit');
  await page.waitForSelector('body[data-ready="true"]');
  t.equal(await text('#who-name'), 'bob');
  t.equal(await text('#who-role'), 'operator');
  await page.click('#sign-out');
  await signInScreen();
  t.notOk(await page.locator('#signin-totp').isVisible(), 'the code field goes with the sign-out');

  // a viewer sees the alarm but has no ack button (the role cannot acknowledge)
  await signIn('mallory', PW);
  await page.waitForSelector('body[data-ready="true"]');
  t.equal(await text('#who-role'), 'viewer');
  t.equal(await page.locator('#alarms li').count(), 1, 'the open alarm is listed');
  t.equal(await page.locator('#alarms button.ack').count(), 0, 'without an ack button');
  await page.click('#sign-out');
  await signInScreen();

  // a back-off: the button waits out Retry-After (the 429 is answered here, the real one depends on timing)
  await page.route('**/api/v1/session', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '2' },
          body: JSON.stringify({
            error: { code: 'CLOUD_ERR_LOGIN_THROTTLED', message: 'too many', hint: '', retryAfterS: 2 },
          }),
        })
      : route.continue(),
  );
  await signIn('alice', PW);
  await page.waitForSelector('#signin-error:not(:empty)');
  t.match(await text('#signin-error'), /Too many sign-in attempts from this address\. Try again in [12] s\./);
  t.ok(await page.locator('#signin-submit').isDisabled(), 'the button waits');
  await page.waitForSelector('#signin-submit:enabled', { timeout: 5000 });
  t.match(await text('#signin-notice'), /try again now/);
  await page.unroute('**/api/v1/session');

  // a locked account: three failures (through the API) lock mallory; the page says for how long
  for (let i = 0; i < 3; i++)
    t.equal(
      (await call('POST', '/api/v1/session', { name: 'mallory', password: 'Wrong-Horse-9-Battery' })).json.error?.code,
      'CLOUD_ERR_LOGIN_FAILED',
    );
  await signIn('mallory', PW);
  await page.waitForSelector('#signin-error:not(:empty)');
  t.match(
    await text('#signin-error'),
    /This account is locked after too many failed sign-ins\. Try again in 1[45] min/,
  );
  t.ok(await page.locator('#signin-submit').isDisabled(), 'no use trying while locked');
  await page.screenshot({ path: join(SHOTS, 'signin-locked.png') });
  await page.fill('#signin-name', 'alice');
  t.ok(await page.locator('#signin-submit').isEnabled(), "the lock is the account's: another name may try");
  t.equal(await text('#signin-error').catch(() => ''), '');

  t.same(errors, [], 'no script errors on the page');
});

t.test('without an API token a loopback browser needs no sign-in (the demo)', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${cloud.api.port}/`);
  await page.waitForSelector('body[data-ready="true"]');
  t.equal(await page.locator('#signin').isVisible(), false, 'no sign-in screen');
  t.equal(await page.locator('#who').isVisible(), false, 'no account in the header');
  t.equal(await page.locator('body[data-auth="token"]').count(), 1);
  t.same(errors, []);
});

t.test('an API token typed into the dashboard still opens it (the access before accounts)', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${cloud.api.port}/`);
  await page.waitForSelector('#signin:not([hidden])');
  await page.click('#token-form summary');
  await page.fill('#token', TOKEN);
  await page.click('#token-form button[type="submit"]');
  await page.waitForSelector('body[data-ready="true"]');
  t.equal(await page.locator('body[data-auth="token"]').count(), 1, 'the token is the credential');
  t.equal(await page.locator('#who').isVisible(), false, 'no account, no sign-out');
  await page.waitForSelector('#live.on');
  t.same(errors, []);
});
