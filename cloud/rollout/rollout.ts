/**
 * Rollouts (docs/reference/config-rollout.md): a group revision goes to the group's gateways in
 * waves (cumulative steps of N gateways or P % of the group, gateways in id order; waves.ts). A
 * gateway offline when its wave is sent is deferred: not sent, not counted, given the revision when
 * the rollout completes. A wave ends when every gateway in it reported and its soak time passed.
 * A gateway counts as failed when it reports failed/rejected, stays silent past the soak, or goes
 * offline after applying. When the failed share of the gateways reached exceeds `maxFailedRatio`
 * the rollout aborts: its pins are dropped and the reached gateways get the previous group revision
 * again, as a new (higher) version, whose progress is tracked until each answered or the soak time
 * passed. A finished rollout's record is never written again (its figures are final).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../common/log.js';
import { YiwangError } from '../../common/errors.js';
import type { CloudStore } from '../store/cloud-store.js';
import type { ControlPlaneStore, ReportedConfig, RolloutRecord } from '../store/control-plane-store.js';
import { type ClusterMutex, SOLE_MUTEX } from '../cluster/cluster-mutex.js';
import type { DesiredConfigService } from './desired.js';
import { normalizeRollout } from './view.js';
import { parseWaves, waveTargets } from './waves.js';

export interface StartRollout {
  group: string;
  revision?: number;
  /** Steps `N` / `P%` (strings), or percentages (numbers); default 1,10%,50%,100%. */
  waves?: readonly (string | number)[];
  soakMs?: number;
  maxFailedRatio?: number;
  /** Defer gateways offline when their wave is sent (default true); false: send and count them. */
  deferOffline?: boolean;
}

/** A rollback waits for its gateways' answers for the soak time, but at least this long. */
export const ROLLBACK_MIN_WAIT_MS = 10_000;

/** Whether a report confirms `target`: that version applied, or a newer one running. */
const confirms = (rep: ReportedConfig | undefined, target: number): boolean =>
  rep !== undefined && ((rep.version === target && rep.state === 'applied') || rep.runningVersion >= target);
const refuses = (rep: ReportedConfig | undefined, target: number): rep is ReportedConfig =>
  rep !== undefined && rep.version === target && rep.state !== 'applied';

export class RolloutService {
  private timer: NodeJS.Timeout | undefined;
  private readonly log: Logger;
  private busy = Promise.resolve();

  /**
   * @param online which of these gateways have a session now (server.ts: the health service's live
   *   state; the registry's `online` column is written only at its next flush)
   * @param mutex excludes the other nodes while a step runs (cloud/cluster/cluster-mutex.ts): an
   *   abort through any node's API and the leader's tick never interleave
   */
  constructor(
    store: CloudStore,
    private readonly controlPlane: ControlPlaneStore,
    private readonly desired: DesiredConfigService,
    log: Logger,
    private readonly tickMs: number,
    private readonly online: (gatewayIds: readonly string[]) => Promise<Set<string>> = async (ids) => {
      const up = new Set<string>();
      for (const id of ids) if ((await store.getGateway(id))?.online) up.add(id);
      return up;
    },
    private readonly mutex: ClusterMutex = SOLE_MUTEX,
  ) {
    this.log = log.child({ component: 'rollout' });
    desired.onReport = (r) => this.onReport(r);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.background(() => this.tick());
    }, this.tickMs);
    this.timer.unref();
  }

  /** Stops advancing rollouts (this node is no longer the leader of the cluster-wide jobs). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A step nobody awaits (a tick, a report): a store failure is logged, the next tick tries again. */
  private background(fn: () => Promise<unknown>): void {
    this.serial(fn).catch((err: unknown) =>
      this.log.error(
        { code: 'CLOUD_ERR_STORE', err: String((err as Error | undefined)?.message ?? err) },
        'rollout step failed; the next tick retries',
      ),
    );
  }

  /** Runs one step at a time, here (reports and ticks may arrive together) and in the cluster. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.busy.then(() => this.mutex.run('rollouts', fn));
    this.busy = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  async begin(o: StartRollout): Promise<RolloutRecord> {
    return this.serial(async () => {
      const waves = parseWaves(o.waves);
      const ratio = o.maxFailedRatio ?? 0.1;
      if (!(ratio >= 0 && ratio < 1))
        throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'maxFailedRatio must be in [0, 1)');
      const soakMs = o.soakMs ?? 60_000;
      if (!(Number.isSafeInteger(soakMs) && soakMs >= 0))
        throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'soakMs must be an integer ≥ 0');
      if ((await this.controlPlane.listRollouts('running')).some((r) => r.group === o.group))
        throw new YiwangError('CLOUD_ERR_ROLLOUT_BUSY', `a rollout is running for group ${o.group}`);
      const layer = await this.controlPlane.getLayer('group', o.group, o.revision);
      if (!layer)
        throw new YiwangError(
          'CLOUD_ERR_NOT_FOUND',
          `no config layer for group ${o.group}${o.revision ? ` revision ${o.revision}` : ''}`,
        );
      const now = Date.now();
      const total = (await this.controlPlane.groupMembers(o.group)).length;
      const targets = waveTargets(waves, total);
      const r: RolloutRecord = {
        id: `ro-${randomBytes(4).toString('hex')}`,
        group: o.group,
        revision: layer.revision,
        previousRevision: await this.controlPlane.activeGroupRevision(o.group),
        waves,
        plan: waves.map((spec, i) => ({ spec, target: targets[i]!, members: [], startedMs: null, endedMs: null })),
        soakMs,
        maxFailedRatio: ratio,
        deferOffline: o.deferOffline ?? true,
        state: 'running',
        wave: -1,
        members: [],
        targets: {},
        appliedMs: {},
        failed: {},
        deferred: {},
        total,
        waveStartedMs: now,
        startedMs: now,
        updatedMs: now,
        finishedMs: null,
        reason: '',
        rollback: null,
      };
      this.log.info({ rolloutId: r.id, group: r.group, revision: r.revision, waves, total }, 'rollout started');
      await this.nextWave(r);
      return r;
    });
  }

  async get(id: string): Promise<RolloutRecord> {
    const r = await this.controlPlane.getRollout(id);
    if (!r) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no rollout ${id}`);
    return normalizeRollout(r);
  }

  async list(): Promise<RolloutRecord[]> {
    return (await this.controlPlane.listRollouts()).map(normalizeRollout);
  }

  async abort(id: string, reason = 'aborted by an operator'): Promise<RolloutRecord> {
    return this.serial(async () => {
      const r = await this.get(id);
      if (r.state === 'running') await this.rollBack(r, reason);
      return r;
    });
  }

  /** Sends the next wave that reaches anyone (waves adding nobody are skipped); completes after the last. */
  private async nextWave(r: RolloutRecord): Promise<void> {
    for (;;) {
      r.wave++;
      const w = r.plan[r.wave];
      if (!w) return this.complete(r);
      const now = Date.now();
      w.startedMs = now;
      const need = w.target - r.members.length;
      const fresh: string[] = [];
      if (need > 0) {
        const candidates = (await this.controlPlane.groupMembers(r.group)).filter((g) => !(g in r.targets));
        const up = r.deferOffline ? await this.online(candidates) : undefined;
        for (const g of candidates) {
          if (fresh.length >= need) break;
          if (up && !up.has(g)) {
            r.deferred[g] ??= now;
            continue;
          }
          fresh.push(g);
        }
      }
      for (const g of fresh) {
        await this.controlPlane.setPin(g, r.revision);
        const issued = await this.desired.issue(g, `rollout ${r.id} wave ${r.wave + 1}`);
        delete r.deferred[g];
        r.members.push(g);
        w.members.push(g);
        r.targets[g] = issued.version;
      }
      r.waveStartedMs = r.updatedMs = Date.now();
      if (!fresh.length) {
        w.endedMs = r.waveStartedMs;
        continue;
      }
      await this.controlPlane.saveRollout(r);
      this.log.info(
        {
          rolloutId: r.id,
          wave: r.wave + 1,
          step: w.spec,
          gateways: fresh.length,
          reached: r.members.length,
          deferred: Object.keys(r.deferred).length,
        },
        'rollout wave sent',
      );
      return;
    }
  }

  private onReport(rep: ReportedConfig): void {
    // only the node running the ticks (the leader) checks; the report is in the store for its next tick
    if (!this.timer) return;
    this.background(async () => {
      for (const raw of await this.controlPlane.listRollouts('running')) {
        if (raw.targets[rep.gatewayId] === undefined) continue;
        await this.check(normalizeRollout(raw), false);
      }
    });
  }

  private async tick(): Promise<void> {
    for (const r of await this.controlPlane.listRollouts('running')) await this.check(normalizeRollout(r), true);
    // whichever node aborted it (an operator may ask any node), the leader tracks the rollback
    for (const r of await this.controlPlane.listOpenRollbacks()) await this.trackRollback(normalizeRollout(r));
  }

  /** Updates the outcomes; aborts past the threshold; otherwise moves on when the wave is done and soaked. */
  private async check(r: RolloutRecord, timed: boolean): Promise<void> {
    const now = Date.now();
    let done = true;
    // the whole wave's reports and sessions in a few statements, not two per gateway per tick
    const open = r.members.filter((g) => !(g in r.failed));
    const reps = await this.controlPlane.getReportedMany(open);
    const up = await this.online(open.filter((g) => confirms(reps.get(g), r.targets[g]!)));
    for (const g of open) {
      const target = r.targets[g]!;
      const rep = reps.get(g);
      if (refuses(rep, target)) {
        r.failed[g] = `${rep.errorCode}: ${rep.detail}`;
        delete r.appliedMs[g];
        continue;
      }
      if (confirms(rep, target)) {
        if (!up.has(g)) {
          r.failed[g] = 'health regression: offline after applying';
          delete r.appliedMs[g];
          continue;
        }
        r.appliedMs[g] ??= rep!.tsMs;
        continue;
      }
      if (timed && now - r.waveStartedMs >= r.soakMs) r.failed[g] = 'no status within the soak time';
      else done = false;
    }
    const failed = Object.keys(r.failed).length;
    if (failed / Math.max(1, r.members.length) > r.maxFailedRatio) {
      await this.rollBack(
        r,
        `${failed} of ${r.members.length} gateways failed in wave ${r.wave + 1} (threshold ${r.maxFailedRatio * 100} %)`,
      );
      return;
    }
    if (!done || now - r.waveStartedMs < r.soakMs) {
      r.updatedMs = now;
      await this.controlPlane.saveRollout(r);
      return;
    }
    r.plan[r.wave]!.endedMs = now;
    return this.nextWave(r);
  }

  /** After the last wave: the revision becomes the group's, pins go, deferred (and newly joined) gateways get it too. */
  private async complete(r: RolloutRecord): Promise<void> {
    r.wave = r.plan.length - 1;
    await this.controlPlane.setActiveGroupRevision(r.group, r.revision);
    for (const g of r.members) await this.controlPlane.setPin(g, null);
    const now = Date.now();
    for (const g of await this.controlPlane.groupMembers(r.group)) {
      if (g in r.targets) continue;
      r.deferred[g] ??= now;
      await this.desired.issue(g, `rollout ${r.id} (deferred)`);
    }
    r.state = 'completed';
    r.updatedMs = r.finishedMs = now;
    await this.controlPlane.saveRollout(r);
    this.log.info(
      {
        rolloutId: r.id,
        group: r.group,
        revision: r.revision,
        reached: r.members.length,
        deferred: Object.keys(r.deferred).length,
      },
      'rollout completed',
    );
  }

  private async rollBack(r: RolloutRecord, reason: string): Promise<void> {
    const now = Date.now();
    r.state = 'aborted';
    r.reason = reason;
    r.updatedMs = r.finishedMs = now;
    const w = r.plan[r.wave];
    if (w) w.endedMs ??= now;
    r.rollback = { targets: {}, appliedMs: {}, failed: {}, startedMs: now, finishedMs: null };
    await this.controlPlane.saveRollout(r);
    this.log.warn(
      { code: 'CLOUD_ERR_ROLLOUT_ABORTED', rolloutId: r.id, group: r.group, reason },
      'rollout aborted; rolling back',
    );
    for (const g of r.members) {
      await this.controlPlane.setPin(g, null);
      r.rollback.targets[g] = (await this.desired.issue(g, `rollback of ${r.id}`)).version;
    }
    await this.controlPlane.saveRollout(r);
  }

  /** Rollback progress: each gateway confirms its rollback version or fails; finished when all answered or the wait passed. */
  private async trackRollback(r: RolloutRecord): Promise<void> {
    const rb = r.rollback;
    if (!rb || rb.finishedMs !== null) return;
    const now = Date.now();
    let open = 0;
    const waiting = Object.keys(rb.targets).filter((g) => !(g in rb.appliedMs || g in rb.failed));
    const reps = await this.controlPlane.getReportedMany(waiting);
    for (const g of waiting) {
      const target = rb.targets[g]!;
      const rep = reps.get(g);
      if (confirms(rep, target)) rb.appliedMs[g] = rep!.tsMs;
      else if (refuses(rep, target)) rb.failed[g] = `${rep.errorCode}: ${rep.detail}`;
      else if (now - rb.startedMs >= Math.max(r.soakMs, ROLLBACK_MIN_WAIT_MS))
        rb.failed[g] = 'no status within the soak time (it gets the previous configuration at its next connect)';
      else open++;
    }
    if (!open) {
      rb.finishedMs = now;
      this.log.info(
        { rolloutId: r.id, applied: Object.keys(rb.appliedMs).length, failed: Object.keys(rb.failed).length },
        'rollback finished',
      );
    }
    await this.controlPlane.saveRollout(r);
  }
}
