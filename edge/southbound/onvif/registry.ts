/**
 * The cameras of this gateway: those listed in [cameras] addresses (with the site credentials of
 * the config) and those added through the local API, which persist in <data dir>/cameras.json
 * (mode 0600, passwords sealed — see secret.ts).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { YiwangError } from '../../../common/errors.js';
import { parseEndpoint, type CameraEndpoint } from './onvif-client.js';
import { Secret, type CredentialSealer } from './secret.js';
import './errors.js';

export interface CameraEntry { id: string; address: string; endpoint: CameraEndpoint; username: string; password: Secret; source: 'config' | 'api'; name: string }
interface StoredEntry { id: string; address: string; username: string; password: string; name: string }

export const cameraIdFor = (e: CameraEndpoint): string => `cam-${e.hostname.replace(/[^\w]/g, '-')}-${e.port}`;

export function makeEntry(address: string, username: string, password: Secret, source: CameraEntry['source'], id?: string, name = ''): CameraEntry {
  const endpoint = parseEndpoint(address);
  if (!endpoint) throw new YiwangError('CAMERA_ERR_BAD_ADDRESS', `camera address ${JSON.stringify(address)} is not http://host[:port]/path or host[:port]`);
  if (id !== undefined && !/^[\w.:-]{1,64}$/.test(id)) throw new YiwangError('CAMERA_ERR_BAD_ADDRESS', `camera id ${JSON.stringify(id)} must be 1–64 of letters, digits, . _ : -`);
  return { id: id ?? cameraIdFor(endpoint), address, endpoint, username, password, source, name };
}

export class CameraRegistry {
  private readonly entries = new Map<string, CameraEntry>();

  constructor(private readonly file: string, private readonly sealer: CredentialSealer) {
    if (!existsSync(file)) return;
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { cameras?: StoredEntry[] };
    for (const s of doc.cameras ?? []) this.entries.set(s.id, makeEntry(s.address, s.username, sealer.open(s.password), 'api', s.id, s.name));
  }

  addConfigured(e: CameraEntry): void {
    if (!this.entries.has(e.id)) this.entries.set(e.id, e);
  }

  /** Adds or replaces (same id) a camera and persists the API-added ones. */
  put(e: CameraEntry): void {
    this.entries.set(e.id, e);
    this.save();
  }

  remove(id: string): boolean {
    const had = this.entries.delete(id);
    if (had) this.save();
    return had;
  }

  get(id: string): CameraEntry | undefined {
    return this.entries.get(id);
  }

  list(): CameraEntry[] {
    return [...this.entries.values()];
  }

  get size(): number {
    return this.entries.size;
  }

  private save(): void {
    const cameras: StoredEntry[] = this.list().filter((e) => e.source === 'api')
      .map((e) => ({ id: e.id, address: e.address, username: e.username, password: this.sealer.seal(e.password), name: e.name }));
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ cameras }, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
