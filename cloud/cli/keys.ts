/** `yiwang-cloud keys list|create|revoke`: operator API keys (docs/reference/provisioning.md, "Operator API keys"). */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import type { ApiKeyRecord } from '../store/control-plane-store.js';
import { apiRequest } from './api-client.js';
import { jsonOut, table, withApi, type ApiOpts } from './options.js';

export function register(program: Command): void {
  const k = program
    .command('keys')
    .description('operator API keys: read-only ones for dashboards and scripts, admin ones for operators');
  withApi(k.command('list').description('API keys (never the keys themselves)')).action(async (o: ApiOpts) => {
    const r = await apiRequest<{ keys: ApiKeyRecord[] }>(o.url, o.token, 'GET', '/api/v1/keys');
    if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
    console.log(
      table(
        ['ID', 'NAME', 'SCOPE', 'CREATED', 'STATE'],
        r.keys.map((x) => [
          x.id,
          x.name || '—',
          x.scope,
          new Date(x.createdMs).toISOString(),
          x.revokedMs ? `revoked ${new Date(x.revokedMs).toISOString()}` : 'valid',
        ]),
      ),
    );
  });
  withApi(k.command('create').description('create a key (printed once; only its SHA-256 is kept)'))
    .option('--name <text>', 'what or who it is for', '')
    .option('--scope <scope>', 'read (GET only) or admin', 'read')
    .action(async (o: ApiOpts & { name: string; scope: string }) => {
      if (o.scope !== 'read' && o.scope !== 'admin')
        throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `--scope ${o.scope}: read or admin`);
      const r = await apiRequest<ApiKeyRecord & { key: string }>(o.url, o.token, 'POST', '/api/v1/keys', {
        name: o.name,
        scope: o.scope,
      });
      console.log(
        jsonOut(program)
          ? JSON.stringify(r)
          : `key     ${r.key}\nid      ${r.id} scope=${r.scope}${r.name ? ` name=${r.name}` : ''}\n(store it now: it is not shown again; use it with --token, YIWANG_CLOUD_TOKEN or \`yiwang-cloud login\`)`,
      );
    });
  withApi(k.command('revoke <id>').description('revoke a key by its id (from `keys list`)')).action(
    async (id: string, o: ApiOpts) => {
      const r = await apiRequest<{ id: string; revoked: boolean }>(
        o.url,
        o.token,
        'DELETE',
        `/api/v1/keys/${encodeURIComponent(id)}`,
      );
      console.log(jsonOut(program) ? JSON.stringify(r) : `key ${r.id} revoked`);
    },
  );
}
