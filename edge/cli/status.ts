/** `yiwang-edge status`: one screen from the running agent's local API. */
import type { Command } from 'commander';
import { localApiGet } from './local-api-client.js';
import type { AgentStatus } from '../api/status.js';
import { ago, c, configAndSocket, emit, facts, mib, state } from './output.js';

const counts = (o: Record<string, number>): string =>
  Object.entries(o)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${state(k)}`)
    .join(', ') || 'none';

/** Readings refused one by one and dead letters: never silent, red when any. */
function faults(st: AgentStatus['store']): string {
  const q = st.quarantine,
    d = st.deadLettered;
  const since = ' since the store was created';
  if (q.readings === 0 && d.batches === 0) return `0 readings refused one by one, 0 batches dead-lettered${since}`;
  const reasons = Object.entries(q.byReason)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  return `${c.red(
    `${q.readings} readings refused one by one${reasons ? ` (${reasons})` : ''}, ${d.batches} batches dead-lettered (${d.readings} readings)${since}`,
  )}  (yiwang-edge quarantine, yiwang-edge dead-letters)`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * What waits for the cloud, as one total with its parts: readings and events (alarms, state
 * changes; not under the byte cap), and of those what is not sent yet and what is sent and awaits
 * the cloud's ack. `pendingRows` of the API counts unsent readings and unsent events together.
 */
export function backlog(st: AgentStatus['store']): string {
  const events = st.pendingEvents + st.batchedEvents;
  const total = st.rows + events;
  const unsent = st.rows - st.batchedRows + st.pendingEvents;
  const sent = st.batchedRows + st.batchedEvents;
  const oldest =
    st.oldestAgeMs === null ? 'no reading held' : `oldest reading ${Math.round(st.oldestAgeMs / 1000)} s old`;
  return `${total} waiting for the cloud = ${plural(st.rows, 'reading')} + ${plural(events, 'event')}; ${unsent} not sent yet + ${sent} sent, awaiting ack (${plural(st.unackedBatches, 'batch', 'batches')}); ${oldest}`;
}

const uptime = (s: number): string =>
  s < 120
    ? `${s} s`
    : s < 7200
      ? `${Math.round(s / 60)} min`
      : s < 172_800
        ? `${(s / 3600).toFixed(1)} h`
        : `${(s / 86_400).toFixed(1)} days`;

/** The local alarm history: how many events, the newest, where to look. */
function events(h: AgentStatus['store']['eventHistory'], now = Date.now()): string {
  if (h.raised === 0) return '0 raised since the store was created';
  return `${h.raised} raised since the store was created${h.newestTs === null ? '' : `, newest ${ago(h.newestTs, now)}`}  (yiwang-edge events)`;
}

/** ` (broker 2 of 3)` with several cloud brokers (cloud.urls); older agents send no `urls`. */
function brokerOf(u: { url: string; urls?: string[] }): string {
  const n = u.urls?.length ?? 0;
  return n > 1 ? ` (broker ${u.urls!.indexOf(u.url) + 1} of ${n})` : '';
}

export function render(s: AgentStatus, now = Date.now()): string {
  const u = s.uplink,
    st = s.store;
  const pct = s.disk.totalBytes ? Math.round((100 * s.disk.freeBytes) / s.disk.totalBytes) : 0;
  return facts([
    ['gateway', `${s.gatewayId}${s.site ? ` at ${s.site}` : ''}  (agent ${s.version}, up ${uptime(s.uptimeS)})`],
    ['provisioned', s.provisioned ? state('yes') : state('no')],
    [
      'uplink',
      `${state(u.state)}  ${u.url}${brokerOf(u)}  last sync ${ago(u.lastAckAt, now)}${u.lastError ? `  ${c.red(`error ${u.lastError.code}: ${u.lastError.message}`)}` : ''}`,
    ],
    ['backlog', backlog(st)],
    [
      'store',
      `readings held take ${mib(st.bytes)} of the ${mib(st.capBytes)} cap (events are not counted against it); store file ${mib(st.dbBytes)}`,
    ],
    [
      'dropped',
      `readings lost since the store was created: ${st.dropped.cap} past the cap (oldest first), ${st.dropped.ttl} older than store.max_age_s, ${st.dropped.rejected} rejected by the cloud`,
    ],
    [
      'delivered',
      `since the agent started: ${u.readingsAcked} readings acknowledged in ${u.batchesAcked} batches (${u.resends} resends, ${u.timeouts} ack timeouts); ${u.drainRate.toFixed(0)} readings/s over the last minute; next batch up to ${u.batchSize} readings${u.budgetExhausted ? c.red(', DAILY BUDGET SPENT (alarms only)') : ''}`,
    ],
    [
      'devices',
      `${counts(s.deviceStates)}${counts(s.deviceStates) === 'none' ? '' : ' (online: heard within the last hour; silent: not since; waiting: pre-registered, never heard)'}  (coap port ${s.coap.port} since the agent started: ${s.coap.uplinks} uplinks, ${s.coap.rejected} rejected)`,
    ],
    ['events', events(st.eventHistory, now)],
    ['quarantined', faults(st)],
    ...(s.hj212
      ? [
          [
            'hj212',
            `port ${s.hj212.port}: ${s.hj212.open} connections open; since the agent started: ${s.hj212.readings} readings, ${s.hj212.rejected} frames rejected; limits: ${s.hj212.evicted} connections evicted, ${s.hj212.firstFrameTimeouts} closed without a first frame, ${s.hj212.refused + s.hj212.refusedPerSource} refused`,
          ] as [string, string],
        ]
      : []),
    [
      'cameras',
      s.cameras.total
        ? `${s.cameras.online} of ${s.cameras.total} online${Object.keys(s.cameras.byState).length ? ` (${counts(s.cameras.byState)})` : ''}`
        : 'none',
    ],
    ['config', s.configVersion ? `version ${s.configVersion}` : 'local file (no cloud configuration applied)'],
    ['disk', `${mib(s.disk.freeBytes)} free of ${mib(s.disk.totalBytes)} (${pct} % free) at ${s.disk.path}`],
    [
      'clock',
      `${s.clock.synced ? state('synchronised') : `${c.red('NOT synchronised')} (${st.heldUnsynced} readings held for correction)`} (${s.clock.source})${s.clock.steps ? `, ${plural(s.clock.steps, 'clock step')} since the agent started` : ''}`,
    ],
    [
      'errors',
      s.errorsLastHour
        ? c.red(`${plural(s.errorsLastHour, 'error line')} logged in the last hour (yiwang-edge logs --level error)`)
        : '0 error lines logged in the last hour',
    ],
  ]);
}

export function register(program: Command): void {
  program
    .command('status')
    .description(
      'one screen: provisioned, uplink and last sync, backlog (readings and events waiting for the cloud, unsent and awaiting ack), store cap, devices and cameras by state, events, config, disk, clock, recent errors; every figure says what it counts and since when (needs the running agent)',
    )
    .action(async (_o: unknown, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const s = await localApiGet<AgentStatus>(socket, '/v1/status');
      emit(cmd, s, () => render(s));
    });
}
