/** `yiwang-cloud config set|show|status|diff`: desired configuration layers (docs/reference/config-rollout.md). */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { apiRequest } from './api-client.js';
import { jsonOut, withApi, type ApiOpts } from './options.js';
import { printPreview, registerDiff, type Preview } from './config-diff.js';
import { path, scoped, type ScopeOpts } from './config-scope.js';

export function register(program: Command): void {
  const c = program.command('config').description('desired configuration (fleet, group, gateway layers)');
  scoped(c.command('set <file>').description('store a TOML file as the next revision of a layer'))
    .option('--staged', 'group layer: store only; deliver with `rollout start`')
    .option(
      '--dry-run',
      "check it (the gateways' schema, every affected gateway's merged document) and show what would change; store nothing",
    )
    .action(async (file: string, o: ScopeOpts & { staged?: boolean; dryRun?: boolean }) => {
      const body = { toml: readFileSync(file, 'utf8'), activate: !o.staged };
      if (o.dryRun) {
        const p = await apiRequest<Preview>(o.url, o.token, 'PUT', path(o), { ...body, dryRun: true });
        return console.log(jsonOut(program) ? JSON.stringify(p, null, 2) : printPreview(p));
      }
      const r = await apiRequest<{ scope: string; key: string; revision: number }>(
        o.url,
        o.token,
        'PUT',
        path(o),
        body,
      );
      console.log(
        jsonOut(program)
          ? JSON.stringify(r)
          : `${r.scope}${r.key ? ` ${r.key}` : ''} revision ${r.revision} stored${o.staged ? ' (staged)' : ''}`,
      );
    });
  scoped(c.command('show').description('print the latest (or --revision) layer'))
    .option('--revision <n>', 'revision')
    .action(async (o: ScopeOpts & { revision?: string }) => {
      const r = await apiRequest<{ revision: number; toml: string }>(
        o.url,
        o.token,
        'GET',
        `${path(o)}${o.revision ? `?revision=${o.revision}` : ''}`,
      );
      console.log(jsonOut(program) ? JSON.stringify(r, null, 2) : `# revision ${r.revision}\n${r.toml}`);
    });
  withApi(c.command('status <gatewayId>').description('desired and reported configuration of a gateway')).action(
    async (id: string, o: ApiOpts) => {
      const r = await apiRequest<{
        desired: { version: number; label: string } | null;
        reported: { version: number; state: string; errorCode: string; detail: string; runningVersion: number } | null;
        inSync: boolean;
      }>(o.url, o.token, 'GET', `/api/v1/config/status/${encodeURIComponent(id)}`);
      if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
      console.log(`desired   ${r.desired ? `v${r.desired.version} (${r.desired.label})` : '—'}`);
      console.log(
        `reported  ${r.reported ? `v${r.reported.version} ${r.reported.state}${r.reported.errorCode ? ` ${r.reported.errorCode}: ${r.reported.detail}` : ''}; running v${r.reported.runningVersion}` : '—'}`,
      );
      console.log(`in sync   ${r.inSync ? 'yes' : 'no'}`);
    },
  );
  registerDiff(c, program);
}
