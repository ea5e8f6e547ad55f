/**
 * The signed-in operator's own commands: `yiwang-cloud whoami`, `password` (change one's own) and
 * `totp enable|disable` (the second factor). docs/reference/http-api.md, "Operators".
 */
import type { SessionResponse } from '../http/api-types.js';
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import { apiRequest } from './api-client.js';
import { jsonOut, withApi, type ApiOpts } from './options.js';
import { secretInput } from './secret-input.js';
import { scopeText } from './users.js';

type WhoAmI = SessionResponse;

const stdinOption = (c: Command): Command =>
  c.option('--password-stdin', 'read what is asked from standard input, one per line, in the order asked');

export function register(program: Command): void {
  withApi(
    program
      .command('whoami')
      .description('who the cloud takes you for: account (or key, token), role, scope and permissions'),
  ).action(async (o: ApiOpts) => {
    const r = await apiRequest<WhoAmI>(o.url, o.token, 'GET', '/api/v1/session');
    if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
    console.log(
      [
        `name         ${r.name}${r.displayName ? ` (${r.displayName})` : ''}`,
        `kind         ${r.kind}`,
        `role         ${r.role}`,
        `scope        ${scopeText(r)}`,
        `totp         ${r.totp ? 'on' : 'off'}`,
        `permissions  ${r.permissions.join(', ')}`,
      ].join('\n'),
    );
  });

  stdinOption(
    withApi(
      program
        .command('password')
        .description(
          'change your own password (signed in with `login --user`): the current one, then the new one; your other sessions end',
        ),
    ),
  ).action(async (o: ApiOpts & { passwordStdin?: boolean }) => {
    const s = secretInput(!!o.passwordStdin);
    const current = await s.next('current password: ', 'the current password');
    const password = await s.next('new password: ', 'the new password');
    if (!o.passwordStdin && (await s.next('again: ', 'the new password again')) !== password)
      throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'the two new passwords differ; nothing changed');
    const r = await apiRequest<{ changed: boolean }>(o.url, o.token, 'PUT', '/api/v1/session/password', {
      current,
      password,
    });
    console.log(jsonOut(program) ? JSON.stringify(r) : 'password changed; your other sessions ended');
  });

  const totp = program.command('totp').description('your second factor: a code from an authenticator app at sign-in');
  stdinOption(
    withApi(
      totp
        .command('enable')
        .description(
          'start a second factor: prints the otpauth:// URI (for a QR code) and the secret, then asks a code of the app to confirm',
        ),
    ),
  )
    .option('--code <code>', 'the confirming code (instead of asking it)')
    .action(async (o: ApiOpts & { passwordStdin?: boolean; code?: string }) => {
      const b = await apiRequest<{ secret: string; uri: string; pending: string }>(
        o.url,
        o.token,
        'POST',
        '/api/v1/session/totp',
      );
      // printed before the code is asked: the operator adds it to the app first
      console.log(
        jsonOut(program)
          ? JSON.stringify({ uri: b.uri, secret: b.secret })
          : `add this to your authenticator app (scan the URI as a QR code, or type the secret):\nuri     ${b.uri}\nsecret  ${b.secret}`,
      );
      const code =
        o.code ?? (await secretInput(!!o.passwordStdin).next('code shown by the app: ', 'the code of the app'));
      const r = await apiRequest<{ totp: boolean }>(o.url, o.token, 'PUT', '/api/v1/session/totp', {
        pending: b.pending,
        code: code.trim(),
      });
      console.log(jsonOut(program) ? JSON.stringify(r) : 'second factor on: sign-in now asks the code');
    });
  stdinOption(withApi(totp.command('disable').description('remove your second factor (asks your password)'))).action(
    async (o: ApiOpts & { passwordStdin?: boolean }) => {
      const password = await secretInput(!!o.passwordStdin).next('password: ', 'your password');
      const r = await apiRequest<{ totp: boolean }>(o.url, o.token, 'DELETE', '/api/v1/session/totp', { password });
      console.log(jsonOut(program) ? JSON.stringify(r) : 'second factor off');
    },
  );
}
