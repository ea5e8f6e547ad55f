/** The PostgreSQL backend of cloud/store/open-stores.ts: pool, schema check, stores, leader lock. */
import type { Logger } from '../../../common/log.js';
import type { CloudConfig } from '../../config.js';
import { PgLeader } from '../../cluster/leader.js';
import { PgMutex } from '../../cluster/cluster-mutex.js';
import { type CloudStores, nodeIdOf } from '../open-stores.js';
import { PgDatabase, storeError } from './pg-database.js';
import { checkSchema } from './pg-migrations.js';
import { PgCloudStore } from './pg-cloud-store.js';
import { PgControlPlaneStore } from './pg-control-plane-store.js';
import { PgAuditStore } from './pg-audit-store.js';
import { PgUserStore } from './pg-user-store.js';
import { PgIncidentStore } from './pg-incident-store.js';

export async function openPgStores(config: CloudConfig, log: Logger): Promise<CloudStores> {
  const s = config.store;
  const h = config.health;
  const nodeId = nodeIdOf(config);
  const db = new PgDatabase(s.postgres_url, { max: s.postgres_pool, name: `yiwang-cloud-${nodeId}` });
  try {
    await checkSchema(db).catch((err: unknown) => {
      throw storeError('PostgreSQL schema check', err);
    });
    const cloud = await PgCloudStore.open(db, {
      devicePolicy: { defaultIntervalS: h.device_interval_s, missedReports: h.device_missed_reports },
      quarantineKeep: config.ingest.quarantine_keep,
      commitMs: s.commit_ms,
      readingsKeepDays: s.readings_keep_days,
      batchKeysKeepDays: s.batch_keys_keep_days,
      maxFutureMs: config.ingest.max_future_ms,
    });
    const controlPlane = new PgControlPlaneStore(cloud);
    const mutex = new PgMutex(s.postgres_url, `yiwang-cloud-${nodeId}-mutex`);
    return {
      backend: 'postgres',
      cloud,
      controlPlane,
      audit: new PgAuditStore(db),
      users: new PgUserStore(db),
      incidents: new PgIncidentStore(db),
      leader: new PgLeader({ url: s.postgres_url, log, nodeId }),
      mutex,
      nodeId,
      retention: (nowMs) => cloud.runRetention(nowMs),
      counters: () => ({ ...cloud.storeCounters() }),
      async close() {
        try {
          await mutex.close();
          await controlPlane.close();
          await cloud.close();
        } finally {
          await db.close();
        }
      },
    };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}
