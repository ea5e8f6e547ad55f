/**
 * How a long-lived service (`yiwang-edge run`, `yiwang-cloud serve`) runs and stops: ready over
 * IPC when a parent forked it, stopped cleanly on SIGINT/SIGTERM (or when that parent goes), and
 * always ended within a bounded time whatever happens to stdout and stderr (issue 17, problem 4):
 * a closed or stalled log pipe neither throws nor blocks, and past the deadline — or at a second
 * signal — the process exits with a coded line.
 */
import { writeSync } from 'node:fs';
import type { Logger } from './log.js';
import { YiwangError, type ErrorCode } from './errors.js';
import { EXIT } from './cli-support.js';

/** How long a clean stop may take before the process exits anyway (under systemd's TimeoutStopSec=20). */
export const STOP_DEADLINE_MS = 10_000;
/** How long the log destination may take to drain after the stop. */
const LOG_FLUSH_MS = 1000;

/**
 * stdout and stderr: a closed reader (EPIPE) emits 'error' on them, which must not end the
 * process as an uncaught exception. Opening them also puts a pipe behind them in non-blocking
 * mode (Node does that), so no synchronous write to them can block.
 */
export function guardStdio(): void {
  for (const s of [process.stdout, process.stderr]) if (s.listenerCount('error') === 0) s.on('error', () => {});
}

/** Writes a line to stderr if it can at once; never throws, never blocks (EPIPE, EAGAIN: dropped). */
export function tryWriteStderr(text: string): void {
  try {
    writeSync(2, text);
  } catch {
    /* the reader is gone or full */
  }
}

export interface ServiceOptions {
  /** Sent to a parent holding our IPC channel once running (`{ ready }`). */
  ready: Record<string, unknown>;
  /** The clean stop: closes listeners, commits and closes the store, releases the lock. */
  stop: () => Promise<void>;
  log: Logger;
  /** Drains the log destination (bounded by LOG_FLUSH_MS here). */
  flushLogs?: (timeoutMs: number) => Promise<void>;
  /** Coded error printed when the stop does not finish in time (EDGE_ERR_STOP_TIMEOUT …). */
  timeoutCode: ErrorCode;
  /** `edge agent`, `cloud`. */
  what: string;
  deadlineMs?: number;
}

export function runService(o: ServiceOptions): void {
  guardStdio();
  const deadlineMs = o.deadlineMs ?? STOP_DEADLINE_MS;
  let stopping = false;
  const hardExit = (detail: string): never => {
    const e = new YiwangError(o.timeoutCode, detail);
    tryWriteStderr(`error ${e.code}: ${e.message}${e.hint ? ` (${e.hint})` : ''}\n`);
    process.exit(EXIT.ERROR);
  };
  const shutdown = (why: string): void => {
    if (stopping) hardExit(`${why} again while stopping: exited without waiting for the ${o.what} to stop`);
    stopping = true;
    // not unref'd: it fires even if the stop leaves nothing else in the event loop
    setTimeout(() => hardExit(`the ${o.what} did not stop within ${deadlineMs / 1000} s of ${why}`), deadlineMs);
    o.log.info({ reason: why }, `stopping the ${o.what}`);
    let code: number = EXIT.OK;
    // the finally exits the process, so no rejection of this chain is left unhandled
    void o
      .stop()
      .catch((err: unknown) => {
        code = EXIT.ERROR;
        o.log.error({ err: (err as Error)?.message ?? String(err) }, `error while stopping the ${o.what} (${why})`);
      })
      .then(() => o.flushLogs?.(LOG_FLUSH_MS))
      .finally(() => process.exit(code));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  if (process.send) {
    process.on('disconnect', () => shutdown('parent gone'));
    process.send({ ready: o.ready });
  }
}
