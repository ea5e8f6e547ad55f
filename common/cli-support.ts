/** Shared behaviour of both CLIs: one-line coded errors, exit codes, graceful signals, IPC readiness. */
import { isYiwangError } from './errors.js';

/** Exit codes (docs/reference/cli.md). */
export const EXIT = { OK: 0, ERROR: 1, USAGE: 2, CONFIG: 3, UNAVAILABLE: 4 } as const;

export function exitCodeFor(code: string): number {
  if (code.startsWith('CONFIG_ERR_')) return EXIT.CONFIG;
  if (code === 'EDGE_ERR_AGENT_NOT_RUNNING') return EXIT.UNAVAILABLE;
  return EXIT.ERROR;
}

/** Prints `error CODE: message (hint)` and exits; the stack only with --debug. */
export function failAndExit(err: unknown, debug = process.argv.includes('--debug')): never {
  if (isYiwangError(err)) {
    console.error(`error ${err.code}: ${err.message}${err.hint ? ` (${err.hint})` : ''}`);
    if (debug) console.error(err.stack);
    process.exit(exitCodeFor(err.code));
  }
  console.error(`error: ${(err as Error)?.message ?? String(err)}`);
  if (debug) console.error((err as Error)?.stack);
  process.exit(EXIT.ERROR);
}

/**
 * Runs a long-lived service: stops it on SIGINT/SIGTERM (and when a parent holding our IPC
 * channel goes away), tells the parent over IPC when ready.
 */
export function serveUntilSignalled(ready: Record<string, unknown>, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (why: string): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(EXIT.ERROR), 10_000);
    force.unref();
    stop().then(() => process.exit(EXIT.OK), (err: unknown) => { console.error(`error during stop (${why}): ${String(err)}`); process.exit(EXIT.ERROR); });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  if (process.send) {
    process.on('disconnect', () => shutdown('parent gone'));
    process.send({ ready });
  }
}
