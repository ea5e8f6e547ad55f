import t from 'tap';
import { readFileSync } from 'node:fs';
import '../../common/error-tables.js';
import { registeredErrors } from '../../common/errors.js';

const doc = readFileSync(new URL('../../docs/reference/errors.md', import.meta.url), 'utf8');
const documented = new Set([...doc.matchAll(/^\| `([A-Z0-9]+_ERR_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]));

t.test('every coded error is documented', async (t) => {
  const missing = [...registeredErrors().keys()].filter((c) => !documented.has(c));
  t.same(missing, [], 'codes in the code but not in docs/reference/errors.md');
});

t.test('every documented code exists', async (t) => {
  const gone = [...documented].filter((c) => !registeredErrors().has(c));
  t.same(gone, [], 'codes in docs/reference/errors.md but not in the code');
});

t.test('each code has a summary and a hint', async (t) => {
  for (const [code, spec] of registeredErrors()) {
    t.ok(spec.summary.length > 10 && spec.hint.length > 10, code);
  }
});
