/**
 * The devices the agent has heard from, kept in the store file so that a restart does not forget
 * them (edge/devices/heard.ts `DeviceTracker` holds them in memory and writes its changes here in one
 * transaction every few seconds and at stop): first and last heard, uplinks and readings since
 * first heard, protocol, profile and address. Bounded by the tracker's count cap; the devices it
 * evicted (the longest unheard) are counted in `meta` as `heard_devices_evicted`.
 */
import type Database from 'better-sqlite3';

export interface HeardDeviceRow {
  deviceId: string;
  firstSeen: number;
  lastSeen: number;
  uplinks: number;
  readings: number;
  /** Adapter that heard it: coap, lwm2m, serial, hj212 ('' = unknown). */
  protocol: string;
  /** Profile id (vendor/model) it was decoded with when last written; '' = none. */
  profile: string;
  /** Network or bus address it was last heard from, when the adapter knows it; '' = unknown. */
  address: string;
}

interface Row {
  id: string;
  first_ms: number;
  last_ms: number;
  uplinks: number;
  readings: number;
  protocol: string;
  profile: string;
  address: string;
}

const EVICTED = 'heard_devices_evicted';

export class HeardDevicesTable {
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly getMeta: Database.Statement<[string], { value: string }>;
  private readonly setMeta: Database.Statement;

  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS heard_devices (
      id TEXT PRIMARY KEY, first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL, uplinks INTEGER NOT NULL, readings INTEGER NOT NULL,
      protocol TEXT NOT NULL DEFAULT '', profile TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '');
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
    this.upsert =
      db.prepare(`INSERT INTO heard_devices (id, first_ms, last_ms, uplinks, readings, protocol, profile, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET first_ms = excluded.first_ms, last_ms = excluded.last_ms, uplinks = excluded.uplinks, readings = excluded.readings,
      protocol = excluded.protocol, profile = excluded.profile, address = excluded.address`);
    this.remove = db.prepare('DELETE FROM heard_devices WHERE id = ?');
    this.getMeta = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.setMeta = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  /** Longest unheard first. */
  load(): HeardDeviceRow[] {
    return (this.db.prepare('SELECT * FROM heard_devices ORDER BY last_ms, id').all() as Row[]).map((r) => ({
      deviceId: r.id,
      firstSeen: r.first_ms,
      lastSeen: r.last_ms,
      uplinks: r.uplinks,
      readings: r.readings,
      protocol: r.protocol,
      profile: r.profile,
      address: r.address,
    }));
  }

  get evicted(): number {
    return Number(this.getMeta.get(EVICTED)?.value ?? 0);
  }

  /** One transaction: the changed devices, the evicted ones deleted, and the eviction total. */
  save(changed: readonly HeardDeviceRow[], removed: readonly string[], evictedTotal: number): void {
    this.db.transaction(() => {
      for (const id of removed) this.remove.run(id);
      for (const d of changed)
        this.upsert.run(d.deviceId, d.firstSeen, d.lastSeen, d.uplinks, d.readings, d.protocol, d.profile, d.address);
      this.setMeta.run(EVICTED, String(evictedTotal));
    })();
  }
}
