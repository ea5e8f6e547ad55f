/**
 * A rollout as the API and the CLI show it: the stored record with its counts. Everything comes
 * from the record, which the engine stops changing when the rollout (and its rollback) finished —
 * so a finished rollout's figures never change afterwards, whatever its gateways do later.
 */
import type { RolloutRecord, RolloutRollback, RolloutWave } from '../store/control-plane-store.js';
import { waveTargets } from './waves.js';

export interface RollbackView extends RolloutRollback {
  applied: number;
  failedCount: number;
  pending: number;
  total: number;
}

export interface RolloutView extends RolloutRecord {
  /** Reached gateways that confirmed their version and did not fail later. */
  applied: number;
  /** Reached gateways with no outcome yet. */
  pending: number;
  /** True once it completed, or aborted and its rollback finished: nothing changes any more. */
  finished: boolean;
  rollback: RollbackView | null;
}

/** Fills what records stored by earlier versions lack (numbers as waves, no plan, no outcome maps). */
export function normalizeRollout(raw: RolloutRecord): RolloutRecord {
  const r = { ...raw } as RolloutRecord & { waves: (string | number)[] };
  r.waves = r.waves.map((w) => (typeof w === 'number' ? `${w}%` : w));
  const targets = waveTargets(r.waves as string[], r.total);
  r.plan ??= r.waves.map(
    (spec, i): RolloutWave => ({
      spec: String(spec),
      target: targets[i]!,
      members: [],
      startedMs: null,
      endedMs: null,
    }),
  );
  r.appliedMs ??= {};
  r.deferred ??= {};
  r.deferOffline ??= false;
  r.finishedMs ??= r.state === 'running' ? null : r.updatedMs;
  r.rollback ??= null;
  return r as RolloutRecord;
}

export function rolloutView(raw: RolloutRecord): RolloutView {
  const r = normalizeRollout(raw);
  const failed = Object.keys(r.failed).length;
  const applied = Object.keys(r.appliedMs).filter((g) => !(g in r.failed)).length;
  const rb = r.rollback;
  const rollback: RollbackView | null = rb && {
    ...rb,
    applied: Object.keys(rb.appliedMs).length,
    failedCount: Object.keys(rb.failed).length,
    pending: Object.keys(rb.targets).length - Object.keys(rb.appliedMs).length - Object.keys(rb.failed).length,
    total: Object.keys(rb.targets).length,
  };
  return {
    ...r,
    applied,
    pending: r.members.length - applied - failed,
    finished: r.state !== 'running' && (!rb || rb.finishedMs !== null),
    rollback,
  };
}
