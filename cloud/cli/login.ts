/**
 * `yiwang-cloud login [url]`: saves a cloud (URL and token) as a named context and makes it
 * current. With --user, signs in to an operator account (POST /api/v1/session, client "cli": the
 * password and, when the account has one, the authenticator code) and saves the session's bearer
 * token (`yws_…`) the same way; `logout` ends that session.
 */
import type { SignInResponse } from '../http/api-types.js';
import type { Command } from 'commander';
import { isYiwangError, YiwangError } from '../../common/errors.js';
import { apiRequest, useTarget } from './api-client.js';
import { CONTEXT_NAME_RE, contextsPath, readContexts, writeContexts } from './contexts-file.js';
import { jsonOut } from './options.js';
import { secretInput } from './secret-input.js';
import { checkUrl, DEFAULT_TIMEOUT_S, type GlobalOpts } from './target.js';

async function readStdin(): Promise<string> {
  let s = '';
  for await (const chunk of process.stdin) s += String(chunk);
  return s.trim();
}

export function register(program: Command): void {
  program
    .command('login [url]')
    .description(
      "save a cloud's URL and token (global --token, --token-stdin or $YIWANG_CLOUD_TOKEN) as a context (global --context, default: the URL's host:port) and make it current; the token is checked first",
    )
    .option('--token-stdin', 'read the token from standard input (keeps it out of the shell history)')
    .option('--no-verify', 'save without checking that the cloud answers and accepts the token')
    .option(
      '--user <name>',
      'sign in to this operator account instead of saving a token: asks its password (and authenticator code)',
    )
    .option('--password-stdin', 'with --user: read the password (then the code, if asked) from standard input lines')
    .option('--totp <code>', "with --user: the authenticator app's current 6-digit code")
    .action(
      async (
        urlArg: string | undefined,
        o: { tokenStdin?: boolean; verify: boolean; user?: string; passwordStdin?: boolean; totp?: string },
      ) => {
        const g = program.opts<GlobalOpts>();
        const env = process.env;
        const given = urlArg ?? g.url ?? (env.YIWANG_CLOUD_URL || undefined);
        if (!given)
          throw new YiwangError(
            'CLOUD_ERR_BAD_REQUEST',
            "give the cloud's URL: yiwang-cloud login https://cloud.example.org --token-stdin",
          );
        const url = checkUrl(given, urlArg ? 'the login argument' : g.url ? '--url' : 'YIWANG_CLOUD_URL');
        const timeoutMs = Math.round(Number(g.timeout ?? DEFAULT_TIMEOUT_S) * 1000);
        if (o.user !== undefined) return signIn(program, url, o.user, o, timeoutMs);
        if (o.passwordStdin || o.totp !== undefined)
          throw new YiwangError('CLOUD_ERR_BAD_REQUEST', '--password-stdin and --totp go with --user');
        const [token, tokenSource] = o.tokenStdin
          ? [await readStdin(), 'standard input']
          : g.token !== undefined
            ? [g.token, '--token']
            : env.YIWANG_CLOUD_TOKEN
              ? [env.YIWANG_CLOUD_TOKEN, 'YIWANG_CLOUD_TOKEN']
              : ['', ''];
        const name = contextName(g, url);
        if (o.verify) {
          useTarget({ url, token, source: 'the login', tokenSource, timeoutMs });
          await apiRequest(url, token, 'GET', '/api/v1/keys'); // any GET: the cloud answers and takes the token (a read key is enough)
        }
        const file = contextsPath(env);
        const doc = readContexts(file);
        doc.contexts[name] = { url, token, savedMs: Date.now() };
        doc.current = name;
        writeContexts(file, doc);
        console.log(
          jsonOut(program)
            ? JSON.stringify({ context: name, url, token: token !== '', file, verified: o.verify })
            : `context ${name}: ${url}${token ? ' with a token' : ' without a token'}${o.verify ? ' (checked)' : ''}, now current; saved in ${file} (mode 0600)`,
        );
      },
    );
}

function contextName(g: GlobalOpts, url: string): string {
  const name = g.context ?? new URL(url).host;
  if (!CONTEXT_NAME_RE.test(name))
    throw new YiwangError(
      'CLOUD_ERR_CONTEXT',
      `context name ${JSON.stringify(name)}: 1 to 64 letters, digits or . _ : @ -`,
    );
  return name;
}

/** The CLI's sign-in answer always carries the bearer token (client "cli"). */
type SignInAnswer = SignInResponse & { token: string };

/** `login --user`: password (and code) → a session token saved as the context's token. */
async function signIn(
  program: Command,
  url: string,
  user: string,
  o: { passwordStdin?: boolean; totp?: string },
  timeoutMs: number,
): Promise<void> {
  const g = program.opts<GlobalOpts>();
  if (g.token !== undefined)
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', '--user signs in with a password: leave out --token');
  const name = contextName(g, url);
  useTarget({ url, token: '', source: 'the login', tokenSource: '', timeoutMs });
  const secrets = secretInput(!!o.passwordStdin);
  const password = await secrets.next(`password of ${user} at ${url}: `, `the password of ${user}`);
  const ask = (totp: string | undefined) =>
    apiRequest<SignInAnswer>(url, '', 'POST', '/api/v1/session', {
      name: user,
      password,
      client: 'cli',
      ...(totp !== undefined ? { totp } : {}),
    });
  let r: SignInAnswer;
  try {
    r = await ask(o.totp);
  } catch (err) {
    if (!isYiwangError(err) || err.code !== 'CLOUD_ERR_TOTP_REQUIRED' || o.totp !== undefined) throw err;
    r = await ask((await secrets.next('authenticator code: ', 'the authenticator code')).trim());
  }
  const file = contextsPath();
  const doc = readContexts(file);
  doc.contexts[name] = { url, token: r.token, user: r.name, savedMs: Date.now() };
  doc.current = name;
  writeContexts(file, doc);
  const scope = [...r.districts.map((d) => `district ${d}`), ...r.groups.map((x) => `group ${x}`)].join(', ');
  console.log(
    jsonOut(program)
      ? JSON.stringify({
          context: name,
          url,
          user: r.name,
          role: r.role,
          districts: r.districts,
          groups: r.groups,
          file,
        })
      : `context ${name}: ${url} signed in as ${r.name} (${r.role}${scope ? `; ${scope}` : ''}), now current; the session ends after ${r.idleTimeoutS} s unused or ${r.maxAgeS} s in all (then log in again); saved in ${file} (mode 0600)`,
  );
}
