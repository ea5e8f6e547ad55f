/**
 * The cluster-wide jobs and who runs them: rollout waves and readings retention run on the leader
 * only (cloud/cluster/leader.ts), started when this node becomes the leader and stopped when it
 * steps down. Health sweeps ask the leader themselves (HealthServiceOptions.isLeader).
 */
import type { Logger } from '../../common/log.js';
import type { Leadership } from './leader.js';
import type { RetentionResult } from '../store/open-stores.js';

export interface ClusterJobsOptions {
  leader: Leadership;
  rollouts: { start(): void; stop(): void };
  log: Logger;
  retention?: (nowMs: number) => Promise<RetentionResult>;
  /** Interval of retention passes (default 1 h; the first runs a minute after taking the lead). */
  retentionMs?: number;
}

export class ClusterJobs {
  private retentionTimer: NodeJS.Timeout | undefined;
  private firstRetention: NodeJS.Timeout | undefined;
  private readonly onChange = (leader: boolean): void => (leader ? this.lead() : this.follow());
  readonly counters = {
    retentionRuns: 0,
    retentionErrors: 0,
    partitionsDropped: 0,
    oldRowsDeleted: 0,
    batchKeysDeleted: 0,
  };

  constructor(private readonly o: ClusterJobsOptions) {}

  get isLeader(): boolean {
    return this.o.leader.isLeader;
  }

  async start(): Promise<void> {
    this.o.leader.on('change', this.onChange);
    await this.o.leader.start();
  }

  private lead(): void {
    this.o.rollouts.start();
    if (!this.o.retention) return;
    const every = this.o.retentionMs ?? 3_600_000;
    this.firstRetention = setTimeout(() => void this.retain(), Math.min(60_000, every));
    this.retentionTimer = setInterval(() => void this.retain(), every);
    this.firstRetention.unref();
    this.retentionTimer.unref();
  }

  private follow(): void {
    this.o.rollouts.stop();
    clearTimeout(this.firstRetention);
    clearInterval(this.retentionTimer);
    this.retentionTimer = this.firstRetention = undefined;
  }

  /** One retention pass (leader only). */
  async retain(nowMs = Date.now()): Promise<RetentionResult | undefined> {
    if (!this.o.retention || !this.o.leader.isLeader) return undefined;
    try {
      const r = await this.o.retention(nowMs);
      this.counters.retentionRuns++;
      this.counters.partitionsDropped += r.partitionsDropped;
      this.counters.oldRowsDeleted += r.oldRowsDeleted;
      this.counters.batchKeysDeleted += r.batchKeysDeleted;
      if (r.partitionsDropped || r.oldRowsDeleted || r.batchKeysDeleted) this.o.log.info(r, 'retention pass');
      return r;
    } catch (err) {
      this.counters.retentionErrors++;
      this.o.log.error({ code: 'CLOUD_ERR_STORE', err: (err as Error).message }, 'retention pass failed');
      return undefined;
    }
  }

  async stop(): Promise<void> {
    this.o.leader.off('change', this.onChange);
    this.follow();
    await this.o.leader.stop();
  }
}
