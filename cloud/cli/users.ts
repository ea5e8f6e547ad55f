/**
 * `yiwang-cloud users list|show|add|set|disable|enable|unlock|end-sessions`: operator accounts
 * (security administrators; auditors may list and show). docs/reference/http-api.md, "Operators".
 */
import type { AccountView } from '../auth/accounts.js';
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import { USER_ROLES } from '../auth/roles.js';
import { apiRequest } from './api-client.js';
import { ago, jsonOut, table, withApi, type ApiOpts } from './options.js';
import { secretInput } from './secret-input.js';

type UserView = AccountView;

/** Districts and groups, or "whole city" when both are empty. */
export const scopeText = (u: { districts: string[]; groups: string[] }): string =>
  u.districts.length + u.groups.length === 0
    ? 'whole city'
    : [...u.districts.map((d) => `district:${d}`), ...u.groups.map((g) => `group:${g}`)].join(',');

const collect = (v: string, prev: string[]): string[] => [...prev, v];
const userPath = (name: string): string => `/api/v1/users/${encodeURIComponent(name)}`;

function checkRole(role: string | undefined): void {
  if (role !== undefined && !(USER_ROLES as readonly string[]).includes(role))
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `--role ${role}: one of ${USER_ROLES.join(', ')}`);
}

/** A new password: a line of standard input, or typed twice at the terminal. */
async function newPassword(fromStdin: boolean, name: string): Promise<string> {
  const s = secretInput(fromStdin);
  const pw = await s.next(`new password of ${name}: `, `the new password of ${name}`);
  if (!fromStdin && (await s.next('again: ', 'the password again')) !== pw)
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'the two passwords differ; nothing changed');
  return pw;
}

function printUser(program: Command, u: UserView, what = ''): void {
  if (jsonOut(program)) return console.log(JSON.stringify(u, null, 2));
  console.log(
    [
      ...(what ? [what] : []),
      `name          ${u.name}${u.displayName ? ` (${u.displayName})` : ''}`,
      `role          ${u.role}`,
      `scope         ${scopeText(u)}`,
      `totp          ${u.totp ? 'on' : 'off'}`,
      `state         ${u.disabled ? 'disabled' : 'enabled'}`,
      `created       ${new Date(u.createdMs).toISOString()}`,
      `password set  ${new Date(u.passwordChangedMs).toISOString()}`,
      `last sign-in  ${u.lastLoginMs ? new Date(u.lastLoginMs).toISOString() : 'never'}`,
    ].join('\n'),
  );
}

export function register(program: Command): void {
  const u = program
    .command('users')
    .description(
      `operator accounts: roles (${USER_ROLES.join(', ')}) and scopes (districts, gateway groups); security administrators manage them, auditors may read them`,
    );
  withApi(u.command('list').description('accounts with their role, scope and state')).action(async (o: ApiOpts) => {
    const r = await apiRequest<{ users: UserView[] }>(o.url, o.token, 'GET', '/api/v1/users');
    if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
    console.log(
      table(
        ['NAME', 'ROLE', 'SCOPE', 'TOTP', 'STATE', 'LAST SIGN-IN', 'DISPLAY NAME'],
        r.users.map((x) => [
          x.name,
          x.role,
          scopeText(x),
          x.totp ? 'on' : 'off',
          x.disabled ? 'disabled' : 'enabled',
          ago(x.lastLoginMs ?? null),
          x.displayName || '—',
        ]),
      ),
    );
  });
  withApi(u.command('show <name>').description('one account')).action(async (name: string, o: ApiOpts) => {
    printUser(program, await apiRequest<UserView>(o.url, o.token, 'GET', userPath(name)));
  });
  withApi(
    u
      .command('add <name>')
      .description('create an account (2-64 of a-z 0-9 . _ -); its password is asked, or read with --password-stdin'),
  )
    .requiredOption('--role <role>', USER_ROLES.join(', '))
    .option('--district <name>', 'limit it to this district (repeat for more; none: the whole city)', collect, [])
    .option('--group <name>', 'limit it to this gateway group (repeat for more)', collect, [])
    .option('--display-name <text>', 'the full name shown in the audit log')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(
      async (
        name: string,
        o: ApiOpts & {
          role: string;
          district: string[];
          group: string[];
          displayName?: string;
          passwordStdin?: boolean;
        },
      ) => {
        checkRole(o.role);
        const password = await newPassword(!!o.passwordStdin, name);
        const r = await apiRequest<UserView>(o.url, o.token, 'POST', '/api/v1/users', {
          name,
          password,
          role: o.role,
          districts: o.district,
          groups: o.group,
          ...(o.displayName !== undefined ? { displayName: o.displayName } : {}),
        });
        printUser(program, r, `account ${r.name} created`);
      },
    );
  withApi(
    u
      .command('set <name>')
      .description(
        "change an account's role, scope, display name or password (a new password, role or scope ends its sessions)",
      ),
  )
    .option('--role <role>', USER_ROLES.join(', '))
    .option('--district <name>', 'its districts become these (repeat for more)', collect, [])
    .option('--group <name>', 'its gateway groups become these (repeat for more)', collect, [])
    .option('--whole-city', 'remove its district and group limits')
    .option('--display-name <text>', 'the full name shown in the audit log')
    .option('--password', 'set a new password (asked, or read with --password-stdin)')
    .option('--password-stdin', 'read the new password from the first line of standard input')
    .option('--remove-totp', 'remove its second factor (a lost authenticator)')
    .action(
      async (
        name: string,
        o: ApiOpts & {
          role?: string;
          district: string[];
          group: string[];
          wholeCity?: boolean;
          displayName?: string;
          password?: boolean;
          passwordStdin?: boolean;
          removeTotp?: boolean;
        },
      ) => {
        checkRole(o.role);
        if (o.wholeCity && o.district.length + o.group.length > 0)
          throw new YiwangError('CLOUD_ERR_BAD_REQUEST', '--whole-city or --district/--group, not both');
        const scope = o.wholeCity
          ? { districts: [], groups: [] }
          : {
              ...(o.district.length ? { districts: o.district } : {}),
              ...(o.group.length ? { groups: o.group } : {}),
            };
        const body = {
          ...(o.role !== undefined ? { role: o.role } : {}),
          ...scope,
          ...(o.displayName !== undefined ? { displayName: o.displayName } : {}),
          ...(o.password || o.passwordStdin ? { password: await newPassword(!!o.passwordStdin, name) } : {}),
          ...(o.removeTotp ? { totp: false } : {}),
        };
        if (Object.keys(body).length === 0)
          throw new YiwangError(
            'CLOUD_ERR_BAD_REQUEST',
            'nothing to change: give --role, --district, --group, --whole-city, --display-name, --password or --remove-totp',
          );
        printUser(
          program,
          await apiRequest<UserView>(o.url, o.token, 'PATCH', userPath(name), body),
          `account ${name} changed`,
        );
      },
    );
  for (const [cmd, disabled, text] of [
    ['disable', true, 'disable an account: it cannot sign in, its sessions end and its keys stop working'],
    ['enable', false, 'enable a disabled account again'],
  ] as const) {
    withApi(u.command(`${cmd} <name>`).description(text)).action(async (name: string, o: ApiOpts) => {
      const r = await apiRequest<UserView>(o.url, o.token, 'PATCH', userPath(name), { disabled });
      console.log(jsonOut(program) ? JSON.stringify(r) : `account ${r.name} ${r.disabled ? 'disabled' : 'enabled'}`);
    });
  }
  withApi(u.command('unlock <name>').description('end the sign-in lock of an account after failed attempts')).action(
    async (name: string, o: ApiOpts) => {
      const r = await apiRequest<{ name: string }>(o.url, o.token, 'POST', `${userPath(name)}/unlock`);
      console.log(jsonOut(program) ? JSON.stringify(r) : `account ${r.name} unlocked`);
    },
  );
  withApi(u.command('end-sessions <name>').description("end all of an account's sign-in sessions")).action(
    async (name: string, o: ApiOpts) => {
      const r = await apiRequest<{ name: string; sessionsEnded: number }>(
        o.url,
        o.token,
        'DELETE',
        `${userPath(name)}/sessions`,
      );
      console.log(jsonOut(program) ? JSON.stringify(r) : `account ${r.name}: ${r.sessionsEnded} session(s) ended`);
    },
  );
}
