/** `yiwang-cloud logout`: forgets a saved context and its token (the current one, or --context NAME, or --all). */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import { contextsPath, readContexts, writeContexts } from './contexts-file.js';
import { jsonOut } from './options.js';
import type { GlobalOpts } from './target.js';

export function register(program: Command): void {
  program
    .command('logout')
    .description('forget the current context and its token (or the one named with the global --context)')
    .option('--all', 'forget every saved context')
    .action((o: { all?: boolean }) => {
      const file = contextsPath();
      const doc = readContexts(file);
      const names = o.all
        ? Object.keys(doc.contexts)
        : [program.opts<GlobalOpts>().context ?? doc.current].filter((n) => n);
      if (!o.all && (names.length === 0 || !doc.contexts[names[0]!])) {
        throw new YiwangError(
          'CLOUD_ERR_CONTEXT',
          names.length
            ? `no context ${JSON.stringify(names[0])} in ${file}`
            : `no current context in ${file}: nothing to forget`,
        );
      }
      for (const n of names) delete doc.contexts[n];
      if (!doc.contexts[doc.current]) doc.current = '';
      writeContexts(file, doc);
      console.log(
        jsonOut(program)
          ? JSON.stringify({ removed: names, current: doc.current || null })
          : `forgot ${names.length ? names.join(', ') : 'nothing'}${doc.current ? `; current context: ${doc.current}` : '; no current context'}`,
      );
    });
}
