/**
 * The LwM2M server adapter, composed of the registration interface (/rd, registrar.ts), Information
 * Reporting (Send on /dp and notifications, reporting.ts), observations, the downlink queue and
 * device management, over a transport (exchange.ts; on the agent's one CoAP port: coap-transport.ts);
 * device-routes.ts routes the device's requests. Here: their composition, presence (when a
 * device is reachable) and the local API. This core imports no CoAP transport.
 * See docs/reference/lwm2m-server.md.
 */
import type Database from 'better-sqlite3';
import type { Logger } from '../../../../common/log.js';
import { isYiwangError } from '../../../../common/errors.js';
import { LogLimiter } from '../../../../common/log-limiter.js';
import { Priority, ClockQuality } from '../../../../proto/index.js';
import type { Reading } from '../../../../proto/reading.js';
import type { SouthboundAdapter, UplinkSink } from '../../types.js';
import { DEFAULT_REGISTRY, type ModelLookup } from '../core/index.js';
import { SourceRateLimiter } from './admission.js';
import type { DeviceRequester, Lwm2mTransport } from './exchange.js';
import { runRequest } from './device-management.js';
import { BootstrapServer, type BootstrapOptions } from './bootstrap.js';
import { type Admission, DeviceRoutes } from './device-routes.js';
import { serverError } from './errors.js';
import { DEFAULT_LWM2M_LIMITS, lwm2mStats, type Lwm2mLimits, type Lwm2mStats } from './limits.js';
import { ObservationTable } from './observations.js';
import { DownlinkQueue, type RequestView } from './queue.js';
import type { BinaryDecoder, MetricNamer } from './readings.js';
import { newRegistrationCounters, Registrar } from './registrar.js';
import { fromRow, registrationView, type Registration } from './registration.js';
import { RegistrationTable } from './registration-table.js';
import { newReportingCounters, Reporting } from './reporting.js';
import { validateSpec, type RequestResult, type RequestSpec } from './requests.js';
import type { Lwm2mStore } from './store.js';
import { SqliteLwm2mStore } from './sqlite-store.js';

export interface Lwm2mServerOptions {
  /** Where the server's traffic comes and goes: the agent's CoAP socket (new CoapLwm2mTransport(coapServer)). */
  transport: Lwm2mTransport;
  db: Database.Database;
  sink: UplinkSink;
  log: Logger;
  /** Slack after a registration's lifetime before it counts as expired. */
  lifetimeGraceMs: number;
  /** How long a queue-mode device stays reachable after it talked. */
  awakeWindowMs: number;
  requestTimeoutMs: number;
  queueTtlMs: number;
  queueMaxPerDevice: number;
  maxAttempts: number;
  maxUploadBytes: number;
  commitMs?: number;
  /**
   * Makes the store file's latest commit durable (the edge outbox's WAL fdatasync, see
   * common/wal-sync.ts); awaited after each group commit, before a device is answered.
   */
  durable?: () => Promise<void>;
  expiryCheckMs?: number;
  model?: ModelLookup;
  /** Resource paths of vendor binary payloads (object 19 uplink), default ["/19/0/0"]. */
  binaryPaths?: readonly string[];
  decodeBinary?: BinaryDecoder;
  metricNamer?: MetricNamer;
  onUplink?: (deviceId: string, readings: number) => void;
  /** After each Register (the agent queues the observations the device's profile binds). */
  onRegister?: (endpoint: string) => void;
  /** Limits of what devices can make the server hold (docs/reference/limits.md); defaults DEFAULT_LWM2M_LIMITS. */
  limits?: Partial<Lwm2mLimits>;
  /** Whether a peer may register, update or de-register as an endpoint (identity binding, coap.nosec). */
  admit?: Admission;
  /** The bootstrap server (/bs): what to write into a device that asks (bootstrap.ts); none: /bs answers 4.04. */
  bootstrap?: Pick<BootstrapOptions, 'plan' | 'maxConcurrent' | 'retryAfterS'>;
}

export class Lwm2mServer implements SouthboundAdapter {
  readonly name = 'lwm2m';
  private readonly log: Logger;
  private readonly store: Lwm2mStore;
  private readonly model: ModelLookup;
  private readonly limits: Lwm2mLimits;
  private readonly regs: RegistrationTable;
  private readonly limiter: SourceRateLimiter;
  private readonly registrar: Registrar;
  private readonly reporting: Reporting;
  private readonly routes: DeviceRoutes;
  readonly bootstrap: BootstrapServer | undefined;
  /** Refused device requests: counted by code, a few log lines per minute. */
  private readonly refusals: LogLimiter;
  private readonly awakeUntil = new Map<string, number>();
  readonly observations: ObservationTable;
  readonly queue: DownlinkQueue;
  private client: DeviceRequester | undefined;
  private timer: NodeJS.Timeout | undefined;
  private prunedAt = Date.now();
  readonly counters = { ...newRegistrationCounters(), rejected: 0, ...newReportingCounters() };

  constructor(private readonly o: Lwm2mServerOptions) {
    this.log = o.log.child({ component: 'lwm2m' });
    this.model = o.model ?? DEFAULT_REGISTRY;
    this.limits = { ...DEFAULT_LWM2M_LIMITS, ...o.limits };
    const l = this.limits;
    this.store = new SqliteLwm2mStore(o.db, o.commitMs, o.durable);
    this.regs = new RegistrationTable({ maxCount: l.maxRegistrations, maxBytes: l.maxRegistrationsBytes });
    // offline ones in the order they went offline (oldest update first), so they make room in that order
    for (const row of this.store.registrations().sort((a, b) => a.updated_ms - b.updated_ms))
      this.regs.put(fromRow(row));
    this.limiter = new SourceRateLimiter({
      perSecond: l.newEndpointsPerS,
      burst: l.newEndpointsBurst,
      maxSources: l.rateLimitSources,
    });
    this.refusals = new LogLimiter(this.log, { what: 'lwm2m requests rejected', perWindow: 10 });
    this.observations = new ObservationTable(this.store, this.model, this.log, {
      maxPerDevice: l.maxObservationsPerDevice,
      maxTotal: l.maxObservations,
    });
    this.queue = new DownlinkQueue({
      store: this.store,
      log: this.log,
      ttlMs: o.queueTtlMs,
      maxAttempts: o.maxAttempts,
      maxPerDevice: o.queueMaxPerDevice,
      maxBytesPerDevice: l.queueMaxBytesPerDevice,
      maxTotal: l.queueMaxTotal,
      maxTotalBytes: l.queueMaxTotalBytes,
      maxInflight: l.maxInflightRequests,
      reachable: (ep) => this.reachable(ep),
      execute: (ep, _id, spec) => {
        const reg = this.regs.get(ep);
        if (!reg) return Promise.reject(serverError('LWM2M_ERR_TIMEOUT', `${ep} is not registered`));
        return runRequest(reg, spec, {
          client: this.client!,
          observations: this.observations,
          model: this.model,
          observed: (e, rs) => this.reporting.store(e, rs, undefined).then(() => undefined),
        });
      },
    });
    this.registrar = new Registrar({
      store: this.store,
      log: this.log,
      table: this.regs,
      limiter: this.limiter,
      observations: this.observations,
      queue: this.queue,
      counters: this.counters,
      limits: { maxLinkBytes: l.maxLinkBytes, maxEndpointLength: l.maxEndpointLength },
      lifetimeGraceMs: o.lifetimeGraceMs,
      event: (ep, kind, detail, online) => this.event(ep, kind, detail, online),
      talked: (ep) => this.talked(ep),
      onRemoved: (ep) => {
        this.awakeUntil.delete(ep);
      },
      ...(o.onRegister ? { onRegister: o.onRegister } : {}),
    });
    this.reporting = new Reporting({
      table: this.regs,
      observations: this.observations,
      model: this.model,
      sink: o.sink,
      log: this.log,
      counters: this.counters,
      binaryPaths: new Set(o.binaryPaths ?? ['/19/0/0']),
      client: () => this.client!,
      talked: (ep) => this.talked(ep),
      ...(o.decodeBinary ? { decodeBinary: o.decodeBinary } : {}),
      ...(o.metricNamer ? { metricNamer: o.metricNamer } : {}),
      ...(o.onUplink ? { onUplink: o.onUplink } : {}),
    });
    this.bootstrap = o.bootstrap
      ? new BootstrapServer({
          ...o.bootstrap,
          client: () => this.client!,
          log: this.log,
          event: (ep, kind, detail) => {
            void this.event(ep, kind, detail, undefined).catch(() => undefined);
          },
        })
      : undefined;
    this.routes = new DeviceRoutes({
      registrar: this.registrar,
      reporting: this.reporting,
      ...(this.bootstrap ? { bootstrap: this.bootstrap } : {}),
      ...(o.admit ? { admit: o.admit } : {}),
      refusals: this.refusals,
      counters: this.counters,
    });
  }

  async start(): Promise<void> {
    this.client = this.o.transport.start(
      {
        request: (req) => this.routes.handle(req),
        isObservation: (t) => this.observations.isLive(t),
        notification: (p, peer) => this.reporting.notification(p, peer),
      },
      {
        maxUploadBytes: this.o.maxUploadBytes,
        maxUploads: this.limits.maxUploads,
        maxUploadTotalBytes: this.limits.uploadsMaxBytes,
        requestTimeoutMs: this.o.requestTimeoutMs,
      },
    );
    this.timer = setInterval(() => this.checkExpiry(Date.now()), this.o.expiryCheckMs ?? 1000);
    this.timer.unref();
    this.log.info({ registrations: this.regs.size, observations: this.observations.count() }, 'lwm2m server started');
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.refusals.close();
    this.o.transport.stop();
    this.store.close();
  }

  // ---- local API -------------------------------------------------------------------------

  devices(): Record<string, unknown>[] {
    return [...this.regs.values()]
      .sort((a, b) => a.endpoint.localeCompare(b.endpoint))
      .map((r) => ({
        ...registrationView(r, this.o.lifetimeGraceMs, this.queue.pending(r.endpoint)),
        reachable: this.reachable(r.endpoint),
      }));
  }

  device(endpoint: string): Registration | undefined {
    return this.regs.get(endpoint);
  }

  /** Figures for the agent's status and metrics: what is held against each limit, and every refusal. */
  stats(): Lwm2mStats {
    return lwm2mStats({
      limits: this.limits,
      registrations: this.regs,
      observations: this.observations,
      queue: this.queue,
      limiter: this.limiter,
      counters: this.counters,
      wire: this.o.transport.uploads(),
      refusals: this.refusals.counts(),
      bootstrap: this.bootstrap?.counters ?? {
        requests: 0,
        finished: 0,
        failed: 0,
        refused: 0,
        busy: 0,
        inProgress: 0,
      },
    });
  }

  requests(endpoint: string): { open: RequestView[]; recent: RequestView[] } {
    if (!this.regs.get(endpoint)) throw serverError('LWM2M_ERR_UNKNOWN_DEVICE', `no device ${endpoint}`);
    return this.queue.list(endpoint);
  }

  events(endpoint: string): { kind: string; detail: string; at: string }[] {
    return this.store
      .events(endpoint)
      .map((e) => ({ kind: e.kind, detail: e.detail, at: new Date(e.at_ms).toISOString() }));
  }

  /** Queues a request for a device; `result` settles when the device has answered (or the request failed). */
  async submit(
    endpoint: string,
    spec: unknown,
  ): Promise<{ id: number; superseded: number[]; result: Promise<RequestResult> }> {
    if (!this.regs.get(endpoint)) throw serverError('LWM2M_ERR_UNKNOWN_DEVICE', `no device ${endpoint}`);
    const checked = validateSpec(spec, this.model);
    if (checked.spec.op === 'observe' || checked.spec.op === 'observe-composite')
      this.observations.checkRoom(endpoint, checked.key);
    const r = await this.queue.submit(endpoint, checked.spec as RequestSpec, checked.key, checked.coalesce);
    return { ...r, result: this.queue.result(r.id) };
  }

  result(id: number): Promise<RequestResult> {
    return this.queue.result(id);
  }

  // ---- presence ----------------------------------------------------------------------------

  private reachable(ep: string): boolean {
    const r = this.regs.get(ep);
    if (!r?.online) return false;
    return !r.queueMode || (this.awakeUntil.get(ep) ?? 0) > Date.now();
  }

  /** The device sent something: a queue-mode device is awake now; send what waits for it. */
  private talked(ep: string): void {
    const r = this.regs.get(ep);
    if (!r) return;
    if (r.queueMode) this.awakeUntil.set(ep, Date.now() + this.o.awakeWindowMs);
    // Requests go out after the answer to what the device sent (which the caller is returning).
    setImmediate(() => this.serve(ep));
  }

  /** Re-establishes observations after a new Register, then drains the queue. */
  private serve(ep: string): void {
    const r = this.regs.get(ep);
    if (!r) return;
    const restore = this.observations.takeRestore(ep);
    if (restore.length === 0) return this.queue.kick(ep);
    void (async () => {
      for (const obs of restore) {
        if (!this.reachable(ep)) break;
        const spec: RequestSpec = obs.composite
          ? { op: 'observe-composite', paths: obs.paths.map(String) }
          : { op: 'observe', path: obs.paths[0]!.toString() };
        try {
          const res = await runRequest(r, spec, {
            client: this.client!,
            observations: this.observations,
            model: this.model,
            observed: (e, rs) => this.reporting.store(e, rs, undefined).then(() => undefined),
          });
          this.log.info({ deviceId: ep, paths: obs.key, ok: res.ok, error: res.error }, 'observation re-established');
          if (!res.ok) await this.observations.remove(ep, obs.key);
        } catch (err) {
          this.log.warn(
            {
              deviceId: ep,
              paths: obs.key,
              code: isYiwangError(err) ? err.code : undefined,
              err: (err as Error).message,
            },
            'observation not re-established',
          );
        }
      }
      this.queue.kick(ep);
    })();
  }

  private async event(ep: string, kind: string, detail: string, online: boolean | undefined): Promise<void> {
    const now = Date.now();
    await this.store.write(() => this.store.addEvent(ep, kind, detail, now));
    if (online === undefined) return;
    const reading: Reading = {
      deviceId: ep,
      metric: 'online',
      unit: '',
      ts: now,
      value: online,
      clock: ClockQuality.CLOCK_GATEWAY_SYNCED,
      priority: online ? Priority.PRIORITY_NORMAL : Priority.PRIORITY_ALARM,
    };
    await this.o.sink
      .accept([reading])
      .catch((err: unknown) => this.log.error({ deviceId: ep, err }, 'online status not stored'));
  }

  private checkExpiry(now: number): void {
    this.registrar.checkExpiry(now);
    void this.queue.sweep(now).catch(() => undefined);
    this.limiter.prune(now);
    for (const [ep, until] of this.awakeUntil) if (until <= now) this.awakeUntil.delete(ep);
    if (now - this.prunedAt >= 10_000) {
      this.prunedAt = now;
      void this.store
        .write(() => this.store.pruneHistory(this.limits.historyMaxRows))
        .catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'lwm2m history not pruned'));
    }
  }
}
