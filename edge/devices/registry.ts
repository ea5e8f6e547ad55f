/**
 * Pre-registered devices (`yiwang-edge devices add/remove`): devices the agent must know before
 * they speak — meter addresses on a serial bus, keys of encrypted sensors, expected camera or
 * sensor ids with their profile. A table in the agent's SQLite file (through the store's handle);
 * keys are stored for the adapters and never returned by the local API. At rest a key is sealed
 * (common/seal.ts SecretBox, a key derived from the gateway secret), so edge.db, a backup or a
 * support bundle holds no device key in clear; keys of older versions are sealed on open. After
 * the gateway is re-keyed a key that no longer opens costs only its device: the row is kept,
 * `key(id)` is undefined and the device is flagged `EDGE_ERR_DEVICE_KEY_SEALED` for re-entry.
 * DTLS pre-shared keys (identity + key, issue 21) are kept beside, in `keys` (edge/devices/device-keys.ts:
 * the device's own key and its LwM2M bootstrap key): the DTLS server's PskDirectory, written with
 * the device in one transaction and removed with it.
 */
import type Database from 'better-sqlite3';
import { YiwangError } from '../../common/errors.js';
import type { SecretBox } from '../../common/seal.js';
import {
  newPendingBatch,
  type PskCsvProblem,
  type PskCsvRow,
  type PskEntry,
  type PskLimits,
  type SqlitePskDirectory,
} from './psk-keys.js';
import { DeviceKeys } from './device-keys.js';

export interface RegisteredDevice {
  id: string;
  /** What kind of device: lwm2m, coap, meter, modbus, hj212, camera, other. */
  kind: string;
  profile: string;
  /** Bus address, meter number or network address, as the adapter expects it. */
  address: string;
  hasKey: boolean;
  /** The stored key no longer opens (sealed under an earlier gateway secret): enter it again. */
  keyError: { code: 'EDGE_ERR_DEVICE_KEY_SEALED'; message: string } | null;
  /** The device's DTLS PSK identity (never its key); null when it has none. */
  pskIdentity: string | null;
  /** The identity of its LwM2M bootstrap key (never the key); null when it has none. */
  bootstrapIdentity: string | null;
  tags: Record<string, string>;
  createdAt: number;
}

export interface DeviceSpec {
  id: string;
  kind?: string;
  profile?: string;
  address?: string;
  key?: string;
  tags?: Record<string, string>;
  /** DTLS PSK identity (1–128 printable ASCII); given together with pskKey. */
  pskIdentity?: string;
  /** DTLS pre-shared key as hex (16–64 bytes). */
  pskKey?: string;
  /** LwM2M bootstrap key's identity (a factory-fresh device asks for its account with it); with bootstrapKey. */
  bootstrapIdentity?: string;
  /** LwM2M bootstrap pre-shared key as hex (16–64 bytes). */
  bootstrapKey?: string;
}

/** Which keys a key file sets: the device's own DTLS keys or its LwM2M bootstrap keys. */
export type PskKind = 'device' | 'bootstrap';

/** What a bulk key import did (`yiwang-edge devices import-keys`). */
export interface PskImportReport {
  /** Rows committed (in one transaction). */
  imported: number;
  /** Of them, devices that were not registered and were added (kind given to the import). */
  created: number;
  /** Of them, devices whose earlier key was replaced. */
  replaced: number;
  /** Rows refused, with their line numbers; nothing of them was written. */
  rejected: PskCsvProblem[];
}

export const DEVICE_KINDS = ['lwm2m', 'coap', 'meter', 'modbus', 'hj212', 'camera', 'other'] as const;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,127}$/;

/** `key` held keys in clear before issue 16 and is now always ''; `sealed_key` holds them sealed. */
interface Row {
  id: string;
  kind: string;
  profile: string;
  address: string;
  sealed_key: string;
  tags: string;
  created_at: number;
}

const KEY_ERROR = {
  code: 'EDGE_ERR_DEVICE_KEY_SEALED',
  message: 'the stored device key was sealed under another gateway secret (the gateway was re-keyed): enter it again',
} as const;

export class DeviceRegistry {
  /** Ids whose sealed key does not open with this gateway secret. */
  private readonly unreadable = new Set<string>();
  /** DTLS pre-shared keys, the devices' own and their LwM2M bootstrap keys: the DTLS server's PskDirectory (index in memory, sealed rows in the store). */
  readonly keys: DeviceKeys;
  /** The devices' own DTLS keys (`keys.device`). */
  readonly psk: SqlitePskDirectory;

  constructor(
    private readonly db: Database.Database,
    private readonly box: SecretBox,
    opts: { pskLimits?: Partial<PskLimits> } = {},
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS device_registry (
      id TEXT PRIMARY KEY, kind TEXT NOT NULL, profile TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',
      key TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL, sealed_key TEXT NOT NULL DEFAULT '')`);
    const cols = db.prepare("SELECT name FROM pragma_table_info('device_registry')").all() as { name: string }[];
    if (!cols.some((c) => c.name === 'sealed_key'))
      db.exec("ALTER TABLE device_registry ADD COLUMN sealed_key TEXT NOT NULL DEFAULT ''");
    this.sealClearKeys();
    for (const r of db.prepare("SELECT id, sealed_key FROM device_registry WHERE sealed_key != ''").all() as {
      id: string;
      sealed_key: string;
    }[]) {
      try {
        box.open(r.sealed_key);
      } catch {
        this.unreadable.add(r.id);
      }
    }
    this.keys = new DeviceKeys(db, box, opts.pskLimits);
    this.psk = this.keys.device;
  }

  /** Keys written in clear by earlier versions are sealed; their clear bytes are overwritten, not just freed. */
  private sealClearKeys(): void {
    const clear = this.db.prepare("SELECT id, key FROM device_registry WHERE key != ''").all() as {
      id: string;
      key: string;
    }[];
    if (clear.length === 0) return;
    const before = this.db.pragma('secure_delete', { simple: true }) as number;
    this.db.pragma('secure_delete = ON');
    try {
      const set = this.db.prepare("UPDATE device_registry SET sealed_key = ?, key = '' WHERE id = ?");
      this.db.transaction(() => {
        for (const r of clear) set.run(this.box.seal(r.key), r.id);
      })();
      // the WAL still holds the old page images: copy the new ones into the file and empty the WAL
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.pragma(`secure_delete = ${before ? 'ON' : 'OFF'}`);
    }
  }

  add(spec: DeviceSpec, now = Date.now()): RegisteredDevice {
    if (typeof spec.id !== 'string' || !ID_RE.test(spec.id))
      throw new YiwangError(
        'EDGE_ERR_BAD_REQUEST',
        `device id ${JSON.stringify(spec.id)} is not valid (letters, digits and _.:@/- up to 128 characters)`,
      );
    const kind = spec.kind ?? 'other';
    if (!(DEVICE_KINDS as readonly string[]).includes(kind))
      throw new YiwangError(
        'EDGE_ERR_BAD_REQUEST',
        `kind ${JSON.stringify(kind)} is not one of ${DEVICE_KINDS.join(', ')}`,
      );
    const tags = spec.tags ?? {};
    if (typeof tags !== 'object' || Object.values(tags).some((v) => typeof v !== 'string'))
      throw new YiwangError('EDGE_ERR_BAD_REQUEST', 'tags must map names to strings');
    for (const k of ['profile', 'address', 'key'] as const) {
      if (spec[k] !== undefined && typeof spec[k] !== 'string')
        throw new YiwangError('EDGE_ERR_BAD_REQUEST', `${k} must be a string`);
    }
    if ((spec.pskIdentity === undefined) !== (spec.pskKey === undefined))
      throw new YiwangError(
        spec.pskIdentity === undefined ? 'EDGE_ERR_PSK_IDENTITY' : 'EDGE_ERR_PSK_KEY',
        'a DTLS key needs both its identity and its key (--psk-identity with --psk-key or --psk-key-file)',
      );
    if ((spec.bootstrapIdentity === undefined) !== (spec.bootstrapKey === undefined))
      throw new YiwangError(
        spec.bootstrapIdentity === undefined ? 'EDGE_ERR_PSK_IDENTITY' : 'EDGE_ERR_PSK_KEY',
        'a bootstrap key needs both its identity and its key (--bootstrap-identity with --bootstrap-key or --bootstrap-key-file)',
      );
    if (spec.pskIdentity !== undefined && spec.pskIdentity === spec.bootstrapIdentity)
      throw new YiwangError(
        'EDGE_ERR_PSK_IDENTITY_TAKEN',
        'the bootstrap identity and the DTLS identity must differ (an identity names one key of one device)',
      );
    if (this.get(spec.id)) throw new YiwangError('EDGE_ERR_DEVICE_EXISTS', `device ${spec.id} is already registered`);
    const psk = spec.pskIdentity === undefined ? undefined : this.psk.prepare(spec.id, spec.pskIdentity, spec.pskKey);
    const bs =
      spec.bootstrapIdentity === undefined
        ? undefined
        : this.keys.bootstrap.prepare(spec.id, spec.bootstrapIdentity, spec.bootstrapKey);
    this.db.transaction(() => {
      this.insert(spec.id, kind, spec, tags, now);
      if (psk) this.psk.write(psk, now);
      if (bs) this.keys.bootstrap.write(bs, now);
    })();
    if (psk) this.psk.apply([psk]);
    if (bs) this.keys.bootstrap.apply([bs]);
    this.unreadable.delete(spec.id);
    return this.get(spec.id)!;
  }

  private insert(id: string, kind: string, spec: DeviceSpec, tags: Record<string, string>, now: number): void {
    this.db
      .prepare(
        'INSERT INTO device_registry (id, kind, profile, address, sealed_key, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        kind,
        spec.profile ?? '',
        spec.address ?? '',
        spec.key ? this.box.seal(spec.key) : '',
        JSON.stringify(tags),
        now,
      );
  }

  /**
   * Sets the DTLS keys of many devices (`devices import-keys`): every row is checked (device id,
   * identity, key, identity owned by another device, a device twice, limits); good rows are
   * committed in one transaction — a device not yet registered is added with `kind`, a device
   * that has a key gets the new one (re-keying) — and each bad row is reported by its line number.
   */
  importPskKeys(
    rows: readonly PskCsvRow[],
    kind = 'coap',
    now = Date.now(),
    keys: PskKind = 'device',
  ): PskImportReport {
    const dir = keys === 'bootstrap' ? this.keys.bootstrap : this.psk;
    if (!(DEVICE_KINDS as readonly string[]).includes(kind))
      throw new YiwangError(
        'EDGE_ERR_BAD_REQUEST',
        `kind ${JSON.stringify(kind)} is not one of ${DEVICE_KINDS.join(', ')}`,
      );
    const pending = newPendingBatch();
    const firstLine = new Map<string, number>();
    const good: { entry: PskEntry; create: boolean; replace: boolean }[] = [];
    const rejected: PskCsvProblem[] = [];
    for (const r of rows) {
      try {
        if (typeof r.deviceId !== 'string' || !ID_RE.test(r.deviceId))
          throw new YiwangError(
            'EDGE_ERR_BAD_REQUEST',
            `device id ${JSON.stringify(String(r.deviceId).slice(0, 140))} is not valid (letters, digits and _.:@/- up to 128 characters)`,
          );
        const seen = firstLine.get(r.deviceId);
        if (seen !== undefined)
          throw new YiwangError('EDGE_ERR_PSK_CSV', `device ${r.deviceId} already has a row on line ${seen}`);
        const replace = dir.identityOf(r.deviceId) !== undefined;
        const entry = dir.prepare(r.deviceId, r.identity, r.key, pending);
        firstLine.set(r.deviceId, r.line);
        good.push({ entry, create: !this.get(r.deviceId), replace });
      } catch (err) {
        const e = err as { code?: string; message?: string };
        rejected.push({ line: r.line, code: e.code ?? 'EDGE_ERR_BAD_REQUEST', message: e.message ?? String(err) });
      }
    }
    this.db.transaction(() => {
      for (const g of good) {
        if (g.create) this.insert(g.entry.deviceId, kind, { id: g.entry.deviceId }, {}, now);
        dir.write(g.entry, now);
      }
    })();
    dir.apply(good.map((g) => g.entry));
    return {
      imported: good.length,
      created: good.filter((g) => g.create).length,
      replaced: good.filter((g) => g.replace).length,
      rejected,
    };
  }

  /** Removes a pre-registered device and its keys (its DTLS key too, at once: no new handshake with it). */
  remove(id: string): void {
    let removed = 0;
    this.db.transaction(() => {
      removed = this.db.prepare('DELETE FROM device_registry WHERE id = ?').run(id).changes;
      this.psk.writeRemove(id);
      this.keys.bootstrap.writeRemove(id);
    })();
    this.psk.applyRemove(id);
    this.keys.bootstrap.applyRemove(id);
    if (removed === 0) throw new YiwangError('EDGE_ERR_UNKNOWN_DEVICE', `device ${id} is not registered`);
    this.unreadable.delete(id);
  }

  /** Whether a device is registered (one prepared point lookup: asked per plain uplink under coap.nosec = "known-devices"). */
  has(id: string): boolean {
    this.hasStmt ??= this.db.prepare('SELECT 1 FROM device_registry WHERE id = ?').pluck();
    return this.hasStmt.get(id) !== undefined;
  }

  private hasStmt: Database.Statement | undefined;

  get(id: string): RegisteredDevice | undefined {
    const r = this.db.prepare('SELECT * FROM device_registry WHERE id = ?').get(id) as Row | undefined;
    return r ? this.view(r) : undefined;
  }

  list(): RegisteredDevice[] {
    return (this.db.prepare('SELECT * FROM device_registry ORDER BY id').all() as Row[]).map((r) => this.view(r));
  }

  /** Devices whose key must be entered again (sealed under an earlier gateway secret). */
  get keysUnreadable(): number {
    return this.unreadable.size + this.psk.stats().unreadable + this.keys.bootstrap.stats().unreadable;
  }

  /** The stored key, for adapters only (never served by the local API); undefined when none or when it no longer opens. */
  key(id: string): string | undefined {
    const r = this.db.prepare('SELECT sealed_key FROM device_registry WHERE id = ?').get(id) as
      | { sealed_key: string }
      | undefined;
    if (!r?.sealed_key || this.unreadable.has(id)) return undefined;
    try {
      return this.box.open(r.sealed_key);
    } catch {
      this.unreadable.add(id);
      return undefined;
    }
  }

  private view(r: Row): RegisteredDevice {
    return {
      id: r.id,
      kind: r.kind,
      profile: r.profile,
      address: r.address,
      hasKey: r.sealed_key !== '',
      keyError:
        this.unreadable.has(r.id) || this.psk.unreadable(r.id) || this.keys.bootstrap.unreadable(r.id)
          ? { ...KEY_ERROR }
          : null,
      pskIdentity: this.psk.identityOf(r.id) ?? null,
      bootstrapIdentity: this.keys.bootstrap.identityOf(r.id) ?? null,
      tags: JSON.parse(r.tags) as Record<string, string>,
      createdAt: r.created_at,
    };
  }
}
