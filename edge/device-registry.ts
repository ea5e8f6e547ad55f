/**
 * Pre-registered devices (`yiwang-edge devices add/remove`): devices the agent must know before
 * they speak — meter addresses on a serial bus, keys of encrypted sensors, expected camera or
 * sensor ids with their profile. A table in the agent's SQLite file (through the store's handle);
 * keys are stored for the adapters and never returned by the local API.
 * Also the last readings per device, kept in memory for `devices show`.
 */
import type Database from 'better-sqlite3';
import { YiwangError } from '../common/errors.js';
import type { Reading } from '../proto/reading.js';
import './errors.js';

export interface RegisteredDevice {
  id: string;
  /** What kind of device: lwm2m, coap, meter, modbus, hj212, camera, other. */
  kind: string;
  profile: string;
  /** Bus address, meter number or network address, as the adapter expects it. */
  address: string;
  hasKey: boolean;
  tags: Record<string, string>;
  createdAt: number;
}

export interface DeviceSpec { id: string; kind?: string; profile?: string; address?: string; key?: string; tags?: Record<string, string> }

export const DEVICE_KINDS = ['lwm2m', 'coap', 'meter', 'modbus', 'hj212', 'camera', 'other'] as const;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,127}$/;

interface Row { id: string; kind: string; profile: string; address: string; key: string; tags: string; created_at: number }

export class DeviceRegistry {
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS device_registry (
      id TEXT PRIMARY KEY, kind TEXT NOT NULL, profile TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',
      key TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL)`);
  }

  add(spec: DeviceSpec, now = Date.now()): RegisteredDevice {
    if (typeof spec.id !== 'string' || !ID_RE.test(spec.id)) throw new YiwangError('EDGE_ERR_BAD_REQUEST', `device id ${JSON.stringify(spec.id)} is not valid (letters, digits and _.:@/- up to 128 characters)`);
    const kind = spec.kind ?? 'other';
    if (!(DEVICE_KINDS as readonly string[]).includes(kind)) throw new YiwangError('EDGE_ERR_BAD_REQUEST', `kind ${JSON.stringify(kind)} is not one of ${DEVICE_KINDS.join(', ')}`);
    const tags = spec.tags ?? {};
    if (typeof tags !== 'object' || Object.values(tags).some((v) => typeof v !== 'string')) throw new YiwangError('EDGE_ERR_BAD_REQUEST', 'tags must map names to strings');
    for (const k of ['profile', 'address', 'key'] as const) {
      if (spec[k] !== undefined && typeof spec[k] !== 'string') throw new YiwangError('EDGE_ERR_BAD_REQUEST', `${k} must be a string`);
    }
    if (this.get(spec.id)) throw new YiwangError('EDGE_ERR_DEVICE_EXISTS', `device ${spec.id} is already registered`);
    this.db.prepare('INSERT INTO device_registry (id, kind, profile, address, key, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(spec.id, kind, spec.profile ?? '', spec.address ?? '', spec.key ?? '', JSON.stringify(tags), now);
    return this.get(spec.id)!;
  }

  remove(id: string): void {
    if (this.db.prepare('DELETE FROM device_registry WHERE id = ?').run(id).changes === 0) {
      throw new YiwangError('EDGE_ERR_UNKNOWN_DEVICE', `device ${id} is not registered`);
    }
  }

  get(id: string): RegisteredDevice | undefined {
    const r = this.db.prepare('SELECT * FROM device_registry WHERE id = ?').get(id) as Row | undefined;
    return r ? view(r) : undefined;
  }

  list(): RegisteredDevice[] {
    return (this.db.prepare('SELECT * FROM device_registry ORDER BY id').all() as Row[]).map(view);
  }

  /** The stored key, for adapters only (never served by the local API). */
  key(id: string): string | undefined {
    const r = this.db.prepare('SELECT key FROM device_registry WHERE id = ?').get(id) as { key: string } | undefined;
    return r?.key || undefined;
  }
}

function view(r: Row): RegisteredDevice {
  return { id: r.id, kind: r.kind, profile: r.profile, address: r.address, hasKey: r.key !== '', tags: JSON.parse(r.tags) as Record<string, string>, createdAt: r.created_at };
}

export interface LastReading { metric: string; unit: string; value: unknown; ts: number }

/** The latest value of each metric of each device (bounded: devices and metrics per device). */
export class LastReadings {
  private readonly byDevice = new Map<string, Map<string, LastReading>>();
  constructor(private readonly maxDevices = 50_000, private readonly maxMetrics = 32) {}

  record(readings: readonly Reading[]): void {
    for (const r of readings) {
      let m = this.byDevice.get(r.deviceId);
      if (m) this.byDevice.delete(r.deviceId); // re-insert: Map order is recency
      else m = new Map();
      this.byDevice.set(r.deviceId, m);
      m.delete(r.metric);
      m.set(r.metric, { metric: r.metric, unit: r.unit, value: r.value, ts: r.ts });
      if (m.size > this.maxMetrics) m.delete(m.keys().next().value as string);
      if (this.byDevice.size > this.maxDevices) this.byDevice.delete(this.byDevice.keys().next().value as string);
    }
  }

  of(deviceId: string): LastReading[] {
    return [...(this.byDevice.get(deviceId)?.values() ?? [])].sort((a, b) => a.metric.localeCompare(b.metric));
  }
}
