import t from 'tap';
import { readFileSync } from 'node:fs';
import { configDoc } from '../../scripts/gen-config-doc.js';

t.test('docs/reference/config.md lists every option (regenerate: node dist/scripts/gen-config-doc.js)', async (t) => {
  t.equal(readFileSync(new URL('../../docs/reference/config.md', import.meta.url), 'utf8'), configDoc());
});
