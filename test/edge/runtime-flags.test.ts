import t from 'tap';
import { readFileSync } from 'node:fs';
import { EDGE_NODE_FLAGS } from '../../edge/runtime-flags.js';

t.test('the yiwang-edge shebang carries the runtime flags', async (t) => {
  const first = readFileSync(new URL('../../edge/cli/main.ts', import.meta.url), 'utf8').split('\n')[0];
  t.equal(first, `#!/usr/bin/env -S node ${EDGE_NODE_FLAGS.join(' ')}`);
});
