/** `yiwang-cloud alarms list|ack`: open alarms and their acknowledgement. */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import type { EventRecord } from '../health/types.js';
import { apiRequest } from './api-client.js';
import { ago, jsonOut, table, withApi, type ApiOpts } from './options.js';

export function register(program: Command): void {
  const a = program.command('alarms').description('alarms: events that need an operator');
  withApi(a.command('list').description('open (unacknowledged) alarms, newest first'))
    .option('--all', 'acknowledged ones too')
    .option('--gateway <id>', 'only this gateway')
    .option('--limit <n>', 'rows', '50')
    .action(async (o: ApiOpts & { all?: boolean; gateway?: string; limit: string }) => {
      const q = new URLSearchParams({ limit: o.limit });
      if (o.all) q.set('all', 'true');
      if (o.gateway) q.set('gateway', o.gateway);
      const r = await apiRequest<{ open: number; alarms: EventRecord[] }>(o.url, o.token, 'GET', `/api/v1/alarms?${q}`);
      if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
      console.log(
        table(
          ['ID', 'RAISED', 'SEVERITY', 'GATEWAY', 'DEVICE', 'TYPE', 'STATE', 'MESSAGE'],
          r.alarms.map((e) => [
            e.id,
            ago(e.tsMs),
            e.severity,
            e.gatewayId,
            e.deviceId || '—',
            e.type,
            `${e.active ? 'active' : 'cleared'}${e.ackedMs ? `, acked by ${e.ackedBy}` : ''}`,
            e.message,
          ]),
        ),
      );
      console.log(`${r.open} open`);
    });
  withApi(a.command('ack <ids...>').description('acknowledge alarms by id'))
    .option('--by <name>', 'who acknowledges (default: $USER, else operator)')
    .action(async (ids: string[], o: ApiOpts & { by?: string }) => {
      const by = o.by ?? (process.env.USER || 'operator');
      const done: EventRecord[] = [];
      for (const id of ids) {
        if (!/^\d+$/.test(id)) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `alarm id ${id} is not a number`);
        done.push(await apiRequest<EventRecord>(o.url, o.token, 'POST', `/api/v1/alarms/${id}/ack`, { by }));
      }
      console.log(
        jsonOut(program)
          ? JSON.stringify(done)
          : done.map((e) => `alarm ${e.id} (${e.type}) acknowledged by ${e.ackedBy}`).join('\n'),
      );
    });
}
