/**
 * Opens the cloud's stores for the configured backend (store.backend): the one place that knows
 * which implementations exist. The composition root (cloud/server.ts) takes what this returns.
 * - sqlite: SqliteCloudStore + SqliteControlPlaneStore on one file and one connection, held with
 *   the process lock (a second cloud process on the same file is refused); the sole node leads.
 * - postgres: cloud/store/postgres/pg-stores.ts (loaded only then): one pool, the schema checked
 *   (migrated when the database is empty), the leader chosen with an advisory lock.
 */
import { hostname } from 'node:os';
import type { Logger } from '../../common/log.js';
import { lockStore } from '../../common/process-lock.js';
import type { CloudConfig } from '../config.js';
import { type Leadership, SoleLeader } from '../cluster/leader.js';
import { type ClusterMutex, SOLE_MUTEX } from '../cluster/cluster-mutex.js';
import type { CloudStore } from './cloud-store.js';
import type { ControlPlaneStore } from './control-plane-store.js';
import { SqliteCloudStore } from './sqlite-cloud-store.js';
import { SqliteControlPlaneStore } from './sqlite-control-plane-store.js';
import type { AuditStore } from './audit-store.js';
import { SqliteAuditStore } from './sqlite-audit-store.js';
import type { UserStore } from './user-store.js';
import { SqliteUserStore } from './sqlite-user-store.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import { SqliteIncidentStore } from './sqlite-incident-store.js';

/** Outcome of one retention pass (PostgreSQL; SQLite keeps everything). */
export interface RetentionResult {
  partitionsDropped: number;
  oldRowsDeleted: number;
  batchKeysDeleted: number;
}

export interface CloudStores {
  backend: 'sqlite' | 'postgres';
  cloud: CloudStore;
  controlPlane: ControlPlaneStore;
  /** The audit log's entries and checkpoints (one chain for the whole cluster). */
  audit: AuditStore;
  /** Operator accounts and their sign-in sessions. */
  users: UserStore;
  /** Incidents, departments, routing rules and the incident engine's cursor. */
  incidents: IncidentStore;
  /** Who runs the cluster-wide jobs. */
  leader: Leadership;
  /** Sections one node at a time runs (rollout steps: the leader's tick, an abort through any node). */
  mutex: ClusterMutex;
  /** This node's name in the cluster (logs, leader lock holder). */
  nodeId: string;
  /** Readings retention and idempotency-key pruning (a cluster-wide job); undefined = none. */
  retention?: (nowMs: number) => Promise<RetentionResult>;
  /** The store's own counters (PostgreSQL: transactions, queue full, partitions created), in /api/v1/stats. */
  counters?: () => Record<string, number>;
  /** Closes the stores and their connections (after everything that writes through them stopped). */
  close(): Promise<void>;
}

/** This node's id: cluster.node_id when set, else host-pid. */
export function nodeIdOf(config: CloudConfig): string {
  return config.cluster.node_id || `${hostname()}-${process.pid}`;
}

export async function openStores(config: CloudConfig, log: Logger): Promise<CloudStores> {
  if (config.store.backend === 'postgres') {
    const { openPgStores } = await import('./postgres/pg-stores.js');
    return openPgStores(config, log);
  }
  return openSqliteStores(config);
}

function openSqliteStores(config: CloudConfig): CloudStores {
  const h = config.health;
  const lock = lockStore(config.store.path, {
    code: 'CLOUD_ERR_ALREADY_RUNNING',
    ioCode: 'CLOUD_ERR_STORE',
    what: 'cloud',
  });
  try {
    const cloud = new SqliteCloudStore(
      config.store.path,
      config.store.commit_ms,
      { defaultIntervalS: h.device_interval_s, missedReports: h.device_missed_reports },
      { quarantineKeep: config.ingest.quarantine_keep },
    );
    // shares the store's connection: a claim is one transaction
    const controlPlane = new SqliteControlPlaneStore(cloud, config.store.commit_ms);
    const audit = new SqliteAuditStore(cloud.database);
    const users = new SqliteUserStore(cloud.database);
    return {
      backend: 'sqlite',
      cloud,
      controlPlane,
      audit,
      users,
      incidents: new SqliteIncidentStore(cloud.database),
      leader: new SoleLeader(),
      mutex: SOLE_MUTEX,
      nodeId: nodeIdOf(config),
      async close() {
        try {
          await controlPlane.close();
          await cloud.close();
        } finally {
          lock.release(); // last: the next process opens a closed store
        }
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}
