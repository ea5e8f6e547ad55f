/** Options shared by the operator commands that talk to a running cloud's HTTP API. */
import type { Command } from 'commander';

export interface ApiOpts { url: string; token: string }

export const withApi = (c: Command): Command => c
  .option('--url <url>', 'cloud HTTP API', process.env.YIWANG_CLOUD_URL ?? 'http://127.0.0.1:8080')
  .option('--token <token>', 'API bearer token', process.env.YIWANG_CLOUD_TOKEN ?? '');

/** Prints rows as aligned columns (numbers right-aligned). */
export function table(header: string[], rows: (string | number)[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r: (string | number)[]): string => r.map((c, i) => (typeof c === 'number' ? String(c).padStart(w[i]) : String(c).padEnd(w[i]))).join('  ').trimEnd();
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
