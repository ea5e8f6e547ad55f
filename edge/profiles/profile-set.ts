/**
 * One load of the runtime's profile directories: their signature (files, sizes, mtimes — a changed
 * one means a reload is due), the profiles indexed, and the script sandboxes of that set.
 */
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { YiwangError } from '../../common/errors.js';
import { ProfileIndex } from './index-match.js';
import { loadProfileDirs, type LoadedSet } from './load.js';
import type { BindingValidators } from './validate.js';
import type { ScriptSandbox } from './sandbox.js';
import { startSandboxes } from './script-sandboxes.js';

/** A profile set ready to run: load.ts's LoadedSet indexed, with its sandboxes. */
export interface RunningSet {
  /** dirsSignature() taken before the files were read. */
  signature: string;
  index: ProfileIndex;
  /** Load problems (bad files, duplicates, overlaps, scripts that fail to start). */
  errors: YiwangError[];
  /** Sandboxes by profile id, for the running set's replaceSandboxes. */
  sandboxes: Map<string, ScriptSandbox>;
  /** Overlay profiles that replace a library profile. */
  overridden: LoadedSet['overridden'];
}

/** Files, sizes and mtimes of every profile directory (cheap; a changed signature triggers a reload). */
export function dirsSignature(dirs: readonly string[]): string {
  const parts: string[] = [];
  const walk = (d: string, depth: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory() && depth < 2 && !e.name.startsWith('.')) walk(p, depth + 1);
      else if (e.isFile() && /\.(toml|m?js)$/.test(e.name)) {
        try {
          const s = statSync(p);
          parts.push(`${p}:${s.size}:${s.mtimeMs}`);
        } catch {
          /* removed meanwhile */
        }
      }
    }
  };
  for (const d of dirs) walk(d, 0);
  return parts.sort().join('\n');
}

/** Reads the directories into a new set; `running` are the current set's sandboxes (unchanged scripts keep theirs). */
export async function loadProfileSet(
  dirs: readonly string[],
  running: ReadonlyMap<string, ScriptSandbox>,
  bindings: BindingValidators,
): Promise<RunningSet> {
  const signature = dirsSignature(dirs);
  const set = await loadProfileDirs(dirs, bindings);
  const errors = [...set.errors];
  const index = new ProfileIndex(set.profiles, errors);
  const sandboxes = await startSandboxes(index, running, errors);
  return { signature, index, errors, sandboxes, overridden: set.overridden };
}
