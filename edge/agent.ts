/**
 * The edge agent's composition root: store ← southbound adapters, store → cloud uplink,
 * local API for the CLI. `EdgeAgent.start(config)` wires and starts everything; `stop()` undoes it.
 */
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Logger } from '../common/log.js';
import { YiwangError } from '../common/errors.js';
import { lockStore, type StoreLock } from '../common/process-lock.js';
import { VERSION } from '../common/version.js';
import { SecretBox } from '../common/seal.js';
import type { EdgeConfig } from './config.js';
import { SqliteOutboxStore } from './store/outbox.js';
import { openEdgeDatabase } from './store/schema.js';
import { CoapUplinkServer } from './southbound/coap/server.js';
import { CloudUplink } from './sync/uplink.js';
import { DeviceTracker, agentFacts } from './devices/heard.js';
import { GatewayClock } from './clock.js';
import { LocalApiServer } from './api/server.js';
import type { Reading } from '../proto/reading.js';
import type { AgentStatus } from './api/status.js';
import type { SouthboundAdapter } from './southbound/types.js';
import { Lwm2mServer } from './southbound/lwm2m/server/server.js';
import { CoapLwm2mTransport } from './southbound/lwm2m/server/coap-transport.js';
import { type BootstrapKeys, bootstrapPlanner } from './southbound/lwm2m/bootstrap-plan.js';
import { limitsFromConfig } from './southbound/lwm2m/server/limits.js';
import { loadObjectModel } from './southbound/lwm2m/object-files.js';
import { CameraManager } from './southbound/onvif/camera-manager.js';
import { cameraRoutes } from './southbound/onvif/api-routes.js';
import { cameraFigures, diskFigures, faultFigures } from './health-figures.js';
import type { Refusal } from './store/reading-check.js';
import { faultRoutes } from './api/fault-routes.js';
import { ProfileRuntime, type CheckedReadings } from './profiles/runtime.js';
import { SqliteAlarmState } from './profiles/alarm-state.js';
import { observeBindings } from './profiles/lwm2m-observe.js';
import { LIBRARY_DIR } from './profiles/tooling.js';
import { SqliteEventStore } from './store/sqlite-event-store.js';
import { LogRing, ringLogger } from './log-ring.js';
import { DeviceRegistry } from './devices/registry.js';
import { LastReadings } from './devices/last-readings.js';
import { technicianRoutes } from './api/technician-routes.js';
import { countByState, deviceSummaries } from './devices/view.js';
import { technicianDeps } from './api/technician-wiring.js';
import { remoteConfigApplier } from './remote-config/agent-wiring.js';
import { DeviceFilter } from './remote-config/live.js';
import type { ConfigApplier } from './remote-config/applier.js';
import type { Hj212Server } from './southbound/hj212/server.js';
import { registerEdgeErrors } from './error-catalog.js';
import { coapsParts, type CoapsParts } from './southbound/dtls/agent-coaps.js';
import type { PskDirectory } from './southbound/dtls/psk-directory.js';
import { PROFILE_BINDINGS } from './profile-bindings.js';

/** The HJ 212 server's figures for the status, when it runs (it is loaded only when enabled). */
function hj212Figures(adapters: readonly SouthboundAdapter[]): Pick<AgentStatus, 'hj212'> {
  const h = adapters.find((a): a is Hj212Server => a.name === 'hj212');
  return h ? { hj212: { port: h.port, open: h.connections.size, ...h.counters } } : {};
}

/** What the caller may hand the agent besides its configuration. */
export interface AgentParts {
  /** The PSK directory of coaps and identity binding (tests: a MemoryPskDirectory); see pskDirectoryOf. */
  pskDirectory?: PskDirectory;
}

/**
 * The one place that chooses the PSK directory of the coaps listener and of identity binding
 * (coap.nosec): the registry's keys (sealed at rest, `yiwang-edge devices add --psk-…` and
 * `devices import-keys`), unless the caller hands one in.
 */
function pskDirectoryOf(parts: AgentParts, registry: DeviceRegistry): PskDirectory {
  return parts.pskDirectory ?? registry.keys;
}

/**
 * The registry's device keys as the LwM2M bootstrap plan reads and writes them: the keys it makes
 * are the registry's (with a test's own pskDirectory, the DTLS server would not see them).
 */
function bootstrapKeysOf(registry: DeviceRegistry): BootstrapKeys {
  const dir = registry.keys.device;
  return {
    deviceOf: (identity) => registry.keys.deviceOf(identity),
    deviceKey: (id) => {
      const identity = dir.identityOf(id);
      return identity === undefined ? undefined : { identity, key: dir.keyOf(identity) ?? null };
    },
    setDeviceKey: (id, identity, key) => {
      dir.set(id, identity, key.toString('hex'));
    },
  };
}

/** scheme://host:port of a listener, undefined while it is not bound or when host is a wildcard (devices cannot reach it). */
function listenerUri(scheme: string, host: string, port: number | undefined): string | undefined {
  if (!port || host === '' || host === '0.0.0.0' || host === '::') return undefined;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A device counts as online in Health when heard within this window (profiles refine it later). */
const DEVICE_ONLINE_WINDOW_MS = 3600_000;

export class EdgeAgent {
  readonly startedAt = Date.now();
  /** The cameras adapter (ONVIF health, events, live view), when `cameras.enabled`. */
  cameras: CameraManager | undefined;
  /** The gateway wall clock and its sync state (stamps readings; a sync triggers their correction). */
  clock!: GatewayClock;
  /** Device profiles (decoding, metric checks, rule alarms) and where their events go. */
  profiles!: ProfileRuntime;
  profileEvents!: SqliteEventStore;
  /** Technician's view: pre-registered devices, last readings, recent logs (edge/api/technician-wiring.ts). */
  registry!: DeviceRegistry;
  lastReadings!: LastReadings;
  logs!: LogRing;
  /** coaps (DTLS) listener and identity policy (edge/southbound/dtls/agent-coaps.ts). */
  coaps: CoapsParts | undefined;
  /** Remote configuration (edge/remote-config), when gateway.config_key is pinned. */
  remoteConfig: ConfigApplier | undefined;
  private constructor(
    readonly config: EdgeConfig,
    readonly log: Logger,
    readonly store: SqliteOutboxStore,
    readonly coap: CoapUplinkServer,
    readonly uplink: CloudUplink,
    readonly devices: DeviceTracker,
    readonly api: LocalApiServer,
    /** Every device-facing adapter, started in order after the store and stopped in reverse. */
    readonly adapters: SouthboundAdapter[],
    /** The LwM2M server (registrations, downlink queue), when `lwm2m.enabled`. */
    readonly lwm2m: Lwm2mServer | undefined,
  ) {}

  /** The store's exclusive lock (common/process-lock.ts), released by `stop()`. */
  private lock: StoreLock | undefined;

  /**
   * Without `log`, logs go to stderr and to `logs` (served as GET /v1/logs for `yiwang-edge logs`).
   * Refused (EDGE_ERR_ALREADY_RUNNING, naming its PID) while another agent holds the store.
   */
  static async start(
    config: EdgeConfig,
    log?: Logger,
    logs = new LogRing(),
    parts: AgentParts = {},
  ): Promise<EdgeAgent> {
    registerEdgeErrors();
    // before the store is opened: a second agent must not touch it, its socket or the broker
    const lock = lockStore(config.store.path, {
      code: 'EDGE_ERR_ALREADY_RUNNING',
      ioCode: 'EDGE_ERR_STORE',
      what: 'edge agent',
    });
    try {
      const agent = await EdgeAgent.startLocked(config, log ?? ringLogger(config.log.level, logs), logs, parts);
      agent.lock = lock;
      return agent;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  private static async startLocked(
    config: EdgeConfig,
    log: Logger,
    logs: LogRing,
    parts: AgentParts,
  ): Promise<EdgeAgent> {
    if (!config.gateway.id || !config.gateway.secret) {
      throw new YiwangError(
        'CONFIG_ERR_INVALID',
        'gateway.id and gateway.secret are required (provision the gateway first)',
      );
    }
    // the LwM2M object model: OMA registry + vendors' DDF files (lwm2m.object_dirs); a bad file
    // stops the start here (LWM2M_ERR_MODEL, naming the file), before anything is opened
    const lwm2mModel = loadObjectModel(config.lwm2m.enabled ? config.lwm2m.object_dirs : [], log);
    const clock = new GatewayClock({
      source: config.clock.sync,
      checkMs: config.clock.check_ms,
      stepThresholdMs: 2000,
      log,
    });
    // The store file is shared by the outbox and the tables kept beside it (heard devices, device
    // keys, alarm state, LwM2M): opened here and handed to each; the outbox closes it, last.
    const db = openEdgeDatabase(config.store.path);
    const store = new SqliteOutboxStore({
      db,
      path: config.store.path,
      commitMs: config.store.commit_ms,
      maxBytes: config.store.max_bytes,
      maxAgeMs: config.store.max_age_s * 1000,
      maintenanceMs: config.store.maintenance_ms,
      dedupeMaxKeys: config.store.dedupe_max_keys,
      freshWindowMs: config.sync.fresh_window_s * 1000,
      quarantineMaxRows: config.store.quarantine_max_entries,
      quarantineMaxBytes: config.store.quarantine_max_bytes,
      clockSynced: () => clock.synced,
      unsyncedHoldMs: config.clock.unsynced_hold_s * 1000,
    });
    // heard devices are kept in the store file across restarts (edge/devices/heard.ts), with profile and LwM2M address
    const devices = new DeviceTracker({ db, facts: agentFacts(() => agent) });
    const last = new LastReadings();
    const deviceFilter = new DeviceFilter(); // remote config devices.allow/deny (edge/remote-config/live.ts)
    // device keys sealed under the gateway secret; one that no longer opens (re-keyed) flags its device only
    const registry = new DeviceRegistry(
      db,
      new SecretBox(config.gateway.secret, 'yiwang-device-keys', 'device-keys-v1'),
    );
    if (registry.keysUnreadable)
      log.error(
        { code: 'EDGE_ERR_DEVICE_KEY_SEALED', devices: registry.keysUnreadable },
        'device keys sealed under another gateway secret: enter them again (yiwang-edge devices list shows which)',
      );
    // coaps (DTLS) and identity binding (coap.nosec): the policy is consulted by the CoAP uplinks and
    // the LwM2M Register; a bad setting stops the start here, before anything else is started
    let coaps: CoapsParts;
    try {
      coaps = coapsParts(config.coap, {
        directory: pskDirectoryOf(parts, registry),
        isKnownDevice: (id) => registry.has(id),
        coapSocket: () => coap.socket,
        log,
        logPerMinute: config.coap.log_per_minute,
      });
    } catch (err) {
      devices.close();
      store.close();
      throw err;
    }
    let agent: EdgeAgent | undefined;
    let remoteConfig: ConfigApplier | undefined;
    const uplink = new CloudUplink({
      ...(config.cloud.ca_file ? { ca: readFileSync(config.cloud.ca_file, 'utf8') } : {}),
      ...(config.gateway.config_key
        ? {
            onConfig: (env: Buffer) => {
              remoteConfig?.handle(env);
            },
          }
        : {}),
      gatewayId: config.gateway.id,
      secret: config.gateway.secret,
      // cloud.urls is checked at load (edge/config.ts), cloud.url is then its first entry
      urls: config.cloud.urls.length > 0 ? config.cloud.urls : [config.cloud.url],
      store,
      log,
      batchMaxReadings: config.sync.batch_max_readings,
      batchMinReadings: config.sync.batch_min_readings,
      maxBytesPerS: config.sync.max_bytes_per_s,
      dailyBytes: config.sync.daily_bytes,
      lingerMs: config.sync.linger_ms,
      inflight: config.sync.inflight,
      ackTimeoutMs: config.sync.ack_timeout_ms,
      connectTimeoutMs: config.cloud.connect_timeout_ms,
      reconnectMs: config.cloud.reconnect_ms,
      agentVersion: VERSION,
      healthIntervalMs: config.sync.health_interval_ms,
      health: () => agent!.health(),
    });
    store.onEvent = () => uplink.notify(); // an event (alarm) is sent without lingering
    // Profiles sit between the adapters and the store: decoding hooks below, checks and alarms in accept.
    const profileEvents = new SqliteEventStore(join(dirname(config.store.path), 'profile-events.db'));
    const profiles = new ProfileRuntime({
      bindings: PROFILE_BINDINGS,
      dirs: [...(config.profiles.library ? [LIBRARY_DIR] : []), ...config.profiles.dirs],
      reloadMs: config.profiles.reload_ms,
      // profile alarms go to the outbox (so to the cloud) and to the local history the API lists
      events: {
        raise: (e) => {
          store.raise(e);
          profileEvents.raise(e);
        },
      },
      log,
      facts: (id) => {
        const r = agent?.lwm2m?.device(id);
        return r
          ? { lwm2mEndpoint: r.endpoint, lwm2mObjects: [...new Set(r.objects.map((o) => o.path.ids[0]!))] }
          : undefined;
      },
      // rule alarm state (hysteresis, last values) lives in the store file and survives restarts
      alarmState: new SqliteAlarmState(db),
      // a profile's [transport.lwm2m] observe bindings: Write-Attributes + Observe when its device registers
      lwm2mObserve: (ep, p) => {
        if (agent?.lwm2m)
          void observeBindings(agent.lwm2m, ep, p, log).catch((err: unknown) =>
            log.error({ deviceId: ep, err: (err as Error).message }, 'profile observe bindings failed'),
          );
      },
    });
    await profiles.start();
    const sink = {
      // Runs for every uplink: no async frame, and only what the continuation needs stays alive until the commit is durable.
      accept: (raw: Reading[], uplinkKey?: string, refused?: readonly Refusal[]): Promise<'stored' | 'duplicate'> => {
        let checked: CheckedReadings;
        try {
          // profile events (rule alarms, range checks) are raised only once their readings are committed
          checked = profiles.check(deviceFilter.keep(raw));
        } catch (err) {
          return Promise.reject(err);
        }
        return store.append(checked.readings, uplinkKey, refused).then((r) => {
          if (r === 'stored') {
            checked.committed();
            uplink.notify();
            last.record(checked.readings);
          }
          return r;
        });
      },
    };
    const admit = coaps.policy
      ? (deviceId: string, address: string) => coaps.policy!.check(deviceId, address, 'post')
      : undefined;
    const coap: CoapUplinkServer = new CoapUplinkServer({
      ...(admit ? { admit } : {}),
      host: config.coap.host,
      port: config.coap.port,
      exchangeCacheBytes: config.coap.exchange_cache_bytes,
      maxPayloadBytes: config.coap.max_payload_bytes,
      recvBufferBytes: config.coap.recv_buffer_bytes,
      sink,
      log,
      gatewayClock: () => clock.quality(),
      block1: {
        budgetBytes: config.coap.block1_budget_bytes,
        maxTransfers: config.coap.block1_max_transfers,
        maxPerAddress: config.coap.block1_max_per_address,
        idleMs: config.coap.block1_idle_ms,
      },
      logPerMinute: config.coap.log_per_minute,
      onUplink: (deviceId, n) => devices.touch(deviceId, n, 'coap'),
      rawProfiles: (path, id, bytes, now, q) => profiles.decodeRaw(path, id, bytes, now, q),
    });
    // Adapters that share the CoAP endpoint (LwM2M …) register resources on `coap` here, before it starts.
    const adapters: SouthboundAdapter[] = coaps.adapter ? [coap, coaps.adapter] : [coap];
    const lwm2m = config.lwm2m.enabled
      ? new Lwm2mServer({
          transport: new CoapLwm2mTransport(coap),
          ...(coaps.policy
            ? { admit: (ep: string, address: string, what: string) => coaps.policy!.check(ep, address, what) }
            : {}),
          ...(config.lwm2m.bootstrap
            ? {
                bootstrap: {
                  plan: bootstrapPlanner({
                    policy: coaps.policy,
                    keys: bootstrapKeysOf(registry),
                    tagsOf: (id) => registry.get(id)?.tags,
                    serverUri: config.lwm2m.bootstrap_server_uri,
                    coapsUri: () => listenerUri('coaps', config.coap.host, coaps.adapter?.listener.port),
                    coapUri: () => listenerUri('coap', config.coap.host, coap.port),
                    lifetimeS: config.lwm2m.bootstrap_lifetime_s,
                    binding: config.lwm2m.bootstrap_binding,
                    shortServerId: config.lwm2m.bootstrap_short_server_id,
                  }),
                  maxConcurrent: config.lwm2m.bootstrap_max_concurrent,
                },
              }
            : {}),
          model: lwm2mModel,
          db,
          durable: () => store.durableAfterCommit(),
          sink,
          log,
          lifetimeGraceMs: config.lwm2m.lifetime_grace_ms,
          awakeWindowMs: config.lwm2m.awake_window_ms,
          requestTimeoutMs: config.lwm2m.request_timeout_ms,
          queueTtlMs: config.lwm2m.queue_ttl_ms,
          queueMaxPerDevice: config.lwm2m.queue_max_per_device,
          maxAttempts: config.lwm2m.request_attempts,
          maxUploadBytes: config.lwm2m.max_upload_bytes,
          commitMs: config.store.commit_ms,
          binaryPaths: config.lwm2m.binary_paths,
          limits: limitsFromConfig(config.lwm2m),
          decodeBinary: profiles.decodeBinary,
          metricNamer: profiles.metricNamer,
          onUplink: (deviceId, n) => devices.touch(deviceId, n, 'lwm2m'),
          onRegister: (ep) => {
            profiles.lwm2mRegistered(ep);
          },
        })
      : undefined;
    if (lwm2m) adapters.push(lwm2m);
    // Cameras: with none configured or added the manager starts nothing (no timers, sockets, files).
    const cameras = config.cameras.enabled
      ? new CameraManager({
          config: config.cameras,
          dataDir: dirname(config.store.path),
          gatewaySecret: config.gateway.secret,
          log,
          sink: store,
        })
      : undefined;
    if (cameras) adapters.push(cameras);
    // Serial buses (Modbus RTU, DL/T 645, CJ/T 188) and the HJ 212 server: off unless configured,
    // and loaded only then (serialport and modbus-serial cost ~0.2 s of start-up).
    // Their devices take register maps / data identifiers / factor maps from the loaded profiles.
    if (config.serial.devices_file || config.hj212.enabled) {
      const { runtimeSource } = await import('./southbound/serial/profile-source.js');
      if (config.serial.devices_file) {
        const { SerialAdapter } = await import('./southbound/serial/adapter.js');
        adapters.push(
          new SerialAdapter({
            config: config.serial,
            sink,
            log,
            clock: () => clock.quality(),
            onUplink: (deviceId, n) => devices.touch(deviceId, n, 'serial'),
            profiles: runtimeSource(profiles),
          }),
        );
      }
      if (config.hj212.enabled) {
        const { Hj212Server } = await import('./southbound/hj212/server.js');
        adapters.push(
          new Hj212Server({
            config: config.hj212,
            sink,
            log,
            onUplink: (deviceId, n) => devices.touch(deviceId, n, 'hj212'),
            profiles: runtimeSource(profiles),
          }),
        );
      }
    }
    const socket = config.api.socket || join(dirname(config.store.path), 'agent.sock');
    const api = new LocalApiServer(socket, () => agent!.status(), log, lwm2m);
    if (cameras) api.routes.push(cameraRoutes(cameras));
    api.routes.push(faultRoutes(store));
    api.routes.push(
      technicianRoutes(technicianDeps(() => agent!, { registry, last, logs, onlineWindowMs: DEVICE_ONLINE_WINDOW_MS })),
    );
    agent = new EdgeAgent(config, log, store, coap, uplink, devices, api, adapters, lwm2m);
    agent.coaps = coaps;
    remoteConfig = agent.remoteConfig = remoteConfigApplier(config, log, uplink, deviceFilter);
    agent.cameras = cameras;
    Object.assign(agent, { registry, lastReadings: last, logs });
    const started: SouthboundAdapter[] = [];
    try {
      for (const a of adapters) {
        await a.start();
        started.push(a);
      }
      await api.start();
    } catch (err) {
      for (const a of started.reverse()) await a.stop();
      profiles.stop();
      profileEvents.close();
      devices.close();
      store.close();
      throw err;
    }
    agent.clock = clock;
    agent.profiles = profiles;
    agent.profileEvents = profileEvents;
    clock.onSync(() => {
      try {
        const n = store.correctUnsynced(clock.now());
        if (n > 0)
          log.info(
            { readings: n },
            'clock synchronised: corrected the timestamps of readings taken while unsynchronised',
          );
        uplink.notify();
      } catch (err) {
        log.error({ code: 'EDGE_ERR_STORE', err: (err as Error).message }, 'clock correction failed');
      }
    });
    clock.start();
    uplink.start();
    log.info(
      { gatewayId: config.gateway.id, coapPort: coap.port, epoch: store.epoch, backlog: store.pendingCount() },
      'edge agent started',
    );
    return agent;
  }

  status(): AgentStatus {
    const s = this.store.stats();
    const coaps = this.coaps?.status();
    return {
      gatewayId: this.config.gateway.id,
      version: VERSION,
      uptimeS: Math.round((Date.now() - this.startedAt) / 1000),
      uplink: {
        state: this.uplink.state,
        url: this.uplink.url,
        urls: [...this.uplink.urls],
        lastAckAt: this.uplink.lastAckAt,
        lastError: this.uplink.lastError,
        ...this.uplink.counters,
        batchSize: this.uplink.batchSize.size,
        drainRate: this.uplink.drain.perSecond(),
        bytesToday: this.uplink.budget.today(),
        budgetExhausted: this.uplink.budget.exhausted(),
      },
      clock: { synced: this.clock.synced, steps: this.clock.steps, source: this.config.clock.sync },
      store: { path: this.config.store.path, epoch: this.store.epoch, ...s },
      coap: { port: this.coap.port, ...this.coap.counters },
      ...(coaps ? { coaps } : {}),
      ...hj212Figures(this.adapters),
      ...(this.lwm2m ? { lwm2m: this.lwm2m.stats() } : {}),
      devices: this.devices.list(),
      ...this.technicianStatus(),
    };
  }

  /** What `yiwang-edge status` adds to the figures above (one screen for the technician). */
  private technicianStatus(): Pick<
    AgentStatus,
    'site' | 'provisioned' | 'configVersion' | 'deviceStates' | 'cameras' | 'disk' | 'errorsLastHour'
  > {
    const d = diskFigures(this.config.store.path);
    const c = cameraFigures(this.adapters);
    const list = deviceSummaries({
      registry: this.registry,
      seen: () => this.devices.list(),
      last: this.lastReadings,
      onlineWindowMs: DEVICE_ONLINE_WINDOW_MS,
      lwm2mDevices: () => this.lwm2m?.devices() ?? [],
    });
    return {
      site: this.config.gateway.site,
      provisioned: Boolean(this.config.gateway.id && this.config.gateway.secret),
      configVersion: this.remoteConfig?.running ? String(this.remoteConfig.running.version) : '',
      deviceStates: countByState(list),
      cameras: { total: c.camerasTotal, online: c.camerasOnline, byState: c.camerasByState },
      disk: { path: dirname(this.config.store.path), freeBytes: d.diskFreeBytes, totalBytes: d.diskTotalBytes },
      errorsLastHour: this.logs.errorsLastHour(),
    };
  }

  health(): ReturnType<NonNullable<ConstructorParameters<typeof CloudUplink>[0]['health']>> {
    const s = this.store.stats();
    return {
      uptimeS: Math.round((Date.now() - this.startedAt) / 1000),
      rssBytes: process.memoryUsage.rss(),
      storeRows: s.rows,
      storeBytes: s.bytes,
      storeCapBytes: s.capBytes,
      oldestAgeMs: s.oldestAgeMs ?? 0,
      dropped: {
        cap: s.dropped.cap,
        ttl: s.dropped.ttl,
        rejected: s.dropped.rejected,
        invalid: this.coap.counters.rejected,
      },
      ...faultFigures(s),
      drainRate: this.uplink.drain.perSecond(),
      bytesSentToday: this.uplink.budget.today(),
      unackedBatches: s.unackedBatches,
      pendingRows: s.pendingRows,
      clockSteps: this.clock.steps,
      heldUnsynced: s.heldUnsynced,
      devicesOnline: this.devices.online(DEVICE_ONLINE_WINDOW_MS),
      devicesTotal: this.devices.size,
      devicesByState: {
        online: this.devices.online(DEVICE_ONLINE_WINDOW_MS),
        silent: this.devices.size - this.devices.online(DEVICE_ONLINE_WINDOW_MS),
      },
      ...diskFigures(this.config.store.path),
      ...cameraFigures(this.adapters),
      clockSynced: this.clock.synced,
      agentVersion: VERSION,
      readingsAccepted: s.counters.readings_accepted ?? 0,
      batchesAcked: this.uplink.counters.batchesAcked,
      configVersion: this.remoteConfig?.running ? String(this.remoteConfig.running.version) : '',
      configError: this.remoteConfig?.lastError
        ? `${this.remoteConfig.lastError.code}: ${this.remoteConfig.lastError.detail}`
        : '',
    };
  }

  async stop(): Promise<void> {
    try {
      await this.stopParts();
    } finally {
      this.lock?.release(); // last: the next agent opens a closed store
      this.lock = undefined;
    }
    this.log.info('edge agent stopped');
  }

  private async stopParts(): Promise<void> {
    for (const a of [...this.adapters].reverse()) await a.stop();
    await this.api.stop();
    await this.uplink.stop();
    this.clock.stop();
    this.profiles.stop();
    this.profileEvents.close();
    this.devices.close();
    this.store.close();
  }
}
