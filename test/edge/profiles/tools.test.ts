/** `yiwang-edge profile …` as shipped (the built binary): test, lint, decode, why; exit codes and messages. */
import t from 'tap';
import { execFile } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../common/paths.js';
import { tempDir } from '../../helpers/fleet.js';

const exec = promisify(execFile);
const BIN = join(REPO_ROOT, 'dist', 'edge', 'cli', 'main.js');
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { cwd: REPO_ROOT });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

t.test('profile test passes the library and fails a wrong vector, naming vector and field', async (t) => {
  const ok = await cli('profile', 'test', 'firmware-profiles');
  t.equal(ok.code, 0, ok.out);
  t.match(ok.out, /profile test: \d+ passed, 0 failed/);
  const dir = tempDir('yw-prof-cli-');
  cpSync(
    join(REPO_ROOT, 'firmware-profiles', 'yiwang-ref', 'manhole-cover.toml'),
    join(dir, 'yiwang-ref', 'manhole-cover.toml'),
    { recursive: true },
  );
  const f = join(dir, 'yiwang-ref', 'manhole-cover.toml');
  writeFileSync(
    f,
    readFileSync(f, 'utf8').replace(
      'readings = { report = "heartbeat", battery = 87, tilt = 1.5,',
      'readings = { report = "heartbeat", battery = 87, tilt = 1.6,',
    ),
  );
  const bad = await cli('profile', 'test', dir);
  t.equal(bad.code, 1, 'exit code 1');
  t.match(bad.out, /manhole-cover\.toml vector "heartbeat" \(#1\): reading tilt: got 1\.5, expected 1\.6/);
  t.match(bad.out, /profile test: 0 passed, 1 failed/);
});

t.test('profile lint, decode and why', async (t) => {
  const lint = await cli('profile', 'lint');
  t.equal(lint.code, 0, lint.out);
  const dec = await cli('profile', 'decode', 'yiwang-ref/manhole-cover', '--hex', 'A5 02 56 00 98 01 00 76 0C');
  t.equal(dec.code, 0, dec.out);
  t.match(dec.out, /field "tilt"\s+tilt = 15\.2 deg/);
  t.match(dec.out, /event cover_tilt raised/);
  const broken = await cli(
    '--json',
    'profile',
    'decode',
    'firmware-profiles/yiwang-ref/manhole-cover.toml',
    '--hex',
    'A50157000F00007885',
  );
  t.equal(broken.code, 1);
  t.equal((JSON.parse(broken.out) as { error: { code: string } }).error.code, 'PROFILE_ERR_CHECKSUM');
  const why = await cli('profile', 'why', '--device', 'urn:imei:1', '--objects', '3,3303,3304');
  t.match(why.out, /urn:imei:1 → oma\/generic-ipso/);
  const none = await cli('profile', 'decode', 'acme/none', '--hex', '00');
  t.equal(none.code, 1);
  t.match(none.out, /PROFILE_ERR_NO_PROFILE/);
});
