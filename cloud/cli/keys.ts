/** `yiwang-cloud keys list|create|revoke`: operator API keys (docs/reference/provisioning.md, "Operator API keys"). */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import type { ApiKeyRecord } from '../store/control-plane-store.js';
import { USER_ROLES } from '../auth/roles.js';
import { apiRequest } from './api-client.js';
import { jsonOut, table, withApi, type ApiOpts } from './options.js';

/** What `keys create --scope` takes: a role (cloud/auth/roles.ts), or the legacy read/admin of the bootstrap token. */
export const KEY_SCOPES = [...USER_ROLES, 'read', 'admin'] as string[];

export function register(program: Command): void {
  const k = program
    .command('keys')
    .description(
      "operator API keys of accounts: each has a role within its owner's and its owner's scope (a viewer key for a wallboard, a device_manager key for a script)",
    );
  withApi(k.command('list').description('API keys (never the keys themselves)')).action(async (o: ApiOpts) => {
    const r = await apiRequest<{ keys: ApiKeyRecord[] }>(o.url, o.token, 'GET', '/api/v1/keys');
    if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
    console.log(
      table(
        // OWNER once a key belongs to an account (keys made with the bootstrap token have none)
        ...(() => {
          const owners = r.keys.some((x) => x.owner);
          return [
            ['ID', 'NAME', 'SCOPE', ...(owners ? ['OWNER'] : []), 'CREATED', 'STATE'],
            r.keys.map((x) => [
              x.id,
              x.name || '—',
              x.scope,
              ...(owners ? [x.owner || '— (bootstrap)'] : []),
              new Date(x.createdMs).toISOString(),
              x.revokedMs ? `revoked ${new Date(x.revokedMs).toISOString()}` : 'valid',
            ]),
          ] as [string[], string[][]];
        })(),
      ),
    );
  });
  withApi(k.command('create').description('create a key (printed once; only its SHA-256 is kept)'))
    .option('--name <text>', 'what or who it is for', '')
    .option(
      '--scope <role>',
      `the key's role, within your own: ${KEY_SCOPES.join(', ')} (read and admin: only with the bootstrap token); default: your role (read with the bootstrap token)`,
    )
    .action(async (o: ApiOpts & { name: string; scope?: string }) => {
      if (o.scope !== undefined && !KEY_SCOPES.includes(o.scope))
        throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `--scope ${o.scope}: one of ${KEY_SCOPES.join(', ')}`);
      const r = await apiRequest<ApiKeyRecord & { key: string }>(o.url, o.token, 'POST', '/api/v1/keys', {
        name: o.name,
        ...(o.scope !== undefined ? { scope: o.scope } : {}),
      });
      console.log(
        jsonOut(program)
          ? JSON.stringify(r)
          : `key     ${r.key}\nid      ${r.id} scope=${r.scope}${r.name ? ` name=${r.name}` : ''}${r.owner ? ` owner=${r.owner}` : ''}\n(store it now: it is not shown again; use it with --token, YIWANG_CLOUD_TOKEN or \`yiwang-cloud login\`)`,
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
