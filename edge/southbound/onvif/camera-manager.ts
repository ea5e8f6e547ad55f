/**
 * The cameras adapter: registry, one CameraMonitor per camera (health, stream probe, clock,
 * PullPoint events), alarm snapshots, on-demand live view and WS-Discovery. With no camera
 * configured or added it starts nothing: no timers, sockets, files or processes. A camera whose
 * stored credentials no longer open (gateway re-keyed) is listed as `needs_credentials` with
 * CAMERA_ERR_CREDENTIALS_SEALED and not monitored until they are entered again (registry.ts).
 */
import { join } from 'node:path';
import { makePrivateDir } from '../../../common/private-files.js';
import type { Logger } from '../../../common/log.js';
import { YiwangError } from '../../../common/errors.js';
import type { EdgeConfig } from '../../config.js';
import type { SouthboundAdapter } from '../types.js';
import { CameraMonitor, type CameraStatus, type HealthState } from './camera-monitor.js';
import { PackageOnvifClient, type OnvifClient } from './onvif-client.js';
import { CameraRegistry, makeEntry, type CameraEntry, type UnusableCamera } from './registry.js';
import { CredentialSealer, Secret } from './secret.js';
import { SnapshotStore } from './snapshots.js';
import type { EventSink } from '../../store/event-sink.js';
import { SqliteEventStore } from '../../store/sqlite-event-store.js';
import { LiveView } from './live-view.js';
import { LiveServer } from './live-server.js';
import { probe, type DiscoveredCamera } from './discovery.js';

export type CamerasConfig = EdgeConfig['cameras'];

export interface CameraManagerOptions {
  config: CamerasConfig;
  /** Directory for cameras.json, camera-events.db, snapshots and live-view segments. */
  dataDir: string;
  gatewaySecret: string;
  log: Logger;
  /** Where events also go (the agent passes its outbox, so they reach the cloud); they are always kept locally for the API too. */
  sink?: EventSink;
  /** For tests: another ONVIF client implementation. */
  clientFactory?: (e: CameraEntry, timeoutMs: number) => OnvifClient;
}

export interface CameraCounts {
  total: number;
  online: number;
  up_auth: number;
  up_noauth: number;
  reachable: number;
  unreachable: number;
  unknown: number;
  stream_down: number;
  needs_credentials: number;
}

/** A camera as listed: a monitored one, or a kept one waiting for its credentials (`needs_credentials`). */
export type ListedCamera = Omit<CameraStatus, 'state'> & {
  state: HealthState | 'needs_credentials';
  live: { state: string; url: string };
};

function flaggedStatus(u: UnusableCamera): ListedCamera {
  return {
    id: u.id,
    name: u.name,
    address: u.address,
    state: 'needs_credentials',
    stream: 'unknown',
    online: false,
    lastCheckAt: null,
    lastError: { code: u.error.code, message: u.error.message },
    clockDriftMs: null,
    authFailures: 0,
    authBackoffUntil: null,
    device: null,
    profiles: [],
    streamUri: '',
    snapshotUri: '',
    events: { subscribed: false, received: 0, raised: 0, snapshots: 0 },
    live: { state: 'idle', url: '' },
  };
}

export class CameraManager implements SouthboundAdapter {
  readonly name = 'cameras';
  readonly registry: CameraRegistry;
  readonly monitors = new Map<string, CameraMonitor>();
  private readonly lives = new Map<string, LiveView>();
  private liveServer: LiveServer | undefined;
  private snapshots: SnapshotStore | undefined;
  private store: SqliteEventStore | undefined;
  private sink: EventSink | undefined;
  private running = false;
  private active = false;
  private readonly log: Logger;

  constructor(private readonly o: CameraManagerOptions) {
    this.log = o.log.child({ component: 'cameras' });
    this.registry = new CameraRegistry(join(o.dataDir, 'cameras.json'), new CredentialSealer(o.gatewaySecret));
    for (const p of this.registry.problems) {
      this.log.error(
        { code: p.code, ...(p.id ? { deviceId: p.id } : {}), err: p.message },
        p.id
          ? 'camera kept but not monitored: enter its credentials again (yiwang-edge cameras add … --id)'
          : 'cameras.json unreadable',
      );
    }
    for (const address of o.config.addresses) {
      this.registry.addConfigured(makeEntry(address, o.config.username, new Secret(o.config.password), 'config'));
    }
  }

  /** Whether anything runs (false with no cameras). */
  get isActive(): boolean {
    return this.active;
  }

  get livePort(): number {
    return this.liveServer?.port ?? 0;
  }

  get events(): SqliteEventStore | undefined {
    return this.store;
  }

  get snapshotDir(): string {
    return this.o.config.snapshot_dir || join(this.o.dataDir, 'snapshots');
  }

  async start(): Promise<void> {
    this.running = true;
    if (this.registry.size === 0) return;
    await this.activate();
    for (const e of this.registry.list()) this.startMonitor(e);
  }

  private async activate(): Promise<void> {
    if (this.active) return;
    this.active = true;
    makePrivateDir(this.o.dataDir);
    const local = new SqliteEventStore(join(this.o.dataDir, 'camera-events.db'));
    this.store = local;
    const forward = this.o.sink;
    this.sink = forward
      ? {
          raise: (e) => {
            forward.raise(e);
            local.raise(e);
          },
        }
      : local;
    this.snapshots = new SnapshotStore(this.snapshotDir, this.o.config.snapshot_max_bytes);
    const c = this.o.config;
    this.liveServer = new LiveServer(
      c.live_host,
      c.live_port,
      (id) => this.liveView(id),
      Math.max(10_000, c.live_stall_ms),
      this.log,
    );
    await this.liveServer.start();
  }

  private startMonitor(e: CameraEntry): CameraMonitor {
    const c = this.o.config;
    const client =
      this.o.clientFactory?.(e, c.request_timeout_ms) ??
      new PackageOnvifClient(e.endpoint, e.username, e.password, c.request_timeout_ms);
    const m = new CameraMonitor(
      e,
      client,
      {
        intervalMs: c.health_interval_ms,
        requestTimeoutMs: c.request_timeout_ms,
        authBackoffMs: c.auth_backoff_ms,
        authBackoffMaxMs: c.auth_backoff_max_ms,
        streamProbe: c.stream_probe,
        streamProbeIntervalMs: c.stream_probe_interval_ms,
        streamProbeTimeoutMs: c.stream_probe_timeout_ms,
        clockDriftMaxMs: c.clock_drift_max_ms,
        events: c.events,
        snapshotTimeoutMs: c.snapshot_timeout_ms,
      },
      this.sink!,
      this.snapshots,
      this.log.child({ deviceId: e.id }),
    );
    this.monitors.set(e.id, m);
    if (this.running) m.start();
    return m;
  }

  /** Onboards a camera by address (replaces one with the same id). */
  async add(address: string, username: string, password: Secret, id?: string, name?: string): Promise<CameraStatus> {
    const e = makeEntry(address, username, password, 'api', id, name);
    await this.remove(e.id).catch(() => undefined);
    this.registry.put(e);
    await this.activate();
    this.log.info({ deviceId: e.id, address: e.address }, 'camera added');
    return this.startMonitor(e).status();
  }

  async remove(id: string): Promise<void> {
    const m = this.monitors.get(id);
    if (!m && !this.registry.get(id) && !this.registry.flaggedOne(id))
      throw new YiwangError('CAMERA_ERR_NOT_FOUND', `no camera ${id}`);
    this.monitors.delete(id);
    await m?.stop();
    await this.lives.get(id)?.stop('camera removed');
    this.lives.delete(id);
    this.registry.remove(id);
  }

  discover(
    target = this.o.config.discovery_target,
    windowMs = this.o.config.discovery_window_ms,
  ): Promise<DiscoveredCamera[]> {
    return probe(target, windowMs);
  }

  get(id: string): CameraMonitor {
    const m = this.monitors.get(id);
    if (m) return m;
    const u = this.registry.flaggedOne(id);
    if (u) throw u.error;
    throw new YiwangError('CAMERA_ERR_NOT_FOUND', `no camera ${id}`);
  }

  /** One camera as listed (a flagged one included). */
  statusOf(id: string): ListedCamera {
    const u = this.registry.flaggedOne(id);
    return u ? flaggedStatus(u) : this.listed(this.get(id));
  }

  list(): ListedCamera[] {
    return [...[...this.monitors.values()].map((m) => this.listed(m)), ...this.registry.flagged().map(flaggedStatus)];
  }

  private listed(m: CameraMonitor): ListedCamera {
    const s = m.status();
    const lv = this.lives.get(s.id);
    return {
      ...s,
      live: {
        state: lv?.state ?? 'idle',
        url: this.liveServer ? `http://${this.o.config.live_host}:${this.liveServer.port}/live/${s.id}/` : '',
      },
    };
  }

  /** Figures for the Health message. */
  counts(): CameraCounts {
    const c: CameraCounts = {
      total: 0,
      online: 0,
      up_auth: 0,
      up_noauth: 0,
      reachable: 0,
      unreachable: 0,
      unknown: 0,
      stream_down: 0,
      needs_credentials: 0,
    };
    for (const _ of this.registry.flagged()) {
      c.total++;
      c.needs_credentials++;
    }
    for (const m of this.monitors.values()) {
      c.total++;
      c[m.state as HealthState]++;
      if (m.stream === 'down') c.stream_down++;
      if (m.state === 'up_auth' && m.stream !== 'down') c.online++;
    }
    return c;
  }

  /** The live view of a camera (created on first use; it starts when a viewer touches it). */
  liveView(id: string): LiveView | undefined {
    const m = this.monitors.get(id);
    if (!m) return undefined;
    let v = this.lives.get(id);
    if (!v) {
      const c = this.o.config;
      v = new LiveView(id, () => m.rtspWithCredentials(), {
        ffmpeg: c.ffmpeg,
        dir: join(this.o.dataDir, 'live', id),
        stallMs: c.live_stall_ms,
        idleMs: c.live_idle_ms,
        reconnectMs: c.live_reconnect_ms,
        reconnectMaxMs: 30_000,
        killGraceMs: 2_000,
        log: this.log.child({ deviceId: id }),
      });
      this.lives.set(id, v);
    }
    return v;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.lives.values()].map((v) => v.stop('agent stopping')));
    await Promise.all([...this.monitors.values()].map((m) => m.stop()));
    await this.liveServer?.stop();
    this.store?.close();
    this.store = undefined;
    this.active = false;
  }
}
