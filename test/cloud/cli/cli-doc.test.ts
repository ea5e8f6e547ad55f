import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';
import { homedir } from 'node:os';
import { cloudCliDoc } from '../../../scripts/gen-cli-doc.js';

t.test(
  'docs/reference/cloud-cli.md matches the command definitions (regenerate: node dist/scripts/gen-cli-doc.js)',
  async (t) => {
    t.equal(readFileSync(join(REPO_ROOT, 'docs', 'reference', 'cloud-cli.md'), 'utf8'), cloudCliDoc());
  },
);

t.test('the reference names every operator command issue 17 asked for', async (t) => {
  const doc = cloudCliDoc();
  for (const c of [
    'login [url]',
    'logout',
    'use-context <name>',
    'contexts',
    'keys list',
    'keys create',
    'keys revoke <id>',
    'events',
    'devices readings <id>',
    'gateways revoke <id>',
    'gateways remove <id>',
  ]) {
    t.match(doc, `### \`yiwang-cloud ${c}\``, c);
  }
  // nothing of the environment of whoever generated it (alarms ack --by used to default to $USER, --url to $YIWANG_CLOUD_URL)
  t.match(doc, /^\| `--by <name>` \| [^|]+ \| {2}\|$/m, 'alarms ack --by has no environment default');
  t.notOk(doc.includes(homedir()), 'no home directory');
  t.notMatch(doc, /`"http:\/\/127\.0\.0\.1:8080"`/, 'no per-command --url default');
});
