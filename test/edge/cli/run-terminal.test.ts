/**
 * Issue 17, problem 9: `yiwang-edge run` on a terminal (a tmux pane) prints a banner with what it
 * serves where, then human log lines with the level in colour; Ctrl-C stops it cleanly. With
 * `--json` (or `--log-format json`) a terminal gets JSON lines; a file or pipe always does.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { EDGE_NODE_FLAGS } from '../../../edge/runtime-flags.js';
import { BIN, startAgent, writeConfig } from './harness.js';
import { TmuxServer } from './tmux-pane.js';

t.setTimeout(240_000);

t.test('on a terminal: banner, human colour lines, Ctrl-C', async (t) => {
  const dir = tempDir('yw-run-tty-');
  const term = new TmuxServer(dir);
  t.teardown(() => term.stop());
  const config = writeConfig(dir);
  const pane = await term.run([process.execPath, ...EDGE_NODE_FLAGS, BIN, '--config', config, 'run']);
  const screen = await pane.waitFor(/^Ctrl-C stops it\.$/m);
  t.match(screen, /^Yiwang edge agent \S+ — gateway gw-cli, Jiefang Rd 12 \(pid \d+\)$/m, 'title');
  t.match(
    screen,
    /^ {2}CoAP uplink {2}coap:\/\/127\.0\.0\.1:(\d+)\/senml\/\{device\} {3}coap:\/\/127\.0\.0\.1:\1\/raw\/\{layout\}\/\{device\}$/m,
  );
  t.match(screen, /^ {2}LwM2M {8}coap:\/\/127\.0\.0\.1:\d+\/rd$/m);
  t.match(screen, /^ {2}cloud {8}mqtt:\/\/127\.0\.0\.1:9$/m);
  t.match(
    screen,
    new RegExp(`^ {2}local API {4}${join(dir, 'agent.sock')} {3}\\(yiwang-edge status, devices, logs\\)$`, 'm'),
  );
  t.match(screen, new RegExp(`^ {2}store {8}${join(dir, 'edge.db')}$`, 'm'));
  t.match(
    screen,
    /^\d\d:\d\d:\d\d\.\d{3} INFO {2}coap: coap uplink server listening port=\d+ host=127\.0\.0\.1$/m,
    'a human log line',
  );
  // the first connect attempt fails after the banner: wait for its line rather than expect it already there
  t.match(
    await pane.waitFor(/ERROR uplink: cloud connection failed/),
    /^\d\d:\d\d:\d\d\.\d{3} ERROR uplink: cloud connection failed gatewayId=gw-cli code=EDGE_ERR_CLOUD_CONNECT err="connect ECONNREFUSED 127\.0\.0\.1:9"$/m,
  );
  t.notMatch(screen, /\{"level"/, 'no JSON lines');
  t.match(await pane.screen(true), /\x1b\[32mINFO/, 'the level in colour');
  t.match(await pane.screen(true), /\x1b\[31mERROR/);

  await term.tmux(['send-keys', '-t', pane.name, 'C-c']);
  t.equal(await pane.exit(), 0, 'Ctrl-C: a clean stop');
  const end = await pane.screen();
  t.match(
    end,
    /^(\^C)?\d\d:\d\d:\d\d\.\d{3} INFO {2}stopping the edge agent reason=SIGINT$/m,
    'the terminal echoes ^C',
  );
  t.match(end, /^\d\d:\d\d:\d\d\.\d{3} INFO {2}edge agent stopped$/m);
});

for (const flags of [
  ['--json', 'run'],
  ['run', '--log-format', 'json'],
]) {
  t.test(`on a terminal with ${flags.join(' ')}: JSON lines, no banner`, async (t) => {
    const dir = tempDir('yw-run-json-');
    const term = new TmuxServer(dir);
    t.teardown(() => term.stop());
    const config = writeConfig(dir);
    const pane = await term.run([process.execPath, ...EDGE_NODE_FLAGS, BIN, '--config', config, ...flags]);
    const screen = await pane.waitFor(/"msg":"edge agent started"/);
    t.notMatch(screen, /Yiwang edge agent|Ctrl-C stops it/, 'no banner');
    for (const line of screen.trim().split('\n')) t.doesNotThrow(() => JSON.parse(line), line);
    await term.tmux(['send-keys', '-t', pane.name, 'C-c']);
    t.equal(await pane.exit(), 0);
  });
}

t.test('to a file (journald, a pipe): JSON lines, no banner', async (t) => {
  const dir = tempDir('yw-run-file-');
  const agent = await startAgent(dir, writeConfig(dir));
  await agent.stop();
  const log = readFileSync(join(dir, 'agent.log'), 'utf8');
  t.match(log, /"msg":"edge agent stopped"/);
  t.notMatch(log, /Yiwang edge agent|Ctrl-C/);
  for (const line of log.trim().split('\n')) t.doesNotThrow(() => JSON.parse(line), line);
});
