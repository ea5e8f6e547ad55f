import t from 'tap';
import { readFileSync } from 'node:fs';
import { cliDoc } from '../../../scripts/gen-cli-doc.js';

t.test('docs/reference/cli.md matches the command definitions (regenerate: node dist/scripts/gen-cli-doc.js)', async (t) => {
  t.equal(readFileSync(new URL('../../../docs/reference/cli.md', import.meta.url), 'utf8'), cliDoc());
});
