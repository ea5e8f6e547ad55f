/**
 * Issue 22: the operator CLI with accounts — `users add` (first account by the bootstrap token),
 * `login --user` with the password on standard input, `whoami`, `users list|set|show|disable|enable`,
 * a viewer's `users add` refused 403, `logout` ending the session at the cloud (its token then
 * 401s), a TOTP account signing in with --totp, `keys create --scope <role>` and the key's owner.
 */
import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../common/paths.js';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { totpCode } from '../../../cloud/auth/totp.js';
import { startCloud } from '../../helpers/fleet.js';
import { cloudCli, isolateCliEnv } from './run-cli.js';

const xdg = isolateCliEnv();
const FILE = join(xdg, 'yiwang', 'cloud-contexts.json');
const TOKEN = 'tok-accounts-0123456789';
const PW = 'Correct-Horse-9-Battery';
const PW2 = 'Stapled-Battery-7-Horse';

/** Runs `cloudCli` with `text` on its standard input (not a terminal). */
async function withStdin(text: string, args: string[]): ReturnType<typeof cloudCli> {
  const saved = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  Object.defineProperty(process, 'stdin', { value: Readable.from([text]), configurable: true });
  try {
    return await cloudCli(args);
  } finally {
    Object.defineProperty(process, 'stdin', saved);
  }
}

const savedToken = (name: string): string =>
  (JSON.parse(readFileSync(FILE, 'utf8')) as { contexts: Record<string, { token: string }> }).contexts[name]!.token;

t.test('login --user, whoami, users add/list/set/disable, a viewer refused, logout ends the session', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const url = `http://127.0.0.1:${cloud.api.port}`;

  // the first account, made with the bootstrap token
  const first = await withStdin(`${PW}\n`, [
    '--url',
    url,
    '--token',
    TOKEN,
    'users',
    'add',
    'sec',
    '--role',
    'security_admin',
    '--display-name',
    'Sec Admin',
    '--password-stdin',
  ]);
  t.equal(first.code, 0, first.err);
  t.match(first.out, /^account sec created\nname\s+sec \(Sec Admin\)\nrole\s+security_admin\nscope\s+whole city/);

  const noTty = await cloudCli(['login', url, '--user', 'sec', '--context', 'sec']);
  t.equal(noTty.errCode, 'CLOUD_ERR_BAD_REQUEST', 'no terminal and no --password-stdin');
  t.match(noTty.err, 'no terminal to ask the password of sec: give it on standard input with --password-stdin');

  const wrong = await withStdin('not-the-password\n', [
    'login',
    url,
    '--user',
    'sec',
    '--password-stdin',
    '--context',
    'sec',
  ]);
  t.equal(wrong.errCode, 'CLOUD_ERR_LOGIN_FAILED', wrong.err);

  const login = await withStdin(`${PW}\n`, ['login', url, '--user', 'sec', '--password-stdin', '--context', 'sec']);
  t.equal(login.code, 0, login.err);
  t.match(login.out, `context sec: ${url} signed in as sec (security_admin), now current`);
  t.match(savedToken('sec'), /^yws_[A-Za-z0-9_-]{20,}$/, 'the session token is the context token');
  t.notMatch(readFileSync(FILE, 'utf8'), PW, 'the password is not saved');

  const who = await cloudCli(['--json', 'whoami']);
  t.equal(who.code, 0, who.err);
  t.match(JSON.parse(who.out), { kind: 'user', name: 'sec', role: 'security_admin', totp: false });
  t.match((await cloudCli(['whoami'])).out, /^name\s+sec \(Sec Admin\)\nkind\s+user\nrole\s+security_admin/);

  const add = await withStdin(`${PW}\n`, [
    'users',
    'add',
    'vic',
    '--role',
    'viewer',
    '--district',
    'north',
    '--district',
    'south',
    '--group',
    'g1',
    '--password-stdin',
  ]);
  t.equal(add.code, 0, add.err);
  t.match(add.out, /scope\s+district:north,district:south,group:g1/);
  t.equal(
    (await withStdin(`${PW}\n`, ['users', 'add', 'bad', '--role', 'root', '--password-stdin'])).errCode,
    'CLOUD_ERR_BAD_REQUEST',
    'an unknown role is named before asking',
  );
  t.equal(
    (await withStdin('short\n', ['users', 'add', 'weak', '--role', 'viewer', '--password-stdin'])).errCode,
    'CLOUD_ERR_PASSWORD_RULES',
    "the cloud's password rules",
  );
  const list = await cloudCli(['users', 'list']);
  t.match(list.out, /^NAME\s+ROLE\s+SCOPE\s+TOTP\s+STATE\s+LAST SIGN-IN\s+DISPLAY NAME$/m);
  t.match(list.out, /^sec\s+security_admin\s+whole city\s+off\s+enabled\s+\d+s ago\s+Sec Admin$/m);
  t.match(list.out, /^vic\s+viewer\s+district:north,district:south,group:g1\s+off\s+enabled\s+never\s+—$/m);

  // the viewer signs in (second context) and may not manage accounts
  const vic = await withStdin(`${PW}\n`, ['login', url, '--user', 'vic', '--password-stdin', '--context', 'vic']);
  t.equal(vic.code, 0, vic.err);
  const refused = await withStdin(`${PW}\n`, ['users', 'add', 'eve', '--role', 'security_admin', '--password-stdin']);
  t.equal(refused.errCode, 'CLOUD_ERR_FORBIDDEN');
  t.equal(refused.code !== 0, true);
  t.match(
    refused.err,
    `the cloud at ${url} refused the token from context vic: role viewer cannot POST /api/v1/users (needs users.manage)`,
  );
  t.equal(
    (await cloudCli(['--context', 'sec', 'users', 'show', 'eve'])).errCode,
    'CLOUD_ERR_NOT_FOUND',
    'nothing made',
  );

  // set: role and scope (ends vic's sessions), then show
  const set = await cloudCli(['--context', 'sec', 'users', 'set', 'vic', '--role', 'operator', '--whole-city']);
  t.equal(set.code, 0, set.err);
  t.match(set.out, /^account vic changed\nname\s+vic\nrole\s+operator\nscope\s+whole city/);
  t.equal(
    (await cloudCli(['--context', 'sec', 'users', 'set', 'vic'])).errCode,
    'CLOUD_ERR_BAD_REQUEST',
    'nothing to change',
  );
  t.equal(
    (await cloudCli(['--context', 'vic', 'whoami'])).errCode,
    'CLOUD_ERR_SESSION_EXPIRED',
    "a new role ends the account's sessions",
  );
  const pw = await withStdin(`${PW2}\n`, [
    '--context',
    'sec',
    'users',
    'set',
    'vic',
    '--password-stdin',
    '--district',
    'east',
  ]);
  t.equal(pw.code, 0, pw.err);
  t.match(JSON.parse((await cloudCli(['--context', 'sec', '--json', 'users', 'show', 'vic'])).out), {
    role: 'operator',
    districts: ['east'],
    groups: [],
    disabled: false,
  });

  // disable / enable: a disabled account cannot sign in
  t.match((await cloudCli(['--context', 'sec', 'users', 'disable', 'vic'])).out, 'account vic disabled');
  t.equal(
    (await withStdin(`${PW2}\n`, ['login', url, '--user', 'vic', '--password-stdin', '--context', 'vic'])).errCode,
    'CLOUD_ERR_LOGIN_FAILED',
  );
  t.match(
    (await cloudCli(['--context', 'sec', 'users', 'list'])).out,
    /^vic\s+operator\s+district:east\s+off\s+disabled/m,
  );
  t.match((await cloudCli(['--context', 'sec', 'users', 'enable', 'vic'])).out, 'account vic enabled');
  const back = await withStdin(`${PW2}\n`, ['login', url, '--user', 'vic', '--password-stdin', '--context', 'vic']);
  t.equal(back.code, 0, back.err);
  t.match((await cloudCli(['--context', 'sec', 'users', 'unlock', 'vic'])).out, 'account vic unlocked');

  // own password: current then new on standard input (the session that changes it stays; the new sign-in makes 2)
  const own = await withStdin(`${PW2}\n${PW}\n`, ['--context', 'vic', 'password', '--password-stdin']);
  t.equal(own.code, 0, own.err);
  t.match(own.out, 'password changed');
  const again = await withStdin(`${PW}\n`, ['login', url, '--user', 'vic', '--password-stdin', '--context', 'vic']);
  t.equal(again.code, 0, again.err);
  t.match(
    (await cloudCli(['--context', 'sec', 'users', 'end-sessions', 'vic'])).out,
    /^account vic: 2 session\(s\) ended$/,
  );
  t.equal((await cloudCli(['--context', 'vic', 'whoami'])).errCode, 'CLOUD_ERR_SESSION_EXPIRED');

  // logout ends the session at the cloud: the token saved before is refused afterwards
  const token = savedToken('sec');
  const out = await cloudCli(['logout', '--context', 'sec']);
  t.equal(out.code, 0, out.err);
  t.match(out.out, 'forgot sec; current context: vic; session ended at the cloud: sec');
  const after = await cloudCli(['--url', url, '--token', token, 'whoami']);
  t.equal(after.errCode, 'CLOUD_ERR_SESSION_EXPIRED', 'the session token 401s after logout');
  const res = await fetch(`${url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
  t.equal(res.status, 401);
});

t.test('TOTP: login asks the code (--totp), keys with roles and owners', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const url = `http://127.0.0.1:${cloud.api.port}`;
  for (const [name, role] of [
    ['dora', 'device_manager'],
    ['sam', 'security_admin'],
  ])
    t.equal(
      (
        await withStdin(`${PW}\n`, [
          '--url',
          url,
          '--token',
          TOKEN,
          'users',
          'add',
          name!,
          '--role',
          role!,
          '--password-stdin',
        ])
      ).code,
      0,
    );
  t.equal((await withStdin(`${PW}\n`, ['login', url, '--user', 'dora', '--password-stdin', '--context', 'd'])).code, 0);
  // enrol through the API with the session token (the CLI's `totp enable` asks the code on a terminal)
  const h = { authorization: `Bearer ${savedToken('d')}`, 'content-type': 'application/json' };
  const begin = (await (await fetch(`${url}/api/v1/session/totp`, { method: 'POST', headers: h })).json()) as {
    secret: string;
    uri: string;
    pending: string;
  };
  t.match(begin.uri, /^otpauth:\/\/totp\//);
  const confirm = await fetch(`${url}/api/v1/session/totp`, {
    method: 'PUT',
    headers: h,
    body: JSON.stringify({ pending: begin.pending, code: totpCode(begin.secret, Date.now()) }),
  });
  t.equal(confirm.status, 200);
  t.match(JSON.parse((await cloudCli(['--context', 'd', '--json', 'whoami'])).out), { totp: true });

  const noCode = await withStdin(`${PW}\n`, ['login', url, '--user', 'dora', '--password-stdin', '--context', 'd2']);
  t.equal(noCode.errCode, 'CLOUD_ERR_BAD_REQUEST', 'the code is asked: standard input has none');
  t.match(noCode.err, 'standard input ended before the authenticator code');
  const badCode = await withStdin(`${PW}\n`, [
    'login',
    url,
    '--user',
    'dora',
    '--password-stdin',
    '--totp',
    '000000',
    '--context',
    'd2',
  ]);
  t.equal(badCode.errCode, 'CLOUD_ERR_LOGIN_FAILED');
  const code = totpCode(begin.secret, Date.now() + 30_000); // the next step's: the current one was used to confirm
  const withCode = await withStdin(`${PW}\n`, [
    'login',
    url,
    '--user',
    'dora',
    '--password-stdin',
    '--totp',
    code,
    '--context',
    'd2',
  ]);
  t.equal(withCode.code, 0, withCode.err);
  t.match(withCode.out, 'signed in as dora (device_manager)');
  const next = totpCode(begin.secret, Date.now() - 30_000);
  const asked = await withStdin(`${PW}\n${next}\n`, [
    'login',
    url,
    '--user',
    'dora',
    '--password-stdin',
    '--context',
    'd3',
  ]);
  t.equal(asked.errCode, 'CLOUD_ERR_LOGIN_FAILED', 'an older step than one used is refused (codes are used once)');

  // keys: a role within the owner's; the list names owners
  const made = await cloudCli(['--context', 'd2', 'keys', 'create', '--name', 'script', '--scope', 'operator']);
  t.equal(made.code, 0, made.err);
  t.match(made.out, /^id\s+k-[0-9a-f]+ scope=operator name=script owner=dora$/m);
  t.equal(
    (await cloudCli(['--context', 'd2', 'keys', 'create', '--scope', 'security_admin'])).errCode,
    'CLOUD_ERR_FORBIDDEN',
  );
  t.equal((await cloudCli(['--context', 'd2', 'keys', 'create', '--scope', 'root'])).errCode, 'CLOUD_ERR_BAD_REQUEST');
  await cloudCli(['--url', url, '--token', TOKEN, 'keys', 'create', '--name', 'legacy']);
  const list = await cloudCli(['--url', url, '--token', TOKEN, 'keys', 'list']);
  t.match(list.out, /^ID\s+NAME\s+SCOPE\s+OWNER\s+CREATED\s+STATE$/m);
  t.match(list.out, /^k-[0-9a-f]+\s+script\s+operator\s+dora\s+\S+\s+valid$/m);
  t.match(list.out, /^k-[0-9a-f]+\s+legacy\s+read\s+— \(bootstrap\)\s+\S+\s+valid$/m);
});

t.test('the CLI over HTTPS (http.tls) trusts the fleet CA through NODE_EXTRA_CA_CERTS', async (t) => {
  const { cloud, dir } = await startCloud(undefined, { http: { tls: true } });
  t.teardown(() => cloud.stop());
  const ca = join(dir, 'fleet-ca.pem');
  writeFileSync(ca, cloud.pki.caPem);
  const run = (env: Record<string, string>) =>
    promisify(execFile)(
      process.execPath,
      [
        join(REPO_ROOT, 'dist', 'cloud', 'cli', 'main.js'),
        '--url',
        `https://127.0.0.1:${cloud.api.port}`,
        '--json',
        'whoami',
      ],
      { env: { PATH: process.env.PATH ?? '', XDG_CONFIG_HOME: xdg, ...env } },
    ).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
    );
  const ok = await run({ NODE_EXTRA_CA_CERTS: ca });
  t.equal(ok.code, 0, ok.err);
  t.match(JSON.parse(ok.out), { role: 'admin' }, 'the loopback bootstrap answered over HTTPS');
  const untrusted = await run({});
  t.not(untrusted.code, 0);
  t.match(untrusted.err, /CLOUD_ERR_TLS/, 'without the CA: a TLS error, named');
});

t.test('totp enable (the code typed after the secret is shown) and totp disable', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const url = `http://127.0.0.1:${cloud.api.port}`;
  t.equal(
    (
      await withStdin(`${PW}\n`, [
        '--url',
        url,
        '--token',
        TOKEN,
        'users',
        'add',
        'tess',
        '--role',
        'auditor',
        '--password-stdin',
      ])
    ).code,
    0,
  );
  t.equal(
    (await withStdin(`${PW}\n`, ['login', url, '--user', 'tess', '--password-stdin', '--context', 'tess'])).code,
    0,
  );
  // the real binary: it prints the secret, then reads the code from standard input
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'dist', 'cloud', 'cli', 'main.js'), '--context', 'tess', 'totp', 'enable', '--password-stdin'],
    {
      env: { PATH: process.env.PATH ?? '', XDG_CONFIG_HOME: xdg },
    },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += String(c)));
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  const secret = await new Promise<string>((resolve) => {
    child.stdout.on('data', (c) => {
      out += String(c);
      const m = /^secret\s+([A-Z2-7]+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
  });
  t.match(out, /^uri\s+otpauth:\/\/totp\/.*secret=/m, 'the otpauth URI for a QR code');
  child.stdin.end(`${totpCode(secret, Date.now())}\n`);
  t.equal(await exit, 0, err);
  t.match(out, 'second factor on: sign-in now asks the code');
  t.match(JSON.parse((await cloudCli(['--context', 'tess', '--json', 'whoami'])).out), { totp: true });
  t.equal(
    (await withStdin(`${PW}\n`, ['login', url, '--user', 'tess', '--password-stdin', '--context', 'tess2'])).errCode,
    'CLOUD_ERR_BAD_REQUEST',
    'sign-in now asks the code',
  );
  t.equal(
    (await withStdin('wrong-password\n', ['--context', 'tess', 'totp', 'disable', '--password-stdin'])).errCode,
    'CLOUD_ERR_ACCOUNT',
  );
  const off = await withStdin(`${PW}\n`, ['--context', 'tess', 'totp', 'disable', '--password-stdin']);
  t.equal(off.code, 0, off.err);
  t.match(off.out, 'second factor off');
  t.equal(
    (await withStdin(`${PW}\n`, ['login', url, '--user', 'tess', '--password-stdin', '--context', 'tess2'])).code,
    0,
  );
});
