/**
 * DTLS pre-shared keys of registered devices (issue 21, identity binding; docs/reference/dtls.md
 * "Device keys"): the agent's `PskDirectory`. A PSK identity belongs to exactly one device and a
 * device has at most one identity (setting another replaces it: re-keying). Rows live in the
 * agent's SQLite file (table `device_psk_keys`), the key sealed with the registry's SecretBox
 * (common/seal.ts, derived from the gateway secret), so edge.db holds no key in clear. The DTLS
 * server asks `keyOf`/`deviceOf` per handshake and per datagram: both answer from an index in
 * memory, loaded at open and changed only after the write it mirrors has committed; no SQL per call.
 * The index is bounded in entries and bytes; a write over a limit is refused
 * (`EDGE_ERR_PSK_LIMIT`) and counted.
 */
import type Database from 'better-sqlite3';
import { YiwangError } from '../../common/errors.js';
import type { SecretBox } from '../../common/seal.js';
import type { PskDirectory } from '../southbound/dtls/psk-directory.js';

/** Identity: 1–128 bytes of printable ASCII (0x20–0x7E). RFC 4279 §5.1 allows UTF-8 up to 2^16−1 bytes; the DTLS server reads at most 128. */
export const PSK_IDENTITY_MAX_BYTES = 128;
/** Key: 16–64 bytes, written as hex (32–128 hex digits). */
export const PSK_KEY_MIN_BYTES = 16;
export const PSK_KEY_MAX_BYTES = 64;
/** Bytes accounted per index entry beyond its identity, device id and key (maps, objects). */
export const PSK_ENTRY_OVERHEAD_BYTES = 160;

export interface PskLimits {
  /** Most keys held (devices with a key). */
  maxEntries: number;
  /** Most bytes the index may account (identity + device id + key + overhead per entry). */
  maxBytes: number;
}

export const PSK_DEFAULT_LIMITS: PskLimits = { maxEntries: 200_000, maxBytes: 64 * 2 ** 20 };

/** Where a directory keeps its rows, and identities it may not hand out (those of another directory). */
export interface PskTableOptions {
  /** Table name (default `device_psk_keys`; LwM2M bootstrap keys: `device_bootstrap_keys`). */
  table?: string;
  /** What to call these keys in messages (default "PSK identity"). */
  what?: string;
  /** The device holding `identity` in another directory, if any: an identity names one key of one device. */
  reservedBy?: (identity: string) => string | undefined;
}

const IDENTITY_RE = /^[\x20-\x7e]+$/;
const HEX_RE = /^[0-9a-fA-F]*$/;

/** The identity if valid, else `EDGE_ERR_PSK_IDENTITY`. */
export function checkPskIdentity(identity: unknown): string {
  if (typeof identity !== 'string' || identity.length === 0 || identity.length > PSK_IDENTITY_MAX_BYTES)
    throw new YiwangError(
      'EDGE_ERR_PSK_IDENTITY',
      `PSK identity must be 1–${PSK_IDENTITY_MAX_BYTES} printable ASCII characters${typeof identity === 'string' ? ` (got ${identity.length})` : ''}`,
    );
  if (!IDENTITY_RE.test(identity))
    throw new YiwangError(
      'EDGE_ERR_PSK_IDENTITY',
      'PSK identity must be printable ASCII (0x20–0x7E): no control characters, no non-ASCII',
    );
  return identity;
}

/** The key bytes of a hex string (an optional `0x` prefix and surrounding blanks allowed), else `EDGE_ERR_PSK_KEY`. */
export function parsePskKey(hex: unknown): Buffer {
  if (typeof hex !== 'string') throw new YiwangError('EDGE_ERR_PSK_KEY', 'PSK key must be a hex string');
  let h = hex.trim();
  if (h.startsWith('0x') || h.startsWith('0X')) h = h.slice(2);
  // length first: nothing is decoded from a string over the bound
  if (h.length < PSK_KEY_MIN_BYTES * 2 || h.length > PSK_KEY_MAX_BYTES * 2 || h.length % 2 !== 0)
    throw new YiwangError(
      'EDGE_ERR_PSK_KEY',
      `PSK key must be ${PSK_KEY_MIN_BYTES}–${PSK_KEY_MAX_BYTES} bytes as hex (${PSK_KEY_MIN_BYTES * 2}–${PSK_KEY_MAX_BYTES * 2} hex digits, an even number), got ${h.length} characters`,
    );
  if (!HEX_RE.test(h)) throw new YiwangError('EDGE_ERR_PSK_KEY', 'PSK key must be hex digits only (0-9, a-f)');
  return Buffer.from(h, 'hex');
}

/** A key checked and ready to be written (`SqlitePskDirectory#prepare`). */
export interface PskEntry {
  deviceId: string;
  identity: string;
  key: Buffer;
}

interface Held {
  deviceId: string;
  /** null: the sealed key does not open (sealed under an earlier gateway secret); the identity stays reserved. */
  key: Buffer | null;
  bytes: number;
}

export interface PskStats {
  entries: number;
  bytes: number;
  maxEntries: number;
  maxBytes: number;
  /** Writes refused (and rows not loaded at open) because a limit was reached. */
  limitHits: number;
  /** Keys that no longer open (the gateway was re-keyed): enter them again. */
  unreadable: number;
}

const cost = (deviceId: string, identity: string, keyLen: number): number =>
  deviceId.length + identity.length + keyLen + PSK_ENTRY_OVERHEAD_BYTES;

export class SqlitePskDirectory implements PskDirectory {
  private readonly byIdentity = new Map<string, Held>();
  private readonly byDevice = new Map<string, string>();
  private bytes = 0;
  private limitHits = 0;
  private readonly limits: PskLimits;
  private readonly upsert: Database.Statement;
  private readonly del: Database.Statement;
  private readonly table: string;
  private readonly what: string;
  private readonly reservedBy: ((identity: string) => string | undefined) | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly box: SecretBox,
    limits: Partial<PskLimits> = {},
    opts: PskTableOptions = {},
  ) {
    this.limits = { ...PSK_DEFAULT_LIMITS, ...limits };
    for (const [k, v] of Object.entries(this.limits))
      if (!Number.isSafeInteger(v) || v <= 0) throw new TypeError(`PSK limit ${k} must be a positive integer`);
    this.table = opts.table ?? 'device_psk_keys';
    if (!/^[a-z_]+$/.test(this.table)) throw new TypeError(`PSK table name ${this.table} is not a plain name`);
    this.what = opts.what ?? 'PSK identity';
    this.reservedBy = opts.reservedBy;
    db.exec(`CREATE TABLE IF NOT EXISTS ${this.table} (
      device_id TEXT PRIMARY KEY, identity TEXT NOT NULL UNIQUE, sealed_key TEXT NOT NULL, created_at INTEGER NOT NULL)`);
    this.upsert = db.prepare(
      `INSERT INTO ${this.table} (device_id, identity, sealed_key, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (device_id) DO UPDATE SET identity = excluded.identity, sealed_key = excluded.sealed_key, created_at = excluded.created_at`,
    );
    this.del = db.prepare(`DELETE FROM ${this.table} WHERE device_id = ?`);
    this.load();
  }

  private load(): void {
    const rows = this.db
      .prepare(`SELECT device_id, identity, sealed_key FROM ${this.table} ORDER BY created_at, device_id`)
      .iterate() as IterableIterator<{ device_id: string; identity: string; sealed_key: string }>;
    for (const r of rows) {
      let key: Buffer | null = null;
      try {
        key = Buffer.from(this.box.open(r.sealed_key), 'hex');
      } catch {
        key = null;
      }
      const bytes = cost(r.device_id, r.identity, key?.length ?? PSK_KEY_MAX_BYTES);
      if (this.byIdentity.size + 1 > this.limits.maxEntries || this.bytes + bytes > this.limits.maxBytes) {
        this.limitHits++; // limits lowered below what is stored: the rest waits for a larger limit
        continue;
      }
      this.remember(r.device_id, r.identity, key, bytes);
    }
  }

  private remember(deviceId: string, identity: string, key: Buffer | null, bytes: number): void {
    this.byIdentity.set(identity, { deviceId, key, bytes });
    this.byDevice.set(deviceId, identity);
    this.bytes += bytes;
  }

  private forget(deviceId: string): void {
    const identity = this.byDevice.get(deviceId);
    if (identity === undefined) return;
    const held = this.byIdentity.get(identity);
    this.byDevice.delete(deviceId);
    this.byIdentity.delete(identity);
    this.bytes -= held?.bytes ?? 0;
  }

  keyOf(identity: string): Buffer | undefined {
    return this.byIdentity.get(identity)?.key ?? undefined;
  }

  deviceOf(identity: string): string | undefined {
    return this.byIdentity.get(identity)?.deviceId;
  }

  /** Whether the device has a PSK (coap.nosec = "known-devices" then refuses its plain CoAP). */
  deviceHasKey(deviceId: string): boolean {
    return this.byDevice.has(deviceId);
  }

  /** The identity of a device's key, or undefined when it has none. */
  identityOf(deviceId: string): string | undefined {
    return this.byDevice.get(deviceId);
  }

  /** True when the device's stored key does not open under this gateway secret. */
  unreadable(deviceId: string): boolean {
    const identity = this.byDevice.get(deviceId);
    return identity !== undefined && this.byIdentity.get(identity)?.key === null;
  }

  stats(): PskStats {
    let unreadable = 0;
    for (const h of this.byIdentity.values()) if (h.key === null) unreadable++;
    return {
      entries: this.byIdentity.size,
      bytes: this.bytes,
      maxEntries: this.limits.maxEntries,
      maxBytes: this.limits.maxBytes,
      limitHits: this.limitHits,
      unreadable,
    };
  }

  /**
   * Checks one key for a device against the held ones and the limits (a batch passes its earlier
   * entries in `pending` so that they count too); throws a coded error, counting limit hits.
   */
  prepare(deviceId: string, identity: unknown, keyHex: unknown, pending?: PendingBatch): PskEntry {
    const id = checkPskIdentity(identity);
    const key = parsePskKey(keyHex);
    const owner = pending?.owners.has(id)
      ? pending.owners.get(id)
      : pending?.released.has(id)
        ? undefined
        : this.byIdentity.get(id)?.deviceId;
    if (owner !== undefined && owner !== deviceId)
      throw new YiwangError(
        'EDGE_ERR_PSK_IDENTITY_TAKEN',
        `${this.what} ${JSON.stringify(id)} already belongs to device ${owner}`,
      );
    const elsewhere = this.reservedBy?.(id);
    if (elsewhere !== undefined)
      throw new YiwangError(
        'EDGE_ERR_PSK_IDENTITY_TAKEN',
        `identity ${JSON.stringify(id)} is already a key of device ${elsewhere} (an identity names one key of one device)`,
      );
    // what this write frees (the device's current key, if any) and adds
    const current = pending?.devices.get(deviceId) ?? this.byDevice.get(deviceId);
    const freed = current === undefined ? 0 : (pending?.bytes.get(current) ?? this.byIdentity.get(current)?.bytes ?? 0);
    const entries = this.byIdentity.size + (pending?.added ?? 0) + (current === undefined ? 1 : 0);
    const bytes = this.bytes + (pending?.delta ?? 0) - freed + cost(deviceId, id, key.length);
    if (entries > this.limits.maxEntries || bytes > this.limits.maxBytes) {
      this.limitHits++;
      throw new YiwangError(
        'EDGE_ERR_PSK_LIMIT',
        `the gateway holds its limit of device keys (${this.limits.maxEntries} keys, ${this.limits.maxBytes} bytes)`,
      );
    }
    if (pending) {
      if (current !== undefined && current !== id) {
        pending.owners.delete(current);
        pending.released.add(current);
      }
      pending.owners.set(id, deviceId);
      pending.devices.set(deviceId, id);
      const b = cost(deviceId, id, key.length);
      pending.bytes.set(id, b);
      pending.delta += b - freed;
      if (current === undefined) pending.added++;
    }
    return { deviceId, identity: id, key };
  }

  /** Writes a prepared entry (inside the caller's transaction); call `apply` once it committed. */
  write(e: PskEntry, now = Date.now()): void {
    this.upsert.run(e.deviceId, e.identity, this.box.seal(e.key.toString('hex')), now);
  }

  /** Mirrors committed writes in the index. */
  apply(entries: readonly PskEntry[]): void {
    for (const e of entries) {
      this.forget(e.deviceId);
      this.remember(e.deviceId, e.identity, Buffer.from(e.key), cost(e.deviceId, e.identity, e.key.length));
    }
  }

  /** Deletes a device's key (inside the caller's transaction); call `applyRemove` once it committed. */
  writeRemove(deviceId: string): boolean {
    return this.del.run(deviceId).changes > 0;
  }

  applyRemove(deviceId: string): void {
    this.forget(deviceId);
  }

  /** Sets (or replaces) one device's key in its own transaction. */
  set(deviceId: string, identity: string, keyHex: string): PskEntry {
    const e = this.prepare(deviceId, identity, keyHex);
    this.db.transaction(() => this.write(e))();
    this.apply([e]);
    return e;
  }
}

/** The entries of a batch checked so far (identities, device keys and bytes they add). */
export interface PendingBatch {
  owners: Map<string, string>;
  /** Identities the batch takes away from their device (re-keyed to another identity). */
  released: Set<string>;
  devices: Map<string, string>;
  bytes: Map<string, number>;
  added: number;
  delta: number;
}

export const newPendingBatch = (): PendingBatch => ({
  owners: new Map(),
  released: new Set(),
  devices: new Map(),
  bytes: new Map(),
  added: 0,
  delta: 0,
});

/** One data row of a key file, with its line number (1 = the header). */
export interface PskCsvRow {
  line: number;
  deviceId: string;
  identity: string;
  key: string;
}

export interface PskCsvProblem {
  line: number;
  code: string;
  message: string;
}

export const PSK_CSV_HEADER = ['device_id', 'psk_identity', 'psk_key'] as const;
/** The header of a file of LwM2M bootstrap keys (same rows, the devices' bootstrap identity and key). */
export const BOOTSTRAP_CSV_HEADER = ['device_id', 'bootstrap_identity', 'bootstrap_key'] as const;
/** Rows per key file: one local API request carries them all (its body is at most 1 MiB). */
export const PSK_CSV_MAX_ROWS = 2_000;
export const PSK_CSV_MAX_BYTES = 512 * 1024;

/** Fields of one CSV line (RFC 4180 quoting: "a ""b"", c"); undefined when a quote is not closed. */
function csvFields(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const j = line.indexOf(',', i);
      field = line.slice(i, j < 0 ? line.length : j);
      i = j < 0 ? line.length : j;
    }
    out.push(field);
    if (i >= line.length) return out;
    i++; // the comma
  }
}

/**
 * A key file: a header `device_id,psk_identity,psk_key` (the devices' own DTLS keys) or
 * `device_id,bootstrap_identity,bootstrap_key` (their LwM2M bootstrap keys), in that order, and
 * one row per device. Blank lines are skipped; a row with another number of fields or an unclosed
 * quote is a problem with its line number. Field values are checked later (the registry), not here.
 */
export function parsePskCsv(text: string): {
  rows: PskCsvRow[];
  problems: PskCsvProblem[];
  keys: 'device' | 'bootstrap';
} {
  if (text.length > PSK_CSV_MAX_BYTES)
    throw new YiwangError(
      'EDGE_ERR_PSK_CSV',
      `key file is over ${PSK_CSV_MAX_BYTES} bytes (${PSK_CSV_MAX_ROWS} rows at most): split it`,
    );
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const header = csvFields(lines[0] ?? '')?.map((h) => h.trim().toLowerCase());
  const keys =
    header?.join(',') === PSK_CSV_HEADER.join(',')
      ? 'device'
      : header?.join(',') === BOOTSTRAP_CSV_HEADER.join(',')
        ? 'bootstrap'
        : undefined;
  if (keys === undefined)
    throw new YiwangError(
      'EDGE_ERR_PSK_CSV',
      `line 1 must be the header ${PSK_CSV_HEADER.join(',')} (or ${BOOTSTRAP_CSV_HEADER.join(',')}), not ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`,
    );
  const rows: PskCsvRow[] = [];
  const problems: PskCsvProblem[] = [];
  for (let n = 1; n < lines.length; n++) {
    const raw = lines[n] as string;
    if (raw.trim() === '') continue;
    const f = csvFields(raw);
    if (f?.length !== 3) {
      // a file of bad lines must not build a report as large as itself: past the row limit, stop
      if (problems.length >= PSK_CSV_MAX_ROWS)
        throw new YiwangError(
          'EDGE_ERR_PSK_CSV',
          `more than ${PSK_CSV_MAX_ROWS} bad lines (line ${n + 1}): not a key file`,
        );
      problems.push({
        line: n + 1,
        code: 'EDGE_ERR_PSK_CSV',
        message: f
          ? `expected 3 fields (${PSK_CSV_HEADER.join(',')}), got ${f.length}`
          : 'a quoted field is not closed',
      });
      continue;
    }
    rows.push({ line: n + 1, deviceId: (f[0] as string).trim(), identity: f[1] as string, key: f[2] as string });
  }
  if (rows.length > PSK_CSV_MAX_ROWS)
    throw new YiwangError(
      'EDGE_ERR_PSK_CSV',
      `key file has ${rows.length} rows, at most ${PSK_CSV_MAX_ROWS}: split it`,
    );
  return { rows, problems, keys };
}
