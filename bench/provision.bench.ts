/**
 * `npm run bench -- provision [--claims N] [--concurrency C]`: claims/s (full claim over MQTT:
 * connect to the provisioning namespace, ClaimRequest, sealed identity opened) and authenticated
 * connects/s of provisioned gateways, on one cloud process. Baseline in the same run: connects/s
 * of provisioning sessions (no secret check), and refused claims/s (the same MQTT exchange with
 * an unknown token: no writes, no sealing — the floor of a claim). Also reported: transactions
 * and WAL fdatasyncs per claim (concurrent claims share them, cloud/store/sqlite-control-plane-store.ts).
 * Goal: claims_per_s ≥ 300.
 */
import mqtt from 'mqtt';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { CloudServer } from '../cloud/server.js';
import type { SqliteControlPlaneStore } from '../cloud/store/sqlite-control-plane-store.js';
import { loadCloudConfig } from '../cloud/config.js';
import { silentLogger } from '../common/log.js';
import { claimIdentity, type Identity } from '../edge/provisioning/claim-client.js';
import { tempDir } from '../scripts/harness/fleet.js';
import { argValue, report } from './report.js';

async function pool<T>(n: number, conc: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

const connectOnce = (url: string, o: mqtt.IClientOptions): Promise<void> =>
  new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { ...o, reconnectPeriod: 0, protocolVersion: 4 });
    c.once('connect', () => {
      c.end(true, () => resolve());
    });
    c.once('error', (e) => {
      c.end(true);
      reject(e);
    });
  });

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const N = Number(argValue(args, '--claims') ?? 1000),
    C = Number(argValue(args, '--concurrency') ?? 32);
  const dir = tempDir('yw-bench-prov-');
  const cloud = await CloudServer.start(
    loadCloudConfig(undefined, {
      mqtt: { host: '127.0.0.1', port: 0 },
      http: { host: '127.0.0.1', port: 0 },
      tls: { host: '127.0.0.1', port: 0 },
      store: { path: join(dir, 'cloud.db') },
      log: { level: 'silent' },
      provisioning: { claims_per_min_per_source: 0, claims_per_min: 0 }, // the bench claims thousands from one address; rate limits are measured elsewhere
    }),
    silentLogger(),
  );
  const url = `mqtt://127.0.0.1:${cloud.broker.port}`;
  const { token } = await cloud.provisioning.createClaim({ group: 'bench', uses: N + 10 });
  await pool(10, 10, () => claimIdentity({ url, token })); // warm-up
  const controlPlane = cloud.controlPlane as SqliteControlPlaneStore;
  const stats = controlPlane.claimStats;
  const before = { ...stats, syncs: controlPlane.walSyncs };
  let t0 = performance.now();
  const ids: Identity[] = await pool(N, C, () => claimIdentity({ url, token }));
  const claimsPerS = N / ((performance.now() - t0) / 1000);
  const commitsPerClaim = (stats.commits - before.commits) / (stats.claims - before.claims);
  const syncsPerClaim = (controlPlane.walSyncs - before.syncs) / (stats.claims - before.claims);
  const unknown = `ywc_${'0'.repeat(12)}.${'A'.repeat(32)}`;
  t0 = performance.now();
  await pool(N, C, () =>
    claimIdentity({ url, token: unknown }).then(
      () => {
        throw new Error('an unknown token was accepted');
      },
      (e: Error & { code?: string }) => {
        if (e.code !== 'EDGE_ERR_PROVISION_REFUSED') throw e;
      },
    ),
  );
  const refusedPerS = N / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  await pool(N, C, (i) =>
    connectOnce(url, { clientId: ids[i]!.gatewayId, username: ids[i]!.gatewayId, password: ids[i]!.secret }),
  );
  const connectsPerS = N / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  await pool(N, C, (i) => connectOnce(url, { clientId: `prov-${String(i).padStart(16, '0')}`, username: '$claim' }));
  const baseline = N / ((performance.now() - t0) / 1000);
  await cloud.stop();
  report(
    'provision',
    {
      claims_per_s: Math.round(claimsPerS),
      connects_per_s: Math.round(connectsPerS),
      baseline_connects_per_s: Math.round(baseline),
      connect_vs_baseline: connectsPerS / baseline,
      baseline_refused_claims_per_s: Math.round(refusedPerS),
      claim_vs_refused: claimsPerS / refusedPerS,
      commits_per_claim: commitsPerClaim,
      fsyncs_per_claim: syncsPerClaim,
    },
    { claims: N, concurrency: C, loadavg: loadavg() },
  );
}

void main();
