import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/paths.js';
import type { ErrorSpec } from '../../common/errors.js';
import { EDGE_ERROR_TABLES } from '../../edge/error-catalog.js';
import { CLOUD_ERROR_TABLES } from '../../cloud/error-catalog.js';

/** Every code of both catalogs (the wire and configuration tables are in both). */
const all = new Map<string, ErrorSpec>(
  [...EDGE_ERROR_TABLES, ...CLOUD_ERROR_TABLES].flatMap((table) => Object.entries(table)),
);

const doc = readFileSync(join(REPO_ROOT, 'docs', 'reference', 'errors.md'), 'utf8');
const documented = new Set([...doc.matchAll(/^\| `([A-Z0-9]+_ERR_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));

t.test('every coded error is documented', async (t) => {
  const missing = [...all.keys()].filter((c) => !documented.has(c));
  t.same(missing, [], 'codes in the code but not in docs/reference/errors.md');
});

t.test('every documented code exists', async (t) => {
  const gone = [...documented].filter((c) => !all.has(c));
  t.same(gone, [], 'codes in docs/reference/errors.md but not in the code');
});

t.test('each code has a summary and a hint', async (t) => {
  for (const [code, spec] of all) {
    t.ok(spec.summary.length > 10 && spec.hint.length > 10, code);
  }
});
