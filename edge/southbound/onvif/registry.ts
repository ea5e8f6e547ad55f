/**
 * The cameras of this gateway: those listed in [cameras] addresses (with the site credentials of
 * the config) and those added through the local API, which persist in <data dir>/cameras.json
 * (mode 0600, passwords sealed — see secret.ts).
 *
 * One entry that cannot be used costs that entry only (issue 16, finding 11): a password sealed
 * under an earlier gateway secret (the gateway was re-keyed) or an entry that no longer validates
 * is kept in the file as it is, listed as needing its credentials re-entered, and not monitored;
 * the other cameras and the agent start. A file that is not JSON at all is kept aside as
 * cameras.json.unreadable-<ms> and the agent starts without API-added cameras.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isYiwangError, YiwangError } from '../../../common/errors.js';
import { makePrivateDir } from '../../../common/private-files.js';
import { parseEndpoint, type CameraEndpoint } from './onvif-client.js';
import type { Secret, CredentialSealer } from './secret.js';

export interface CameraEntry {
  id: string;
  address: string;
  endpoint: CameraEndpoint;
  username: string;
  password: Secret;
  source: 'config' | 'api';
  name: string;
}
interface StoredEntry {
  id: string;
  address: string;
  username: string;
  password: string;
  name: string;
}

/** A kept entry that cannot be used until its credentials are entered again. */
export interface UnusableCamera {
  id: string;
  address: string;
  name: string;
  error: YiwangError;
  /** The entry as read from the file, written back unchanged. */
  stored: unknown;
}

export const cameraIdFor = (e: CameraEndpoint): string => `cam-${e.hostname.replace(/[^\w]/g, '-')}-${e.port}`;

export function makeEntry(
  address: string,
  username: string,
  password: Secret,
  source: CameraEntry['source'],
  id?: string,
  name = '',
): CameraEntry {
  const endpoint = parseEndpoint(address);
  if (!endpoint)
    throw new YiwangError(
      'CAMERA_ERR_BAD_ADDRESS',
      `camera address ${JSON.stringify(address)} is not http://host[:port]/path or host[:port]`,
    );
  if (id !== undefined && !/^[\w.:-]{1,64}$/.test(id))
    throw new YiwangError(
      'CAMERA_ERR_BAD_ADDRESS',
      `camera id ${JSON.stringify(id)} must be 1–64 of letters, digits, . _ : -`,
    );
  return { id: id ?? cameraIdFor(endpoint), address, endpoint, username, password, source, name };
}

export class CameraRegistry {
  private readonly entries = new Map<string, CameraEntry>();
  private readonly unusable = new Map<string, UnusableCamera>();
  /** What went wrong reading the file (the manager logs it): the whole file or single entries. */
  readonly problems: { id?: string; code: string; message: string }[] = [];

  constructor(
    private readonly file: string,
    private readonly sealer: CredentialSealer,
  ) {
    if (!existsSync(file)) return;
    let list: unknown[];
    try {
      const cameras = (JSON.parse(readFileSync(file, 'utf8')) as { cameras?: unknown }).cameras ?? [];
      if (!Array.isArray(cameras)) throw new Error('"cameras" is not a list');
      list = cameras;
    } catch (e) {
      const aside = `${file}.unreadable-${Date.now()}`;
      renameSync(file, aside);
      this.problems.push({
        code: 'CAMERA_ERR_REGISTRY',
        message: `${file} cannot be read (${(e as Error).message}); kept as ${aside}, starting without API-added cameras`,
      });
      return;
    }
    list.forEach((raw, i) => {
      this.load(raw, i);
    });
  }

  private load(raw: unknown, index: number): void {
    const s = (raw ?? {}) as Partial<Record<keyof StoredEntry, unknown>>;
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    const id = str(s.id) || `entry-${index + 1}`;
    const flag = (error: YiwangError): void => {
      this.unusable.set(id, { id, address: str(s.address), name: str(s.name), error, stored: raw });
      this.problems.push({ id, code: error.code, message: error.message });
    };
    let password: Secret;
    try {
      password = this.sealer.open(str(s.password));
    } catch (e) {
      return flag(
        new YiwangError(
          'CAMERA_ERR_CREDENTIALS_SEALED',
          `camera ${id}: the stored password does not open (${(e as Error).message}); enter its credentials again`,
        ),
      );
    }
    try {
      this.entries.set(id, makeEntry(str(s.address), str(s.username), password, 'api', id, str(s.name)));
    } catch (e) {
      if (!isYiwangError(e)) throw e;
      flag(new YiwangError('CAMERA_ERR_REGISTRY', `camera ${id} in ${this.file}: ${e.message}; add it again`));
    }
  }

  addConfigured(e: CameraEntry): void {
    if (!this.entries.has(e.id) && !this.unusable.has(e.id)) this.entries.set(e.id, e);
  }

  /** Adds or replaces (same id) a camera — a flagged one included — and persists the API-added ones. */
  put(e: CameraEntry): void {
    this.unusable.delete(e.id);
    this.entries.set(e.id, e);
    this.save();
  }

  remove(id: string): boolean {
    const had = this.entries.delete(id) || this.unusable.delete(id);
    if (had) this.save();
    return had;
  }

  get(id: string): CameraEntry | undefined {
    return this.entries.get(id);
  }

  /** The usable cameras. */
  list(): CameraEntry[] {
    return [...this.entries.values()];
  }

  /** Kept entries waiting for their credentials (or address) to be entered again. */
  flagged(): UnusableCamera[] {
    return [...this.unusable.values()];
  }

  flaggedOne(id: string): UnusableCamera | undefined {
    return this.unusable.get(id);
  }

  /** Usable cameras (flagged ones are not monitored). */
  get size(): number {
    return this.entries.size;
  }

  private save(): void {
    const cameras: unknown[] = this.list()
      .filter((e) => e.source === 'api')
      .map(
        (e): StoredEntry => ({
          id: e.id,
          address: e.address,
          username: e.username,
          password: this.sealer.seal(e.password),
          name: e.name,
        }),
      );
    for (const u of this.unusable.values()) cameras.push(u.stored);
    makePrivateDir(dirname(this.file));
    const tmp = `${this.file}.tmp`;
    rmSync(tmp, { force: true }); // `mode` applies only to a file writeFileSync creates
    writeFileSync(tmp, `${JSON.stringify({ cameras }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
