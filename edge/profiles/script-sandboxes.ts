/**
 * The script sandboxes (sandbox.ts) of the running profile set, by profile id: started for a newly
 * loaded set — a profile whose script is unchanged keeps its running sandbox, one whose script fails
 * to start is left out of the set — then swapped in, disposing those no longer used.
 */
import { isYiwangError, type YiwangError } from '../../common/errors.js';
import type { ProfileIndex } from './index-match.js';
import { ScriptSandbox } from './sandbox.js';

/** Sandboxes for the index's scripted profiles; a script that fails to start: its error in `errors`, its profile removed from `index`. */
export async function startSandboxes(
  index: ProfileIndex,
  running: ReadonlyMap<string, ScriptSandbox>,
  errors: YiwangError[],
): Promise<Map<string, ScriptSandbox>> {
  const next = new Map<string, ScriptSandbox>();
  for (const p of index.list()) {
    if (!p.script) continue;
    const old = running.get(p.id);
    if (
      old &&
      old.ref.source === p.script.source &&
      old.ref.memoryMb === p.script.memoryMb &&
      old.ref.timeoutMs === p.script.timeoutMs
    ) {
      next.set(p.id, old);
      continue;
    }
    try {
      next.set(p.id, await ScriptSandbox.create(p.script, `${p.file} [script] ${p.script.file}`));
    } catch (e) {
      if (!isYiwangError(e)) throw e;
      errors.push(e);
      index.byId.delete(p.id);
    }
  }
  return next;
}

/** Makes `running` hold `next` (in place: holders of the map see the new set), disposing the sandboxes not kept. */
export function replaceSandboxes(running: Map<string, ScriptSandbox>, next: ReadonlyMap<string, ScriptSandbox>): void {
  for (const [id, s] of running) if (next.get(id) !== s) s.dispose();
  running.clear();
  for (const [id, s] of next) running.set(id, s);
}

/** Disposes every sandbox (the runtime stops). */
export function disposeSandboxes(running: Map<string, ScriptSandbox>): void {
  for (const s of running.values()) s.dispose();
  running.clear();
}
