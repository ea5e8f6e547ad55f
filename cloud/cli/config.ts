/** `yiwang-cloud config set|show|status`: desired configuration layers (docs/reference/config-rollout.md). */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { YiwangError } from '../../common/errors.js';
import { apiRequest } from './api-client.js';
import { jsonOut, withApi, type ApiOpts } from './options.js';

interface ScopeOpts extends ApiOpts { fleet?: boolean; group?: string; gateway?: string }
const path = (o: ScopeOpts): string => {
  if (o.fleet) return '/api/v1/config/fleet';
  if (o.group) return `/api/v1/config/groups/${encodeURIComponent(o.group)}`;
  if (o.gateway) return `/api/v1/config/gateways/${encodeURIComponent(o.gateway)}`;
  throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'give one of --fleet, --group NAME, --gateway ID');
};
const scoped = (c: Command): Command => withApi(c).option('--fleet', 'the fleet layer').option('--group <name>', 'a group layer').option('--gateway <id>', 'a gateway layer');

export function register(program: Command): void {
  const c = program.command('config').description('desired configuration (fleet, group, gateway layers)');
  scoped(c.command('set <file>').description('store a TOML file as the next revision of a layer'))
    .option('--staged', 'group layer: store only; deliver with `rollout start`')
    .action(async (file: string, o: ScopeOpts & { staged?: boolean }) => {
      const r = await apiRequest<{ scope: string; key: string; revision: number }>(o.url, o.token, 'PUT', path(o), { toml: readFileSync(file, 'utf8'), activate: !o.staged });
      console.log(jsonOut(program) ? JSON.stringify(r) : `${r.scope}${r.key ? ` ${r.key}` : ''} revision ${r.revision} stored${o.staged ? ' (staged)' : ''}`);
    });
  scoped(c.command('show').description('print the latest (or --revision) layer')).option('--revision <n>', 'revision')
    .action(async (o: ScopeOpts & { revision?: string }) => {
      const r = await apiRequest<{ revision: number; toml: string }>(o.url, o.token, 'GET', `${path(o)}${o.revision ? `?revision=${o.revision}` : ''}`);
      console.log(jsonOut(program) ? JSON.stringify(r, null, 2) : `# revision ${r.revision}\n${r.toml}`);
    });
  withApi(c.command('status <gatewayId>').description('desired and reported configuration of a gateway')).action(async (id: string, o: ApiOpts) => {
    const r = await apiRequest<{ desired: { version: number; label: string } | null; reported: { version: number; state: string; errorCode: string; detail: string; runningVersion: number } | null; inSync: boolean }>(o.url, o.token, 'GET', `/api/v1/config/status/${encodeURIComponent(id)}`);
    if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
    console.log(`desired   ${r.desired ? `v${r.desired.version} (${r.desired.label})` : '—'}`);
    console.log(`reported  ${r.reported ? `v${r.reported.version} ${r.reported.state}${r.reported.errorCode ? ` ${r.reported.errorCode}: ${r.reported.detail}` : ''}; running v${r.reported.runningVersion}` : '—'}`);
    console.log(`in sync   ${r.inSync ? 'yes' : 'no'}`);
  });
}
