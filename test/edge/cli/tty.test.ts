/** In a pseudo-terminal (util-linux `script`): aligned, coloured tables and the progress bar; plain text through a pipe. */
import t from 'tap';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { BIN, cli, startAgent, writeConfig } from './harness.js';

const inPty = (args: string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
    delete env.NO_COLOR;
    execFile('script', ['-qec', cmd, '/dev/null'], { env, timeout: 30_000 }, (e, out) =>
      e ? reject(e) : resolve(out.replace(/\r\n/g, '\n')),
    );
  });

t.test('tables, colour and progress on a terminal', async (t) => {
  const dir = tempDir('yw-cli-tty-');
  const config = writeConfig(dir);
  const agent = await startAgent(dir, config);
  t.teardown(() => agent.stop());
  t.equal((await cli(['--config', config, 'devices', 'add', 'meter-1', '--kind', 'meter'])).code, 0);

  const status = await inPty(['--config', config, 'status']);
  t.match(status, /^\x1b\[1mgateway {4}\x1b\[0m {2}gw-cli at Jiefang Rd 12/m, 'bold keys padded to one width');
  t.match(status, /^\x1b\[1muplink {5}\x1b\[0m {2}\x1b\[3[13]m(offline|connecting)\x1b\[0m/m, 'state coloured');
  t.match(status, /^\x1b\[1mdevices {4}\x1b\[0m {2}1 \x1b\[33mwaiting\x1b\[0m/m);

  const list = await inPty(['--config', config, 'devices', 'list']);
  t.match(
    list,
    /^\x1b\[1mdevice {3}state {4}kind {3}profile {2}last seen {2}uplinks {2}pending\x1b\[0m\nmeter-1 {2}\x1b\[33mwaiting\x1b\[0m {2}meter {2}- {8}never {6}0 {8}0\n/m,
    'columns aligned under the header',
  );

  const bundle = await inPty(['--config', config, 'support-bundle', '-o', join(dir, 'b.tar.gz')]);
  t.match(bundle, /collecting \[#{0,24}-*\] +\d+% config/, 'progress bar drawn');
  t.match(bundle, /collecting \[#{24}\] 100% done\n/, 'and completed');

  const piped = await cli(['--config', config, 'status']);
  t.notMatch(piped.out, /\x1b\[/, 'no escape codes through a pipe');
  t.notMatch(piped.err, /collecting/, 'no progress bar through a pipe');
});
