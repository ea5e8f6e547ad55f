/** `yiwang-cloud login [url]`: saves a cloud (URL and token) as a named context and makes it current. */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import { apiRequest, useTarget } from './api-client.js';
import { CONTEXT_NAME_RE, contextsPath, readContexts, writeContexts } from './contexts-file.js';
import { jsonOut } from './options.js';
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
    .action(async (urlArg: string | undefined, o: { tokenStdin?: boolean; verify: boolean }) => {
      const g = program.opts<GlobalOpts>();
      const env = process.env;
      const given = urlArg ?? g.url ?? (env.YIWANG_CLOUD_URL || undefined);
      if (!given)
        throw new YiwangError(
          'CLOUD_ERR_BAD_REQUEST',
          "give the cloud's URL: yiwang-cloud login https://cloud.example.org --token-stdin",
        );
      const url = checkUrl(given, urlArg ? 'the login argument' : g.url ? '--url' : 'YIWANG_CLOUD_URL');
      const [token, tokenSource] = o.tokenStdin
        ? [await readStdin(), 'standard input']
        : g.token !== undefined
          ? [g.token, '--token']
          : env.YIWANG_CLOUD_TOKEN
            ? [env.YIWANG_CLOUD_TOKEN, 'YIWANG_CLOUD_TOKEN']
            : ['', ''];
      const name = g.context ?? new URL(url).host;
      if (!CONTEXT_NAME_RE.test(name))
        throw new YiwangError(
          'CLOUD_ERR_CONTEXT',
          `context name ${JSON.stringify(name)}: 1 to 64 letters, digits or . _ : @ -`,
        );
      if (o.verify) {
        useTarget({
          url,
          token,
          source: 'the login',
          tokenSource,
          timeoutMs: Math.round(Number(g.timeout ?? DEFAULT_TIMEOUT_S) * 1000),
        });
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
    });
}
