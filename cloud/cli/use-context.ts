/** `yiwang-cloud use-context <name>`: makes a saved context the current one. */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import { contextsPath, readContexts, writeContexts } from './contexts-file.js';
import { jsonOut } from './options.js';

export function register(program: Command): void {
  program
    .command('use-context <name>')
    .description('make a saved context (see `contexts`) the current one')
    .action((name: string) => {
      const file = contextsPath();
      const doc = readContexts(file);
      const c = doc.contexts[name];
      if (!c)
        throw new YiwangError(
          'CLOUD_ERR_CONTEXT',
          `no context ${JSON.stringify(name)} in ${file}; saved: ${Object.keys(doc.contexts).join(', ') || 'none'} (\`yiwang-cloud login URL --context ${name}\` saves one)`,
        );
      doc.current = name;
      writeContexts(file, doc);
      console.log(
        jsonOut(program) ? JSON.stringify({ current: name, url: c.url }) : `current context: ${name} (${c.url})`,
      );
    });
}
