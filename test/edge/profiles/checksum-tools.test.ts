/**
 * Checksums as the integrator types them: the bytes a layout expects (in the frame's order) in the
 * PROFILE_ERR_CHECKSUM message, `profile test` and `profile decode`; `yiwang-edge profile checksum`
 * writing them; and `profile lint` counting the vectors it checks.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';
import { compileLayout, decodePayload, encodePayload } from '../../../edge/profiles/layout/index.js';
import { fixChecksums } from '../../../edge/profiles/layout/checksum-fix.js';
import { LIBRARY_DIR, loadForTools } from '../../../edge/profiles/tooling.js';
import { throwsCode } from '../../helpers/errors.js';
import { tempDir } from '../../helpers/fleet.js';
import { PROFILE_BINDINGS } from '../../../edge/profile-bindings.js';

const BIN = join(REPO_ROOT, 'dist', 'edge', 'cli', 'main.js');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '' } },
      (e, out, err) => resolve({ code: e ? Number((e as { code?: unknown }).code ?? 1) : 0, out, err }),
    ),
  );
}

const dir = tempDir('yw-prof-sum-');
mkdirSync(join(dir, 'acme'));
const PROFILE = join(dir, 'acme', 'wl-9.toml');
const profile = (vectors: string): void =>
  writeFileSync(
    PROFILE,
    `[profile]
vendor = "Acme"
model = "WL-9"
reporting_interval_s = 600
[match]
coap_path = "acme-wl9"
[layout]
endian = "big"
checksum = "crc16-modbus"
fields = [{ type = "u8", const = 0x7E }, { name = "level_mm", type = "i24", unit = "mm" }, { name = "battery", type = "u8", unit = "%" }]
[metrics.level_mm]
min = -5000
max = 30000
[metrics.battery]
min = 0
max = 100
${vectors}`,
  );

t.test("fixChecksums: the bytes each checksum needs, in the frame's order", async (t) => {
  const modbus = compileLayout(
    {
      checksum: 'crc16-modbus',
      fields: [
        { name: 'a', type: 'u8' },
        { name: 'b', type: 'u16' },
      ],
    },
    'x',
  );
  const good = encodePayload(modbus, { a: 1, b: 0x0203 });
  const fixed = fixChecksums(modbus, Uint8Array.of(1, 2, 3, 0, 0));
  t.equal(hex(fixed.bytes), hex(good), 'the frame the encoder writes');
  t.match(fixed.fixes, [
    {
      algorithm: 'crc16-modbus',
      from: 0,
      to: 2,
      at: 3,
      width: 2,
      was: '00 00',
      order: 'low byte first',
      fromEnd: true,
    },
  ]);
  t.equal(fixed.fixes[0]!.bytes, `${hex(good.subarray(3, 4))} ${hex(good.subarray(4, 5))}`, 'low byte first, as sent');
  t.equal(fixed.fixes[0]!.value, good[3]! | (good[4]! << 8));

  const big = compileLayout(
    { checksum: { type: 'crc16-xmodem', range: [0, 1], at: 2 }, fields: [{ name: 'v', type: 'u16' }] },
    'x',
  );
  const b = fixChecksums(big, bytes('313200FF')).fixes[0]!;
  t.equal(
    b.bytes,
    b.value
      .toString(16)
      .toUpperCase()
      .padStart(4, '0')
      .replace(/(..)(..)/, '$1 $2'),
    'high byte first',
  );
  t.equal(b.fromEnd, false);

  // A CRC over the body, then a sum over everything before it (the sum covers the CRC: written after it).
  const two = compileLayout(
    {
      checksum: [
        { type: 'crc16-xmodem', range: [1, -5], at: -4 },
        { type: 'sum8', range: [0, -3], at: -2 },
      ],
      fields: [
        { type: 'u8', const: 0x68 },
        { name: 'v', type: 'u16' },
        { type: 'u8', at: -1, const: 0x16 },
      ],
    },
    'x',
  );
  const frame = encodePayload(two, { v: 0x1234 });
  const blank = Uint8Array.from(frame);
  blank.fill(0, 3, 6);
  t.equal(hex(fixChecksums(two, blank).bytes), hex(frame), 'both, in the order the encoder writes them');

  // A message's own checksum.
  const sw = compileLayout(
    {
      fields: [{ name: 'kind', type: 'u8', hidden: true }],
      switch: 'kind',
      messages: {
        a: { when: 1, checksum: 'sum8', fields: [{ name: 'x', type: 'u8' }] },
        b: { when: 2, fields: [{ name: 'y', type: 'u16' }] },
      },
    },
    'x',
  );
  t.equal(hex(fixChecksums(sw, bytes('010500')).bytes), '010506');
  t.same(fixChecksums(sw, bytes('020506')).fixes, [], 'a message without a checksum');
  throwsCode(t, () => fixChecksums(modbus, Uint8Array.of(1)), 'PROFILE_ERR_LENGTH');
});

t.test("PROFILE_ERR_CHECKSUM names the bytes to type, in the frame's order", async (t) => {
  const l = compileLayout(
    {
      checksum: 'crc16-modbus',
      fields: [
        { type: 'u8', const: 0x7e },
        { name: 'level', type: 'i24' },
        { name: 'battery', type: 'u8' },
      ],
    },
    'x',
  );
  throwsCode(
    t,
    () => decodePayload(l, bytes('7E0009295C0000')),
    'PROFILE_ERR_CHECKSUM',
    /^payload: checksum crc16-modbus over bytes 0\.\.4: bytes 5\.\.6 must be C3 A1 \(0xA1C3, low byte first\), the payload has 00 00$/,
  );
  const one = compileLayout({ checksum: 'sum8', fields: [{ name: 'v', type: 'u8' }] }, 'x');
  throwsCode(
    t,
    () => decodePayload(one, bytes('0500')),
    'PROFILE_ERR_CHECKSUM',
    /^payload: checksum sum8 over bytes 0\.\.0: byte 1 must be 05 \(0x05\), the payload has 00$/,
  );
});

t.test(
  'profile test: a vector failing on its checksum prints itself fixed; a bad frame that passes says why',
  async (t) => {
    profile(`[[vectors]]
name = "normal"
hex = "7E0009295C0000"
readings = { level_mm = 2345, battery = 92 }
[[vectors]]
name = "corrupted"
hex = "7E0009295CC3A100"
error = "PROFILE_ERR_CHECKSUM"
`);
    const r = await cli('profile', 'test', PROFILE);
    t.equal(r.code, 1);
    t.match(
      r.out,
      'wl-9.toml vector "normal" (#1): error: PROFILE_ERR_CHECKSUM: payload: checksum crc16-modbus over bytes 0..4: bytes 5..6 must be C3 A1 (0xA1C3, low byte first), the payload has 00 00',
    );
    t.match(r.out, 'wl-9.toml vector "normal" (#1): with the checksum the layout computes: hex = "7E0009295CC3A1"');
    t.match(
      r.out,
      'wl-9.toml vector "corrupted" (#2): error: expected PROFILE_ERR_CHECKSUM, got readings level_mm=2345, battery=92',
    );
    t.match(
      r.out,
      'wl-9.toml vector "corrupted" (#2): the frame passes its checksum crc16-modbus: over bytes 0..5 it is A1 00, and bytes 6..7 carry it; the layout reads it from the last 2 bytes, so a byte appended to a good frame can still pass',
    );
  },
);

t.test('profile checksum: writes the checksum bytes, xx for unknown ones; decode shows them', async (t) => {
  profile('[[vectors]]\nhex = "7E0009295CC3A1"\nreadings = { level_mm = 2345, battery = 92 }\n');
  const r = await cli('profile', 'checksum', PROFILE, '7E 00 09 29 5C xx xx');
  t.equal(r.code, 0, r.err);
  t.equal(
    r.out,
    '7E0009295CC3A1\n  checksum crc16-modbus over bytes 0..4: bytes 5..6 = C3 A1 (0xA1C3, low byte first), was xx xx\n',
  );
  const unquoted = await cli('profile', 'checksum', PROFILE, '7E', '00', '09', '29', '5C', '00', '00');
  t.match(unquoted.out, /^7E0009295CC3A1\n.*was 00 00\n$/);
  const same = await cli('profile', 'checksum', PROFILE, '7E0009295CC3A1');
  t.match(same.out, /bytes 5\.\.6 = C3 A1 \(0xA1C3, low byte first\), already there/);
  const json = await cli('--json', 'profile', 'checksum', PROFILE, '7E0009295Cxxxx');
  t.match(JSON.parse(json.out), {
    profile: 'acme/wl-9',
    hex: '7E0009295CC3A1',
    changed: true,
    checksums: [{ algorithm: 'crc16-modbus', at: 5, bytes: 'C3 A1', was: 'xx xx', value: 0xa1c3 }],
  });
  const stray = await cli('profile', 'checksum', PROFILE, '7E xx 09 29 5C xx xx');
  t.equal(stray.code, 1);
  t.match(
    stray.err,
    /^error PROFILE_ERR_FORMAT: xx at byte 1 of the 7-byte frame is no checksum byte \(the checksum bytes are 5\.\.6\)/,
  );
  const junk = await cli('profile', 'checksum', PROFILE, '7E0G');
  t.match(junk.err, /^error PROFILE_ERR_FORMAT: the frame must be hex byte pairs/);
  const serial = await cli('profile', 'checksum', 'yiwang-ref/air-quality-station-modbus', '0104');
  t.equal(serial.code, 1);
  t.match(serial.err, /^error PROFILE_ERR_FORMAT: .*air-quality-station-modbus\.toml has no \[layout\]/);

  const dec = await cli('profile', 'decode', PROFILE, '--hex', '7E0009295CC3A2');
  t.equal(dec.code, 1);
  t.match(dec.out, /^ +5 \+2 +C3A2 +checksum crc16-modbus +✗ over bytes 0\.\.4 it must be C3 A1$/m);
  const ok = await cli('profile', 'decode', PROFILE, '--hex', '7E0009295CC3A1');
  t.match(ok.out, /^ +5 \+2 +C3A1 +checksum crc16-modbus +ok, over bytes 0\.\.4$/m);
});

t.test('profile lint counts the vectors of the profiles it checks', async (t) => {
  const { profiles } = await loadForTools([LIBRARY_DIR], PROFILE_BINDINGS);
  const declared = profiles.reduce((s, p) => s + p.vectors.length, 0);
  t.ok(declared > 30, `${declared} vectors in the library`);
  const r = await cli('profile', 'lint');
  t.equal(r.code, 0, r.out);
  t.match(r.out, new RegExp(`^profile lint: ${profiles.length} passed, 0 failed \\(${declared} vectors\\)$`, 'm'));
  const manhole = profiles.find((p) => p.id === 'yiwang-ref/manhole-cover')!;
  t.match(r.out, new RegExp(`^ok {3}yiwang-ref/manhole-cover {2}${manhole.vectors.length} vectors$`, 'm'));
  const json = JSON.parse((await cli('--json', 'profile', 'lint')).out) as {
    profiles: { id: string; vectorCount: number }[];
  };
  t.equal(json.profiles.find((p) => p.id === 'yiwang-ref/manhole-cover')?.vectorCount, manhole.vectors.length);
});
