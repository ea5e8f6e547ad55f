/** Text form of a rollout for `yiwang-cloud rollout start|status|abort` (docs/reference/config-rollout.md). */
import type { RolloutView } from '../rollout/view.js';

/** Gateways listed per wave (and per list of failed or deferred ones) unless `--members`. */
const SHOWN = 12;

export function bar(done: number, total: number, width = 30): string {
  const f = total ? Math.round((done / total) * width) : width;
  return `[${'#'.repeat(f)}${'.'.repeat(width - f)}] ${done}/${total}`;
}

const secs = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

function list(items: string[], all: boolean): string {
  if (all || items.length <= SHOWN) return items.join(', ');
  return `${items.slice(0, SHOWN).join(', ')}, … ${items.length - SHOWN} more (--members lists all)`;
}

function waveState(r: RolloutView, i: number): string {
  const w = r.plan[i]!;
  if (w.endedMs !== null)
    return w.members.length ? (r.state === 'aborted' && i === r.wave ? 'stopped' : 'done') : 'skipped';
  if (w.startedMs !== null)
    return r.state === 'running'
      ? Date.now() - r.waveStartedMs < r.soakMs
        ? 'soaking'
        : 'waiting for reports'
      : 'stopped';
  return r.state === 'running' ? 'next' : 'not sent';
}

const outcome = (r: RolloutView, g: string): string =>
  g in r.failed ? `${g} FAILED` : g in r.appliedMs ? `${g} ok` : `${g} pending`;

export function printRollout(r: RolloutView, allMembers = false): string {
  const failed = Object.entries(r.failed),
    deferred = Object.keys(r.deferred);
  const width = Math.max(...r.plan.map((w) => w.spec.length));
  const lines = [
    `rollout ${r.id}  group ${r.group}  revision ${r.revision} (from ${r.previousRevision})  ${r.state}${r.reason ? `: ${r.reason}` : ''}`,
    `plan    ${r.waves.join(', ')} of ${r.total} gateways; soak ${secs(r.soakMs)}; abort above ${r.maxFailedRatio * 100}% failed; offline gateways ${r.deferOffline ? 'deferred' : 'sent and counted'}`,
    ...r.plan.map((w, i) => {
      const head = `wave ${i + 1}/${r.plan.length}  ${w.spec.padEnd(width)}  to ${String(w.target).padStart(String(r.total).length)}  ${waveState(r, i).padEnd(8)}`;
      return w.members.length
        ? `${head}  ${list(
            w.members.map((g) => outcome(r, g)),
            allMembers,
          )}`
        : head.trimEnd();
    }),
    `applied ${bar(r.applied, r.total)}  reached ${r.members.length}  failed ${failed.length}  pending ${r.pending}  deferred ${deferred.length}`,
    ...(allMembers ? failed : failed.slice(0, SHOWN)).map(([g, why]) => `  failed ${g}: ${why}`),
    ...(failed.length > SHOWN && !allMembers ? [`  … ${failed.length - SHOWN} more failed (--members lists all)`] : []),
    ...(deferred.length
      ? [
          `  deferred (offline when their wave was sent${r.state === 'completed' ? '; sent the revision at the end' : ''}): ${list(deferred, allMembers)}`,
        ]
      : []),
  ];
  const rb = r.rollback;
  if (rb) {
    lines.push(
      `rollback ${bar(rb.applied, rb.total)} back on revision ${r.previousRevision}  failed ${rb.failedCount}  pending ${rb.pending}  ${rb.finishedMs === null ? 'running' : 'finished'}`,
    );
    const rf = Object.entries(rb.failed);
    lines.push(...(allMembers ? rf : rf.slice(0, SHOWN)).map(([g, why]) => `  rollback failed ${g}: ${why}`));
  }
  if (r.finished)
    lines.push(
      `finished ${new Date(rb?.finishedMs ?? r.finishedMs ?? r.updatedMs).toISOString()}; these figures are final`,
    );
  return lines.join('\n');
}
