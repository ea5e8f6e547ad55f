/**
 * `yiwang-edge profile checksum <profile> <hex…>`: the frame with the checksum bytes its profile's
 * [layout] computes, in the frame's byte order, ready to paste as a vector's `hex`. Unknown checksum
 * bytes may be written `xx`.
 */
import { PROFILE_BINDINGS } from '../profile-bindings.js';
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import { fixChecksums } from '../profiles/layout/checksum-fix.js';
import { findProfile, LIBRARY_DIR } from '../profiles/tooling.js';

/** The frame's bytes, and the offsets written `xx` (or `??`). Throws PROFILE_ERR_FORMAT for anything but hex pairs. */
export function parseFrameHex(text: string): { bytes: Uint8Array; unknown: number[] } {
  const s = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2}|xx|XX|\?\?)*$/.test(s) || s.length === 0) {
    throw new YiwangError(
      'PROFILE_ERR_FORMAT',
      `the frame must be hex byte pairs, spaces allowed, with xx for a checksum byte not known yet (got "${text}")`,
    );
  }
  const bytes = new Uint8Array(s.length / 2);
  const unknown: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const pair = s.slice(2 * i, 2 * i + 2);
    if (/^[0-9a-fA-F]{2}$/.test(pair)) bytes[i] = parseInt(pair, 16);
    else unknown.push(i);
  }
  return { bytes, unknown };
}

export function register(program: Command, parent: Command): void {
  parent
    .command('checksum')
    .argument('<profile>', 'a profile file, or a vendor/model id in the profile directories')
    .argument('<hex...>', 'the frame as hex (spaces allowed); write checksum bytes not known yet as xx')
    .option('--dir <dir...>', 'profile directories for an id (default: the bundled firmware-profiles/)')
    .description(
      "write the checksum bytes the profile's [layout] computes into a frame; prints the frame ready to paste as a vector's hex",
    )
    .action(async (arg: string, parts: string[], o: { dir?: string[] }) => {
      const { json } = program.opts<{ json?: boolean }>();
      const text = parts.join(' ');
      const { bytes, unknown } = parseFrameHex(text);
      const p = await findProfile(arg, o.dir ?? [LIBRARY_DIR], PROFILE_BINDINGS);
      if (!p.layout) {
        throw new YiwangError(
          'PROFILE_ERR_FORMAT',
          `${p.file} has no [layout]: profile checksum writes the checksums a [layout] declares (serial and HJ 212 frames carry their protocol's checksum; a script computes its own)`,
        );
      }
      const { bytes: fixed, fixes } = fixChecksums(p.layout, bytes);
      const covered = new Set(fixes.flatMap((f) => Array.from({ length: f.width }, (_, i) => f.at + i)));
      const stray = unknown.filter((i) => !covered.has(i));
      if (stray.length > 0) {
        const where = fixes.length
          ? `the checksum bytes are ${fixes.map((f) => `${f.at}..${f.at + f.width - 1}`).join(', ')}`
          : 'the layout declares no checksum';
        throw new YiwangError(
          'PROFILE_ERR_FORMAT',
          `xx at byte ${stray.join(', ')} of the ${bytes.length}-byte frame is no checksum byte (${where}); only checksum bytes can be left unknown`,
        );
      }
      const hex = Buffer.from(fixed).toString('hex').toUpperCase();
      // What was typed at each checksum's bytes (xx for unknown ones).
      const checksums = fixes.map((f) => ({
        ...f,
        was: Array.from({ length: f.width }, (_, i) => (unknown.includes(f.at + i) ? 'xx' : f.was.split(' ')[i])).join(
          ' ',
        ),
      }));
      if (json) {
        console.log(
          JSON.stringify({ profile: p.id, hex, changed: checksums.some((f) => f.bytes !== f.was), checksums }, null, 2),
        );
        return;
      }
      console.log(hex);
      if (fixes.length === 0) console.log(`  ${p.id}: the layout declares no checksum; the frame is unchanged`);
      for (const f of checksums) {
        const where = f.width === 1 ? `byte ${f.at}` : `bytes ${f.at}..${f.at + f.width - 1}`;
        const value = `0x${f.value
          .toString(16)
          .toUpperCase()
          .padStart(f.width * 2, '0')}${f.order ? `, ${f.order}` : ''}`;
        console.log(
          `  ${f.label} over bytes ${f.from}..${f.to}: ${where} = ${f.bytes} (${value}), ${f.bytes === f.was ? 'already there' : `was ${f.was}`}`,
        );
      }
    });
}
