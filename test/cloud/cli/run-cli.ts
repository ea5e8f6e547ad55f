/**
 * Runs `yiwang-cloud` commands in this process (the exported commander program of
 * cloud/cli/main.ts): stdout lines captured, a coded error returned as the one line and exit code
 * the binary prints. `env` is set for the one run (undefined removes a variable). Every test file
 * that uses it keeps its saved contexts in a temporary $XDG_CONFIG_HOME.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCodeFor } from '../../../common/cli-support.js';
import { isYiwangError } from '../../../common/errors.js';
import { program } from '../../../cloud/cli/main.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  errCode?: string;
}

/** A private $XDG_CONFIG_HOME for this test file; YIWANG_CLOUD_* of the caller's shell are dropped. */
export function isolateCliEnv(): string {
  const xdg = mkdtempSync(join(tmpdir(), 'yw-cli-xdg-'));
  process.env.XDG_CONFIG_HOME = xdg;
  for (const k of ['YIWANG_CLOUD_URL', 'YIWANG_CLOUD_TOKEN', 'YIWANG_CLOUD_CONFIG']) delete process.env[k];
  return xdg;
}

export async function cloudCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => {
    out.push(a.map(String).join(' '));
  };
  try {
    await program.parseAsync(['node', 'yiwang-cloud', ...args]);
    return { code: 0, out: out.join('\n'), err: '' };
  } catch (err) {
    if (!isYiwangError(err)) throw err;
    return {
      code: exitCodeFor(err.code),
      out: out.join('\n'),
      err: `error ${err.code}: ${err.message}${err.hint ? ` (${err.hint})` : ''}`,
      errCode: err.code,
    };
  } finally {
    console.log = log;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
