/** What the integrator tools (`yiwang-edge profile …`) run, as functions the tests call directly. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isYiwangError, YiwangError } from '../../common/errors.js';
import { REPO_ROOT } from '../../common/paths.js';
import { ProfileIndex } from './index-match.js';
import { loadProfileDirs, loadProfileFile, profileFiles } from './load.js';
import type { BindingValidators } from './validate.js';
import { SHARED_DIR } from './include.js';
import { ScriptSandbox } from './sandbox.js';
import { unitErrors, unitWarnings } from './unit-lint.js';
import type { Profile } from './types.js';
import { runVectors, type VectorResult } from './vectors.js';

export const LIBRARY_DIR = resolve(REPO_ROOT, 'firmware-profiles');

/**
 * One profile's result. `vectors`: the vectors run (`profile test`; empty for `lint`, which does not
 * run them); `vectorCount`: how many [[vectors]] the profile declares (both tools).
 */
export interface ProfileReport {
  file: string;
  id?: string;
  ok: boolean;
  vectors: VectorResult[];
  vectorCount: number;
  errors: string[];
  warnings: string[];
}

/** The library's shared sets: what a profile checked on its own (an overlay's) may include. */
const LIBRARY_SHARED = join(LIBRARY_DIR, SHARED_DIR);

/** Loads profiles from files and directories, with the index checks (duplicates, overlaps) across all of them. */
export async function loadForTools(
  paths: readonly string[],
  bindings: BindingValidators,
): Promise<{ profiles: Profile[]; errors: YiwangError[] }> {
  const errors: YiwangError[] = [];
  const profiles: Profile[] = [];
  for (const p of paths) {
    if (!existsSync(p)) {
      errors.push(new YiwangError('PROFILE_ERR_READ', `${p}: no such file or directory`));
      continue;
    }
    if (statSync(p).isDirectory()) {
      const set = await loadProfileDirs([p], bindings, [LIBRARY_SHARED]);
      profiles.push(...set.profiles);
      errors.push(...set.errors);
      if (profileFiles(p).length === 0)
        errors.push(new YiwangError('PROFILE_ERR_READ', `${p}: no profile files (<vendor>/<model>.toml) found`));
    } else {
      try {
        profiles.push(loadProfileFile(p, bindings, dirname(dirname(resolve(p))), [LIBRARY_SHARED]));
      } catch (e) {
        if (!isYiwangError(e)) throw e;
        errors.push(e);
      }
    }
  }
  const index = new ProfileIndex(profiles, errors);
  return { profiles: profiles.filter((p) => index.byId.get(p.id) === p), errors };
}

/** A sandbox for a script profile (disposed by the caller), or undefined. */
export async function sandboxFor(p: Profile): Promise<ScriptSandbox | undefined> {
  return p.script ? ScriptSandbox.create(p.script, `${p.file} [script] ${p.script.file}`) : undefined;
}

/** `profile test`: every vector of every profile. */
export async function testProfiles(paths: readonly string[], bindings: BindingValidators): Promise<ProfileReport[]> {
  const { profiles, errors } = await loadForTools(paths, bindings);
  const reports: ProfileReport[] = errors.map((e) => ({
    file: e.message.split(':')[0]!,
    ok: false,
    vectors: [],
    vectorCount: 0,
    errors: [`${e.code}: ${e.message}`],
    warnings: [],
  }));
  for (const p of profiles) {
    let sandbox: ScriptSandbox | undefined;
    try {
      sandbox = await sandboxFor(p);
      const vectors = runVectors(p, sandbox);
      const problems = p.vectors.length === 0 ? ['no [[vectors]]: a profile is tested by its vectors'] : [];
      reports.push({
        file: p.file,
        id: p.id,
        ok: problems.length === 0 && vectors.every((v) => v.ok),
        vectors,
        vectorCount: p.vectors.length,
        errors: problems,
        warnings: [],
      });
    } catch (e) {
      reports.push({
        file: p.file,
        id: p.id,
        ok: false,
        vectors: [],
        vectorCount: p.vectors.length,
        errors: [isYiwangError(e) ? `${e.code}: ${e.message}` : String(e)],
        warnings: [],
      });
    } finally {
      sandbox?.dispose();
    }
  }
  return reports.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * `profile lint`: validation, index checks, one unit per metric name (PROFILE_ERR_UNIT, across the
 * profiles linted and the bundled library — `reference` — unless an overlay replaces them) and the
 * library's conventions (vectors, a bad frame, metrics).
 */
export async function lintProfiles(
  paths: readonly string[],
  bindings: BindingValidators,
  reference: readonly string[] = [LIBRARY_DIR],
): Promise<ProfileReport[]> {
  const { profiles, errors } = await loadForTools(paths, bindings);
  const reports: ProfileReport[] = errors.map((e) => ({
    file: e.message.split(':')[0]!,
    ok: false,
    vectors: [],
    vectorCount: 0,
    errors: [`${e.code}: ${e.message}`],
    warnings: [],
  }));
  const ids = new Set(profiles.map((p) => p.id));
  const others = reference.length
    ? (await loadProfileDirs(reference, bindings)).profiles.filter((p) => !ids.has(p.id))
    : [];
  const checked = new Set(profiles.map((p) => p.file));
  const units = unitErrors([...profiles, ...others], checked);
  const noUnit = unitWarnings([...profiles, ...others], checked);
  for (const p of profiles) {
    const unitProblems = (units.get(p.file) ?? []).map((m) => `PROFILE_ERR_UNIT: ${m}`);
    const warnings = [...p.warnings, ...(noUnit.get(p.file) ?? [])];
    if (unitProblems.length) {
      reports.push({
        file: p.file,
        id: p.id,
        ok: false,
        vectors: [],
        vectorCount: p.vectors.length,
        errors: unitProblems,
        warnings,
      });
      continue;
    }
    if (p.vectors.length < 3)
      warnings.push(`${p.file}: has ${p.vectors.length} vector(s); the library asks for at least 3`);
    if ((p.layout || p.script || p.wire) && !p.vectors.some((v) => v.error !== undefined))
      warnings.push(`${p.file}: no vector with a bad input (error = "PROFILE_ERR_…")`);
    if (p.metrics.size === 0)
      warnings.push(`${p.file}: no [metrics]: every decoded value passes unchecked, without a valid range`);
    if (p.reportingIntervalS === undefined)
      warnings.push(`${p.file}: no profile.reporting_interval_s: silent devices cannot be told from sleeping ones`);
    reports.push({
      file: p.file,
      id: p.id,
      ok: true,
      vectors: [],
      vectorCount: p.vectors.length,
      errors: [],
      warnings,
    });
  }
  return reports.sort((a, b) => a.file.localeCompare(b.file));
}

/** Resolves `profile decode`'s argument: a file, or a "vendor/model" id in the directories. */
export async function findProfile(arg: string, dirs: readonly string[], bindings: BindingValidators): Promise<Profile> {
  // the library's shared sets, as for lint and test (an overlay profile may include them)
  if (existsSync(arg) && statSync(arg).isFile())
    return loadProfileFile(arg, bindings, dirname(dirname(resolve(arg))), [LIBRARY_SHARED]);
  const set = await loadProfileDirs(dirs, bindings, [LIBRARY_SHARED]);
  const p = set.profiles.find((x) => x.id === arg || x.id === arg.replace(/\.toml$/, ''));
  if (!p) {
    const bad = set.errors.find((e) => e.message.startsWith(`${arg}.toml`) || e.message.startsWith(arg));
    if (bad) throw bad;
    throw new YiwangError(
      'PROFILE_ERR_NO_PROFILE',
      `no profile "${arg}" in ${dirs.join(', ')} (have: ${
        set.profiles
          .map((x) => x.id)
          .sort()
          .join(', ') || 'none'
      })`,
    );
  }
  return p;
}
