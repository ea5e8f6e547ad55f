/** `yiwang-cloud rollout start|status|abort`: staged group config rollouts (docs/reference/config-rollout.md). */
import type { Command } from 'commander';
import type { RolloutView } from '../rollout/view.js';
import { apiRequest } from './api-client.js';
import { jsonOut, withApi, type ApiOpts } from './options.js';
import { printRollout } from './rollout-print.js';
import { latestRunning, watchRollout, type WatchOptions } from './rollout-watch.js';

interface ShowOpts extends ApiOpts {
  watch?: boolean;
  interval: string;
  members?: boolean;
}

const watchOpts = (c: Command): Command =>
  c
    .option('--watch', 'follow it until it finishes (redrawn in place on a terminal); exit status 1 if it aborts')
    .option('--interval <ms>', 'polling interval of --watch', '1000')
    .option('--members', 'list every gateway of each wave (default: the first 12)');

export function register(program: Command): void {
  const c = program.command('rollout').description('roll a group configuration out in waves');
  const wo = (o: ShowOpts): WatchOptions => ({
    url: o.url,
    token: o.token,
    intervalMs: Math.max(100, Number(o.interval) || 1000),
    json: jsonOut(program),
    members: o.members === true,
  });
  watchOpts(
    withApi(c.command('start <group>').description("start a rollout of the group's latest (or --revision) layer")),
  )
    .option('--revision <n>', 'group layer revision')
    .option(
      '--waves <list>',
      'cumulative steps: N gateways or P% of the group, e.g. 1,5,50% (a final 100% is added when missing)',
      '1,10%,50%,100%',
    )
    .option('--soak <ms>', 'soak time per wave', '60000')
    .option('--max-failed <ratio>', 'abort above this failed share of the gateways reached', '0.1')
    .option(
      '--no-defer-offline',
      'send gateways that are offline when their wave goes out, and count them (silent past the soak = failed)',
    )
    .action(
      async (
        group: string,
        o: ShowOpts & { revision?: string; waves: string; soak: string; maxFailed: string; deferOffline: boolean },
      ) => {
        const r = await apiRequest<RolloutView>(o.url, o.token, 'POST', '/api/v1/rollouts', {
          group,
          waves: o.waves.split(',').map((w) => w.trim()),
          soakMs: Number(o.soak),
          maxFailedRatio: Number(o.maxFailed),
          deferOffline: o.deferOffline,
          ...(o.revision ? { revision: Number(o.revision) } : {}),
        });
        if (o.watch) return watchRollout(r.id, wo(o));
        console.log(jsonOut(program) ? JSON.stringify(r) : printRollout(r, o.members));
      },
    );
  watchOpts(withApi(c.command('status [id]').description('progress of one rollout, or all'))).action(
    async (id: string | undefined, o: ShowOpts) => {
      if (o.watch) return watchRollout(id ?? (await latestRunning(wo(o))), wo(o));
      const list = id
        ? [await apiRequest<RolloutView>(o.url, o.token, 'GET', `/api/v1/rollouts/${encodeURIComponent(id)}`)]
        : (await apiRequest<{ rollouts: RolloutView[] }>(o.url, o.token, 'GET', '/api/v1/rollouts')).rollouts;
      console.log(
        jsonOut(program)
          ? JSON.stringify(id ? list[0] : list, null, 2)
          : list.map((r) => printRollout(r, o.members)).join('\n\n') || 'no rollouts',
      );
    },
  );
  withApi(
    c.command('abort <id>').description('abort a rollout; reached gateways return to the previous config'),
  ).action(async (id: string, o: ApiOpts) => {
    const r = await apiRequest<RolloutView>(o.url, o.token, 'POST', `/api/v1/rollouts/${encodeURIComponent(id)}/abort`);
    console.log(jsonOut(program) ? JSON.stringify(r) : printRollout(r));
  });
}
