/**
 * Fleet summary with millions of registered devices: the summary endpoint answers from the
 * incrementally kept counters; the baseline is the naive per-request scan (GROUP BY over the
 * devices joined to their gateways). Both read the same SQLite file in the same run.
 *   npm run bench -- fleet-summary [--devices 10000000] [--gateways 20000] [--queries 500] [--dir DIR]
 * With --dir pointing at a file built before (same sizes), the build step is skipped.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CloudServer } from '../cloud/server.js';
import { loadCloudConfig } from '../cloud/config.js';
import { silentLogger } from '../common/log.js';
import { argValue, report } from './report.js';
import { buildCity } from './fleet-build.js';

const args = process.argv.slice(2);
const DEVICES = Number(argValue(args, '--devices') ?? 10_000_000);
const GATEWAYS = Number(argValue(args, '--gateways') ?? 20_000);
const QUERIES = Number(argValue(args, '--queries') ?? 500);
const dir = argValue(args, '--dir') ?? mkdtempSync(join(tmpdir(), 'yw-fleet-summary-'));
const pct = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!; // xs: the --queries samples, at least one

function naive(db: Database.Database): { ms: number; byDistrict: Map<string, [number, number]> } {
  const t0 = performance.now();
  const rows = db
    .prepare(
      'SELECT g.district AS district, d.type AS type, count(*) AS n, sum(d.online) AS online FROM devices d JOIN gateways g ON g.id = d.gateway_id GROUP BY g.district, d.type',
    )
    .all() as { district: string; type: string; n: number; online: number }[];
  const ms = performance.now() - t0;
  const byDistrict = new Map<string, [number, number]>();
  for (const r of rows) {
    const x = byDistrict.get(r.district) ?? [0, 0];
    byDistrict.set(r.district, [x[0] + r.n, x[1] + r.online]);
  }
  return { ms, byDistrict };
}

async function main(): Promise<void> {
  const { path, reused: reuse, registerPerS } = await buildCity(dir, GATEWAYS, DEVICES);
  const db = new Database(path, { readonly: true });
  const count = (db.prepare('SELECT count(*) AS n FROM devices').get() as { n: number }).n;
  const naiveRuns = [naive(db), naive(db), naive(db)];
  db.close();
  const naiveMs = naiveRuns.map((r) => r.ms).sort((a, b) => a - b)[1]!; // the median of the three runs

  const cloud = await CloudServer.start(
    loadCloudConfig(undefined, {
      mqtt: { host: '127.0.0.1', port: 0 },
      tls: { host: '127.0.0.1', port: 0 },
      http: { host: '127.0.0.1', port: 0 },
      store: { path },
    }),
    silentLogger(),
  );
  const url = `http://127.0.0.1:${cloud.api.port}/api/v1/health/summary`;
  type S = {
    devices: { total: number; online: number };
    byDistrict: { key: string; devices: { total: number; online: number } }[];
  };
  let last: S | undefined;
  for (let i = 0; i < 20; i++) last = (await (await fetch(url)).json()) as S; // warm-up
  const lat: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const t0 = performance.now();
    last = (await (await fetch(url)).json()) as S;
    lat.push(performance.now() - t0);
  }
  lat.sort((a, b) => a - b);
  const rss = process.memoryUsage.rss() / 1048576;
  await cloud.stop();
  const consistent =
    last!.byDistrict.every((d) => {
      const n = naiveRuns[0]!.byDistrict.get(d.key);
      return n !== undefined && n[0] === d.devices.total && n[1] === d.devices.online;
    }) && last!.devices.total === count;
  report(
    'fleet-summary',
    {
      devices: count,
      gateways: GATEWAYS,
      summary_p50_ms: pct(lat, 50),
      summary_p99_ms: pct(lat, 99),
      naive_scan_ms: naiveMs,
      speedup_p99: naiveMs / pct(lat, 99),
      register_per_s: Math.round(registerPerS),
      consistent: consistent ? 1 : 0,
      process_rss_mb: Math.round(rss),
    },
    { dir, queries: QUERIES, reusedDb: reuse, naiveRunsMs: naiveRuns.map((r) => r.ms) },
  );
}

void main();
