/**
 * Private modes for the data files and directories the edge agent and the cloud create (issue 16,
 * finding 10): directories we create are 0700, data files 0600 — SQLite databases included, with
 * their -wal, -shm and -journal sidecars. SQLite's unix VFS gives a sidecar the mode of its
 * database file (and fchmods it to that, whatever the umask), so a database file created 0600
 * before SQLite opens it keeps its sidecars private too; sidecars left by an older version are
 * chmodded here. A directory that already exists is left as it is (it may be shared, e.g. /tmp,
 * or set up by the installer: docs/guides/install-edge.md).
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;
export const SQLITE_SIDECARS = ['-wal', '-shm', '-journal'] as const;

/** Creates `dir` (and missing parents) as 0700; an existing directory keeps its mode. */
export function makePrivateDir(dir: string): void {
  // mkdir's mode is reduced by the umask; owner bits are what 0700 needs, so a 0077 umask or a
  // 0022 one both give 0700. Parents created on the way get the same mode.
  const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first !== undefined) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Makes `file` private: created empty with mode 0600 when absent, chmodded to 0600 when present. */
export function makePrivateFile(file: string): void {
  if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
  else closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
}

/**
 * Call before `new Database(path)`: its directory (0700 when we create it), the database file and
 * any sidecar already there become private, so the sidecars SQLite creates later are too.
 * Nothing for ':memory:' or '' (temporary databases).
 */
export function preparePrivateDatabase(path: string): void {
  if (path === ':memory:' || path === '' || path.startsWith('file:')) return;
  makePrivateDir(dirname(path));
  makePrivateFile(path);
  for (const s of SQLITE_SIDECARS) if (existsSync(path + s)) chmodSync(path + s, PRIVATE_FILE_MODE);
}
