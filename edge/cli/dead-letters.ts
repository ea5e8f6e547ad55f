/** `yiwang-edge dead-letters`: single readings (or events) the cloud rejected whole, kept and never resent. */
import type { Command } from 'commander';
import type { DeadLettersView } from '../api/fault-routes.js';
import { c, facts, listCommand, table } from './output.js';

export function render(v: DeadLettersView): string {
  const t = v.totals;
  const head = facts([
    [
      'dead letters',
      t.batches ? c.red(`${t.batches} batches (${t.readings} readings) since the store was created`) : '0',
    ],
    ['kept', `${t.held} of at most ${t.capRows} (${t.evicted} older ones evicted)`],
  ]);
  if (v.entries.length === 0) return head;
  return `${head}\n\n${table(
    ['seq', 'at', 'cloud code', 'device', 'metric', 'ts', 'value', 'detail'],
    v.entries.map((e) => {
      const r = e.content[0],
        q = e.refused[0];
      const what = r
        ? [r.deviceId, r.metric, String(r.ts), String(r.value)]
        : q
          ? [q.deviceId, q.metric, '-', '-']
          : [e.events ? `${e.events} event(s)` : '-', '-', '-', '-'];
      const why = e.decodeError ?? (q ? `${q.code}: ${q.detail}` : undefined);
      return [
        String(e.seq),
        new Date(e.atMs).toISOString(),
        e.errorCode,
        ...what,
        why ? `${e.detail} (${why})` : e.detail,
      ];
    }),
  )}`;
}

export function register(program: Command): void {
  listCommand<DeadLettersView>(program, {
    name: 'dead-letters',
    path: '/v1/dead-letters',
    limitHelp: 'how many to show',
    render,
    description:
      "batches the cloud rejected whole once bisection isolated them (one reading or event each): what they held and the cloud's error, newest first (needs the running agent)",
  });
}
