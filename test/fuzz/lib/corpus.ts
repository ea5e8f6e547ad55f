/**
 * Corpus files: test/fuzz/corpus/<target>/ holds one input per file, raw bytes:
 *   seed-*   written from real data (shared vectors, fixtures, profiles, test vectors)
 *   cov-*    kept by a coverage-guided run because they reached new code
 *   crash-*  regression cases: inputs that once broke the parser (named for what they are)
 * test/fuzz/corpus/<target>/pending/ holds crashing inputs whose fix is still open: they are not
 * replayed by `npm test` and `npm run fuzz -- <target> --replay pending` tells whether they pass yet.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';
import type { Seed } from './target.js';

/** test/fuzz in the source tree (corpora and crashes are kept there, not in dist/). */
export const FUZZ_DIR = join(REPO_ROOT, 'test', 'fuzz');
export const CORPUS_ROOT = join(FUZZ_DIR, 'corpus');

export function corpusDir(target: string, sub?: string): string {
  return sub ? join(CORPUS_ROOT, target, sub) : join(CORPUS_ROOT, target);
}

/** Every file of a corpus directory (not its subdirectories), sorted by name. */
export function readCorpus(target: string, sub?: string): Seed[] {
  const dir = corpusDir(target, sub);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.') && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
}

export const hashOf = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex');

/** Writes an input into the corpus; returns its path. Existing content is not written twice. */
export function saveInput(target: string, name: string, bytes: Uint8Array, sub?: string): string {
  const dir = corpusDir(target, sub);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** File-name-safe form of a seed's source name. */
export const slug = (s: string): string =>
  s
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 80);

/** Seeds and corpus files together, without duplicate content. */
export function dedupe(seeds: readonly Seed[]): Seed[] {
  const seen = new Set<string>();
  const out: Seed[] = [];
  for (const s of seeds) {
    const h = hashOf(s.bytes);
    if (seen.has(h)) continue;
    seen.add(h);
    out.push(s);
  }
  return out;
}
