import t from 'tap';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { REPO_ROOT } from '../../common/paths.js';
import { pathToFileURL } from 'node:url';

/** The generator is a plain .mjs script in scripts/ (not compiled into dist/). */
const { generate } = (await import(pathToFileURL(join(REPO_ROOT, 'scripts', 'gen-proto.mjs')).href)) as {
  generate(dir: string): void;
};

t.test('proto/gen matches proto/yiwang.proto (run `npm run proto` after editing the .proto)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'yw-proto-'));
  (generate as (d: string) => void)(dir);
  for (const f of ['yiwang.js', 'yiwang.d.ts']) {
    t.ok(
      readFileSync(join(dir, f), 'utf8') === readFileSync(join(REPO_ROOT, 'proto', 'gen', f), 'utf8'),
      `${f} is current`,
    );
  }
});
