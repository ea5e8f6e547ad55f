/**
 * Issue 17, problem 5: a socket the user may not open is not "agent not running, start it" (which
 * led technicians to start a second agent): it is a permission problem, reported with its own code
 * and the user to run as. As root (CI, this machine) the CLI runs as `nobody` (setpriv) against a
 * running agent's socket owned by root; as another user the socket is made unreadable to its owner.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { userName } from '../../../common/file-owner.js';
import { BIN, startAgent, writeConfig, type CliResult } from './harness.js';

const root = process.getuid?.() === 0;
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
const NOBODY = 65534;

/** The CLI as `nobody` when we are root, else as ourselves. */
function cliAs(args: string[]): Promise<CliResult> {
  // a plain environment (env -i): the test runner adds its loaders to every child's NODE_OPTIONS,
  // and they write process records where nobody may not
  const node = [
    '/usr/bin/env',
    '-i',
    `PATH=${process.env.PATH ?? '/usr/bin:/bin'}`,
    'HOME=/',
    'NO_COLOR=',
    process.execPath,
    BIN,
    ...args,
  ];
  const argv = root ? [SETPRIV!, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', ...node] : node;
  return new Promise((resolve) =>
    execFile(argv[0]!, argv.slice(1), { timeout: 60_000 }, (e, out, err) =>
      resolve({
        code: e ? (typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : 1) : 0,
        out,
        err,
      }),
    ),
  );
}

t.test(
  'a socket of another user: EDGE_ERR_API_PERMISSION naming the user to run as',
  { skip: root && !SETPRIV ? 'setpriv (util-linux) is needed to run the CLI as nobody' : false },
  async (t) => {
    // the config where anyone may read it; the store and the socket in their own directory
    const pub = tempDir('yw-perm-');
    chmodSync(pub, 0o755);
    const data = join(pub, 'data');
    mkdirSync(data, { mode: 0o755 });
    copyFileSync(writeConfig(data), join(pub, 'edge.toml'));
    const config = join(pub, 'edge.toml');
    chmodSync(config, 0o644);
    const agent = await startAgent(data, config);
    t.teardown(() => agent.stop());
    const sock = join(data, 'agent.sock');
    const me = process.getuid!();
    const owner = root ? `root \\(uid 0\\)` : `${userName(me) ?? ''}.*uid ${me}\\)`;
    const runAs = root ? `nobody \\(uid ${NOBODY}\\)` : `.*uid ${me}\\)`;
    const advice = root ? 'run it as root \\(sudo yiwang-edge …\\)' : 'run it as .* or as root';
    if (!root) chmodSync(sock, 0o000);

    // the socket itself (mode 0600, root's)
    let r = await cliAs(['--config', config, 'status']);
    t.equal(r.code, 1, r.err);
    t.match(
      r.err,
      new RegExp(
        `^error EDGE_ERR_API_PERMISSION: permission denied on ${sock} \\(EACCES\\): the socket belongs to ${owner}, this command runs as ${runAs}; ${advice} \\(Run the command as the user the message names`,
      ),
    );
    t.notMatch(r.err, /NOT_RUNNING|Start it/, 'not "start the agent"');
    t.equal(r.err.trim().split('\n').length, 1, 'one line');

    // the directory above it (the service's 0700 data directory)
    chmodSync(data, root ? 0o700 : 0o600);
    t.teardown(() => chmodSync(data, 0o755));
    r = await cliAs(['--config', config, 'devices', 'list']);
    t.equal(r.code, 1, r.err);
    t.match(
      r.err,
      new RegExp(
        `^error EDGE_ERR_API_PERMISSION: permission denied on ${sock} \\(EACCES\\): its directory ${data} belongs to ${owner}`,
      ),
    );

    // the agent was running all along
    chmodSync(data, 0o755);
    if (!root) chmodSync(sock, 0o600);
    const ok = await new Promise<number>((resolve) =>
      execFile(process.execPath, [BIN, '--config', config, 'status'], (e) => resolve(e ? 1 : 0)),
    );
    t.equal(ok, 0, 'its owner reaches it');
  },
);
