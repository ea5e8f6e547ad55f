/**
 * One camera's ONVIF PullPoint loop: subscribe, pull, renew; every notification normalised
 * (motion, tamper, video loss); an alarm fetches a snapshot first and references it from the
 * Event. Failures retry with jittered exponential backoff; stop() ends a held PullMessages.
 */
import type { Logger } from '../../../common/log.js';
import { isYiwangError, YiwangError } from '../../../common/errors.js';
import type { OnvifClient, Notification } from './onvif-client.js';
import { normalise } from './normalise.js';
import { cameraEvent, type EventSink } from './event-sink.js';
import { fetchSnapshot, type SnapshotStore } from './snapshots.js';
import type { Secret } from './secret.js';
import './errors.js';

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
}

export const jitter = (ms: number): number => Math.round(ms * (0.5 + Math.random()));

export class CameraEvents {
  received = 0;
  raised = 0;
  ignored = 0;
  snapshots = 0;
  lastError: YiwangError | null = null;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly active = new Map<string, boolean>();

  constructor(private readonly o: CameraEventsOptions) {}

  get subscribed(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.wake = undefined; resolve(); }, ms);
      this.wake = () => { clearTimeout(t); this.wake = undefined; resolve(); };
    });
  }

  private async run(): Promise<void> {
    let backoff = 1000;
    const c = this.o.client;
    while (this.running) {
      try {
        await c.createPullPoint();
        let renewedAt = Date.now();
        this.o.log.debug('PullPoint subscription created');
        while (this.running) {
          const msgs = await c.pull(10);
          backoff = 1000;
          for (const m of msgs) await this.onNotification(m);
          if (Date.now() - renewedAt > (this.o.renewMs ?? 30_000)) { await c.renew(); renewedAt = Date.now(); }
        }
      } catch (e) {
        if (!this.running) break;
        const err = isYiwangError(e) ? e : new YiwangError('CAMERA_ERR_EVENTS', String(e));
        this.lastError = new YiwangError('CAMERA_ERR_EVENTS', `PullPoint: ${err.message}`, { cause: err });
        this.o.log.warn({ code: 'CAMERA_ERR_EVENTS', cause: err.code, err: err.message }, 'camera event subscription failed; retrying');
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
    if (!n) { this.ignored++; return; }
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
    this.o.sink.raise(cameraEvent(this.o.deviceId, n.type, n.severity, n.active, `${what} ${n.active ? 'detected' : 'cleared'}`, attrs, tsMs));
    this.raised++;
  }
}
