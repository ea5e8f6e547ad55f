/** Helpers shared by the targets: where the real data lives, and invariants on decoded readings. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SHARED_DIR } from '../../../common/paths.js';
import type { Reading } from '../../../proto/reading.js';
import { InvariantError, type Seed } from '../lib/target.js';
import { utf8 } from '../lib/mutate.js';

export { REPO_ROOT, SHARED_DIR };

export const text = (name: string, s: string): Seed => ({ name, bytes: utf8(s) });
export const hex = (name: string, h: string): Seed => ({
  name,
  bytes: new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex')),
});
export const decodeUtf8 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
export const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** The `vectors` array of ../shared/vectors/<file> (empty when the shared data is absent). */
export function sharedVectors<V>(file: string): V[] {
  const path = join(SHARED_DIR, 'vectors', file);
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, 'utf8')) as { vectors: V[] }).vectors;
}

/** Files of a directory (recursively), with a name filter. */
export function filesUnder(dir: string, keep: (f: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, keep));
    else if (keep(e.name)) out.push(p);
  }
  return out.sort();
}

/**
 * The structural contract of a decoded reading: text device id and metric, a numeric timestamp and
 * a number, boolean or string value. Ranges (a safe-integer timestamp the cloud accepts, finite
 * numbers, id lengths) are the store's screen (edge/store/reading-check.ts), which quarantines a
 * reading that fails them whatever adapter made it; adapters may pass such readings on.
 */
export function checkReadings(readings: readonly Reading[], where: string): void {
  if (!Array.isArray(readings))
    throw new InvariantError(`${where}: decoder returned ${typeof readings}, not a list of readings`);
  for (const r of readings) {
    if (typeof r.deviceId !== 'string' || r.deviceId === '')
      throw new InvariantError(`${where}: reading without device id`);
    if (typeof r.metric !== 'string' || r.metric === '')
      throw new InvariantError(`${where}: reading of ${r.deviceId} without metric`);
    if (typeof r.ts !== 'number' || Number.isNaN(r.ts))
      throw new InvariantError(`${where}: reading ${r.deviceId}/${r.metric} has timestamp ${String(r.ts)}`);
    if (typeof r.value !== 'number' && typeof r.value !== 'boolean' && typeof r.value !== 'string')
      throw new InvariantError(`${where}: reading ${r.deviceId}/${r.metric} has a ${typeof r.value} value`);
  }
}

/**
 * Runs every step, even after one refuses: a coded refusal of one consumer must not hide a crash
 * in the next. An error `isCoded` does not accept is thrown at once; when every step refused, the
 * first refusal is thrown (the input counts as refused), else the input counts as accepted.
 */
export function all(isCoded: (err: unknown) => boolean, steps: readonly (() => unknown)[]): void {
  let refusal: unknown;
  let accepted = false;
  for (const s of steps) {
    try {
      s();
      accepted = true;
    } catch (err) {
      if (!isCoded(err)) throw err;
      refusal ??= err;
    }
  }
  if (!accepted && refusal !== undefined) throw refusal;
}

/** A private scratch directory (in memory when /dev/shm exists), removed when the process exits. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `yiwang-fuzz-${prefix}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
