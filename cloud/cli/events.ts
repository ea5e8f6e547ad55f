/** `yiwang-cloud events`: events and alarms of the fleet, newest first (GET /api/v1/events). */
import type { Command } from 'commander';
import type { EventRecord } from '../health/types.js';
import { apiRequest } from './api-client.js';
import { jsonOut, sinceMs, table, withApi, type ApiOpts } from './options.js';

interface EventsOpts extends ApiOpts {
  gateway?: string;
  device?: string;
  type?: string;
  since?: string;
  alarms?: boolean;
  open?: boolean;
  before?: string;
  limit: string;
}

export function register(program: Command): void {
  withApi(program.command('events').description('events (alarms, state changes) newest first, one page'))
    .option('--gateway <id>', "only this gateway's")
    .option('--device <id>', "only this device's")
    .option('--type <type>', 'only this type, e.g. leak, gateway_offline')
    .option('--since <when>', 'only since: a duration back (30m, 6h, 7d) or a time (ISO 8601, ms since the epoch)')
    .option('--alarms', 'only alarms (warning, critical)')
    .option('--open', 'only alarms not acknowledged yet')
    .option('--before <id>', 'start below this event id (paging)')
    .option('--limit <n>', 'rows (at most 1000)', '50')
    .action(async (o: EventsOpts) => {
      const q = new URLSearchParams({ limit: o.limit });
      for (const [k, v] of [
        ['gateway', o.gateway],
        ['device', o.device],
        ['type', o.type],
        ['before', o.before],
      ] as const)
        if (v !== undefined) q.set(k, v);
      if (o.since !== undefined) q.set('since', String(sinceMs(o.since)));
      if (o.alarms) q.set('alarms', 'true');
      if (o.open) q.set('open', 'true');
      const r = await apiRequest<{ events: EventRecord[] }>(o.url, o.token, 'GET', `/api/v1/events?${q}`);
      if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
      console.log(
        table(
          ['ID', 'WHEN', 'SEVERITY', 'GATEWAY', 'DEVICE', 'TYPE', 'STATE', 'MESSAGE'],
          r.events.map((e) => [
            e.id,
            new Date(e.tsMs).toISOString(),
            e.severity,
            e.gatewayId,
            e.deviceId || '—',
            e.type,
            e.alarm
              ? `${e.active ? 'active' : 'cleared'}${e.ackedMs ? `, acked by ${e.ackedBy}` : ', open'}`
              : e.active
                ? 'raised'
                : 'clear',
            e.message,
          ]),
        ),
      );
      const last = r.events[r.events.length - 1];
      if (last && r.events.length === Number(o.limit)) console.log(`more: --before ${last.id}`);
    });
}
