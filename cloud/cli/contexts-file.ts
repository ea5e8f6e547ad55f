/**
 * The operator CLI's saved clouds (`yiwang-cloud login`): named contexts of URL and token in
 * `$XDG_CONFIG_HOME/yiwang/cloud-contexts.json` (default `~/.config/…`), mode 0600 in a 0700
 * directory, written atomically. A file others may read is refused, as ssh refuses such keys.
 */
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { YiwangError } from '../../common/errors.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../common/private-files.js';

export interface CloudContext {
  url: string;
  token: string;
  /** The operator account of a session token (`login --user`). */
  user?: string;
  savedMs: number;
}
export interface ContextsDoc {
  current: string;
  contexts: Record<string, CloudContext>;
}

/** Where the contexts live: $XDG_CONFIG_HOME (when absolute) or ~/.config, then yiwang/cloud-contexts.json. */
export function contextsPath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config'), 'yiwang', 'cloud-contexts.json');
}

const broken = (file: string, why: string): never => {
  throw new YiwangError('CLOUD_ERR_CONTEXT', `${file}: ${why}`);
};

/** The saved contexts; none when the file does not exist. */
export function readContexts(file: string): ContextsDoc {
  if (!existsSync(file)) return { current: '', contexts: {} };
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077)
    broken(
      file,
      `holds API tokens but others may read it (mode ${mode.toString(8).padStart(4, '0')}); run chmod 600 ${file}`,
    );
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return broken(file, `not JSON (${(err as Error).message}); remove it and log in again`);
  }
  const d = doc as Partial<ContextsDoc>;
  if (typeof d !== 'object' || d === null || typeof d.contexts !== 'object' || d.contexts === null)
    return broken(file, 'not a contexts file; remove it and log in again');
  for (const [name, c] of Object.entries(d.contexts)) {
    if (typeof c?.url !== 'string' || typeof c.token !== 'string')
      broken(file, `context ${JSON.stringify(name)} lacks url or token; log in again`);
  }
  return { current: typeof d.current === 'string' ? d.current : '', contexts: d.contexts };
}

/** Writes the contexts (0600, directory 0700 when created) through a temporary file and a rename. */
export function writeContexts(file: string, doc: ContextsDoc): void {
  makePrivateDir(dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
  chmodSync(tmp, PRIVATE_FILE_MODE); // whatever the umask
  renameSync(tmp, file);
}

/** Context names: letters, digits and . _ : @ - (what `login` derives from a URL fits). */
export const CONTEXT_NAME_RE = /^[A-Za-z0-9._:@-]{1,64}$/;
