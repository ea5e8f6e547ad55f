/**
 * The one-screen dashboard: summary, gateways table (server-side paging), drill-down, alarms, live
 * updates; the sign-in screen when the API asks for credentials (a 401), and back to it when the
 * session ends.
 */
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
import {
  ApiError,
  api,
  hasToken,
  setToken,
  signIn,
  signOut,
  tokenQuery,
  Unauthorized,
  type Who,
  whoAmI,
} from './api.js';
import {
  clearDashboard,
  renderAlarms,
  renderDetail,
  renderEvents,
  renderGateways,
  renderSummary,
  renderWho,
  roleName,
} from './views.js';
import { int, wait } from './format.js';

declare const uPlot: typeof import('uplot');
type Chart = InstanceType<typeof uPlot>;

const PAGE = 50;
const state = { sort: 'status', desc: false, offset: 0, q: '', status: '', selected: null as string | null, total: 0 };
const events: EventRecord[] = [];
let chart: Chart | undefined;
let es: EventSource | undefined;
/** Who the API takes us for; null before it answered (or a cloud without /api/v1/session). */
let who: Who | null = null;
const $ = <T extends HTMLElement>(sel: string): T => document.querySelector(sel) as T;
const input = (sel: string): HTMLInputElement => $<HTMLInputElement>(sel);
const may = (permission: string): boolean => !who || who.permissions.includes(permission);

/** A line under the header for what went wrong outside the sign-in (a refused write, say). */
function notice(text: string): void {
  $('#notice').textContent = text;
  $('#notice').hidden = text === '';
}

/** Runs a call of the page: a 401 goes to the sign-in screen, another API error to the notice line. */
function run(p: Promise<unknown>): void {
  p.catch((err: unknown) => {
    if (err instanceof Unauthorized) return showSignIn(signInReason(err));
    if (err instanceof ApiError) return notice(`${err.code}: ${err.message}`);
    throw err;
  });
}

/** Why the API refused us, as the sign-in screen says it ('' for a first visit). */
function signInReason(err: Unauthorized): string {
  if (err.code === 'CLOUD_ERR_SESSION_EXPIRED') return 'Your session ended — sign in again.';
  if (err.code === 'CLOUD_ERR_TOKEN_DISABLED')
    return 'The API token is switched off here: sign in with an operator account.';
  if (hasToken()) return 'The saved API token was refused: sign in, or give another token.';
  return '';
}

let retryTimer: number | undefined;
/** The account name a lock was answered for: another name may be tried at once. */
let lockedName: string | null = null;
function signInMessage(error: string, info?: string): void {
  $('#signin-error').textContent = error;
  if (info !== undefined) $('#signin-notice').textContent = info;
}

/** The sign-in screen: nothing of the fleet stays on the page, no live stream, no CSRF token. */
function showSignIn(reason: string): void {
  es?.close();
  es = undefined;
  who = null;
  document.body.dataset.auth = 'signin';
  delete document.body.dataset.ready;
  $('#live').className = 'live off';
  events.length = 0;
  Object.assign(state, { offset: 0, q: '', status: '', selected: null, total: 0 });
  input('#filter').value = '';
  $<HTMLSelectElement>('#status-filter').value = '';
  clearDashboard();
  renderWho(null);
  notice('');
  $('#signin').hidden = false;
  input('#signin-password').value = '';
  input('#signin-totp').value = '';
  $('#signin-totp-row').hidden = true;
  signInMessage('', reason);
  input(input('#signin-name').value ? '#signin-password' : '#signin-name').focus();
}

/** A refused sign-in, said plainly; a lock or back-off disables the button until Retry-After has passed. */
function signInRefused(err: ApiError): void {
  const totpShown = !$('#signin-totp-row').hidden;
  if (err.code === 'CLOUD_ERR_TOTP_REQUIRED') {
    $('#signin-totp-row').hidden = false;
    signInMessage('', 'This account has a second factor: enter the code your authenticator app shows.');
    input('#signin-totp').focus();
    return;
  }
  if (err.code === 'CLOUD_ERR_LOGIN_FAILED') {
    signInMessage(`Wrong account name or password${totpShown ? ', or a wrong or already used code' : ''}.`);
    input('#signin-password').value = '';
    input('#signin-totp').value = '';
    input('#signin-password').focus();
    return;
  }
  const waits: Record<string, string> = {
    CLOUD_ERR_LOGIN_LOCKED: 'This account is locked after too many failed sign-ins. Try again in',
    CLOUD_ERR_LOGIN_THROTTLED: 'Too many sign-in attempts from this address. Try again in',
    CLOUD_ERR_RATE_LIMITED: 'Too many refused requests from this address. Try again in',
  };
  const text = waits[err.code];
  if (!text) {
    signInMessage(`Sign-in failed: ${err.code}: ${err.message}`);
    return;
  }
  const until = Date.now() + (err.retryAfterS ?? 60) * 1000;
  const button = $<HTMLButtonElement>('#signin-submit');
  const tick = (): void => {
    const left = (until - Date.now()) / 1000;
    if (left > 0) {
      signInMessage(`${text} ${wait(left)}.`);
      button.disabled = true;
      return;
    }
    stopWaiting();
    signInMessage('', 'You may try again now.');
  };
  stopWaiting();
  lockedName = err.code === 'CLOUD_ERR_LOGIN_LOCKED' ? input('#signin-name').value.trim() : null;
  retryTimer = window.setInterval(tick, 1000);
  tick();
}

function stopWaiting(): void {
  clearInterval(retryTimer);
  lockedName = null;
  $<HTMLButtonElement>('#signin-submit').disabled = false;
}

async function submitSignIn(): Promise<void> {
  const button = $<HTMLButtonElement>('#signin-submit');
  const totp = $('#signin-totp-row').hidden ? '' : input('#signin-totp').value.trim();
  button.disabled = true;
  signInMessage('', '');
  try {
    await signIn(input('#signin-name').value.trim(), input('#signin-password').value, totp);
  } catch (err) {
    button.disabled = false;
    if (!(err instanceof ApiError)) throw err;
    signInRefused(err);
    return;
  }
  button.disabled = false;
  input('#signin-password').value = '';
  input('#signin-totp').value = '';
  await start();
}

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
  renderAlarms((await api<AlarmsResponse>('/api/v1/alarms?limit=100')).alarms, may('alarm.ack'));
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
  es?.close();
  // same-origin: the session cookie goes along; a token goes in the URL (EventSource sends no headers)
  const source = new EventSource(`/api/v1/live${tokenQuery()}`);
  es = source;
  const badge = $('#live');
  const refreshTable = debounce(() => run(loadGateways()), 300);
  const refreshAlarms = debounce(() => run(loadAlarms()), 200);
  source.onopen = () => {
    badge.className = 'live on';
  };
  source.onerror = () => {
    badge.className = 'live off';
    // refused (a 401 when the session ended): the browser gives up; the session answer tells why
    if (source.readyState === EventSource.CLOSED && es === source) run(whoAmI());
  };
  source.addEventListener('summary', (m) => {
    renderSummary(JSON.parse((m as MessageEvent<string>).data) as LiveMessages['summary']);
    refreshTable();
  });
  source.addEventListener('gateway', () => refreshTable());
  source.addEventListener('event', (m) => {
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
      run(loadGateways());
    }, 200),
  );
  $('#status-filter').addEventListener('change', () => {
    state.status = ($('#status-filter') as HTMLSelectElement).value;
    state.offset = 0;
    run(loadGateways());
  });
  $('#prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE);
    run(loadGateways());
  });
  $('#next').addEventListener('click', () => {
    if (state.offset + PAGE < state.total) {
      state.offset += PAGE;
      run(loadGateways());
    }
  });
  for (const th of document.querySelectorAll<HTMLElement>('#gateways th[data-sort]')) {
    th.addEventListener('click', () => {
      const key = th.dataset.sort!;
      state.desc = state.sort === key ? !state.desc : false;
      state.sort = key;
      run(loadGateways());
    });
  }
  $('#gateways tbody').addEventListener('click', (ev) => {
    const tr = (ev.target as HTMLElement).closest('tr');
    if (tr?.dataset.id) run(openGateway(tr.dataset.id));
  });
  $('#detail-close').addEventListener('click', () => {
    $('#detail').hidden = true;
    state.selected = null;
  });
  $('#alarms').addEventListener('click', (ev) => {
    const b = (ev.target as HTMLElement).closest('button.ack') as HTMLButtonElement | null;
    if (!b) return;
    b.disabled = true;
    const by = who?.kind === 'user' ? who.name : 'dashboard';
    run(
      api(`/api/v1/alarms/${b.dataset.id}/ack`, { method: 'POST', body: { by } })
        .then(() => Promise.all([loadAlarms(), loadSummary()]))
        .finally(() => {
          b.disabled = false;
        }),
    );
  });
  $('#token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    setToken(input('#token').value);
    location.reload();
  });
  $('#signin-name').addEventListener('input', () => {
    // a lock is the account's: another name is not kept waiting (a back-off of the address is)
    if (lockedName !== null && input('#signin-name').value.trim() !== lockedName) {
      stopWaiting();
      signInMessage('');
    }
  });
  $('#signin-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    run(submitSignIn());
  });
  $('#sign-out').addEventListener('click', () => {
    run(
      signOut()
        .catch((err: unknown) => {
          // already ended: signed out all the same
          if (!(err instanceof Unauthorized)) throw err;
        })
        .then(() => showSignIn('Signed out.')),
    );
  });
}

/** Loads the dashboard for whoever the API takes us for; a 401 (no or ended session) shows the sign-in. */
async function start(): Promise<void> {
  who = await whoAmI();
  document.body.dataset.auth = who?.kind === 'user' ? 'user' : 'token';
  $('#signin').hidden = true;
  renderWho(who);
  notice('');
  if (!may('fleet.read')) {
    notice(`Signed in as ${roleName(who!.role)}: this role has no access to the fleet view.`);
    return;
  }
  await Promise.all([loadSummary(), loadGateways(), loadAlarms(), loadEvents()]);
  document.body.dataset.ready = 'true';
  live();
}

function main(): void {
  wire();
  run(start());
}

main();
