/** `yiwang-cloud gateways list|show|add|tag`: through the HTTP API of a running cloud. */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import type { GatewayRow } from '../health/gateway-table.js';
import type { EventRecord, GatewayHealthRecord, BacklogPoint } from '../health/types.js';
import { apiRequest } from './api-client.js';
import { ago, jsonOut, table, withApi, type ApiOpts } from './options.js';

interface Detail { gateway: { id: string; createdMs: number; batches: number; readings: number }; status: GatewayHealthRecord; devices: { total: number; online: number }; alarms: { open: number }; events: EventRecord[]; backlog: BacklogPoint[] }
interface ListOpts extends ApiOpts { status?: string; reason?: string; filter?: string; district?: string; sort: string; desc?: boolean; limit: string; offset: string }

export function register(program: Command): void {
  const g = program.command('gateways').description('gateways of the fleet');
  withApi(g.command('list').description('gateways with status, backlog and devices (one page)'))
    .option('--status <status>', 'online, degraded or offline')
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
      const r = await apiRequest<{ total: number; offset: number; items: GatewayRow[] }>(o.url, o.token, 'GET', `/api/v1/health/gateways?${q}`);
      if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
      console.log(table(['ID', 'STATUS', 'SINCE', 'DISTRICT', 'SITE', 'BACKLOG', 'DEVICES', 'REASONS'],
        r.items.map((x) => [x.id, x.status, ago(x.sinceMs), x.district || '—', x.site || '—', x.backlogRows, `${x.devicesOnline}/${x.devicesTotal}`, x.reasons.join(',') || '—'])));
      console.log(`${r.offset + 1}–${r.offset + r.items.length} of ${r.total}`);
    });
  withApi(g.command('show <id>').description('one gateway: status, health figures, devices, alarms, recent events')).action(async (id: string, o: ApiOpts) => {
    const r = await apiRequest<Detail>(o.url, o.token, 'GET', `/api/v1/health/gateways/${encodeURIComponent(id)}`);
    if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
    const s = r.status, h = s.health;
    const lines: [string, string][] = [
      ['gateway', r.gateway.id],
      ['status', `${s.status}${s.reasons.length ? ` (${s.reasons.join(', ')})` : ''} since ${new Date(s.sinceMs).toISOString()}`],
      ['last heard', ago(s.lastHeardMs)],
      ['tags', `district=${s.tags.district || '—'} site=${s.tags.site || '—'} group=${s.tags.group || '—'}`],
      ['devices', `${r.devices.online}/${r.devices.total} online (cloud); edge reports ${h ? `${h.devicesOnline}/${h.devicesTotal}` : '—'}`],
      ['cameras', h ? `${h.camerasOnline}/${h.camerasTotal} online` : '—'],
      ['backlog', h ? `${h.storeRows} readings, ${h.storeBytes} bytes${h.storeCapBytes ? ` of ${h.storeCapBytes}` : ''}, oldest ${Math.round(h.oldestAgeMs / 1000)} s` : '—'],
      ['dropped', h ? Object.entries(h.dropped).map(([k, v]) => `${k}=${v}`).join(' ') || '0' : '—'],
      ['link', h?.link ? `${h.link.technology} rsrp=${h.link.rsrpDbm} dBm sinr=${h.link.sinrDb} dB` : '—'],
      ['clock', h ? (h.clockSynced ? 'synced' : 'NOT synced') : '—'],
      ['config', h ? `${h.configVersion || '—'}${h.configError ? ` FAILED: ${h.configError}` : ''}` : '—'],
      ['agent', h ? `${h.agentVersion}, up ${h.uptimeS} s, rss ${Math.round(h.rssBytes / 1048576)} MB` : '—'],
      ['alarms open', String(r.alarms.open)],
    ];
    console.log(lines.map(([k, v]) => `${k.padEnd(12)} ${v}`).join('\n'));
    if (r.events.length) {
      console.log('\nrecent events');
      console.log(table(['ID', 'WHEN', 'SEVERITY', 'TYPE', 'DEVICE', 'STATE'], r.events.map((e) => [e.id, new Date(e.tsMs).toISOString(), e.severity, e.type, e.deviceId || '—', e.alarm ? (e.ackedMs ? 'acked' : 'open') : '—'])));
    }
  });
  withApi(g.command('add <id>').description('register a gateway; prints its secret once')).action(async (id: string, o: ApiOpts) => {
    const r = await apiRequest<{ id: string; secret: string }>(o.url, o.token, 'POST', '/api/v1/gateways', { id });
    console.log(jsonOut(program) ? JSON.stringify(r) : `gateway ${r.id}\nsecret  ${r.secret}\n(store the secret now: it is not shown again)`);
  });
  withApi(g.command('tag <id>').description('set district, site and group (where the gateway counts in summaries)'))
    .option('--district <name>', 'district', '').option('--site <name>', 'site', '').option('--group <name>', 'group', '')
    .action(async (id: string, o: ApiOpts & { district: string; site: string; group: string }) => {
      if (!o.district && !o.site && !o.group) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'give at least one of --district, --site, --group');
      const r = await apiRequest<Record<string, string>>(o.url, o.token, 'PUT', `/api/v1/gateways/${encodeURIComponent(id)}/tags`, { district: o.district, site: o.site, group: o.group });
      console.log(jsonOut(program) ? JSON.stringify(r) : `gateway ${r.id}: district=${r.district || '—'} site=${r.site || '—'} group=${r.group || '—'}`);
    });
}
