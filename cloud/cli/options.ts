/** What the operator commands that talk to a running cloud's HTTP API share. */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import { useTarget } from './api-client.js';
import { targetOf } from './target.js';

/** The cloud a command talks to, resolved before its action runs (cloud/cli/target.ts). */
export interface ApiOpts {
  url: string;
  token: string;
}

/**
 * Marks a command as one that talks to the cloud's API: before its action, the global --url,
 * --token, --context, --config (cloud/cli/target.ts) are resolved into its `url` and `token`.
 */
export const withApi = (c: Command): Command =>
  c.hook('preAction', (cmd) => {
    const t = targetOf(cmd);
    useTarget(t);
    cmd.setOptionValue('url', t.url);
    cmd.setOptionValue('token', t.token);
  });

/** Prints rows as aligned columns (numbers right-aligned). */
export function table(header: string[], rows: (string | number)[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r: (string | number)[]): string =>
    r
      .map((c, i) => (typeof c === 'number' ? String(c).padStart(w[i] ?? 0) : String(c).padEnd(w[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export const pct = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

export function ago(ms: number | null, now = Date.now()): string {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.round(s / 60)}m ago`;
  if (s < 172_800) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

export const jsonOut = (program: Command): boolean => program.opts<{ json?: boolean }>().json === true;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A --since value as ms since the epoch: a duration back from `now` (90s, 30m, 6h, 7d, 2w), an ISO 8601 time, or ms since the epoch. */
export function sinceMs(v: string, now = Date.now()): number {
  const d = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(v.trim());
  if (d) return Math.round(now - Number(d[1]) * UNIT_MS[d[2]!]!);
  if (/^\d{10,}$/.test(v.trim())) return Number(v.trim());
  const t = Date.parse(v);
  if (Number.isFinite(t) && /^\d{4}-\d{2}-\d{2}/.test(v.trim())) return t;
  throw new YiwangError(
    'CLOUD_ERR_BAD_REQUEST',
    `--since ${JSON.stringify(v)}: give a duration back (90s, 30m, 6h, 7d, 2w), an ISO 8601 time (2024-05-01T08:00:00Z) or ms since the epoch`,
  );
}
