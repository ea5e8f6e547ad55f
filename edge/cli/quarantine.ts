/** `yiwang-edge quarantine`: readings refused one by one (at the edge or by the cloud), by reason, newest first. */
import type { Command } from 'commander';
import type { QuarantineView } from '../api/fault-routes.js';
import { c, facts, listCommand, table } from './output.js';

export function render(v: QuarantineView): string {
  const t = v.totals;
  const reasons =
    Object.entries(t.byReason)
      .sort(([, a], [, b]) => b - a)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ') || 'none';
  const head = facts([
    [
      'quarantined',
      `${t.readings} readings (${t.fromEdge} refused at the edge, ${t.fromCloud} by the cloud) since the store was created`,
    ],
    ['by reason', t.readings ? c.red(reasons) : reasons],
    ['kept', `${t.entries} entries of at most ${t.capEntries} (${t.evicted} older ones evicted)`],
  ]);
  if (v.entries.length === 0) return head;
  return `${head}\n\n${table(
    ['at', 'from', 'device', 'metric', 'readings', 'reason', 'detail'],
    v.entries.map((e) => [
      new Date(e.atMs).toISOString(),
      e.source,
      e.deviceId || '-',
      e.metric || '-',
      String(e.count),
      e.code,
      e.detail,
    ]),
  )}`;
}

export function register(program: Command): void {
  listCommand<QuarantineView>(program, {
    name: 'quarantine',
    path: '/v1/quarantine',
    limitHelp: 'how many entries to show',
    render,
    description:
      'readings refused one by one — at the edge (bad timestamp, value, id or name) or by the cloud within a stored batch — with totals by reason, newest first (needs the running agent)',
  });
}
