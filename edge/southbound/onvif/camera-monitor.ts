/**
 * Health of one camera every N seconds, graded as EdgeX's ONVIF service does:
 *   up_auth     ONVIF answers and accepts our credentials
 *   up_noauth   ONVIF answers, credentials rejected — authenticated calls then back off
 *               (exponentially, up to auth_backoff_max_ms) so the account is not locked out
 *   reachable   the port accepts TCP but ONVIF does not answer
 *   unreachable no TCP connection
 * plus a stream probe (in-process RTSP, frames must arrive: a frozen stream is down) and clock drift. Changes of
 * these conditions become Events; while up_auth the PullPoint loop (camera-events.ts) runs.
 */
import { connect } from 'node:net';
import type { Logger } from '../../../common/log.js';
import { isYiwangError, YiwangError } from '../../../common/errors.js';
import type { OnvifClient, DeviceInfo, MediaProfile } from './onvif-client.js';
import type { EventSink } from '../../store/event-sink.js';
import { cameraEvent, type Severity } from './event-builder.js';
import { CameraEvents, jitter } from './camera-events.js';
import { probeStream } from './stream-probe.js';
import type { SnapshotStore } from './snapshots.js';
import type { CameraEntry } from './registry.js';
import { stripUserinfo } from './secret.js';

export type HealthState = 'unknown' | 'up_auth' | 'up_noauth' | 'reachable' | 'unreachable';
export type StreamState = 'unknown' | 'ok' | 'down';

export interface MonitorOptions {
  intervalMs: number;
  requestTimeoutMs: number;
  authBackoffMs: number;
  authBackoffMaxMs: number;
  streamProbe: boolean;
  streamProbeIntervalMs: number;
  streamProbeTimeoutMs: number;
  clockDriftMaxMs: number;
  events: boolean;
  snapshotTimeoutMs: number;
}

export interface CameraStatus {
  id: string;
  name: string;
  address: string;
  state: HealthState;
  stream: StreamState;
  online: boolean;
  lastCheckAt: number | null;
  lastError: { code: string; message: string } | null;
  clockDriftMs: number | null;
  authFailures: number;
  authBackoffUntil: number | null;
  device: DeviceInfo | null;
  profiles: MediaProfile[];
  streamUri: string;
  snapshotUri: string;
  events: { subscribed: boolean; received: number; raised: number; snapshots: number };
}

export function tcpReachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

const PROBLEM: Record<HealthState, { type: string; severity: Severity } | null> = {
  unknown: null,
  up_auth: null,
  up_noauth: { type: 'camera_auth_failed', severity: 'warning' },
  reachable: { type: 'camera_offline', severity: 'critical' },
  unreachable: { type: 'camera_offline', severity: 'critical' },
};

export class CameraMonitor {
  state: HealthState = 'unknown';
  stream: StreamState = 'unknown';
  lastCheckAt: number | null = null;
  lastError: YiwangError | null = null;
  clockDriftMs: number | null = null;
  authFailures = 0;
  authBackoffUntil = 0;
  device: DeviceInfo | null = null;
  profiles: MediaProfile[] = [];
  streamUri = '';
  snapshotUri = '';
  private onboarded = false;
  private lastProbeAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticks = 0;
  private checking: Promise<void> | undefined;
  private readonly conditions = new Map<string, string>(); // type → active detail ('' = inactive)
  readonly events: CameraEvents;

  constructor(
    readonly entry: CameraEntry,
    private readonly client: OnvifClient,
    private readonly o: MonitorOptions,
    private readonly sink: EventSink,
    snapshots: SnapshotStore | undefined,
    private readonly log: Logger,
  ) {
    this.events = new CameraEvents({
      deviceId: entry.id,
      client,
      sink,
      snapshots,
      snapshotUri: () => this.snapshotUri,
      username: entry.username,
      password: entry.password,
      snapshotTimeoutMs: o.snapshotTimeoutMs,
      log,
      stopGraceMs: Math.min(o.requestTimeoutMs, 2000),
    });
  }

  start(): void {
    this.running = true;
    this.timer = setTimeout(() => this.tick(), jitter(Math.min(this.o.intervalMs, 1000)) / 4);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.client.close();
    await Promise.all([this.checking, this.events.stop()]);
  }

  private tick(): void {
    this.checking = this.check()
      .catch((e) => this.log.error({ err: e }, 'camera check failed'))
      .finally(() => {
        this.checking = undefined;
        // The first check runs at once; the second at a random point of 0.5–1.5 intervals, so the
        // cameras of a site (all started together) spread over the interval instead of polling in bursts.
        const next = this.ticks++ === 0 ? jitter(this.o.intervalMs) : this.o.intervalMs;
        if (this.running) this.timer = setTimeout(() => this.tick(), next);
      });
  }

  /** One health check (also used directly by tests and the API's "check now"). */
  async check(): Promise<void> {
    const before = this.state;
    const { state, error } = await this.grade();
    this.state = state;
    this.lastError = error;
    this.lastCheckAt = Date.now();
    if (state !== before) {
      this.log.info({ deviceId: this.entry.id, state, previous: before, code: error?.code }, 'camera state changed');
    }
    this.condition('camera_offline', PROBLEM[state]?.type === 'camera_offline', 'critical', state, before, error);
    this.condition('camera_auth_failed', state === 'up_noauth', 'warning', state, before, error);
    await this.probeStreamIfDue();
    if (state === 'up_auth' && this.o.events && this.running) this.events.start();
    else if (state !== 'up_auth') await this.events.stop();
  }

  private async grade(): Promise<{ state: HealthState; error: YiwangError | null }> {
    const { hostname, port } = this.entry.endpoint;
    try {
      const t = await this.client.systemTime();
      this.clockDriftMs = t.cameraMs - t.localMs;
      const drifting = Math.abs(this.clockDriftMs) > this.o.clockDriftMaxMs;
      this.condition(
        'camera_clock_drift',
        drifting,
        'warning',
        String(Math.round(this.clockDriftMs)),
        '',
        drifting
          ? new YiwangError(
              'CAMERA_ERR_CLOCK_DRIFT',
              `camera clock is ${Math.round(this.clockDriftMs)} ms off the gateway clock`,
            )
          : null,
      );
    } catch (e) {
      const err = asError(e);
      if (err.code === 'CAMERA_ERR_AUTH') return this.authFailed(err);
      const reachable =
        err.code !== 'CAMERA_ERR_UNREACHABLE' && (await tcpReachable(hostname, port, this.o.requestTimeoutMs));
      return {
        state: reachable ? 'reachable' : 'unreachable',
        error: reachable
          ? err
          : new YiwangError('CAMERA_ERR_UNREACHABLE', `${hostname}:${port}: ${err.message}`, { cause: err }),
      };
    }
    if (Date.now() < this.authBackoffUntil) return { state: 'up_noauth', error: this.lastError };
    try {
      if (!this.onboarded) await this.onboard();
      else await this.client.deviceInfo();
      this.authFailures = 0;
      this.authBackoffUntil = 0;
      return { state: 'up_auth', error: null };
    } catch (e) {
      const err = asError(e);
      if (err.code === 'CAMERA_ERR_AUTH') return this.authFailed(err);
      if (err.code === 'CAMERA_ERR_SOAP') return { state: 'up_noauth', error: err };
      return { state: 'reachable', error: err };
    }
  }

  private authFailed(err: YiwangError): { state: HealthState; error: YiwangError } {
    this.authFailures++;
    const wait = Math.min(this.o.authBackoffMaxMs, this.o.authBackoffMs * 2 ** (this.authFailures - 1));
    this.authBackoffUntil = Date.now() + wait;
    this.log.warn(
      { deviceId: this.entry.id, code: err.code, err: err.message, retryInMs: wait },
      'camera rejected credentials; backing off to avoid a lockout',
    );
    return { state: 'up_noauth', error: err };
  }

  /** Device information, profiles and URIs (authenticated). */
  private async onboard(): Promise<void> {
    await this.client.capabilities();
    this.device = await this.client.deviceInfo();
    this.profiles = await this.client.profiles();
    const main = this.profiles[0];
    if (main) {
      this.streamUri = await this.client.streamUri(main.token);
      this.snapshotUri = await this.client.snapshotUri(main.token).catch(() => '');
    }
    this.onboarded = true;
    this.log.info(
      {
        deviceId: this.entry.id,
        device: this.device,
        profiles: this.profiles.length,
        stream: stripUserinfo(this.streamUri),
      },
      'camera onboarded',
    );
  }

  private async probeStreamIfDue(): Promise<void> {
    if (!this.o.streamProbe || !this.streamUri || !this.running) return;
    if (this.state !== 'up_auth' && this.state !== 'up_noauth') return;
    if (Date.now() - this.lastProbeAt < this.o.streamProbeIntervalMs) return;
    this.lastProbeAt = Date.now();
    const r = await probeStream(this.rtspWithCredentials(), this.o.streamProbeTimeoutMs);
    const next: StreamState = r.ok ? 'ok' : 'down';
    if (next !== this.stream)
      this.log.info(
        { deviceId: this.entry.id, stream: next, code: r.error?.code, err: r.error?.message },
        'camera stream state changed',
      );
    this.stream = next;
    this.condition('camera_stream_down', !r.ok, 'critical', next, '', r.error ?? null);
  }

  /** The stream URI with the camera credentials in it (never logged). */
  rtspWithCredentials(): string {
    if (!this.streamUri || !this.entry.username) return this.streamUri;
    try {
      const u = new URL(this.streamUri);
      if (!u.username) {
        u.username = encodeURIComponent(this.entry.username);
        u.password = encodeURIComponent(this.entry.password.reveal());
      }
      return u.toString();
    } catch {
      return this.streamUri;
    }
  }

  /** Raises an Event when a condition becomes active or changes detail, clears it when it ends. */
  private condition(
    type: string,
    active: boolean,
    severity: Severity,
    detail: string,
    previous: string,
    error: YiwangError | null,
  ): void {
    const was = this.conditions.get(type);
    const now = active ? detail : '';
    if (was === now || (was === undefined && !active)) {
      this.conditions.set(type, now);
      return;
    }
    this.conditions.set(type, now);
    const attrs: Record<string, string> = { address: this.entry.address };
    if (type === 'camera_offline' || type === 'camera_auth_failed') {
      attrs.state = detail;
      attrs.previous = previous;
    } else if (type === 'camera_clock_drift') attrs.drift_ms = detail;
    else attrs.stream = detail;
    if (error) attrs.code = error.code;
    const message = active ? (error?.message ?? type) : `${type.replace('camera_', '')} cleared`;
    this.sink.raise(cameraEvent(this.entry.id, type, active ? severity : 'info', active, message, attrs));
  }

  status(): CameraStatus {
    return {
      id: this.entry.id,
      name: this.entry.name,
      address: this.entry.address,
      state: this.state,
      stream: this.stream,
      online: this.state === 'up_auth' && this.stream !== 'down',
      lastCheckAt: this.lastCheckAt,
      lastError: this.lastError ? { code: this.lastError.code, message: this.lastError.message } : null,
      clockDriftMs: this.clockDriftMs,
      authFailures: this.authFailures,
      authBackoffUntil: this.authBackoffUntil || null,
      device: this.device,
      profiles: this.profiles,
      streamUri: stripUserinfo(this.streamUri),
      snapshotUri: stripUserinfo(this.snapshotUri),
      events: {
        subscribed: this.events.subscribed,
        received: this.events.received,
        raised: this.events.raised,
        snapshots: this.events.snapshots,
      },
    };
  }
}

function asError(e: unknown): YiwangError {
  return isYiwangError(e) ? e : new YiwangError('CAMERA_ERR_SOAP', String((e as Error)?.message ?? e));
}
