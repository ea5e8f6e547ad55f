/** `yiwang-cloud gateways list|add`: through the HTTP API of a running cloud. */
import type { Command } from 'commander';
import { apiRequest } from './api-client.js';

interface Gw { id: string; online: boolean; lastSeenMs: number | null; batches: number; readings: number }

export function register(program: Command): void {
  const g = program.command('gateways').description('gateways of the fleet');
  const common = (c: Command): Command => c
    .option('--url <url>', 'cloud HTTP API', process.env.YIWANG_CLOUD_URL ?? 'http://127.0.0.1:8080')
    .option('--token <token>', 'API bearer token', process.env.YIWANG_CLOUD_TOKEN ?? '');
  common(g.command('list').description('list gateways')).action(async (o: { url: string; token: string }) => {
    const { json } = program.opts<{ json?: boolean }>();
    const r = await apiRequest<{ gateways: Gw[] }>(o.url, o.token, 'GET', '/api/v1/gateways');
    if (json) return console.log(JSON.stringify(r.gateways, null, 2));
    console.log(['ID'.padEnd(24), 'ONLINE', 'BATCHES'.padStart(9), 'READINGS'.padStart(10)].join('  '));
    for (const x of r.gateways) console.log([x.id.padEnd(24), (x.online ? 'yes' : 'no').padEnd(6), String(x.batches).padStart(9), String(x.readings).padStart(10)].join('  '));
  });
  common(g.command('add <id>').description('register a gateway; prints its secret once')).action(async (id: string, o: { url: string; token: string }) => {
    const { json } = program.opts<{ json?: boolean }>();
    const r = await apiRequest<{ id: string; secret: string }>(o.url, o.token, 'POST', '/api/v1/gateways', { id });
    console.log(json ? JSON.stringify(r) : `gateway ${r.id}\nsecret  ${r.secret}\n(store the secret now: it is not shown again)`);
  });
}
