/**
 * Human log lines for a terminal (`yiwang-edge run`, `yiwang-cloud serve` on a TTY): pino's JSON
 * line (already redacted) becomes `12:03:04.567 WARN  uplink: message key=value …`, the level in
 * colour when colour is on. Control characters in messages and values (device ids, peer bytes)
 * are escaped, never sent to the terminal.
 */

const LEVELS: Record<number, [string, string]> = {
  10: ['TRACE', '90'],
  20: ['DEBUG', '90'],
  30: ['INFO', '32'],
  40: ['WARN', '33'],
  50: ['ERROR', '31'],
  60: ['FATAL', '1;31'],
};
/** Fields every line has, or that the layout shows in its own place. */
const LAYOUT_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'component']);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Escapes C0/C1 controls and bidi overrides as \uXXXX. */
export function safeText(s: string): string {
  return s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function value(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]*$/.test(v) && v !== '' ? safeText(v) : safeText(JSON.stringify(v));
  return safeText(JSON.stringify(v) ?? String(v));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** One pino JSON line as a human line (with its newline); a line that is not JSON passes unchanged, escaped. */
export function prettyLine(json: string, color: boolean): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return `${safeText(json)}\n`;
  }
  const d = new Date(typeof o.time === 'number' ? o.time : Date.now());
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  const [label, sgr] = LEVELS[o.level as number] ?? [String(o.level ?? '?').toUpperCase(), '0'];
  const lvl = color ? `\x1b[${sgr}m${label.padEnd(5)}\x1b[0m` : label.padEnd(5);
  const comp = typeof o.component === 'string' ? `${safeText(o.component)}: ` : '';
  const fields = Object.entries(o)
    .filter(([k]) => !LAYOUT_KEYS.has(k))
    .map(([k, v]) => `${safeText(k)}=${value(v)}`);
  const extra = fields.length ? (color ? ` \x1b[2m${fields.join(' ')}\x1b[0m` : ` ${fields.join(' ')}`) : '';
  return `${color ? `\x1b[2m${time}\x1b[0m` : time} ${lvl} ${comp}${safeText(String(o.msg ?? ''))}${extra}\n`;
}

/** A pino destination that writes each JSON line to `out` as a human line. */
export class PrettyStream {
  constructor(
    private readonly out: { write(s: string): unknown },
    private readonly color: boolean,
  ) {}

  write(chunk: string): void {
    for (const line of chunk.split('\n')) if (line.trim()) this.out.write(prettyLine(line, this.color));
  }
}
