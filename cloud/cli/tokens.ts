/** `yiwang-cloud tokens create|list|revoke`: claim tokens for provisioning (docs/reference/provisioning.md). */
import type { Command } from 'commander';
import type { ClaimRecord } from '../store/control-plane-store.js';
import { apiRequest } from './api-client.js';
import { jsonOut, table, withApi, type ApiOpts } from './options.js';

export function register(program: Command): void {
  const c = program.command('tokens').description('claim tokens with which gateways provision themselves');
  withApi(c.command('create').description('create a claim token (printed once)'))
    .option('--group <name>', 'group the gateways join', '')
    .option('--site <name>', 'site', '')
    .option('--district <name>', 'district', '')
    .option('--ttl <seconds>', 'lifetime (default: provisioning.claim_ttl_s)')
    .option('--uses <n>', 'how many gateways may use it', '1')
    .option('--note <text>', 'note', '')
    .action(
      async (
        o: ApiOpts & { group: string; site: string; district: string; ttl?: string; uses: string; note: string },
      ) => {
        const r = await apiRequest<{ token: string; claim: ClaimRecord }>(o.url, o.token, 'POST', '/api/v1/claims', {
          group: o.group,
          site: o.site,
          district: o.district,
          uses: Number(o.uses),
          note: o.note,
          ...(o.ttl ? { ttlS: Number(o.ttl) } : {}),
        });
        console.log(
          jsonOut(program)
            ? JSON.stringify(r)
            : `token   ${r.token}\nclaim   ${r.claim.id} group=${r.claim.group || '—'} uses=${r.claim.maxUses} expires=${new Date(r.claim.expiresMs).toISOString()}\n(give it to the technician: yiwang-edge provision --token …; it is not shown again)`,
        );
      },
    );
  withApi(c.command('list').description('claim tokens with their use counts')).action(async (o: ApiOpts) => {
    const r = await apiRequest<{ claims: ClaimRecord[] }>(o.url, o.token, 'GET', '/api/v1/claims');
    if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
    const now = Date.now();
    console.log(
      table(
        ['CLAIM', 'GROUP', 'SITE', 'USES', 'EXPIRES', 'STATE'],
        r.claims.map((x) => [
          x.id,
          x.group || '—',
          x.site || '—',
          `${x.uses}/${x.maxUses}`,
          new Date(x.expiresMs).toISOString(),
          x.revokedMs ? 'revoked' : now >= x.expiresMs ? 'expired' : x.uses >= x.maxUses ? 'used up' : 'valid',
        ]),
      ),
    );
  });
  withApi(c.command('revoke <claimId>').description('revoke a claim token')).action(async (id: string, o: ApiOpts) => {
    await apiRequest(o.url, o.token, 'DELETE', `/api/v1/claims/${encodeURIComponent(id)}`);
    console.log(jsonOut(program) ? JSON.stringify({ id, revoked: true }) : `claim ${id} revoked`);
  });
}
