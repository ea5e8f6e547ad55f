/** `yiwang-cloud health summary`: the fleet on one screen, for a terminal. */
import type { Command } from 'commander';
import type { FleetSummary, KeyedFigures } from '../health/summary.js';
import { apiRequest } from './api-client.js';
import { jsonOut, pct, table, withApi, type ApiOpts } from './options.js';

const rows = (list: KeyedFigures[]): (string | number)[][] =>
  list.map((x) => [
    x.key || '(none)',
    x.gateways.total,
    x.gateways.online,
    x.gateways.degraded,
    x.gateways.offline,
    pct(x.devices.rate),
    x.devices.total,
    pct(x.cameras.rate),
    x.backlog.rows,
    x.alarms.open,
  ]);
const HEAD = [
  'KEY',
  'GATEWAYS',
  'ONLINE',
  'DEGRADED',
  'OFFLINE',
  'DEV ONLINE',
  'DEVICES',
  'CAM ONLINE',
  'BACKLOG',
  'ALARMS',
];

export function register(program: Command): void {
  const h = program.command('health').description('fleet health');
  withApi(
    h
      .command('summary')
      .description('gateways, devices, cameras, backlog and alarms, by district, group and device type'),
  )
    .option('--sites', 'also by site')
    .action(async (o: ApiOpts & { sites?: boolean }) => {
      const s = await apiRequest<FleetSummary & { tookMs: number }>(
        o.url,
        o.token,
        'GET',
        `/api/v1/health/summary${o.sites ? '?sites=true' : ''}`,
      );
      if (jsonOut(program)) return console.log(JSON.stringify(s, null, 2));
      console.log(
        `gateways  ${s.gateways.total} (online ${s.gateways.online}, degraded ${s.gateways.degraded}, offline ${s.gateways.offline})`,
      );
      console.log(`devices   ${s.devices.total} (${pct(s.devices.rate)} online)`);
      console.log(`cameras   ${s.cameras.total} (${pct(s.cameras.rate)} online)`);
      console.log(`backlog   ${s.backlog.rows} readings, ${s.backlog.bytes} bytes on the gateways`);
      console.log(`alarms    ${s.alarms.open} open`);
      for (const [title, list] of [
        ['by district', s.byDistrict],
        ['by group', s.byGroup],
        ...(s.bySite ? [['by site', s.bySite] as const] : []),
      ] as const) {
        if (list.length) console.log(`\n${title}\n${table(HEAD, rows(list))}`);
      }
      if (s.byType.length)
        console.log(
          `\nby device type\n${table(
            ['TYPE', 'DEVICES', 'ONLINE', 'RATE'],
            s.byType.map((x) => [x.key || '(unregistered)', x.devices.total, x.devices.online, pct(x.devices.rate)]),
          )}`,
        );
    });
}
