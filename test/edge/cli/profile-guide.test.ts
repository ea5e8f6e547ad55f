/**
 * docs/guides/write-a-profile.md as written: its TOML blocks assembled into the profiles it builds,
 * and every `$ yiwang-edge …` line of it run with the built CLI in a copy of the repository's
 * firmware-profiles/, each printing what the guide shows. `profile simulate` runs against a real
 * agent that was started before the file was copied into its overlay directory (no restart).
 * The guide cannot drift from the tools without this test failing.
 */
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { BIN, startAgent, writeConfig, type CliResult } from './harness.js';
import { guideBlocks, guideCommands, normalise, outputPattern, type GuideCommand } from './guide-doc.js';

const md = readFileSync(join(REPO_ROOT, 'docs', 'guides', 'write-a-profile.md'), 'utf8');
const blocks = guideBlocks(md);
const commands = guideCommands(blocks);

const work = tempDir('yw-guide-');
const library = join(work, 'firmware-profiles');
cpSync(join(REPO_ROOT, 'firmware-profiles'), library, { recursive: true });
const overlay = join(work, 'etc-yiwang-profiles'); // the guide's /etc/yiwang/profiles
mkdirSync(overlay);
const config = writeConfig(work, { extra: `[profiles]\ndirs = ["${overlay}"]\nreload_ms = 100\n` });
const WL200 = join(library, 'acme', 'wl-200.toml');

/** The Acme WL-200 profile as far as the guide has written it before `at` (sections 1–6). */
const wl200Until = (at: number): string =>
  blocks
    .filter((b) => b.lang === 'toml' && b.section >= 1 && b.section <= 6 && b.at < at)
    .map((b) => b.text)
    .join('\n');

function run(argv: readonly string[]): Promise<CliResult> {
  const args = argv.map((a) => a.replace('/etc/yiwang/profiles', overlay));
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: work, env: { ...process.env, NO_COLOR: '', YIWANG_EDGE_CONFIG: config }, timeout: 60_000 },
      (e, out, err) =>
        resolve({
          code: e ? (typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : 1) : 0,
          out,
          err,
        }),
    ),
  );
}

async function asWritten(t: Test, c: GuideCommand): Promise<CliResult> {
  mkdirSync(join(library, 'acme'), { recursive: true });
  writeFileSync(WL200, wl200Until(c.at));
  const r = await run(c.argv.slice(1));
  t.equal(r.code, 0, `exit code 0: ${c.line}\n${r.out}${r.err}`);
  if (c.output.length > 0) t.match(normalise(r.out), outputPattern(c.output), `prints what the guide shows: ${c.line}`);
  return r;
}

t.test("the guide's commands are the ones this test knows", async (t) => {
  t.same(
    commands.map((c) => `${c.section} ${c.argv.slice(0, 3).join(' ')}`),
    [
      '2 yiwang-edge profile checksum',
      '2 yiwang-edge profile decode',
      '5 yiwang-edge profile test',
      '5 yiwang-edge profile lint',
      '5 yiwang-edge profile simulate',
      '8 yiwang-edge profile why',
    ],
  );
});

t.test('sections 2, 5 and 8: checksum, decode, test, lint and why run and print what the guide shows', async (t) => {
  for (const c of commands.filter((x) => x.argv[2] !== 'simulate'))
    await t.test(c.line, async (t) => {
      await asWritten(t, c);
    });
});

t.test("the guide's bad frame really fails its checksum, and the guide's whole profiles pass", async (t) => {
  writeFileSync(WL200, wl200Until(md.length));
  const corrupted = /name = "corrupted"\nhex = "([0-9A-F]+)"/.exec(md)?.[1];
  t.ok(corrupted, 'the guide has a "corrupted" vector');
  const d = await run(['profile', 'decode', WL200, '--hex', corrupted!]);
  t.equal(d.code, 1);
  t.match(
    d.out,
    /error PROFILE_ERR_CHECKSUM: payload: checksum crc16-modbus over bytes 0\.\.4: bytes 5\.\.6 must be 02 61 \(0x6102, low byte first\), the payload has C3 A1/,
    '"normal" with one byte changed: its CRC no longer matches',
  );
  const all = await run(['profile', 'test', WL200]);
  t.equal(all.code, 0, all.out);
  t.match(all.out, /^ok {3}acme\/wl-200 {2}4\/4 vectors$/m, 'with the downlink vector of section 6');
  // Section 9: the serial and the HJ 212 profiles, each a file of its own.
  const wired = blocks.filter((b) => b.lang === 'toml' && b.section === 9);
  t.equal(wired.length, 2);
  for (const [i, b] of wired.entries()) {
    const file = join(library, 'acme', i === 0 ? 'aq-7.toml' : 'ww-3.toml');
    writeFileSync(file, b.text);
    const r = await run(['profile', 'test', file]);
    t.equal(r.code, 0, r.out + r.err);
  }
  const lint = await run(['profile', 'lint', 'firmware-profiles']);
  t.equal(lint.code, 0, 'no duplicate or overlap with the library');
  t.match(lint.out, /^ok {3}acme\/wl-200 {2}4 vectors$/m);
});

t.test('section 5: simulate against an agent that picks the file up without restart', async (t) => {
  const c = commands.find((x) => x.argv[2] === 'simulate')!;
  writeFileSync(WL200, wl200Until(c.at));
  const agent = await startAgent(work, config);
  t.teardown(() => agent.stop());

  // Not loaded yet: said once, with where the file must go.
  const before = await run(['profile', 'simulate', 'firmware-profiles/acme/wl-200.toml', '--device', 'sim-before']);
  t.equal(before.code, 1);
  t.equal(before.out.split('\n').filter((l) => /FAIL|ok {3}/.test(l)).length, 0, 'no line per uplink');
  t.equal(before.err.match(/PROFILE_ERR_NOT_LOADED/g)?.length, 1, before.err);
  t.match(
    before.err,
    `error PROFILE_ERR_NOT_LOADED: the agent has not loaded acme/wl-200 (it answered the first uplink 4.04 EDGE_ERR_UNKNOWN_LAYOUT`,
  );
  t.match(
    before.err,
    `copy ${WL200} to ${join(overlay, 'acme', 'wl-200.toml')} (profiles.dirs of ${config}); the agent rescans them every 100 ms`,
  );

  // The guide: copy the file into the overlay of the running agent.
  mkdirSync(join(overlay, 'acme'));
  cpSync(WL200, join(overlay, 'acme', 'wl-200.toml'));
  const probe = new SimSensor('guide-probe', { host: '127.0.0.1', port: agent.coapPort });
  t.teardown(() => probe.close());
  const good = Buffer.from('7E0009295CC3A1', 'hex');
  await until(
    'the running agent loads acme/wl-200',
    async () => (await probe.sendRaw('acme-wl200', good)).code === '2.04',
    20_000,
    100,
  );
  await asWritten(t, c);
});
