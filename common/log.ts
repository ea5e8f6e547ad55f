/**
 * pino logging. Components take a child logger: `log.child({ component: 'coap' })`, then
 * `{ deviceId }` / `{ gatewayId }`. Object first, message second. Secrets are redacted by path.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'secret', 'password', '*.secret', '*.password', '*.token', 'token', 'apiKey', '*.apiKey',
  'gateway.secret', 'cloud.secret', 'headers.authorization',
];

export interface LogOptions {
  level?: LevelWithSilent;
  /** Destination file descriptor or path; defaults to stderr so stdout stays for CLI output. */
  destination?: number | string | NodeJS.WritableStream;
  name?: string;
}

export function createLogger(opts: LogOptions = {}): Logger {
  const d = opts.destination ?? 2;
  const dest = typeof d === 'number' || typeof d === 'string' ? pino.destination({ dest: d, sync: false }) : d;
  return pino(
    {
      name: opts.name,
      level: opts.level ?? (process.env.YIWANG_LOG_LEVEL as LevelWithSilent | undefined) ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    dest,
  );
}

/** A logger that drops everything (library use and quiet tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
