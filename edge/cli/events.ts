/** `yiwang-edge events`: the local alarm history (profile rule alarms, range checks, camera events), newest first. */
import type { Command } from 'commander';
import { localApiGet } from './local-api-client.js';
import { c, configAndSocket, emit, table } from './output.js';
import type { EventHistoryStats, HistoryEvent } from '../store/event-history.js';
import { YiwangError } from '../../common/errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** --since: an ISO date/time, or an age such as 30m, 2h, 7d (before now). */
export function sinceMs(text: string, now = Date.now()): number {
  const rel = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]!]!;
  const t = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(t))
    throw new YiwangError(
      'EDGE_ERR_BAD_REQUEST',
      `--since takes a time such as 2024-05-01T08:00 or an age such as 30m, 2h, 7d; not ${JSON.stringify(text)}`,
    );
  return t;
}

type Page = { events: HistoryEvent[] } & EventHistoryStats;

function render(p: Page, limit: number): string {
  const sev = (s: string): string => (s === 'critical' ? c.red(s) : s === 'warning' ? c.yellow(s) : s);
  const lines: string[] = [];
  if (p.events.length) {
    lines.push(
      table(
        ['time', 'device', 'event', 'severity', 'state', 'message'],
        p.events.map((e) => [
          new Date(e.tsMs).toISOString(),
          e.deviceId || '-',
          e.type,
          sev(e.severity),
          e.active ? 'raised' : 'cleared',
          e.message,
        ]),
      ),
    );
  } else lines.push('no events');
  const more = p.events.length === limit ? ` (the newest ${limit}; --limit for more)` : '';
  lines.push(
    `${p.events.length} shown${more}; the history holds ${p.held} of at most ${p.capRows}, ${p.raised} raised since the store was created${p.evicted ? `, ${p.evicted} oldest deleted past the cap` : ''}`,
  );
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('events')
    .description(
      'the local alarm history: events the agent raised (profile rule alarms and range checks, camera events), kept after the cloud has them, newest first (needs the running agent)',
    )
    .option('--since <time>', 'only events at or after this time: 2024-05-01T08:00, or an age such as 30m, 2h, 7d')
    .option('-n, --limit <n>', 'most events shown (at most 1000)', '50')
    .option('--device <id>', 'only the events of this device')
    .action(async (o: { since?: string; limit: string; device?: string }, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 0 || limit > 1000)
        throw new YiwangError('EDGE_ERR_BAD_REQUEST', `--limit takes 0 to 1000, not ${JSON.stringify(o.limit)}`);
      const q = new URLSearchParams({ limit: String(limit) });
      if (o.since !== undefined) q.set('since', String(sinceMs(o.since)));
      if (o.device !== undefined) q.set('device', o.device);
      const p = await localApiGet<Page>(socket, `/v1/events?${q.toString()}`);
      emit(cmd, p, () => render(p, limit));
    });
}
