/**
 * `yiwang-edge init` on a real terminal (tmux): each answer is checked as it is given — a bad one
 * gets its reason and the same question again —, y/n questions take only y/yes/n/no, `~/` is
 * expanded and relative paths refused, the bind address is asked, no placeholder URL is offered,
 * and the last line is the real next step with the --config that was used. On a provisioned
 * gateway (--force) the defaults are the file's values and the cloud URL is not asked.
 */
import t, { type Test } from 'tap';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseToml } from '../../../common/toml-read.js';
import { tempDir } from '../../helpers/fleet.js';
import { digitSeparators } from '../../common/toml-separators.js';
import { BIN } from './harness.js';
import { TmuxServer, type TmuxPane } from './tmux-pane.js';

t.setTimeout(240_000);

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The screen shows `reason` and then `question` asked again as the last line. */
async function askedAgain(t: Test, pane: TmuxPane, reason: RegExp, question: RegExp, times: number): Promise<void> {
  const screen = await pane.waitFor(new RegExp(`^ {2}${reason.source}.*\\n${question.source}: ?$`, 'm'));
  t.equal(
    screen.split('\n').filter((l) => new RegExp(`^${question.source}:`).test(l)).length,
    times,
    `${question.source} asked ${times} times`,
  );
}

t.test('each answer is checked as it is given', async (t) => {
  const dir = tempDir('yw-cli-init-tty-');
  const home = join(dir, 'home');
  mkdirSync(home);
  const term = new TmuxServer(dir);
  t.teardown(() => term.stop());
  const file = join(dir, 'etc', 'edge.toml');
  const init = await term.run(['env', `HOME=${home}`, process.execPath, BIN, '--config', file, 'init']);

  const url = /cloud broker URL \(from the cloud operator, mqtts:\/\/host:port\)/;
  t.notMatch(
    await init.waitFor(new RegExp(`${url.source}: ?$`, 'm')),
    /example\.org|\[mqtt/,
    'no placeholder URL offered as a default',
  );
  await init.type('');
  await askedAgain(t, init, /an answer is needed: give the broker URL from the cloud operator/, url, 2);
  await init.type('http://x');
  await askedAgain(t, init, /"http:\/\/x" is not a broker URL/, url, 3);
  await init.type('mqtts://127.0.0.1:8883');

  await init.waitFor(/^site name: ?$/m);
  await init.type('Renmin Rd 3');

  const data = /data directory \(store, cameras, agent socket\) \[\/var\/lib\/yiwang\]/;
  await init.waitFor(new RegExp(`${data.source}: ?$`, 'm'));
  await init.type('var/yw');
  await askedAgain(t, init, /"var\/yw" is a relative path; the data directory needs an absolute path/, data, 2);
  await init.type('~/yw-data');

  const host = /CoAP\/LwM2M bind address \(0\.0\.0\.0 = all interfaces\) \[0\.0\.0\.0\]/;
  await init.waitFor(new RegExp(`${host.source}: ?$`, 'm'));
  await init.type('gateway.local');
  await askedAgain(t, init, /"gateway\.local" is not an IP address/, host, 2);
  await init.type('192.0.2.77'); // TEST-NET-1: no machine has it
  await askedAgain(
    t,
    init,
    /192\.0\.2\.77 is not an address of this machine, so the listener could not bind it; use 0\.0\.0\.0 or one of .*127\.0\.0\.1/,
    host,
    3,
  );
  await init.type('127.0.0.1');

  const port = /CoAP\/LwM2M UDP port \[5683\]/;
  await init.waitFor(new RegExp(`${port.source}: ?$`, 'm'));
  await init.type('99999');
  await askedAgain(t, init, /99999 is too large: coap\.port must be an integer from 0 to 65535/, port, 2);
  await init.type('');

  const lwm2m = /serve LwM2M devices \(y\/n\) \[y\]/;
  await init.waitFor(new RegExp(`${lwm2m.source}: ?$`, 'm'));
  await init.type('maybe');
  await askedAgain(t, init, /"maybe": answer y \(yes\) or n \(no\)/, lwm2m, 2);
  await init.type('yes');
  await init.waitFor(/^manage ONVIF cameras \(y\/n\) \[y\]: ?$/m);
  await init.type('N');
  await init.waitFor(/^serve HJ 212 pollution monitors \(TCP 9212\) \(y\/n\) \[n\]: ?$/m);
  await init.type('');

  const serial = /serial device file \(empty = no RS-485 buses\)/;
  await init.waitFor(new RegExp(`${serial.source}: ?$`, 'm'));
  await init.type('serial.toml');
  await askedAgain(t, init, /"serial\.toml" is a relative path/, serial, 2);
  await init.type(join(dir, 'missing.toml'));
  await askedAgain(t, init, new RegExp(`${esc(join(dir, 'missing.toml'))} does not exist`), serial, 3);
  await init.type('');

  t.equal(await init.exit(), 0, await init.screen());
  const lines = (await init.screen()).trimEnd().split('\n');
  t.equal(lines.at(-2), `wrote ${file}`);
  t.equal(
    lines.at(-1),
    `next: yiwang-edge --config ${file} provision --token <claim token from the cloud operator>`,
    'the real next step, with the file used',
  );

  const text = readFileSync(file, 'utf8');
  t.match(parseToml(text), {
    gateway: { id: '', secret: '', site: 'Renmin Rd 3' },
    cloud: { url: 'mqtts://127.0.0.1:8883' },
    store: { path: join(home, 'yw-data', 'edge.db') },
    coap: { host: '127.0.0.1', port: 5683 },
    lwm2m: { enabled: true },
    cameras: { enabled: false },
    hj212: { enabled: false },
    serial: { devices_file: '' },
  });
  t.match(text, /^port = 5683$/m);
  t.same(digitSeparators(text), [], text);
});

t.test('re-init of a provisioned gateway: its values are the defaults, its URL is kept', async (t) => {
  const dir = tempDir('yw-cli-init-tty-');
  const term = new TmuxServer(dir);
  t.teardown(() => term.stop());
  const file = join(dir, 'edge.toml');
  const before = `${[
    '[gateway]',
    'id = "gw-north-7"',
    'secret = "s3cr3t-gw-north-7"',
    'site = "Jiefang Rd 12"',
    'group = "north"',
    'config_key = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="',
    '[cloud]',
    'url = "mqtts://cloud.jiaozuo.example:8883"',
    `ca_file = "${join(dir, 'fleet-ca.crt')}"`,
    '[store]',
    `path = "${join(dir, 'var', 'edge.db')}"`,
    '[coap]',
    'host = "127.0.0.1"',
    'port = 5690',
    '[hj212]',
    'enabled = true',
    'port = 9300',
    '[future]',
    'mode = "fast"',
  ].join('\n')}\n`;
  writeFileSync(file, before);
  const init = await term.run([process.execPath, BIN, '--config', file, 'init', '--force']);
  await init.waitFor(
    /^cloud broker URL: mqtts:\/\/cloud\.jiaozuo\.example:8883 \(kept: this gateway is provisioned; --cloud-url changes it\)$/m,
  );
  for (const q of [
    /site name \[Jiefang Rd 12\]/,
    new RegExp(`data directory \\(store, cameras, agent socket\\) \\[${esc(join(dir, 'var'))}\\]`),
    /CoAP\/LwM2M bind address \(0\.0\.0\.0 = all interfaces\) \[127\.0\.0\.1\]/,
    /CoAP\/LwM2M UDP port \[5690\]/,
    /serve LwM2M devices \(y\/n\) \[y\]/,
    /manage ONVIF cameras \(y\/n\) \[y\]/,
    /serve HJ 212 pollution monitors \(TCP 9300\) \(y\/n\) \[y\]/,
    /serial device file \(empty = no RS-485 buses\)/,
  ]) {
    await init.waitFor(new RegExp(`^${q.source}: ?$`, 'm'));
    await init.type('');
  }
  t.equal(await init.exit(), 0, await init.screen());
  t.match(
    await init.screen(),
    new RegExp(
      `^wrote ${esc(file)} \\(the previous file is kept as ${esc(file)}\\.bak\\)\\nchanged nothing: every setting is as it was\\nnote: kept \\[future\\]: .*\\nnext: nothing to do: the settings are the ones the agent has \\(no restart needed\\)\\n`,
      'm',
    ),
  );
  const after = parseToml(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  const expected = parseToml(before) as Record<string, Record<string, unknown>>;
  // the questions answered with their defaults write those keys; their values are the same
  Object.assign(expected, { lwm2m: { enabled: true }, cameras: { enabled: true }, serial: { devices_file: '' } });
  t.same(after, expected, 'every key kept');
});

t.test('Ctrl-C stops the questions and writes nothing', async (t) => {
  const dir = tempDir('yw-cli-init-tty-');
  const term = new TmuxServer(dir);
  t.teardown(() => term.stop());
  const file = join(dir, 'edge.toml');
  const init = await term.run([process.execPath, BIN, '--config', file, 'init']);
  await init.waitFor(/cloud broker URL .*: ?$/m);
  await term.tmux(['send-keys', '-t', init.name, 'C-c']);
  t.equal(await init.exit(), 1);
  t.match(await init.screen(), /^error: init cancelled; nothing was written$/m);
  t.notOk(existsSync(file));
});
