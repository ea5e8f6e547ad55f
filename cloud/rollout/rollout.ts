/**
 * Rollouts (docs/reference/config-rollout.md): a group revision goes to the group's gateways in
 * waves (cumulative percentages, gateways in id order). A wave ends when every gateway in it
 * reported and its soak time passed. A gateway counts as failed when it reports failed/rejected,
 * stays silent past the soak, or goes offline after it was sent the config. When the failed share
 * of the gateways reached exceeds `maxFailedRatio` the rollout aborts: its pins are dropped and the
 * reached gateways get the previous group revision again, as a new (higher) version.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../common/log.js';
import { YiwangError } from '../../common/errors.js';
import type { CloudStore } from '../store/store.js';
import type { FleetStore, ReportedConfig, RolloutRecord } from '../store/fleet-store.js';
import type { DesiredConfigService } from './desired.js';
import '../errors.js';

export interface StartRollout { group: string; revision?: number; waves?: number[]; soakMs?: number; maxFailedRatio?: number }

export class RolloutService {
  private timer: NodeJS.Timeout | undefined;
  private readonly log: Logger;
  private busy = Promise.resolve();

  /**
   * @param online whether a gateway's session is up now (server.ts: the health service's live
   *   state; the registry's `online` column is written only at its next flush)
   */
  constructor(
    private readonly store: CloudStore, private readonly fleet: FleetStore, private readonly desired: DesiredConfigService, log: Logger, private readonly tickMs: number,
    private readonly online: (gatewayId: string) => Promise<boolean> = async (id) => (await store.getGateway(id))?.online ?? false,
  ) {
    this.log = log.child({ component: 'rollout' });
    desired.onReport = (r) => this.onReport(r);
  }

  start(): void {
    this.timer = setInterval(() => { void this.serial(() => this.tick()); }, this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Runs one step at a time (reports and ticks may arrive together). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.busy.then(fn);
    this.busy = p.then(() => undefined, () => undefined);
    return p;
  }

  async begin(o: StartRollout): Promise<RolloutRecord> {
    return this.serial(async () => {
      const waves = o.waves ?? [1, 10, 50, 100];
      if (!waves.length || waves.some((w, i) => !(w > 0 && w <= 100) || (i > 0 && w <= waves[i - 1]!)) || waves[waves.length - 1] !== 100) {
        throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'waves must be increasing percentages ending at 100, e.g. 1,10,50,100');
      }
      const ratio = o.maxFailedRatio ?? 0.1;
      if (!(ratio >= 0 && ratio < 1)) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'maxFailedRatio must be in [0, 1)');
      if ((await this.fleet.listRollouts('running')).some((r) => r.group === o.group)) throw new YiwangError('CLOUD_ERR_ROLLOUT_BUSY', `a rollout is running for group ${o.group}`);
      const layer = await this.fleet.getLayer('group', o.group, o.revision);
      if (!layer) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no config layer for group ${o.group}${o.revision ? ` revision ${o.revision}` : ''}`);
      const now = Date.now();
      const r: RolloutRecord = {
        id: `ro-${randomBytes(4).toString('hex')}`, group: o.group, revision: layer.revision, previousRevision: await this.fleet.activeGroupRevision(o.group),
        waves, soakMs: o.soakMs ?? 60_000, maxFailedRatio: ratio, state: 'running', wave: -1, members: [], targets: {}, failed: {},
        total: (await this.fleet.groupMembers(o.group)).length, waveStartedMs: now, startedMs: now, updatedMs: now, reason: '',
      };
      this.log.info({ rolloutId: r.id, group: r.group, revision: r.revision, waves, total: r.total }, 'rollout started');
      await this.nextWave(r);
      return r;
    });
  }

  async get(id: string): Promise<RolloutRecord> {
    const r = await this.fleet.getRollout(id);
    if (!r) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no rollout ${id}`);
    return r;
  }

  async abort(id: string, reason = 'aborted by an operator'): Promise<RolloutRecord> {
    return this.serial(async () => {
      const r = await this.get(id);
      if (r.state === 'running') await this.rollBack(r, reason);
      return r;
    });
  }

  private async nextWave(r: RolloutRecord): Promise<void> {
    const all = await this.fleet.groupMembers(r.group);
    r.wave++;
    const cut = Math.ceil((r.waves[r.wave]! / 100) * all.length);
    const fresh = all.filter((g) => !(g in r.targets)).slice(0, Math.max(0, cut - r.members.length));
    for (const g of fresh) {
      await this.fleet.setPin(g, r.revision);
      const issued = await this.desired.issue(g, `rollout ${r.id} wave ${r.wave + 1}`);
      r.members.push(g);
      r.targets[g] = issued.version;
    }
    r.waveStartedMs = r.updatedMs = Date.now();
    await this.fleet.saveRollout(r);
    this.log.info({ rolloutId: r.id, wave: r.wave + 1, percent: r.waves[r.wave], gateways: fresh.length, reached: r.members.length }, 'rollout wave sent');
  }

  private onReport(rep: ReportedConfig): void {
    void this.serial(async () => {
      for (const r of await this.fleet.listRollouts('running')) {
        const target = r.targets[rep.gatewayId];
        if (target === undefined || rep.version !== target || rep.state === 'applied') continue;
        r.failed[rep.gatewayId] = `${rep.errorCode}: ${rep.detail}`;
        await this.check(r, false);
      }
    });
  }

  private async tick(): Promise<void> {
    for (const r of await this.fleet.listRollouts('running')) await this.check(r, true);
  }

  /** Aborts past the threshold; otherwise moves on when the wave is done and soaked. */
  private async check(r: RolloutRecord, timed: boolean): Promise<void> {
    const now = Date.now();
    let done = true;
    for (const g of r.members) {
      if (g in r.failed) continue;
      const rep = await this.fleet.getReported(g);
      const reported = rep !== undefined && rep.version >= r.targets[g]!;
      if (reported && rep.state !== 'applied' && rep.version === r.targets[g]) { r.failed[g] = `${rep.errorCode}: ${rep.detail}`; continue; }
      if (reported && !(await this.online(g))) { r.failed[g] = 'health regression: offline after applying'; continue; }
      if (!reported) {
        if (timed && now - r.waveStartedMs >= r.soakMs) r.failed[g] = 'no status within the soak time';
        else done = false;
      }
    }
    const failed = Object.keys(r.failed).length;
    if (failed / Math.max(1, r.members.length) > r.maxFailedRatio) {
      await this.rollBack(r, `${failed} of ${r.members.length} gateways failed in wave ${r.wave + 1} (threshold ${r.maxFailedRatio * 100} %)`);
      return;
    }
    if (!done || now - r.waveStartedMs < r.soakMs) { await this.fleet.saveRollout(r); return; }
    if (r.wave + 1 < r.waves.length) return this.nextWave(r);
    await this.fleet.setActiveGroupRevision(r.group, r.revision);
    for (const g of r.members) await this.fleet.setPin(g, null);
    r.state = 'completed';
    r.updatedMs = now;
    await this.fleet.saveRollout(r);
    this.log.info({ rolloutId: r.id, group: r.group, revision: r.revision }, 'rollout completed');
  }

  private async rollBack(r: RolloutRecord, reason: string): Promise<void> {
    r.state = 'aborted';
    r.reason = reason;
    r.updatedMs = Date.now();
    await this.fleet.saveRollout(r);
    this.log.warn({ code: 'CLOUD_ERR_ROLLOUT_ABORTED', rolloutId: r.id, group: r.group, reason }, 'rollout aborted; rolling back');
    for (const g of r.members) {
      await this.fleet.setPin(g, null);
      await this.desired.issue(g, `rollback of ${r.id}`);
    }
  }
}
