/**
 * The checksum bytes a layout expects in a frame, as the integrator types them: hex in the frame's
 * byte order (`C3 A1` for a CRC-16/MODBUS of 0xA1C3, sent low byte first). Used by the
 * PROFILE_ERR_CHECKSUM message, `profile test` (the vector with its checksum recomputed) and
 * `yiwang-edge profile checksum`.
 */
import { orderWords, spacedHex, checksumBytes } from './checksums.js';
import { checksumPlace } from './decode.js';
import type { ChecksumRule, Layout } from './types.js';

export interface ChecksumFix {
  /** `checksum crc16-modbus` */
  readonly label: string;
  readonly algorithm: string;
  /** Inclusive range checked and where the checksum lies, resolved for this frame. */
  readonly from: number;
  readonly to: number;
  readonly at: number;
  readonly width: number;
  readonly value: number;
  /** The bytes the frame must carry at `at` ("C3 A1") and the ones it had. */
  readonly bytes: string;
  readonly was: string;
  readonly order: string;
  /** The layout places it counting from the frame's end (bytes appended to a frame move it). */
  readonly fromEnd: boolean;
}

/** The checksum rules that apply to a frame: its message's (a switch layout) first, then the layout's — the order the encoder writes them. */
function rulesFor(layout: Layout, b: Uint8Array): readonly ChecksumRule[] {
  const sw = layout.switch;
  let inner: readonly ChecksumRule[] = [];
  if (sw !== undefined) {
    const pos = sw.op.fromEnd ? b.length + sw.op.at : sw.op.at;
    if (pos >= 0 && pos + sw.op.size <= b.length)
      inner = layout.messageByRaw.get(sw.readRaw(b, pos))?.frame.checksums ?? [];
  }
  return [...inner, ...layout.frame.checksums];
}

/**
 * The frame with every checksum of the layout written as the layout computes it, and what each one
 * is. Throws PROFILE_ERR_LENGTH when the frame is too short for a checksum. A frame without
 * checksums comes back unchanged with no fixes.
 */
export function fixChecksums(layout: Layout, bytes: Uint8Array): { bytes: Uint8Array; fixes: ChecksumFix[] } {
  const b = Uint8Array.from(bytes);
  const rules = rulesFor(layout, b);
  const before = rules.map((c) => {
    const p = checksumPlace(c, b.length, 'payload');
    return spacedHex(b.subarray(p.at, p.at + c.algorithm.width));
  });
  const fixes: ChecksumFix[] = [];
  for (const [i, c] of rules.entries()) {
    const p = checksumPlace(c, b.length, 'payload');
    const w = c.algorithm.width;
    const little = c.order === 'little';
    const value = c.algorithm.compute(b, p.from, p.to + 1);
    b.set(checksumBytes(value, w, little), p.at);
    fixes.push({
      label: c.label,
      algorithm: c.algorithm.name,
      from: p.from,
      to: p.to,
      at: p.at,
      width: w,
      value,
      bytes: spacedHex(b.subarray(p.at, p.at + w)),
      was: before[i]!,
      order: orderWords(w, little),
      fromEnd: c.at < 0,
    });
  }
  return { bytes: b, fixes };
}
