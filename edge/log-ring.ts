/**
 * Recent agent logs for `yiwang-edge logs` and the support bundle: a bounded ring of the JSON
 * lines pino writes (already redacted), fed by the agent's log destination next to stderr
 * (which journald collects under systemd). Also counts error lines for `status`.
 */
import { FdDestination } from '../common/log-destination.js';
import { pino, type Logger, type LevelWithSilent, type DestinationStream } from 'pino';
import { REDACT_PATHS } from '../common/log.js';
import { definedProps } from '../common/defined.js';

export interface LogEntry {
  /** Position in the ring's stream (increasing; a follower asks for entries after it). */
  seq: number;
  time: number;
  level: number;
  msg: string;
  component?: string;
  deviceId?: string;
  code?: string;
  /** The whole pino line as parsed. */
  line: Record<string, unknown>;
}

export interface LogQuery {
  after?: number;
  deviceId?: string;
  minLevel?: number;
  limit?: number;
}

const HOUR_MS = 3_600_000;
/** pino's numeric levels, for `--level`. */
export const LOG_LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

const URL_DEVICE = /^\/(?:senml\/([^/?]+)|raw\/[^/?]+\/([^/?]+))/;

/** The device a line is about: deviceId, endpoint or mn fields, else the id in a CoAP uplink URL. */
function deviceOf(line: Record<string, unknown>): string | undefined {
  for (const k of ['deviceId', 'endpoint', 'mn']) if (typeof line[k] === 'string') return line[k] as string;
  const m = typeof line.url === 'string' ? URL_DEVICE.exec(line.url) : null;
  if (!m) return undefined;
  try {
    return decodeURIComponent((m[1] ?? m[2]) as string);
  } catch {
    return undefined;
  }
}

export class LogRing implements DestinationStream {
  private readonly entries: LogEntry[] = [];
  private seq = 0;
  private readonly errorTimes: number[] = [];
  private waiters: (() => void)[] = [];

  constructor(readonly capacity = 5000) {}

  /** pino destination: one or more newline-terminated JSON lines. */
  write(chunk: string): void {
    for (const text of chunk.split('\n')) {
      if (!text.trim()) continue;
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      const str = (k: string): string | undefined => (typeof line[k] === 'string' ? (line[k] as string) : undefined);
      const e: LogEntry = {
        seq: ++this.seq,
        time: typeof line.time === 'number' ? line.time : Date.now(),
        level: typeof line.level === 'number' ? line.level : 30,
        msg: str('msg') ?? '',
        ...definedProps({ component: str('component'), deviceId: deviceOf(line), code: str('code') }),
        line,
      };
      this.entries.push(e);
      if (this.entries.length > this.capacity) this.entries.shift();
      if (e.level >= 50) {
        this.errorTimes.push(e.time);
        if (this.errorTimes.length > 100_000) this.errorTimes.shift();
      }
    }
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Entries after `after`, optionally of one device and at least a level; the newest `limit`. */
  query(q: LogQuery = {}): LogEntry[] {
    const out = this.entries.filter(
      (e) =>
        e.seq > (q.after ?? 0) &&
        (q.deviceId === undefined || e.deviceId === q.deviceId) &&
        e.level >= (q.minLevel ?? 0),
    );
    return q.limit !== undefined && out.length > q.limit ? out.slice(out.length - q.limit) : out;
  }

  /** Resolves when an entry after `after` exists, or after `ms`. */
  async waitAfter(after: number, ms: number): Promise<void> {
    if (this.seq > after) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Error and fatal lines in the last hour (counted even when they left the ring). */
  errorsLastHour(now = Date.now()): number {
    while (this.errorTimes.length && (this.errorTimes[0] as number) < now - HOUR_MS) this.errorTimes.shift();
    return this.errorTimes.length;
  }
}

/** The agent's logger under `yiwang-edge run`: stderr (journald) and the ring, secrets redacted. */
export function ringLogger(level: string, ring: LogRing): Logger {
  const stderr = new FdDestination(2); // never blocks or throws when stderr's reader is gone
  const both: DestinationStream = {
    write: (s: string) => {
      stderr.write(s);
      ring.write(s);
    },
  };
  return pino(
    {
      name: 'yiwang-edge',
      level: level as LevelWithSilent,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    both,
  );
}
