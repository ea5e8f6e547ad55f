/** The one-screen dashboard: summary, gateways table (server-side paging), drill-down, alarms, live updates. */
import type {
  AlarmsResponse,
  DevicesResponse,
  EventRecord,
  EventsResponse,
  GatewayDetail,
  GatewayPage,
  LiveMessages,
  SummaryResponse,
} from '../../http/api-types.js';
import { api, setToken, tokenQuery, Unauthorized } from './api.js';
import { renderAlarms, renderDetail, renderEvents, renderGateways, renderSummary } from './views.js';
import { int } from './format.js';

declare const uPlot: typeof import('uplot');
type Chart = InstanceType<typeof uPlot>;

const PAGE = 50;
const state = { sort: 'status', desc: false, offset: 0, q: '', status: '', selected: null as string | null, total: 0 };
const events: EventRecord[] = [];
let chart: Chart | undefined;
const $ = <T extends HTMLElement>(sel: string): T => document.querySelector(sel) as T;

function debounce(fn: () => void, ms: number): () => void {
  let t: number | undefined;
  return () => {
    clearTimeout(t);
    t = window.setTimeout(fn, ms);
  };
}

async function loadSummary(): Promise<void> {
  renderSummary(await api<SummaryResponse>('/api/v1/health/summary'));
}

async function loadGateways(): Promise<void> {
  const q = new URLSearchParams({
    sort: state.sort,
    order: state.desc ? 'desc' : 'asc',
    offset: String(state.offset),
    limit: String(PAGE),
  });
  if (state.q) q.set('q', state.q);
  if (state.status) q.set('status', state.status);
  const page = await api<GatewayPage>(`/api/v1/health/gateways?${q}`);
  state.total = page.total;
  renderGateways(page.items, state.selected);
  $('#page-info').textContent = page.total
    ? `${int(page.offset + 1)}–${int(page.offset + page.items.length)} of ${int(page.total)}`
    : 'none';
  for (const th of document.querySelectorAll<HTMLElement>('#gateways th')) {
    th.classList.toggle('sorted', th.dataset.sort === state.sort);
  }
}

async function loadAlarms(): Promise<void> {
  renderAlarms((await api<AlarmsResponse>('/api/v1/alarms?limit=100')).alarms);
}

async function loadEvents(): Promise<void> {
  events.splice(0, events.length, ...(await api<EventsResponse>('/api/v1/events?limit=50')).events);
  renderEvents(events);
}

function drawBacklog(points: GatewayDetail['backlog']): void {
  const el = $('#backlog-chart');
  chart?.destroy();
  const data: [number[], number[]] = [points.map((p) => p.tsMs / 1000), points.map((p) => p.rows)];
  const now = Date.now() / 1000;
  chart = new uPlot(
    {
      width: Math.max(300, el.clientWidth),
      height: 160,
      scales: {
        x: { time: true, range: (_u, min, max) => [Math.min(min ?? now, now - 3600), Math.max(max ?? now, now)] },
      },
      series: [{}, { label: 'readings waiting', stroke: '#58a6ff', fill: 'rgba(88,166,255,0.15)' }],
      axes: [
        { stroke: '#8a96a3', grid: { stroke: '#26303b' } },
        { stroke: '#8a96a3', grid: { stroke: '#26303b' } },
      ],
    },
    data,
    el,
  );
}

async function openGateway(id: string): Promise<void> {
  state.selected = id;
  const [d, devs] = await Promise.all([
    api<GatewayDetail>(`/api/v1/health/gateways/${encodeURIComponent(id)}`),
    api<DevicesResponse>(`/api/v1/devices?gateway=${encodeURIComponent(id)}&limit=100`),
  ]);
  $('#detail').hidden = false;
  renderDetail(d, devs.devices);
  drawBacklog(d.backlog);
  for (const tr of document.querySelectorAll<HTMLElement>('#gateways tbody tr')) {
    tr.classList.toggle('selected', tr.dataset.id === id);
  }
}

function live(): void {
  const es = new EventSource(`/api/v1/live${tokenQuery()}`);
  const badge = $('#live');
  const refreshTable = debounce(() => void loadGateways(), 300);
  const refreshAlarms = debounce(() => void loadAlarms(), 200);
  es.onopen = () => {
    badge.className = 'live on';
  };
  es.onerror = () => {
    badge.className = 'live off';
  };
  es.addEventListener('summary', (m) => {
    renderSummary(JSON.parse((m as MessageEvent<string>).data) as LiveMessages['summary']);
    refreshTable();
  });
  es.addEventListener('gateway', () => refreshTable());
  es.addEventListener('event', (m) => {
    const e = JSON.parse((m as MessageEvent<string>).data) as LiveMessages['event'];
    events.unshift(e);
    events.length = Math.min(events.length, 50);
    renderEvents(events);
    if (e.alarm || e.type) refreshAlarms();
  });
}

function wire(): void {
  $('#filter').addEventListener(
    'input',
    debounce(() => {
      state.q = ($('#filter') as HTMLInputElement).value.trim();
      state.offset = 0;
      void loadGateways();
    }, 200),
  );
  $('#status-filter').addEventListener('change', () => {
    state.status = ($('#status-filter') as HTMLSelectElement).value;
    state.offset = 0;
    void loadGateways();
  });
  $('#prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE);
    void loadGateways();
  });
  $('#next').addEventListener('click', () => {
    if (state.offset + PAGE < state.total) {
      state.offset += PAGE;
      void loadGateways();
    }
  });
  for (const th of document.querySelectorAll<HTMLElement>('#gateways th[data-sort]')) {
    th.addEventListener('click', () => {
      const key = th.dataset.sort!;
      state.desc = state.sort === key ? !state.desc : false;
      state.sort = key;
      void loadGateways();
    });
  }
  $('#gateways tbody').addEventListener('click', (ev) => {
    const tr = (ev.target as HTMLElement).closest('tr');
    if (tr?.dataset.id) void openGateway(tr.dataset.id);
  });
  $('#detail-close').addEventListener('click', () => {
    $('#detail').hidden = true;
    state.selected = null;
  });
  $('#alarms').addEventListener('click', (ev) => {
    const b = (ev.target as HTMLElement).closest('button.ack') as HTMLButtonElement | null;
    if (!b) return;
    b.disabled = true;
    void api(`/api/v1/alarms/${b.dataset.id}/ack`, { method: 'POST', body: { by: 'dashboard' } }).then(() =>
      Promise.all([loadAlarms(), loadSummary()]),
    );
  });
  $('#token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    setToken(($('#token') as HTMLInputElement).value);
    location.reload();
  });
}

async function main(): Promise<void> {
  wire();
  try {
    await Promise.all([loadSummary(), loadGateways(), loadAlarms(), loadEvents()]);
    document.body.dataset.ready = 'true';
    live();
  } catch (err) {
    if (err instanceof Unauthorized) $('#token-form').hidden = false;
    else throw err;
  }
}

void main();
