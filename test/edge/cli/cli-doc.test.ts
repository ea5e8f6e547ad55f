import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';
import { cliDoc } from '../../../scripts/gen-cli-doc.js';

t.test(
  'docs/reference/cli.md matches the command definitions (regenerate: node dist/scripts/gen-cli-doc.js)',
  async (t) => {
    t.equal(readFileSync(join(REPO_ROOT, 'docs', 'reference', 'cli.md'), 'utf8'), cliDoc());
  },
);
