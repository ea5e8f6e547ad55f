/**
 * Every route the cloud's HTTP API serves is listed in docs/reference/http-api.md (as
 * `METHOD /path/{param}`), and every route the document lists is served.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';
import { startCloud } from '../../helpers/fleet.js';
import { templateOf } from '../../helpers/route-paths.js';

/** `/api/v1/claims/{id}` → `/api/v1/claims/{}` */
const fromDoc = (path: string): string => path.replace(/\{[^}]*\}/g, '{}');

t.test('http-api.md lists exactly the routes the API serves', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const served = new Set(cloud.api.routeTable().map((r) => `${r.method} ${templateOf(r.path)}`));
  t.ok(served.size >= 30, `${served.size} routes found`);
  for (const s of served) t.notOk(/[\\()[\]^$]/.test(s), `route pattern understood: ${s}`);
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'reference', 'http-api.md'), 'utf8');
  const documented = new Set(
    [...doc.matchAll(/`(GET|POST|PUT|DELETE|PATCH) (\/[^`\s?[]*)/g)].map((m) => `${m[1]} ${fromDoc(m[2]!)}`),
  );
  for (const s of [...served].sort()) t.ok(documented.has(s), `documented: ${s}`);
  for (const d of [...documented].sort()) t.ok(served.has(d), `served: ${d}`);
});
