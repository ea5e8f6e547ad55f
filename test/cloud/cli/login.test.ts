/**
 * Issue 17 item 6: `yiwang-cloud login` saves a context (URL and token, mode 0600 under
 * $XDG_CONFIG_HOME/yiwang), later commands use it; `use-context`, `contexts`, `logout`. A token the
 * cloud refuses is not saved; a contexts file others may read is refused.
 */
import t from 'tap';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startCloud } from '../../helpers/fleet.js';
import { cloudCli, isolateCliEnv } from './run-cli.js';

const xdg = isolateCliEnv();
const FILE = join(xdg, 'yiwang', 'cloud-contexts.json');
const TOKEN = 'tok-login-0123456789';

t.test('login → commands use the context; use-context, contexts, logout', async (t) => {
  const a = await startCloud(undefined, { http: { api_token: TOKEN } });
  const b = await startCloud();
  t.teardown(async () => {
    await a.cloud.stop();
    await b.cloud.stop();
  });
  const urlA = `http://127.0.0.1:${a.cloud.api.port}`,
    urlB = `http://127.0.0.1:${b.cloud.api.port}`;
  await a.cloud.store.createGateway('gw-on-a', 'x');
  for (const id of ['gw-on-b', 'gw-on-b2']) await b.cloud.store.createGateway(id, 'x');
  /** Which cloud answered: a has 1 gateway, b 2. */
  const gateways = async (...args: string[]): Promise<number> => {
    const r = await cloudCli([...args, '--json', 'health', 'summary']);
    t.equal(r.code, 0, r.err);
    return r.code === 0 ? (JSON.parse(r.out) as { gateways: { total: number } }).gateways.total : -1;
  };

  const refused = await cloudCli(['login', urlA, '--token', 'tok-wrong-0123456789', '--context', 'a']);
  t.equal(refused.errCode, 'CLOUD_ERR_UNAUTHORIZED', 'the token is checked before it is saved');
  t.notOk(existsSync(FILE), 'nothing saved');

  const login = await cloudCli(['login', urlA, '--token', TOKEN, '--context', 'a']);
  t.equal(login.code, 0, login.err);
  t.match(login.out, `context a: ${urlA} with a token (checked), now current`);
  t.equal(statSync(FILE).mode & 0o777, 0o600, 'the contexts file is 0600');
  t.equal(statSync(join(xdg, 'yiwang')).mode & 0o777, 0o700, 'its directory 0700');
  t.match(JSON.parse(readFileSync(FILE, 'utf8')), { current: 'a', contexts: { a: { url: urlA, token: TOKEN } } });

  t.equal(await gateways(), 1, 'no --url, no --token: the current context');

  t.equal((await cloudCli(['login', urlB])).code, 0, 'a second cloud (no token: loopback)');
  const nameB = new URL(urlB).host;
  t.equal(await gateways(), 2, 'login made it current, named after host:port');
  t.equal(await gateways('--context', 'a'), 1, '--context picks one for one command');

  const ctx = await cloudCli(['contexts']);
  t.match(ctx.out, new RegExp(`\\*\\s+${nameB.replace(/\./g, '\\.')}\\s+${urlB.replace(/\./g, '\\.')}\\s+none`));
  t.match(ctx.out, new RegExp(`\\s+a\\s+${urlA.replace(/\./g, '\\.')}\\s+saved`));
  t.match(ctx.out, `in use: ${urlB} (from context ${nameB}); token: none`);
  t.notMatch(ctx.out, TOKEN, 'tokens are never shown');
  const envWins = await cloudCli(['contexts'], { YIWANG_CLOUD_URL: urlA, YIWANG_CLOUD_TOKEN: TOKEN });
  t.match(
    envWins.out,
    `in use: ${urlA} (from YIWANG_CLOUD_URL); token: from YIWANG_CLOUD_TOKEN`,
    'the environment beats the saved context',
  );

  t.equal((await cloudCli(['use-context', 'a'])).code, 0);
  t.equal(await gateways(), 1, 'context a with its token');
  t.equal((await cloudCli(['use-context', 'nope'])).errCode, 'CLOUD_ERR_CONTEXT');

  const out = await cloudCli(['logout']);
  t.match(out.out, 'forgot a; no current context');
  t.notOk(readFileSync(FILE, 'utf8').includes(TOKEN), 'the token is gone from the file');
  t.equal((await cloudCli(['logout'])).errCode, 'CLOUD_ERR_CONTEXT', 'nothing current to forget');
  t.equal((await cloudCli(['logout', '--all'])).code, 0);
  t.same(JSON.parse(readFileSync(FILE, 'utf8')), { current: '', contexts: {} });
});

t.test('a contexts file others may read is refused', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const url = `http://127.0.0.1:${cloud.api.port}`;
  t.equal((await cloudCli(['login', url, '--context', 'lab'])).code, 0);
  chmodSync(FILE, 0o644);
  const r = await cloudCli(['gateways', 'list']);
  t.equal(r.errCode, 'CLOUD_ERR_CONTEXT');
  t.match(r.err, /others may read it \(mode 0644\); run chmod 600/);
  chmodSync(FILE, 0o600);
  t.equal((await cloudCli(['gateways', 'list'])).code, 0);
  t.equal(
    (await cloudCli(['login', 'ftp://x'])).errCode,
    'CLOUD_ERR_BAD_REQUEST',
    'a URL that is not http(s) is named',
  );
  const unreachable = await cloudCli(['login', 'http://cloud.nonexistent.invalid:8080', '--context', 'gone']);
  t.equal(unreachable.errCode, 'CLOUD_ERR_UNREACHABLE', 'an unreachable cloud is not saved');
  t.equal(
    (await cloudCli(['login', 'http://cloud.nonexistent.invalid:8080', '--context', 'later', '--no-verify'])).code,
    0,
    '--no-verify saves it anyway',
  );
  t.match(JSON.parse(readFileSync(FILE, 'utf8')), { current: 'later' });
});
