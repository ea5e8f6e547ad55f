/**
 * `yiwang-cloud logout`: forgets a saved context and its token (the current one, or --context
 * NAME, or --all). A session token (`login --user`) is first ended at the cloud
 * (DELETE /api/v1/session); a cloud that cannot be reached does not keep the context.
 */
import type { Command } from 'commander';
import { isYiwangError, YiwangError } from '../../common/errors.js';
import { apiRequest } from './api-client.js';
import { contextsPath, readContexts, writeContexts } from './contexts-file.js';
import { jsonOut } from './options.js';
import type { GlobalOpts } from './target.js';

export function register(program: Command): void {
  program
    .command('logout')
    .description('forget the current context and its token (or the one named with the global --context)')
    .option('--all', 'forget every saved context')
    .action(async (o: { all?: boolean }) => {
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
      const ended: string[] = [];
      const notEnded: string[] = [];
      for (const n of names) {
        const c = doc.contexts[n];
        if (!c?.token.startsWith('yws_')) continue;
        try {
          await apiRequest(c.url, c.token, 'DELETE', '/api/v1/session');
          ended.push(n);
        } catch (err) {
          // an expired session is ended already; anything else is said, and the context forgotten all the same
          const code = isYiwangError(err) ? err.code : '';
          if (code === 'CLOUD_ERR_SESSION_EXPIRED') ended.push(n);
          else notEnded.push(`${n} (${isYiwangError(err) ? err.message : String(err)})`);
        }
      }
      for (const n of names) delete doc.contexts[n];
      if (!doc.contexts[doc.current]) doc.current = '';
      writeContexts(file, doc);
      console.log(
        jsonOut(program)
          ? JSON.stringify({ removed: names, current: doc.current || null, signedOut: ended, notSignedOut: notEnded })
          : `forgot ${names.length ? names.join(', ') : 'nothing'}${doc.current ? `; current context: ${doc.current}` : '; no current context'}${ended.length ? `; session ended at the cloud: ${ended.join(', ')}` : ''}${notEnded.length ? `; could not end the session of ${notEnded.join(', ')}: it ends by itself after auth.session_idle_s` : ''}`,
      );
    });
}
