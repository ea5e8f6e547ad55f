import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/paths.js';
import { configDoc } from '../../scripts/gen-config-doc.js';

t.test('docs/reference/config.md lists every option (regenerate: node dist/scripts/gen-config-doc.js)', async (t) => {
  t.equal(readFileSync(join(REPO_ROOT, 'docs', 'reference', 'config.md'), 'utf8'), configDoc());
});
