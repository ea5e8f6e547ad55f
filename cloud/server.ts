/** The cloud's composition root: store, ingest, broker, HTTP API. */
import type { Logger } from '../common/log.js';
import { createLogger } from '../common/log.js';
import { checkPlainMqtt, type CloudConfig } from './config.js';
import { type HttpsCredentials, httpsCredentials, readHttpsFiles } from './http/https-credentials.js';
import type { CloudStore } from './store/cloud-store.js';
import { BatchIngest } from './ingest/ingest.js';
import { CloudBroker } from './broker/broker.js';
import { HttpApi } from './http/api.js';
import { hashSecret, newSecret } from './registry/secrets.js';
import { HealthService } from './health/health-service.js';
import { CloudMetrics } from './health/metrics.js';
import { LiveHub } from './http/live.js';
import { healthRoutes } from './http/health-routes.js';
import { webRoutes } from './http/web-routes.js';
import type { ControlPlaneStore } from './store/control-plane-store.js';
import { loadFleetPki, type FleetPki } from './pki/fleet-ca.js';
import { openKeyVault, pkiDirOf } from './keys/open-vault.js';
import { Accounts } from './auth/accounts.js';
import { LoginThrottle } from './auth/lockout.js';
import { accountSealer } from './auth/account-sealer.js';
import { ProvisioningService } from './provisioning/service.js';
import { DesiredConfigService } from './rollout/desired.js';
import { RolloutService } from './rollout/rollout.js';
import { controlPlaneRoutes } from './http/control-plane-routes.js';
import { registerCloudErrors } from './error-catalog.js';
import { type CloudStores, openStores } from './store/open-stores.js';
import { ClusterJobs } from './cluster/cluster-jobs.js';
import { AuditLog } from './audit/audit-log.js';
import { loadAuditKey } from './audit/audit-key.js';
import { HttpAuditor } from './audit/http-audit.js';
import { auditExportRoute, auditRoutes } from './audit/audit-routes.js';
import { Incidents, incidentSealer } from './incidents/incident-wiring.js';
import { incidentRoutes } from './http/incident-routes.js';

export class CloudServer {
  private constructor(
    readonly config: CloudConfig,
    readonly log: Logger,
    readonly store: CloudStore,
    readonly ingest: BatchIngest,
    readonly broker: CloudBroker,
    readonly api: HttpApi,
    readonly health: HealthService,
    readonly metrics: CloudMetrics,
    readonly live: LiveHub,
    readonly controlPlane: ControlPlaneStore,
    readonly pki: FleetPki,
    readonly provisioning: ProvisioningService,
    readonly desired: DesiredConfigService,
    readonly rollouts: RolloutService,
    private readonly revokeTimer: NodeJS.Timeout,
    readonly stores: CloudStores,
    readonly jobs: ClusterJobs,
    readonly audit: AuditLog,
    readonly incidents: Incidents,
  ) {}

  /**
   * Starts the cloud on `stores` (default: those store.backend names, cloud/store/open-stores.ts).
   * With SQLite, refused (CLOUD_ERR_ALREADY_RUNNING, naming its PID) while another cloud process
   * holds the file. The stores are closed by `stop()` (and when the start fails).
   */
  static async start(
    config: CloudConfig,
    log: Logger = createLogger({ level: config.log.level as 'info', name: 'yiwang-cloud' }),
    stores?: CloudStores,
  ): Promise<CloudServer> {
    registerCloudErrors();
    checkPlainMqtt(config); // before anything is opened or bound
    const httpsFiles = readHttpsFiles(config.http);
    const opened = stores ?? (await openStores(config, log));
    try {
      return await CloudServer.startOn(config, log, opened, httpsFiles);
    } catch (err) {
      await opened.close().catch(() => {});
      throw err;
    }
  }

  private static async startOn(
    config: CloudConfig,
    log: Logger,
    stores: CloudStores,
    httpsFiles?: HttpsCredentials,
  ): Promise<CloudServer> {
    const h = config.health;
    const ig = config.ingest;
    const store = stores.cloud;
    const ingest = new BatchIngest(store, log, {
      maxReadingsPerBatch: ig.max_readings_per_batch,
      maxBodyBytes: ig.max_body_bytes,
      gatewayReadingsPerS: ig.gateway_readings_per_s,
      gatewayBurstReadings: ig.gateway_burst_readings,
      gatewayMaxDelayMs: ig.gateway_max_delay_ms,
      minReadingTsMs: ig.min_reading_ts_ms,
      maxFutureMs: ig.max_future_ms,
    });
    const health = new HealthService({
      store,
      log,
      flushMs: h.flush_ms,
      sweepMs: h.sweep_ms,
      historyPointMs: h.history_point_ms,
      historyKeepMs: h.history_keep_ms,
      eventsKeep: h.events_keep,
      isLeader: () => stores.leader.isLeader,
      shared: stores.backend === 'postgres', // other nodes write the same store
      policy: {
        silenceMs: h.silence_ms,
        backlogAgeMs: h.backlog_age_ms,
        storeNearCapRatio: h.store_near_cap,
        diskLowRatio: h.disk_low,
      },
    });
    await health.start();
    // provisioning, fleet PKI, desired configuration and rollouts (issue 6)
    const controlPlane = stores.controlPlane;
    // private keys sealed at rest under keys.kek (cloud/keys/, docs/reference/security.md)
    const vault = openKeyVault(config, log);
    const pki = await loadFleetPki(pkiDirOf(config), config.tls.hostnames, vault, log);
    const keysAtRest = vault.status();
    if (keysAtRest.warning) log.warn({ pkiDir: vault.dir, sealed: false }, `keys at rest: ${keysAtRest.warning}`);
    let brokerRef: CloudBroker | undefined;
    const desired = new DesiredConfigService(
      store,
      controlPlane,
      pki,
      {
        publish: (topic, payload, retain) =>
          brokerRef?.aedes.publish({ cmd: 'publish', topic, payload, qos: 1, retain, dup: false }, () => {}),
      },
      log,
    );
    // live session state: this node's, or another node's as the shared store has it
    const rollouts = new RolloutService(
      store,
      controlPlane,
      desired,
      log,
      config.rollout.tick_ms,
      (ids) => health.onlineAmong(ids),
      stores.mutex,
    );
    const tlsUrl = (): string =>
      config.tls.public_url ||
      (config.tls.enabled
        ? `mqtts://${config.tls.hostnames[0] ?? 'localhost'}:${brokerRef?.tlsPort ?? config.tls.port}`
        : '');
    let provisioning: ProvisioningService | undefined;
    const controlPlaneHooks = {
      claim: (session: string, payload: Buffer, source: string) => provisioning!.claim(payload, session, source),
      isRevoked: (id: string) => controlPlane.isRevoked(id),
      configStatus: (id: string, payload: Buffer) => desired.report(id, payload),
      gatewayReady: (id: string) => {
        void desired
          .gatewayReady(id)
          .catch((err: Error) => log.error({ err: err.message, gatewayId: id }, 'config delivery failed'));
      },
    };
    const tls = config.tls.enabled
      ? { host: config.tls.host, port: config.tls.port, cert: pki.serverCertPem, key: pki.serverKeyPem }
      : undefined;
    const m = config.mqtt;
    const broker = await CloudBroker.start({
      host: m.host,
      port: m.port,
      store,
      ingest,
      log,
      health,
      controlPlane: controlPlaneHooks,
      ...(tls ? { tls } : {}),
      limits: {
        maxConnectBytes: m.max_connect_bytes,
        maxPacketBytes: m.max_packet_bytes,
        maxUnauthenticated: m.max_unauthenticated,
        connectTimeoutMs: m.connect_timeout_ms,
        maxOutgoingBytes: m.max_outgoing_bytes,
      },
      cluster: {
        redisUrl: config.cluster.redis_url,
        prefix: config.cluster.redis_prefix,
        nodeId: stores.nodeId, // cluster.node_id, else <hostname>-<pid> (open-stores.ts)
      },
    });
    brokerRef = broker;
    provisioning = new ProvisioningService({
      store,
      controlPlane,
      pki,
      log,
      tlsUrl: tlsUrl(),
      defaultTtlS: config.provisioning.claim_ttl_s,
      limits: {
        maxTtlS: config.provisioning.claim_ttl_max_s,
        maxUses: config.provisioning.claim_uses_max,
        perMinPerSource: config.provisioning.claims_per_min_per_source,
        perMin: config.provisioning.claims_per_min,
      },
      // a first config (if any) is written in the claim's transaction and published after its commit
      firstConfig: (group) => desired.firstConfig(group),
      deliver: (c) => desired.deliver(c),
      reissue: async (id) => {
        await desired.issue(id, 'provisioned');
      },
      disconnect: (id) => {
        health.revoked(id, true);
        broker.disconnect(id);
      },
    });
    // revocations made on another node: every node closes the sessions it holds
    let lastRevokeCheck = Date.now();
    const revokeTimer = setInterval(() => {
      const since = lastRevokeCheck - config.provisioning.revoke_check_ms;
      lastRevokeCheck = Date.now();
      void controlPlane.revokedSince(since).then(
        (ids) => {
          for (const id of ids) {
            health.revoked(id, false);
            broker.disconnect(id);
          }
        },
        () => {},
      );
    }, config.provisioning.revoke_check_ms);
    revokeTimer.unref();
    // cluster-wide jobs (rollout ticks, retention; health sweeps ask isLeader) run on the leader only
    const jobs = new ClusterJobs({
      leader: stores.leader,
      rollouts,
      log,
      ...(stores.retention ? { retention: stores.retention } : {}),
    });
    await jobs.start();
    const counters = () => ({
      ingest: ingest.counters,
      broker: { ...broker.counters, connectedClients: broker.aedes.connectedClients },
      provisioning: provisioning!.stats(),
      cluster: { store: stores.backend, nodeId: stores.nodeId, leader: jobs.isLeader, ...jobs.counters },
      database: stores.counters?.() ?? {},
      audit: { ...audit.counters },
      keys: vault.status(),
      incidents: incidents.counters(),
    });
    // the audit log (docs/reference/security.md, "Audit"): one chain for the cluster, checkpoints signed with the cloud's key
    const au = config.audit;
    const audit = new AuditLog({
      store: stores.audit,
      key: loadAuditKey(vault),
      log,
      checkpointEvery: au.checkpoint_every,
      checkpointIntervalMs: au.checkpoint_interval_s * 1000,
      retentionDays: au.retention_days,
      refusedPerMin: au.refused_per_min,
      isLeader: () => stores.leader.isLeader,
    });
    // incidents and dispatch (issue 23): the engine runs on the leader only
    const incidents = new Incidents({
      store: stores.incidents,
      events: store,
      placeOf: async (id) => health.gateway(id)?.tags ?? (await store.getGatewayHealth(id))?.tags,
      sealer: incidentSealer(vault),
      isLeader: () => stores.leader.isLeader,
      log,
      lookbackIds: stores.backend === 'postgres' ? 200 : 0,
    });
    const metrics = new CloudMetrics(health, counters);
    const hc = config.http;
    const live = new LiveHub(health, store, h.live_ms, log, {
      maxListeners: hc.live_max_listeners,
      maxPerClient: hc.live_max_per_client,
      maxBufferedBytes: hc.live_max_buffered_bytes,
    });
    const accounts = new Accounts({
      users: stores.users,
      throttle: new LoginThrottle({ maxFailures: config.auth.lock_after_failures }),
      sealer: accountSealer(vault),
      sessionIdleMs: config.auth.session_idle_s * 1000,
      sessionMaxMs: config.auth.session_max_s * 1000,
      maxSessionsPerUser: config.auth.max_sessions_per_user,
      passwordMinLength: config.auth.password_min_length,
    });
    const api = new HttpApi({
      host: config.http.host,
      port: config.http.port,
      token: config.http.api_token,
      store,
      log,
      stats: counters,
      routes: [
        ...healthRoutes(store, health, async (id, group) => {
          // one group: the tag is the configuration group (issue 17)
          if (await controlPlane.setGroup(id, group)) await desired.issue(id, `moved to group ${group || '(none)'}`);
        }),
        ...controlPlaneRoutes(provisioning, desired, rollouts, controlPlane, health),
        ...auditRoutes(stores.audit),
        ...incidentRoutes(incidents.service, incidents.config, store),
      ],
      raw: [...webRoutes(metrics, live, (s) => accounts.stillSignedIn(s)), auditExportRoute(stores.audit)],
      apiKey: async (hash) => controlPlane.apiKeyByHash(hash),
      accounts,
      tokenMode: config.auth.token_mode as 'full' | 'first-run' | 'off',
      // Secure follows http.tls (auth.secure_cookies also sets it behind a TLS-terminating proxy)
      secureCookies: config.auth.secure_cookies || config.http.tls,
      ...(config.http.tls ? { tls: httpsCredentials(httpsFiles, pki) } : {}),
      scopeLookups: {
        gatewayPlace: (id) => health.gateway(id)?.tags,
        deviceGateway: async (id) => (await store.getDevice(id))?.gatewayId,
        eventGateway: async (id) => (await store.getEvent(id))?.gatewayId,
      },
      audit: new HttpAuditor(audit),
      live,
      registry: metrics.registry,
      limits: {
        allowedHosts: hc.allowed_hosts,
        maxHeaderBytes: hc.max_header_bytes,
        maxConnections: hc.max_connections,
        requestTimeoutMs: hc.request_timeout_ms,
        authFailuresPerMin: hc.auth_failures_per_min,
      },
    });
    try {
      await api.start();
      live.start();
      audit.start();
      incidents.start();
    } catch (err) {
      clearInterval(revokeTimer);
      await jobs.stop();
      await broker.stop();
      await health.stop();
      throw err;
    }
    log.info(
      {
        mqttPort: broker.port,
        tlsPort: broker.tlsPort,
        httpPort: api.port,
        configKeyId: pki.keyId,
        store: stores.backend,
        nodeId: stores.nodeId,
      },
      'cloud started',
    );
    return new CloudServer(
      config,
      log,
      store,
      ingest,
      broker,
      api,
      health,
      metrics,
      live,
      controlPlane,
      pki,
      provisioning,
      desired,
      rollouts,
      revokeTimer,
      stores,
      jobs,
      audit,
      incidents,
    );
  }

  /** Registers a gateway and returns its secret (shown once; only its hash is kept). */
  async createGateway(id: string): Promise<string> {
    const secret = newSecret();
    await this.store.createGateway(id, await hashSecret(secret));
    return secret;
  }

  async stop(): Promise<void> {
    try {
      await this.stopParts();
    } finally {
      await this.stores.close(); // last: everything that writes through them has stopped
    }
    this.log.info('cloud stopped');
  }

  private async stopParts(): Promise<void> {
    this.live.stop();
    clearInterval(this.revokeTimer);
    await this.jobs.stop();
    await this.incidents.stop();
    await this.api.stop();
    await this.audit.stop();
    await this.broker.stop();
    this.ingest.close();
    await this.health.stop();
  }
}
