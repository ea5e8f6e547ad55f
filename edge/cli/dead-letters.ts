/** `yiwang-edge dead-letters`: single readings (or events) the cloud rejected whole, kept and never resent. */
import type { Command } from 'commander';
import { localApiGet } from './local-api-client.js';
import type { DeadLettersView } from '../api/fault-routes.js';
import { c, configAndSocket, emit, facts, table } from './output.js';

export function render(v: DeadLettersView): string {
  const t = v.totals;
  const head = facts([
    ['dead letters', t.batches ? c.red(`${t.batches} batches (${t.readings} readings) since the store was created`) : '0'],
    ['kept', `${t.held} of at most ${t.capRows} (${t.evicted} older ones evicted)`],
  ]);
  if (v.entries.length === 0) return head;
  return `${head}\n\n${table(['seq', 'at', 'cloud code', 'device', 'metric', 'ts', 'value', 'detail'], v.entries.map((e) => {
    const r = e.content[0], q = e.refused[0];
    const what = r ? [r.deviceId, r.metric, String(r.ts), String(r.value)] : q ? [q.deviceId, q.metric, '-', '-'] : [e.events ? `${e.events} event(s)` : '-', '-', '-', '-'];
    const why = e.decodeError ?? (q ? `${q.code}: ${q.detail}` : undefined);
    return [String(e.seq), new Date(e.atMs).toISOString(), e.errorCode, ...what, why ? `${e.detail} (${why})` : e.detail];
  }))}`;
}

export function register(program: Command): void {
  program
    .command('dead-letters')
    .description('batches the cloud rejected whole once bisection isolated them (one reading or event each): what they held and the cloud\'s error, newest first (needs the running agent)')
    .option('-n, --limit <n>', 'how many to show', '50')
    .action(async (o: { limit: string }, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const n = Number(o.limit);
      const v = await localApiGet<DeadLettersView>(socket, `/v1/dead-letters?limit=${Number.isInteger(n) && n >= 0 ? n : 50}`);
      emit(cmd, v, () => render(v));
    });
}
