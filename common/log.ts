/**
 * pino logging. Components take a child logger: `log.child({ component: 'coap' })`, then
 * `{ deviceId }` / `{ gatewayId }`. Object first, message second. Secrets are redacted by path.
 * Services (`yiwang-edge run`, `yiwang-cloud serve`) log JSON lines, or human lines on a terminal
 * (`logFormat`); either way the destination never throws or blocks on a closed or stalled reader
 * (common/log-destination.ts).
 */
import { openSync } from 'node:fs';
import { pino, type Logger, type LevelWithSilent, type DestinationStream } from 'pino';
import { FdDestination } from './log-destination.js';
import { PrettyStream } from './log-pretty.js';

export type { Logger };

export const REDACT_PATHS = [
  'secret',
  'password',
  '*.secret',
  '*.password',
  '*.token',
  'token',
  'apiKey',
  '*.apiKey',
  'gateway.secret',
  'cloud.secret',
  'headers.authorization',
];

/** `json`: one pino JSON object per line; `pretty`: human lines (common/log-pretty.ts). */
export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

/**
 * The format a service logs in: `auto` is pretty when `stream` (where the logs go) is a
 * terminal and `--json` was not given, JSON otherwise (a pipe, a file, journald).
 */
export function logFormat(
  choice: string | undefined,
  json: boolean | undefined,
  stream: { isTTY?: boolean } = process.stderr,
): LogFormat {
  if (choice === 'json' || choice === 'pretty') return choice;
  return !json && stream.isTTY ? 'pretty' : 'json';
}

/** Colour on a terminal unless NO_COLOR is set or TERM is dumb (as the CLIs' tables). */
export function colorFor(stream: { isTTY?: boolean } = process.stderr): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

export interface LogOptions {
  level?: LevelWithSilent;
  /** Destination file descriptor or path; defaults to stderr so stdout stays for CLI output. */
  destination?: number | string | NodeJS.WritableStream | FdDestination;
  name?: string;
  /** Default `json`. With `pretty` the destination receives human lines. */
  format?: LogFormat;
  /** Colour the pretty lines (default: when stderr is a terminal, see `colorFor`). */
  color?: boolean;
  /** Also receives every JSON line, whatever the format (the edge agent's ring for `yiwang-edge logs`). */
  tee?: DestinationStream;
}

export function createLogger(opts: LogOptions = {}): Logger {
  const d = opts.destination ?? 2;
  const out: DestinationStream =
    typeof d === 'number'
      ? new FdDestination(d)
      : typeof d === 'string'
        ? new FdDestination(openSync(d, 'a', 0o600))
        : (d as DestinationStream);
  const formatted: DestinationStream = opts.format === 'pretty' ? new PrettyStream(out, opts.color ?? colorFor()) : out;
  const tee = opts.tee;
  const dest: DestinationStream = tee
    ? {
        write: (s: string) => {
          tee.write(s);
          formatted.write(s);
        },
      }
    : formatted;
  return pino(
    {
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      level: opts.level ?? (process.env.YIWANG_LOG_LEVEL as LevelWithSilent | undefined) ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    dest,
  );
}

/** A logger that drops everything (library use and quiet tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' }, { write: () => {} }); // no stdout destination with an exit flush
}
