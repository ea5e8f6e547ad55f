/** `yiwang-edge logs`: the agent's recent log lines (its in-memory ring), follow, filter by device. */
import type { Command } from 'commander';
import { localApi } from './local-api-client.js';
import { c, configAndSocket, globals } from './output.js';
import { LOG_LEVELS } from '../log-ring.js';
import { YiwangError } from '../../common/errors.js';

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(LOG_LEVELS).map(([k, v]) => [v, k]));
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'component', 'deviceId']);

export function formatLine(l: Record<string, unknown>): string {
  const level = NAMES[l.level as number] ?? String(l.level);
  const paint = (l.level as number) >= 50 ? c.red : (l.level as number) >= 40 ? c.yellow : (s: string): string => s;
  const extra = Object.entries(l)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const where = [l.component, l.deviceId].filter((x) => typeof x === 'string').join(' ');
  return `${new Date(l.time as number).toISOString()} ${paint(level.toUpperCase().padEnd(5))} ${where ? `[${where}] ` : ''}${String(l.msg ?? '')}${extra ? c.dim(`  ${extra}`) : ''}`;
}

export function register(program: Command): void {
  program
    .command('logs')
    .description(
      'recent log lines of the running agent (under systemd also: journalctl -u yiwang-edge); --json prints one JSON object per line',
    )
    .option('-f, --follow', 'keep printing new lines until interrupted')
    .option('-d, --device <id>', 'only lines about this device')
    .option('-l, --level <level>', `at least this level (${Object.keys(LOG_LEVELS).join(', ')})`)
    .option('-n, --lines <n>', 'how many recent lines to show first', '100')
    .action(async (o: { follow?: boolean; device?: string; level?: string; lines: string }, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      if (o.level && LOG_LEVELS[o.level] === undefined)
        throw new YiwangError('EDGE_ERR_BAD_REQUEST', `--level must be one of ${Object.keys(LOG_LEVELS).join(', ')}`);
      const json = globals(cmd).json;
      const base = new URLSearchParams();
      if (o.device) base.set('device', o.device);
      if (o.level) base.set('level', o.level);
      const fetch = (
        after: number,
        extra: Record<string, string>,
      ): Promise<{ entries: Record<string, unknown>[]; last: number }> => {
        const q = new URLSearchParams(base);
        q.set('after', String(after));
        for (const [k, v] of Object.entries(extra)) q.set(k, v);
        return localApi(socket, 'GET', `/v1/logs?${q.toString()}`, undefined, 30_000);
      };
      const print = (entries: Record<string, unknown>[]): void => {
        for (const e of entries) console.log(json ? JSON.stringify(e) : formatLine(e));
      };
      const n = Number(o.lines);
      let r = await fetch(0, { limit: String(Number.isInteger(n) && n >= 0 ? n : 100) });
      print(r.entries);
      if (!o.follow) return;
      let stop = false;
      process.once('SIGINT', () => {
        stop = true;
        process.exit(0);
      });
      while (!stop) {
        r = await fetch(r.last, { wait: '20000' });
        print(r.entries);
      }
    });
}
