/**
 * KEK rotation: every sealed key in pki.dir is re-sealed under a new KEK (`yiwang-cloud kek rotate`).
 * - Each file is replaced atomically (temp file, fsync, rename, directory fsync) and read back
 *   under the new KEK before the next one is touched, so every file is whole and under one of
 *   the two KEKs at any moment.
 * - A journal (pki.dir/kek-rotation.json: the two KEK ids) is written before the first file and
 *   removed after the last; while it is there the cloud refuses to start
 *   (CLOUD_ERR_KEK_ROTATION_INCOMPLETE). Running the same rotation again finishes it (files already
 *   under the new KEK are skipped); `revert` puts every file back under the old KEK.
 * Both KEKs are needed to resume or revert, since some files are under each.
 */
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../common/log.js';
import { YiwangError } from '../../common/errors.js';
import type { SealAlgorithm } from './algorithms.js';
import { openEnvelope, parseEnvelope, sealKey } from './envelope.js';
import { fsyncDir, readBounded, writeAtomic } from './files.js';
import { kekId, type Kek } from './kek.js';
import { ROTATION_JOURNAL, SEALED_SUFFIX } from './vault.js';

export interface RotationJournal {
  /** KEK ids (under `algorithm`) the rotation goes from and to. */
  from: string;
  to: string;
  algorithm: SealAlgorithm;
  startedMs: number;
  files: string[];
}

export interface RotateOptions {
  oldKek: Kek;
  newKek: Kek;
  /** The algorithm the new seals use (keys.algorithm). */
  algorithm: SealAlgorithm;
  /** Undo an interrupted rotation: every file back under oldKek. */
  revert?: boolean;
  log?: Logger;
  /** Test hook: called after each file is re-sealed (a throw simulates a crash there). */
  afterFile?: (name: string) => void;
}

export interface RotateResult {
  from: string;
  to: string;
  resealed: string[];
  /** Already under the target KEK (a resumed rotation). */
  skipped: string[];
  /** Clear key files found (sealed by the cloud at its next start with a KEK). */
  clear: string[];
  resumed: boolean;
}

export function readJournal(dir: string): RotationJournal | undefined {
  const path = join(dir, ROTATION_JOURNAL);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readBounded(path).toString('utf8')) as RotationJournal;
  } catch (err) {
    throw new YiwangError('CLOUD_ERR_KEY_UNSEAL', `${path}: not a rotation journal`, { cause: err });
  }
}

export function rotateKek(dir: string, o: RotateOptions): RotateResult {
  if (o.oldKek.material.equals(o.newKek.material))
    throw new YiwangError('CLOUD_ERR_KEK_INVALID', 'the new KEK is the old one');
  const journal = readJournal(dir);
  const alg = journal?.algorithm ?? o.algorithm;
  const oldId = kekId(o.oldKek, alg);
  const newId = kekId(o.newKek, alg);
  if (journal && (journal.from !== oldId || journal.to !== newId))
    throw new YiwangError(
      'CLOUD_ERR_KEK_MISMATCH',
      `the interrupted rotation goes from KEK ${journal.from} to ${journal.to} (${alg}); the KEKs given are ${oldId} and ${newId}: give those two`,
    );
  if (o.revert && !journal)
    throw new YiwangError('CLOUD_ERR_KEK_INVALID', `no interrupted rotation to revert in ${dir}`);
  const from = o.revert ? o.newKek : o.oldKek;
  const to = o.revert ? o.oldKek : o.newKek;
  const names = readdirSync(dir)
    .filter((f) => f.endsWith(SEALED_SUFFIX))
    .map((f) => f.slice(0, -SEALED_SUFFIX.length))
    .sort();
  const clear = readdirSync(dir)
    .filter((f) => f.endsWith('.key'))
    .sort();
  // open everything first: nothing is changed unless every file opens under one of the two KEKs
  const keys = names.map((name) => {
    const path = join(dir, name + SEALED_SUFFIX);
    const env = parseEnvelope(readBounded(path).toString('utf8'), path);
    const done = env.kek === kekId(to, env.alg) && env.alg === alg;
    const under = env.kek === kekId(to, env.alg) ? to : from;
    return { name, path, done, plain: openEnvelope(env, under, path, name) };
  });
  const jpath = join(dir, ROTATION_JOURNAL);
  if (!journal) {
    const j: RotationJournal = { from: oldId, to: newId, algorithm: alg, startedMs: Date.now(), files: names };
    writeAtomic(jpath, `${JSON.stringify(j)}\n`);
  }
  const result: RotateResult = {
    from: kekId(from, alg),
    to: kekId(to, alg),
    resealed: [],
    skipped: [],
    clear,
    resumed: !!journal,
  };
  for (const k of keys) {
    if (k.done) {
      result.skipped.push(k.name);
      continue;
    }
    writeAtomic(k.path, sealKey(k.name, k.plain, to, alg));
    const back = openEnvelope(parseEnvelope(readBounded(k.path).toString('utf8'), k.path), to, k.path, k.name);
    if (!back.equals(k.plain)) throw new YiwangError('CLOUD_ERR_KEY_UNSEAL', `${k.path} did not read back as written`);
    result.resealed.push(k.name);
    o.log?.info({ file: k.path, kekId: result.to }, 'keys at rest: re-sealed under the new KEK');
    o.afterFile?.(k.name);
  }
  for (const k of keys) k.plain.fill(0);
  unlinkSync(jpath);
  fsyncDir(dir);
  return result;
}
