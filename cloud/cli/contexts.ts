/** `yiwang-cloud contexts`: the saved clouds, and which cloud a command would talk to now and why. */
import type { Command } from 'commander';
import { isYiwangError } from '../../common/errors.js';
import { contextsPath, readContexts } from './contexts-file.js';
import { jsonOut, table } from './options.js';
import { targetOf } from './target.js';

export function register(program: Command): void {
  program
    .command('contexts')
    .description(
      'saved contexts (`login`), and the cloud commands use now with where its URL and token come from (tokens are never shown)',
    )
    .action(function (this: Command) {
      const file = contextsPath();
      const doc = readContexts(file);
      let now: { url: string; source: string; token: boolean; tokenSource: string } | { error: string };
      try {
        const t = targetOf(this);
        now = { url: t.url, source: t.source, token: t.token !== '', tokenSource: t.tokenSource };
      } catch (err) {
        if (!isYiwangError(err)) throw err;
        now = { error: `${err.code}: ${err.message}` };
      }
      const list = Object.entries(doc.contexts).map(([name, c]) => ({
        name,
        url: c.url,
        token: c.token !== '',
        current: name === doc.current,
        savedMs: c.savedMs,
      }));
      if (jsonOut(program)) return console.log(JSON.stringify({ file, contexts: list, inUse: now }, null, 2));
      console.log(
        list.length
          ? table(
              ['CURRENT', 'NAME', 'URL', 'TOKEN'],
              list.map((c) => [c.current ? '*' : '', c.name, c.url, c.token ? 'saved' : 'none']),
            )
          : `no saved contexts (${file}); \`yiwang-cloud login URL\` saves one`,
      );
      console.log(
        'error' in now
          ? `\nin use: ${now.error}`
          : `\nin use: ${now.url} (from ${now.source}); token: ${now.token ? `from ${now.tokenSource}` : 'none'}`,
      );
    });
}
