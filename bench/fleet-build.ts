/**
 * The registry of a benchmark city, built once into an SQLite file and kept in a directory
 * (`--dir`) so reruns skip it: `gateways` gateways in 11 districts (2,000 sites, 20 groups), each
 * with a generated secret stored as the registry stores provisioned ones (salted SHA-256; the
 * secrets are kept beside the file for the simulated gateways), and `devices` devices of 9 types
 * registered through `registerDevices` (the fleet counters are kept while registering).
 * Used by fleet-summary.bench.ts and fleet.bench.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { SqliteCloudStore } from '../cloud/store/sqlite-cloud-store.js';
import { hashGeneratedSecret, newSecret } from '../cloud/registry/secrets.js';

export const DISTRICTS = [
  'jiefang',
  'shanyang',
  'zhongzhan',
  'macun',
  'xiuwu',
  'boai',
  'wuzhi',
  'wenxian',
  'mengzhou',
  'qinyang',
  'jiaozuo-hitech',
];
export const TYPES = [
  'water_meter',
  'electricity_meter',
  'gas_meter',
  'heat_meter',
  'smoke_detector',
  'manhole_cover',
  'parking',
  'air_quality',
  'camera',
];
export const gwId = (i: number): string => `gw-${String(i).padStart(5, '0')}`;

export interface City {
  path: string;
  reused: boolean;
  registerPerS: number;
  secrets: [string, string][];
}

const rawDb = (s: SqliteCloudStore): Database.Database => (s as unknown as { db: Database.Database }).db;

/** Builds (or reuses) `dir/cloud.db` with the given sizes; returns the gateway credentials. */
export async function buildCity(
  dir: string,
  gateways: number,
  devices: number,
  log: (m: string) => void = (m) => console.error(m),
): Promise<City> {
  const path = join(dir, 'cloud.db');
  const secretsFile = join(dir, 'gateway-secrets.json');
  const reused = existsSync(path);
  let registerPerS = 0;
  if (!reused) {
    const store = new SqliteCloudStore(path, 0);
    // build-time only: the registry import need not be crash-safe row by row
    rawDb(store).pragma('synchronous = OFF');
    const secrets: [string, string][] = [];
    for (let i = 0; i < gateways; i++) {
      const secret = newSecret();
      await store.createGateway(gwId(i), hashGeneratedSecret(secret));
      await store.setGatewayTags(gwId(i), {
        district: DISTRICTS[i % DISTRICTS.length]!,
        site: `site-${i % 2000}`,
        group: `group-${i % 20}`,
      });
      secrets.push([gwId(i), secret]);
    }
    writeFileSync(secretsFile, JSON.stringify(secrets));
    const now = Date.now();
    const t0 = performance.now();
    const CHUNK = 10_000;
    for (let i = 0; i < devices; i += CHUNK) {
      const list = [];
      for (let j = i; j < Math.min(devices, i + CHUNK); j++) {
        // 9 in 10 reported recently; daily meters and hourly sensors
        const intervalS = j % 4 === 0 ? 86_400 : 3600;
        list.push({
          id: `dev-${String(j).padStart(8, '0')}`,
          gatewayId: gwId(j % gateways),
          type: TYPES[j % TYPES.length]!,
          intervalS,
          lastSeenMs: j % 10 === 0 ? now - 10 * 86_400_000 : now - (j % 3000) * 1000,
        });
      }
      await store.registerDevices(list, now);
      if (i % 1_000_000 === 0 && i > 0) log(`registered ${i} devices`);
    }
    registerPerS = devices / ((performance.now() - t0) / 1000);
    rawDb(store).pragma('wal_checkpoint(TRUNCATE)');
    await store.close();
  }
  if (!existsSync(secretsFile)) {
    // a file built before secrets were kept: give every gateway a fresh one
    const store = new SqliteCloudStore(path, 0);
    const db = rawDb(store);
    const ids = (db.prepare('SELECT id FROM gateways ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    const secrets = ids.map((id) => [id, newSecret()] as [string, string]);
    const set = db.prepare('UPDATE gateways SET secret_hash = ? WHERE id = ?');
    db.transaction(() => {
      for (const [id, s] of secrets) set.run(hashGeneratedSecret(s), id);
    })();
    writeFileSync(secretsFile, JSON.stringify(secrets));
    await store.close();
  }
  return { path, reused, registerPerS, secrets: JSON.parse(readFileSync(secretsFile, 'utf8')) as [string, string][] };
}
