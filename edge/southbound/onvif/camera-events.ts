/**
 * One camera's ONVIF PullPoint loop: subscribe, pull, renew; every notification normalised
 * (motion, tamper, video loss); an alarm fetches a snapshot first and references it from the
 * Event. Failures retry with jittered exponential backoff; stop() ends a held PullMessages
 * (after a short grace, so a pull the camera is answering is still delivered).
 */
import type { Logger } from '../../../common/log.js';
import { isYiwangError, YiwangError } from '../../../common/errors.js';
import type { OnvifClient, Notification } from './onvif-client.js';
import { normalise } from './normalise.js';
import type { EventSink } from '../../store/event-sink.js';
import { cameraEvent } from './event-builder.js';
import { fetchSnapshot, type SnapshotStore } from './snapshots.js';
import type { Secret } from './secret.js';

export interface CameraEventsOptions {
  deviceId: string;
  client: OnvifClient;
  sink: EventSink;
  snapshots: SnapshotStore | undefined;
  snapshotUri: () => string;
  username: string;
  password: Secret;
  snapshotTimeoutMs: number;
  log: Logger;
  /** Renew the subscription when this long passed since the last renew. */
  renewMs?: number;
  /** How long stop() lets a PullMessages in progress finish before aborting it (default 1 s). */
  stopGraceMs?: number;
}

export const jitter = (ms: number): number => Math.round(ms * (0.5 + Math.random()));

export class CameraEvents {
  received = 0;
  raised = 0;
  ignored = 0;
  snapshots = 0;
  lastError: YiwangError | null = null;
  /** The current run; a stopped run's loop may still be finishing (its own flag stays false). */
  private gen: { running: boolean } | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly active = new Map<string, boolean>();

  constructor(private readonly o: CameraEventsOptions) {}

  get subscribed(): boolean {
    return this.gen?.running ?? false;
  }

  start(): void {
    if (this.gen?.running) return;
    const g = { running: true };
    this.gen = g;
    // after the previous run has ended: its last Unsubscribe must not remove the new subscription
    this.loop = (this.loop ?? Promise.resolve()).then(() => this.run(g));
  }

  /**
   * Ends the loop. A pull that the camera answers within `stopGraceMs` is still delivered (events
   * already queued for us are not lost); a held one is aborted — otherwise this would wait up to
   * the pull's 80 s socket timeout, and the health loop waits for this.
   */
  async stop(): Promise<void> {
    const g = this.gen;
    if (!g?.running) return;
    g.running = false;
    this.wake?.();
    const loop = this.loop!;
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      loop.then(() => true),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), this.o.stopGraceMs ?? 1000);
      }),
    ]);
    clearTimeout(timer);
    if (!ended) {
      this.o.client.abortPull();
      await loop;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async run(g: { running: boolean }): Promise<void> {
    let backoff = 1000;
    const c = this.o.client;
    while (g.running) {
      try {
        await c.createPullPoint();
        let renewedAt = Date.now();
        this.o.log.debug('PullPoint subscription created');
        while (g.running) {
          const msgs = await c.pull(10);
          backoff = 1000;
          for (const m of msgs) await this.onNotification(m);
          if (Date.now() - renewedAt > (this.o.renewMs ?? 30_000)) {
            await c.renew();
            renewedAt = Date.now();
          }
        }
      } catch (e) {
        if (!g.running) break;
        const err = isYiwangError(e) ? e : new YiwangError('CAMERA_ERR_EVENTS', String(e));
        this.lastError = new YiwangError('CAMERA_ERR_EVENTS', `PullPoint: ${err.message}`, { cause: err });
        this.o.log.warn(
          { code: 'CAMERA_ERR_EVENTS', cause: err.code, err: err.message },
          'camera event subscription failed; retrying',
        );
        await c.unsubscribe().catch(() => undefined);
        await this.sleep(jitter(backoff));
        backoff = Math.min(60_000, backoff * 2);
      }
    }
    await c.unsubscribe().catch(() => undefined);
  }

  private async onNotification(m: Notification): Promise<void> {
    this.received++;
    const n = normalise(m);
    if (!n) {
      this.ignored++;
      return;
    }
    const was = this.active.get(n.type);
    this.active.set(n.type, n.active);
    if (was === n.active || (was === undefined && !n.active)) return; // initial "false" or repeated state
    const tsMs = Date.now();
    const attrs: Record<string, string> = { topic: n.topic };
    if (n.rule) attrs.rule = n.rule;
    if (m.utcMs !== undefined && Number.isFinite(m.utcMs)) attrs.camera_time = new Date(m.utcMs).toISOString();
    const uri = this.o.snapshotUri();
    if (n.active && this.o.snapshots && uri) {
      try {
        const jpeg = await fetchSnapshot(uri, this.o.username, this.o.password, this.o.snapshotTimeoutMs);
        attrs.snapshot = this.o.snapshots.put(this.o.deviceId, tsMs, jpeg);
        this.snapshots++;
      } catch (e) {
        const err = isYiwangError(e) ? e : new YiwangError('CAMERA_ERR_SNAPSHOT', String(e));
        attrs.snapshot_error = err.code;
        this.o.log.warn({ code: err.code, err: err.message }, 'alarm snapshot failed');
      }
    }
    const what = n.type.replace('camera_', '').replace('_', ' ');
    this.o.sink.raise(
      cameraEvent(
        this.o.deviceId,
        n.type,
        n.severity,
        n.active,
        `${what} ${n.active ? 'detected' : 'cleared'}`,
        attrs,
        tsMs,
      ),
    );
    this.raised++;
  }
}
