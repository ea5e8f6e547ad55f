import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/paths.js';
import { EDGE_NODE_FLAGS } from '../../edge/runtime-flags.js';

t.test('the yiwang-edge shebang carries the runtime flags', async (t) => {
  const first = readFileSync(join(REPO_ROOT, 'edge', 'cli', 'main.ts'), 'utf8').split('\n')[0];
  t.equal(first, `#!/usr/bin/env -S node ${EDGE_NODE_FLAGS.join(' ')}`);
});
