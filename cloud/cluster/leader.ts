/**
 * Leadership of the cluster-wide jobs (rollout waves, device timeouts, event and backlog pruning,
 * readings retention): exactly one cloud node runs them. With PostgreSQL the leader is the node
 * holding a session-level advisory lock on its own connection (not a pooled one): when the leader
 * dies its connection closes, PostgreSQL releases the lock and another node takes it at its next
 * attempt (every `checkMs`, 2 s by default: well within the 10 s the issue allows). A leader that
 * loses its connection steps down at once (the lock went with it). With SQLite there is one node,
 * always the leader.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from '../../common/log.js';

export interface Leadership extends EventEmitter<{ change: [boolean] }> {
  /** Whether this node runs the cluster-wide jobs now. */
  readonly isLeader: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The single node of an SQLite cloud: always the leader. */
export class SoleLeader extends EventEmitter<{ change: [boolean] }> implements Leadership {
  isLeader = false;
  async start(): Promise<void> {
    this.isLeader = true;
    this.emit('change', true);
  }
  async stop(): Promise<void> {
    this.isLeader = false;
  }
}

/** Advisory-lock key of the leader (distinct from the migration lock's). */
export const LEADER_LOCK = 0x79_77_6c_65_61; // 'ywlea'

export interface PgLeaderOptions {
  url: string;
  log: Logger;
  nodeId: string;
  checkMs?: number;
}

export class PgLeader extends EventEmitter<{ change: [boolean] }> implements Leadership {
  isLeader = false;
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private busy = false;
  readonly counters = { elections: 0, stepDowns: 0, checkErrors: 0 };

  constructor(private readonly o: PgLeaderOptions) {
    super();
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.attempt();
    this.timer = setInterval(() => void this.attempt(), this.o.checkMs ?? 2000);
    this.timer.unref();
  }

  private set(leader: boolean): void {
    if (leader === this.isLeader) return;
    this.isLeader = leader;
    if (leader) this.counters.elections++;
    else this.counters.stepDowns++;
    this.o.log.info({ nodeId: this.o.nodeId, leader }, leader ? 'leader of the cluster-wide jobs' : 'stepped down');
    this.emit('change', leader);
  }

  private dropClient(): void {
    const c = this.client;
    this.client = undefined;
    this.set(false);
    c?.end().catch(() => {});
  }

  /** Takes the lock when free; checks the held one's connection is alive. */
  private async attempt(): Promise<void> {
    if (this.busy || this.stopped) return;
    this.busy = true;
    try {
      if (!this.client) {
        const c = new pg.Client({
          connectionString: this.o.url,
          application_name: `yiwang-leader-${this.o.nodeId}`,
          keepAlive: true,
          connectionTimeoutMillis: 5000,
        });
        c.on('error', () => this.dropClient()); // the lock went with the connection
        c.on('end', () => {
          if (this.client === c) this.dropClient();
        });
        await c.connect();
        if (this.stopped) {
          await c.end();
          return;
        }
        this.client = c;
      }
      if (this.isLeader) {
        await this.client.query('SELECT 1'); // still connected, so still holding the lock
        return;
      }
      const r = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK]);
      if (!this.stopped) this.set(r.rows[0]?.ok === true);
    } catch (err) {
      this.counters.checkErrors++;
      this.o.log.warn({ code: 'CLOUD_ERR_STORE', err: (err as Error).message }, 'leader check failed');
      this.dropClient();
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    const c = this.client;
    this.client = undefined;
    this.set(false);
    if (c) await c.end().catch(() => {}); // closing the session releases the lock at once
  }
}
