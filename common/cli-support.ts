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
