/** `yiwang-edge status`: one screen from the running agent's local API. */
import type { Command } from 'commander';
import { localApiGet } from './local-api-client.js';
import type { AgentStatus } from '../api/status.js';
import { ago, c, configAndSocket, emit, facts, mib, state } from './output.js';

const counts = (o: Record<string, number>): string => Object.entries(o).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${state(k)}`).join(', ') || 'none';

/** Readings refused one by one and dead letters: never silent, red when any. */
function faults(st: AgentStatus['store']): string {
  const q = st.quarantine, d = st.deadLettered;
  if (q.readings === 0 && d.batches === 0) return '0 readings, 0 dead letters';
  const reasons = Object.entries(q.byReason).sort(([, a], [, b]) => b - a).map(([k, n]) => `${n} ${k}`).join(', ');
  return c.red(`${q.readings} readings${reasons ? ` (${reasons})` : ''}, ${d.batches} dead letters (${d.readings} readings)`) + '  (yiwang-edge quarantine, yiwang-edge dead-letters)';
}

export function render(s: AgentStatus, now = Date.now()): string {
  const u = s.uplink, st = s.store;
  const pct = s.disk.totalBytes ? Math.round((100 * s.disk.freeBytes) / s.disk.totalBytes) : 0;
  return facts([
    ['gateway', `${s.gatewayId}${s.site ? ` at ${s.site}` : ''}  (agent ${s.version}, up ${s.uptimeS} s)`],
    ['provisioned', s.provisioned ? state('yes') : state('no')],
    ['uplink', `${state(u.state)}  ${u.url}  last sync ${ago(u.lastAckAt, now)}${u.lastError ? `  ${c.red(`error ${u.lastError.code}: ${u.lastError.message}`)}` : ''}`],
    ['backlog', `${st.rows} readings, ${mib(st.bytes)} of ${mib(st.capBytes)} cap (${st.pendingRows} unsent, ${st.unackedBatches} batches awaiting ack), oldest ${st.oldestAgeMs === null ? '-' : `${Math.round(st.oldestAgeMs / 1000)} s old`}`],
    ['dropped', `cap ${st.dropped.cap}, age ${st.dropped.ttl}, rejected by cloud ${st.dropped.rejected}`],
    ['delivered', `${u.readingsAcked} readings in ${u.batchesAcked} batches (${u.resends} resends, ${u.timeouts} timeouts), ${u.drainRate.toFixed(0)}/s, batch size ${u.batchSize}${u.budgetExhausted ? c.red(', DAILY BUDGET SPENT (alarms only)') : ''}`],
    ['devices', `${counts(s.deviceStates)}  (coap port ${s.coap.port}: ${s.coap.uplinks} uplinks, ${s.coap.rejected} rejected)`],
    ['quarantined', faults(st)],
    ...(s.hj212 ? [['hj212', `port ${s.hj212.port}: ${s.hj212.open} open, ${s.hj212.readings} readings, ${s.hj212.rejected} frames rejected; limits: ${s.hj212.evicted} evicted, ${s.hj212.firstFrameTimeouts} no first frame, ${s.hj212.refused + s.hj212.refusedPerSource} refused`] as [string, string]] : []),
    ['cameras', s.cameras.total ? `${s.cameras.online} of ${s.cameras.total} online${Object.keys(s.cameras.byState).length ? ` (${counts(s.cameras.byState)})` : ''}` : 'none'],
    ['config', s.configVersion ? `version ${s.configVersion}` : 'local file (no cloud configuration applied)'],
    ['disk', `${mib(s.disk.freeBytes)} free of ${mib(s.disk.totalBytes)} (${pct} %) at ${s.disk.path}`],
    ['clock', `${s.clock.synced ? state('synchronised') : `${c.red('NOT synchronised')} (${st.heldUnsynced} readings held for correction)`} (${s.clock.source})${s.clock.steps ? `, ${s.clock.steps} steps seen` : ''}`],
    ['errors', s.errorsLastHour ? c.red(`${s.errorsLastHour} in the last hour (yiwang-edge logs --level error)`) : '0 in the last hour'],
  ]);
}

export function register(program: Command): void {
  program
    .command('status')
    .description('one screen: provisioned, uplink and last sync, backlog, devices and cameras by state, config, disk, clock, recent errors (needs the running agent)')
    .action(async (_o: unknown, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const s = await localApiGet<AgentStatus>(socket, '/v1/status');
      emit(cmd, s, () => render(s));
    });
}
