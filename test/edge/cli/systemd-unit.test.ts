/** deploy/yiwang-edge.service starts the agent through the yiwang-edge binary with the documented paths. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { REPO_ROOT } from '../../../common/paths.js';
import { EDGE_NODE_FLAGS } from '../../../edge/runtime-flags.js';

const unit = readFileSync(`${REPO_ROOT}/deploy/yiwang-edge.service`, 'utf8');
const key = (k: string): string[] => [...unit.matchAll(new RegExp(`^${k}=(.*)$`, 'gm'))].map((m) => m[1] as string);

t.test('unit', async (t) => {
  t.same(key('ExecStart'), ['/usr/bin/yiwang-edge --config /etc/yiwang/edge.toml run']);
  t.same(key('User'), ['yiwang']);
  t.same(key('StateDirectory'), ['yiwang']);
  t.same(key('ReadWritePaths'), ['/var/lib/yiwang']);
  t.same(key('StandardError'), ['journal']);
  const shebang = readFileSync(`${REPO_ROOT}/dist/edge/cli/main.js`, 'utf8').split('\n')[0];
  t.equal(shebang, `#!/usr/bin/env -S node ${EDGE_NODE_FLAGS.join(' ')}`, 'the binary carries the agent flags');
});
