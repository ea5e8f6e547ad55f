/** `yiwang-cloud rollout start|status|abort`: staged group config rollouts (docs/reference/config-rollout.md). */
import type { Command } from 'commander';
import type { RolloutRecord } from '../store/fleet-store.js';
import { apiRequest } from './api-client.js';
import { jsonOut, withApi, type ApiOpts } from './options.js';

type View = RolloutRecord & { applied: number; pending: number };

export function bar(done: number, total: number, width = 30): string {
  const f = total ? Math.round((done / total) * width) : width;
  return `[${'#'.repeat(f)}${'.'.repeat(width - f)}] ${done}/${total}`;
}

const print = (r: View): string => [
  `rollout ${r.id}  group ${r.group}  revision ${r.revision} (from ${r.previousRevision})  ${r.state}${r.reason ? `: ${r.reason}` : ''}`,
  `wave    ${r.wave + 1}/${r.waves.length} (${r.waves.join(', ')} %)`,
  `applied ${bar(r.applied, r.total)}  reached ${r.members.length}  failed ${Object.keys(r.failed).length}  pending ${r.pending}`,
  ...Object.entries(r.failed).map(([g, why]) => `  failed ${g}: ${why}`),
].join('\n');

export function register(program: Command): void {
  const c = program.command('rollout').description('roll a group configuration out in waves');
  withApi(c.command('start <group>').description('start a rollout of the group\'s latest (or --revision) layer'))
    .option('--revision <n>', 'group layer revision').option('--waves <list>', 'cumulative percentages', '1,10,50,100')
    .option('--soak <ms>', 'soak time per wave', '60000').option('--max-failed <ratio>', 'abort above this failed share', '0.1')
    .action(async (group: string, o: ApiOpts & { revision?: string; waves: string; soak: string; maxFailed: string }) => {
      const r = await apiRequest<View>(o.url, o.token, 'POST', '/api/v1/rollouts', {
        group, waves: o.waves.split(',').map(Number), soakMs: Number(o.soak), maxFailedRatio: Number(o.maxFailed), ...(o.revision ? { revision: Number(o.revision) } : {}),
      });
      console.log(jsonOut(program) ? JSON.stringify(r) : print(r));
    });
  withApi(c.command('status [id]').description('progress of one rollout, or all')).action(async (id: string | undefined, o: ApiOpts) => {
    const list = id ? [await apiRequest<View>(o.url, o.token, 'GET', `/api/v1/rollouts/${encodeURIComponent(id)}`)] : (await apiRequest<{ rollouts: View[] }>(o.url, o.token, 'GET', '/api/v1/rollouts')).rollouts;
    console.log(jsonOut(program) ? JSON.stringify(id ? list[0] : list, null, 2) : list.map(print).join('\n\n') || 'no rollouts');
  });
  withApi(c.command('abort <id>').description('abort a rollout; reached gateways return to the previous config')).action(async (id: string, o: ApiOpts) => {
    const r = await apiRequest<View>(o.url, o.token, 'POST', `/api/v1/rollouts/${encodeURIComponent(id)}/abort`);
    console.log(jsonOut(program) ? JSON.stringify(r) : print(r));
  });
}
