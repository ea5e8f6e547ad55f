/** `yiwang-cloud gateways list|show|add|tag|revoke|remove`: through the HTTP API of a running cloud. */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import type { GatewayRow } from '../health/gateway-table.js';
import type { EventRecord, GatewayHealthRecord, BacklogPoint, GatewayTags } from '../health/types.js';
import { apiRequest } from './api-client.js';
import { ago, jsonOut, table, withApi, type ApiOpts } from './options.js';

interface Detail {
  gateway: { id: string; createdMs: number; batches: number; readings: number; revokedMs: number | null };
  status: Omit<GatewayHealthRecord, 'status'> & { status: string };
  devices: { total: number; online: number };
  alarms: { open: number };
  events: EventRecord[];
  backlog: BacklogPoint[];
}
type TagOpts = ApiOpts &
  Partial<Record<keyof GatewayTags, string>> &
  Partial<Record<`clear${Capitalize<keyof GatewayTags>}`, boolean>>;
const TAGS = ['district', 'site', 'group'] as const;

/** The tags a `tag` command changes: each given one (--x '' or --clear-x clears it); the others stay. */
export function tagChanges(o: TagOpts): Partial<GatewayTags> {
  const out: Partial<GatewayTags> = {};
  for (const k of TAGS) {
    const clear = o[`clear${k[0]!.toUpperCase()}${k.slice(1)}` as `clear${Capitalize<keyof GatewayTags>}`];
    if (clear && o[k] !== undefined && o[k] !== '')
      throw new YiwangError(
        'CLOUD_ERR_BAD_REQUEST',
        `--${k} ${JSON.stringify(o[k])} and --clear-${k} contradict each other`,
      );
    if (clear) out[k] = '';
    else if (o[k] !== undefined) out[k] = o[k];
  }
  if (!Object.keys(out).length)
    throw new YiwangError(
      'CLOUD_ERR_BAD_REQUEST',
      'give at least one of --district, --site, --group (or --clear-district, --clear-site, --clear-group)',
    );
  return out;
}

interface ListOpts extends ApiOpts {
  status?: string;
  reason?: string;
  filter?: string;
  district?: string;
  sort: string;
  desc?: boolean;
  limit: string;
  offset: string;
}

export function register(program: Command): void {
  const g = program.command('gateways').description('gateways of the fleet');
  withApi(g.command('list').description('gateways with status, backlog and devices (one page)'))
    .option('--status <status>', 'online, degraded, offline or revoked')
    .option('--reason <reason>', 'degraded reason, e.g. backlog')
    .option('--filter <text>', 'part of the id, district, site or group')
    .option('--district <name>', 'only this district')
    .option('--sort <key>', 'id, status, since, lastHeard, backlog, oldestAge, devices, district', 'id')
    .option('--desc', 'descending')
    .option('--limit <n>', 'rows', '50')
    .option('--offset <n>', 'skip rows', '0')
    .action(async (o: ListOpts) => {
      const q = new URLSearchParams({ sort: o.sort, order: o.desc ? 'desc' : 'asc', limit: o.limit, offset: o.offset });
      for (const k of ['status', 'reason', 'district'] as const) if (o[k]) q.set(k, o[k] as string);
      if (o.filter) q.set('q', o.filter);
      const r = await apiRequest<{ total: number; offset: number; items: GatewayRow[] }>(
        o.url,
        o.token,
        'GET',
        `/api/v1/health/gateways?${q}`,
      );
      if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
      console.log(
        table(
          ['ID', 'STATUS', 'SINCE', 'DISTRICT', 'SITE', 'BACKLOG', 'DEVICES', 'REASONS'],
          r.items.map((x) => [
            x.id,
            x.status,
            ago(x.sinceMs),
            x.district || '—',
            x.site || '—',
            x.backlogRows,
            `${x.devicesOnline}/${x.devicesTotal}`,
            x.reasons.join(',') || '—',
          ]),
        ),
      );
      console.log(`${r.offset + 1}–${r.offset + r.items.length} of ${r.total}`);
    });
  withApi(
    g.command('show <id>').description('one gateway: status, health figures, devices, alarms, recent events'),
  ).action(async (id: string, o: ApiOpts) => {
    const r = await apiRequest<Detail>(o.url, o.token, 'GET', `/api/v1/health/gateways/${encodeURIComponent(id)}`);
    if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
    const s = r.status,
      h = s.health;
    const lines: [string, string][] = [
      ['gateway', r.gateway.id],
      [
        'status',
        r.gateway.revokedMs !== null
          ? `revoked since ${new Date(r.gateway.revokedMs).toISOString()} (its connects are refused; remove it with \`gateways remove\`)`
          : `${s.status}${s.reasons.length ? ` (${s.reasons.join(', ')})` : ''} since ${new Date(s.sinceMs).toISOString()}`,
      ],
      ['last heard', ago(s.lastHeardMs)],
      ['tags', `district=${s.tags.district || '—'} site=${s.tags.site || '—'} group=${s.tags.group || '—'}`],
      [
        'devices',
        `${r.devices.online}/${r.devices.total} online (cloud); edge reports ${h ? `${h.devicesOnline}/${h.devicesTotal}` : '—'}`,
      ],
      ['cameras', h ? `${h.camerasOnline}/${h.camerasTotal} online` : '—'],
      [
        'backlog',
        h
          ? `${h.storeRows} readings, ${h.storeBytes} bytes${h.storeCapBytes ? ` of ${h.storeCapBytes}` : ''}, oldest ${Math.round(h.oldestAgeMs / 1000)} s`
          : '—',
      ],
      [
        'dropped',
        h
          ? Object.entries(h.dropped)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ') || '0'
          : '—',
      ],
      ['link', h?.link ? `${h.link.technology} rsrp=${h.link.rsrpDbm} dBm sinr=${h.link.sinrDb} dB` : '—'],
      ['clock', h ? (h.clockSynced ? 'synced' : 'NOT synced') : '—'],
      ['config', h ? `${h.configVersion || '—'}${h.configError ? ` FAILED: ${h.configError}` : ''}` : '—'],
      ['agent', h ? `${h.agentVersion}, up ${h.uptimeS} s, rss ${Math.round(h.rssBytes / 1048576)} MB` : '—'],
      ['alarms open', String(r.alarms.open)],
    ];
    console.log(lines.map(([k, v]) => `${k.padEnd(12)} ${v}`).join('\n'));
    if (r.events.length) {
      console.log('\nrecent events');
      console.log(
        table(
          ['ID', 'WHEN', 'SEVERITY', 'TYPE', 'DEVICE', 'STATE'],
          r.events.map((e) => [
            e.id,
            new Date(e.tsMs).toISOString(),
            e.severity,
            e.type,
            e.deviceId || '—',
            e.alarm ? (e.ackedMs ? 'acked' : 'open') : '—',
          ]),
        ),
      );
    }
  });
  withApi(g.command('add <id>').description('register a gateway; prints its secret once')).action(
    async (id: string, o: ApiOpts) => {
      const r = await apiRequest<{ id: string; secret: string }>(o.url, o.token, 'POST', '/api/v1/gateways', { id });
      console.log(
        jsonOut(program)
          ? JSON.stringify(r)
          : `gateway ${r.id}\nsecret  ${r.secret}\n(store the secret now: it is not shown again)`,
      );
    },
  );
  withApi(
    g
      .command('tag <id>')
      .description(
        'change district, site or group (where the gateway counts in summaries); tags not named stay as they are',
      ),
  )
    .option('--district <name>', "district ('' clears it)")
    .option('--site <name>', "site ('' clears it)")
    .option('--group <name>', "group ('' clears it)")
    .option('--clear-district', 'clear the district')
    .option('--clear-site', 'clear the site')
    .option('--clear-group', 'clear the group')
    .action(async (id: string, o: TagOpts) => {
      const r = await apiRequest<Record<string, string>>(
        o.url,
        o.token,
        'PATCH',
        `/api/v1/gateways/${encodeURIComponent(id)}/tags`,
        tagChanges(o),
      );
      console.log(
        jsonOut(program)
          ? JSON.stringify(r)
          : `gateway ${r.id}: district=${r.district || '—'} site=${r.site || '—'} group=${r.group || '—'}`,
      );
    });
  withApi(
    g
      .command('revoke <id>')
      .description("revoke a gateway's credentials: its session is closed and its connects refused as revoked"),
  ).action(async (id: string, o: ApiOpts) => {
    const r = await apiRequest<{ id: string; revokedMs: number; already: boolean }>(
      o.url,
      o.token,
      'POST',
      `/api/v1/gateways/${encodeURIComponent(id)}/revoke`,
    );
    console.log(
      jsonOut(program)
        ? JSON.stringify(r)
        : `gateway ${r.id} ${r.already ? 'was revoked already' : 'revoked'} (${new Date(r.revokedMs).toISOString()}); to bring it back, provision it again with a new claim token`,
    );
  });
  withApi(
    g
      .command('remove <id>')
      .description(
        'remove a revoked gateway from the fleet (registry, identity, status, configuration state); readings and events stay',
      ),
  )
    .option('--revoke', 'revoke it first when it is not revoked yet')
    .option(
      '--with-devices',
      'also remove the devices it owns from the registry (else a gateway with devices is refused: move them first)',
    )
    .action(async (id: string, o: ApiOpts & { revoke?: boolean; withDevices?: boolean }) => {
      const q = new URLSearchParams({
        ...(o.revoke ? { revoke: 'true' } : {}),
        ...(o.withDevices ? { devices: 'true' } : {}),
      });
      const r = await apiRequest<{ id: string; devices: number }>(
        o.url,
        o.token,
        'DELETE',
        `/api/v1/gateways/${encodeURIComponent(id)}${q.size ? `?${q}` : ''}`,
      );
      console.log(
        jsonOut(program)
          ? JSON.stringify(r)
          : `gateway ${r.id} removed${r.devices ? ` with its ${r.devices} devices` : ''}`,
      );
    });
}
