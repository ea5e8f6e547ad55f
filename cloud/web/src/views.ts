/** Rendering of the dashboard's parts (plain DOM, no framework). */
import type { DeviceRecord, EventRecord, FleetSummary, GatewayDetail, GatewayRow } from '../../http/api-types.js';
import type { Who } from './api.js';
import { age, ago, bytes, esc, int, pct } from './format.js';

const $ = <T extends HTMLElement>(sel: string): T => document.querySelector(sel) as T;
const ROLE_NAMES: Record<string, string> = {
  viewer: 'viewer',
  operator: 'operator',
  device_manager: 'device manager',
  security_admin: 'security administrator',
  auditor: 'auditor',
  admin: 'administrator',
};
export const roleName = (role: string): string => ROLE_NAMES[role] ?? role;
const set = (id: string, text: string): void => {
  $(`#${id}`).textContent = text;
};

export function renderSummary(s: FleetSummary): void {
  set('sum-gateways-total', int(s.gateways.total));
  set('sum-gateways-online', int(s.gateways.online));
  set('sum-gateways-degraded', int(s.gateways.degraded));
  set('sum-gateways-offline', int(s.gateways.offline));
  set('sum-devices-rate', pct(s.devices.rate));
  set('sum-devices-online', int(s.devices.online));
  set('sum-devices-total', int(s.devices.total));
  set('sum-cameras-rate', pct(s.cameras.rate));
  set('sum-cameras-online', int(s.cameras.online));
  set('sum-cameras-total', int(s.cameras.total));
  set('sum-backlog-rows', int(s.backlog.rows));
  set('sum-backlog-bytes', bytes(s.backlog.bytes));
  set('sum-alarms-open', int(s.alarms.open));
  set('updated', `updated ${new Date(s.atMs).toLocaleTimeString()}`);
  $('#districts tbody').innerHTML = s.byDistrict
    .map(
      (d) =>
        `<tr><td>${esc(d.key || '(none)')}</td><td class="num">${int(d.gateways.total)}</td><td class="num">${int(d.gateways.offline)}</td><td class="num">${pct(d.devices.rate)}</td><td class="num">${int(d.alarms.open)}</td></tr>`,
    )
    .join('');
}

export function renderGateways(items: GatewayRow[], selected: string | null): void {
  $('#gateways tbody').innerHTML = items
    .map(
      (g) => `<tr data-id="${esc(g.id)}" class="${g.id === selected ? 'selected' : ''}">
    <td>${esc(g.id)}</td><td class="status-${g.status}"><i class="dot ${g.status}"></i>${g.status}</td><td>${ago(g.sinceMs)}</td>
    <td>${esc(g.district || '—')}</td><td>${esc(g.site || '—')}</td><td class="num">${int(g.backlogRows)}</td><td class="num">${g.oldestAgeMs ? age(g.oldestAgeMs) : '—'}</td>
    <td class="num">${g.devicesOnline}/${g.devicesTotal}</td><td class="num">${g.camerasTotal ? `${g.camerasOnline}/${g.camerasTotal}` : '—'}</td><td>${esc(g.reasons.join(', '))}</td></tr>`,
    )
    .join('');
}

const eventItem = (e: EventRecord, ack: boolean): string => `<li data-id="${e.id}">
  <b class="sev-${e.severity}">${e.severity}</b><span class="msg">${esc(e.type)} <small>${esc(e.gatewayId)}${e.deviceId ? ` / ${esc(e.deviceId)}` : ''}</small><br><small>${esc(e.message)}${e.alarm && !e.active ? ' (cleared)' : ''}</small></span>
  <small>${ago(e.tsMs)}</small>${ack && e.alarm && !e.ackedMs ? `<button class="ack" data-id="${e.id}">ack</button>` : e.ackedMs ? `<small>acked ${esc(e.ackedBy ?? '')}</small>` : ''}</li>`;

/** The open alarms; `canAck`: the role may acknowledge them (an ack button each). */
export function renderAlarms(list: EventRecord[], canAck = true): void {
  $('#alarms').innerHTML = list.length
    ? list.map((e) => eventItem(e, canAck)).join('')
    : '<li><small>no open alarms</small></li>';
}

export function renderEvents(list: EventRecord[], target = '#events'): void {
  $(target).innerHTML = list.map((e) => eventItem(e, false)).join('');
}

export function renderDetail(d: GatewayDetail, devices: DeviceRecord[]): void {
  // a gateway the cloud has never heard from has no status yet
  const s = d.status,
    h = s?.health ?? null,
    tags = s?.tags ?? { district: '', site: '', group: '' };
  set('detail-title', `Gateway ${d.gateway.id}`);
  const fact = (k: string, v: string): string => `<div><small>${esc(k)}</small>${esc(v)}</div>`;
  $('#detail-facts').innerHTML = [
    fact('status', s ? `${s.status}${s.reasons.length ? ` (${s.reasons.join(', ')})` : ''}` : 'never heard from'),
    fact('since', s ? ago(s.sinceMs) : '—'),
    fact('last heard', ago(s?.lastHeardMs ?? null)),
    fact('district / site / group', `${tags.district || '—'} / ${tags.site || '—'} / ${tags.group || '—'}`),
    fact('devices (cloud)', `${d.devices.online}/${d.devices.total} online`),
    fact('cameras', h ? `${h.camerasOnline}/${h.camerasTotal}` : '—'),
    fact(
      'backlog',
      h ? `${int(h.storeRows)} · ${bytes(h.storeBytes)}${h.storeCapBytes ? ` of ${bytes(h.storeCapBytes)}` : ''}` : '—',
    ),
    fact('oldest unsent', h ? age(h.oldestAgeMs) : '—'),
    fact('config version', h ? `${h.configVersion || '—'}${h.configError ? ` — failed: ${h.configError}` : ''}` : '—'),
    fact('agent', h ? `${h.agentVersion} · up ${age(h.uptimeS * 1000)}` : '—'),
    fact('clock', h ? (h.clockSynced ? 'synced' : 'not synced') : '—'),
    fact('link', h?.link ? `${h.link.technology} RSRP ${h.link.rsrpDbm} dBm SINR ${h.link.sinrDb} dB` : '—'),
    fact('open alarms', String(d.alarms.open)),
  ].join('');
  $('#detail-devices tbody').innerHTML = devices
    .map(
      (x) =>
        `<tr><td>${esc(x.id)}</td><td>${esc(x.type || '—')}</td><td class="status-${x.online ? 'online' : 'offline'}">${x.online ? 'online' : 'offline'}</td><td>${x.lastReadingTs ? ago(x.lastReadingTs) : 'never'}</td></tr>`,
    )
    .join('');
  renderEvents(d.events, '#detail-events');
}

/** The header's account: name and role of a signed-in operator (nothing for a token or loopback client). */
export function renderWho(who: Who | null): void {
  const user = who?.kind === 'user';
  $('#who').hidden = !user;
  set('who-name', user ? who.displayName || who.name : '');
  set('who-role', user ? roleName(who.role) : '');
}

/** Forgets everything shown (at sign-out or when the session ended): nothing of the fleet stays in the page. */
export function clearDashboard(): void {
  for (const el of document.querySelectorAll<HTMLElement>('#summary b, #summary small span')) el.textContent = '–';
  for (const el of document.querySelectorAll<HTMLElement>('tbody, ul.events, #detail-facts, #backlog-chart'))
    el.innerHTML = '';
  $('#detail').hidden = true;
  set('updated', '');
  set('page-info', '');
}
