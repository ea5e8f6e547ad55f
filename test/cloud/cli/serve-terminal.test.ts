/**
 * Issue 17, problem 9: `yiwang-cloud serve` on a terminal (a tmux pane) prints a banner with its
 * URLs, then human log lines with the level in colour; Ctrl-C stops it cleanly. With `--json` a
 * terminal gets JSON lines, as a pipe or journald always does.
 */
import t from 'tap';
import { request } from 'node:http';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { TmuxServer } from '../../edge/cli/tmux-pane.js';
import { CLOUD_BIN, cloudConfig } from './serve-harness.js';

t.setTimeout(180_000);

const get = (url: string): Promise<number> =>
  new Promise((resolve, reject) =>
    request(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end(),
  );

t.test('on a terminal: banner with the URLs, human colour lines, Ctrl-C', async (t) => {
  const dir = tempDir('yw-serve-tty-');
  const term = new TmuxServer(dir);
  t.teardown(() => term.stop());
  const pane = await term.run([
    process.execPath,
    CLOUD_BIN,
    '--config',
    cloudConfig(dir, 'cloud.toml', { tls: true }),
    'serve',
  ]);
  const screen = await pane.waitFor(/^Ctrl-C stops it\.$/m);
  t.match(screen, /^Yiwang cloud \S+ \(pid \d+\)$/m, 'title');
  const dash = /^ {2}dashboard {2}(http:\/\/127\.0\.0\.1:\d+)\/$/m.exec(screen);
  t.ok(dash, 'dashboard URL');
  t.match(screen, new RegExp(`^ {2}API {8}${dash?.[1]}/api/v1/gateways {3}${dash?.[1]}/api/v1/devices$`, 'm'));
  t.match(screen, /^ {2}MQTT {7}mqtt:\/\/127\.0\.0\.1:\d+$/m);
  t.match(screen, /^ {2}MQTT TLS {3}mqtts:\/\/127\.0\.0\.1:\d+$/m);
  t.match(screen, new RegExp(`^ {2}store {6}${join(dir, 'cloud.db')}$`, 'm'));
  t.equal(await get(`${dash?.[1]}/api/v1/gateways`), 200, 'the API URL answers');
  t.match(
    screen,
    /^\d\d:\d\d:\d\d\.\d{3} INFO {2}cloud started mqttPort=\d+ tlsPort=\d+ httpPort=\d+ configKeyId=\S+ store=sqlite nodeId=\S+$/m,
    'a human log line',
  );
  t.notMatch(screen, /\{"level"/, 'no JSON lines');
  t.match(await pane.screen(true), /\x1b\[32mINFO/, 'the level in colour');

  await term.tmux(['send-keys', '-t', pane.name, 'C-c']);
  t.equal(await pane.exit(), 0, 'Ctrl-C: a clean stop');
  t.match(
    await pane.screen(),
    /^(\^C)?\d\d:\d\d:\d\d\.\d{3} INFO {2}stopping the cloud reason=SIGINT\n.*\n?\d\d:\d\d:\d\d\.\d{3} INFO {2}cloud stopped$/m,
  );
});

t.test('on a terminal with --json: JSON lines, no banner', async (t) => {
  const dir = tempDir('yw-serve-json-');
  const term = new TmuxServer(dir);
  t.teardown(() => term.stop());
  const pane = await term.run([process.execPath, CLOUD_BIN, '--config', cloudConfig(dir), '--json', 'serve']);
  const screen = await pane.waitFor(/"msg":"cloud started"/);
  t.notMatch(screen, /Yiwang cloud|Ctrl-C stops it/, 'no banner');
  for (const line of screen.trim().split('\n')) t.doesNotThrow(() => JSON.parse(line), line);
  await term.tmux(['send-keys', '-t', pane.name, 'C-c']);
  t.equal(await pane.exit(), 0);
});
