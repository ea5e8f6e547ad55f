import t from 'tap';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { generate } from '../../scripts/gen-proto.mjs';

t.test('proto/gen matches proto/yiwang.proto (run `npm run proto` after editing the .proto)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'yw-proto-'));
  (generate as (d: string) => void)(dir);
  for (const f of ['yiwang.js', 'yiwang.d.ts']) {
    t.ok(readFileSync(join(dir, f), 'utf8') === readFileSync(new URL(`../../proto/gen/${f}`, import.meta.url), 'utf8'), `${f} is current`);
  }
});
