/** Number and time formatting for the dashboard. */
export const int = (n: number): string => n.toLocaleString('en-US');
export const pct = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

export function bytes(n: number): string {
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
}

export function age(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

export const ago = (t: number | null): string => (t === null ? 'never' : `${age(Date.now() - t)} ago`);

/** Escapes text for HTML. */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A wait in seconds as an operator reads it: "45 s", "14 min 5 s", "2 h 30 min". */
export function wait(s: number): string {
  s = Math.max(0, Math.ceil(s));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const min = Math.ceil(s / 60);
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}
