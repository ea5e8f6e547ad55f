/** `yiwang-edge status` through the built binary: against a running agent, and with none. */
import t from 'tap';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';
import { edgeConfig, startEdge, tempDir } from '../../helpers/fleet.js';

const bin = join(REPO_ROOT, 'dist', 'edge', 'cli', 'main.js');
const run = (args: string[]): Promise<{ code: number; out: string; err: string }> =>
  new Promise((resolve) =>
    execFile(process.execPath, [bin, ...args], (e, out, err) =>
      resolve({ code: (e as { code?: number } | null)?.code ?? 0, out, err }),
    ),
  );

t.test('no agent: one line with a code, exit 4', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'edge.toml');
  writeFileSync(file, `[store]\npath = "${join(dir, 'edge.db')}"\n`);
  const r = await run(['--config', file, 'status']);
  t.equal(r.code, 4);
  t.match(r.err, /^error EDGE_ERR_AGENT_NOT_RUNNING: no agent answers on .*agent\.sock/);
  t.equal(r.err.trim().split('\n').length, 1, 'one line, no stack');
});

t.test('bad config: the file and key are named, exit 3', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'edge.toml');
  writeFileSync(file, '[sync]\ninflight = "many"\n');
  const r = await run(['--config', file, 'status']);
  t.equal(r.code, 3);
  t.match(r.err, /error CONFIG_ERR_INVALID: .*edge\.toml: sync\.inflight must be an integer/);
});

t.test('running agent: one screen, and --json', async (t) => {
  const dir = tempDir();
  const cfg = edgeConfig(dir, 'gw-cli', 'secret', 'mqtt://127.0.0.1:9');
  const { agent } = await startEdge(cfg);
  t.teardown(() => agent.stop());
  const file = join(dir, 'edge.toml');
  writeFileSync(file, `[store]\npath = "${cfg.store.path}"\n`);
  const r = await run(['--config', file, 'status']);
  t.equal(r.code, 0);
  t.match(r.out, /^gateway +gw-cli/m);
  t.match(r.out, /^uplink +(connecting|offline)/m);
  t.match(
    r.out,
    /^backlog +0 waiting for the cloud = 0 readings \+ 0 events; 0 not sent yet \+ 0 sent, awaiting ack \(0 batches\); no reading held$/m,
  );
  const j = await run(['--config', file, '--json', 'status']);
  t.equal(JSON.parse(j.out).gatewayId, 'gw-cli');
});
