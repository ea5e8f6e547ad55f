/**
 * Output of the technician's commands: aligned tables and colour on a TTY, plain text otherwise
 * (and with NO_COLOR), `--json` for machines, a progress bar on stderr for long work (TTY only).
 */
import type { Command } from 'commander';
import { dirname, join } from 'node:path';
import { loadEdgeConfig, type EdgeConfig } from '../config.js';
import { localApiGet } from './local-api-client.js';

export interface GlobalOpts {
  config?: string;
  json?: boolean;
  debug?: boolean;
}

export const globals = (cmd: Command): GlobalOpts => cmd.optsWithGlobals<GlobalOpts>();

/** The config file of `--config` and the local API socket it names. */
export function configAndSocket(cmd: Command): { config: EdgeConfig; socket: string; file: string | undefined } {
  const file = globals(cmd).config;
  const config = loadEdgeConfig(file);
  return { config, socket: agentSocket(config), file };
}

export const agentSocket = (c: EdgeConfig): string => c.api.socket || join(dirname(c.store.path), 'agent.sock');

const tty = (): boolean => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
const paint =
  (code: number) =>
  (s: string): string =>
    tty() ? `\x1b[${code}m${s}\x1b[0m` : s;
export const c = { bold: paint(1), dim: paint(2), red: paint(31), green: paint(32), yellow: paint(33) };

/** Colours a state word: good states green, bad red, the rest yellow. */
export function state(s: string): string {
  if (/^(online|ok|pass|up_auth|synchronised|yes)$/.test(s)) return c.green(s);
  if (/^(offline|fail|unreachable|down|silent|no|error)$/.test(s)) return c.red(s);
  return c.yellow(s);
}

// eslint-disable-next-line no-control-regex
const visible = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;

/** Columns padded to the widest cell; the header bold on a TTY. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells
      .map((x, i) => (i === cells.length - 1 ? x : x + ' '.repeat(widths[i]! - visible(x))))
      .join('  ')
      .trimEnd();
  return [c.bold(line(headers)), ...rows.map(line)].join('\n');
}

/** `key  value` lines with the keys aligned. */
export function facts(pairs: [string, string][]): string {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${c.bold(k.padEnd(w))}  ${v}`).join('\n');
}

/** Prints `data` as JSON with --json, else the human rendering. */
export function emit(cmd: Command, data: unknown, human: () => string): void {
  console.log(globals(cmd).json ? JSON.stringify(data, null, 2) : human());
}

/**
 * A command that shows one page of a local API list (`GET <path>?limit=n`, newest first):
 * `yiwang-edge quarantine`, `yiwang-edge dead-letters`.
 */
export function listCommand<V>(
  program: Command,
  o: { name: string; description: string; limitHelp: string; path: string; render: (v: V) => string },
): void {
  program
    .command(o.name)
    .description(o.description)
    .option('-n, --limit <n>', o.limitHelp, '50')
    .action(async (opts: { limit: string }, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const n = Number(opts.limit);
      const v = await localApiGet<V>(socket, `${o.path}?limit=${Number.isInteger(n) && n >= 0 ? n : 50}`);
      emit(cmd, v, () => o.render(v));
    });
}

export const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
export const ago = (ms: number | null, now = Date.now()): string => {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};

export interface Progress {
  update(done: number, total: number, label?: string): void;
  end(): void;
}

/** A bar on stderr when it is a TTY (and not --json); nothing otherwise. */
export function progress(cmd: Command, title: string): Progress {
  const on = Boolean(process.stderr.isTTY) && !globals(cmd).json;
  const width = 24;
  let shown = false;
  return {
    update(done, total, label = '') {
      if (!on) return;
      const f = total > 0 ? Math.min(1, done / total) : 0;
      const n = Math.round(f * width);
      process.stderr.write(
        `\r\x1b[2K${title} [${'#'.repeat(n)}${'-'.repeat(width - n)}] ${String(Math.round(f * 100)).padStart(3)}% ${label}`,
      );
      shown = true;
    },
    end() {
      if (on && shown) process.stderr.write('\n');
      shown = false; // once: a later end() (finally after success) writes nothing
    },
  };
}
