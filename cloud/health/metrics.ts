/**
 * Prometheus metrics of the cloud (prom-client, one Registry per server). Names follow the
 * usual exporters: `_total` counters, base units (seconds, bytes), state as a label
 * (kube-state-metrics style `yiwang_gateways{status}`), queue length as `_messages`
 * (rabbitmq_queue_messages), drops by `reason`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HealthService } from './health-service.js';
import type { FleetSummary } from './summary.js';

export interface CloudCounters {
  ingest: {
    stored: number;
    duplicates: number;
    rejected: number;
    readings: number;
    storeErrors: number;
    throttled: number;
    quarantinedByCode: Record<string, number>;
  };
  /** This node in the cluster (cloud/cluster/cluster-jobs.ts). */
  cluster?: { leader: boolean; retentionRuns: number; retentionErrors: number; partitionsDropped: number };
  broker: {
    authFailures: number;
    aclDenied: number;
    health: number;
    connectedClients: number;
    /** Refusals of the gate and the connect policy (cloud/broker/connection-gate.ts, connect-policy.ts). */
    unauthenticated: number;
    unauthenticatedRefused: number;
    connectTimeouts: number;
    connectTooLarge: number;
    packetTooLarge: number;
    malformedPackets: number;
    slowClientsClosed: number;
    willRefused: number;
    persistentSessionRefused: number;
    clientIdInUse: number;
    connectQueueFull: number;
    revokedRefused: number;
    logSuppressed: number;
  };
  provisioning: { rateLimitedSource: number; rateLimitedGlobal: number; logSuppressed: number };
}

/** A counter that mirrors a monotonic number kept elsewhere. */
function mirror(reg: Registry, name: string, help: string, read: () => Record<string, number>, label?: string): void {
  const last = new Map<string, number>();
  new Counter({
    name,
    help,
    registers: [reg],
    labelNames: label ? [label] : [],
    collect() {
      for (const [k, v] of Object.entries(read())) {
        const d = v - (last.get(k) ?? 0);
        if (d > 0) label ? this.inc({ [label]: k }, d) : this.inc(d);
        last.set(k, v);
      }
    },
  });
}

export class CloudMetrics {
  readonly registry = new Registry();
  private summary: FleetSummary | undefined;

  constructor(
    private readonly health: HealthService,
    counters: () => CloudCounters,
  ) {
    const reg = this.registry;
    collectDefaultMetrics({ register: reg });
    const s = (): FleetSummary | undefined => this.summary;
    new Gauge({
      name: 'yiwang_gateways',
      help: 'Registered gateways by status (online, degraded, offline).',
      labelNames: ['status'],
      registers: [reg],
      collect() {
        const x = s();
        if (x) for (const st of ['online', 'degraded', 'offline'] as const) this.set({ status: st }, x.gateways[st]);
      },
    });
    new Gauge({
      name: 'yiwang_district_gateways',
      help: 'Gateways by district and status.',
      labelNames: ['district', 'status'],
      registers: [reg],
      collect() {
        this.reset();
        for (const d of s()?.byDistrict ?? [])
          for (const st of ['online', 'degraded', 'offline'] as const)
            this.set({ district: d.key, status: st }, d.gateways[st]);
      },
    });
    new Gauge({
      name: 'yiwang_devices',
      help: 'Registered devices by state (online: heard within their expected interval).',
      labelNames: ['state'],
      registers: [reg],
      collect() {
        const x = s();
        if (x) {
          this.set({ state: 'online' }, x.devices.online);
          this.set({ state: 'offline' }, x.devices.total - x.devices.online);
        }
      },
    });
    new Gauge({
      name: 'yiwang_district_devices',
      help: 'Devices by district and state.',
      labelNames: ['district', 'state'],
      registers: [reg],
      collect() {
        this.reset();
        for (const d of s()?.byDistrict ?? []) {
          this.set({ district: d.key, state: 'online' }, d.devices.online);
          this.set({ district: d.key, state: 'offline' }, d.devices.total - d.devices.online);
        }
      },
    });
    new Gauge({
      name: 'yiwang_type_devices',
      help: 'Devices by device type and state.',
      labelNames: ['type', 'state'],
      registers: [reg],
      collect() {
        this.reset();
        for (const d of s()?.byType ?? []) {
          this.set({ type: d.key, state: 'online' }, d.devices.online);
          this.set({ type: d.key, state: 'offline' }, d.devices.total - d.devices.online);
        }
      },
    });
    new Gauge({
      name: 'yiwang_cameras',
      help: 'Cameras by state, as the gateways report them (behind an offline gateway: offline).',
      labelNames: ['state'],
      registers: [reg],
      collect() {
        const x = s();
        if (x) {
          this.set({ state: 'online' }, x.cameras.online);
          this.set({ state: 'offline' }, x.cameras.total - x.cameras.online);
        }
      },
    });
    new Gauge({
      name: 'yiwang_backlog_messages',
      help: "Readings waiting on the gateways for the cloud (sum of the gateways' store depth).",
      registers: [reg],
      collect() {
        const x = s();
        if (x) this.set(x.backlog.rows);
      },
    });
    new Gauge({
      name: 'yiwang_backlog_bytes',
      help: 'Bytes of the readings waiting on the gateways.',
      registers: [reg],
      collect() {
        const x = s();
        if (x) this.set(x.backlog.bytes);
      },
    });
    new Gauge({
      name: 'yiwang_backlog_oldest_age_seconds',
      help: 'Age of the oldest reading waiting on any gateway.',
      registers: [reg],
      collect() {
        this.set(health.maxBacklogAgeMs() / 1000);
      },
    });
    new Gauge({
      name: 'yiwang_alarms_open',
      help: 'Alarms not acknowledged yet.',
      registers: [reg],
      collect() {
        const x = s();
        if (x) this.set(x.alarms.open);
      },
    });
    const offline = new Histogram({
      name: 'yiwang_gateway_offline_duration_seconds',
      help: 'Length of gateway offline periods, observed when the gateway comes back.',
      registers: [reg],
      buckets: [1, 10, 60, 300, 900, 3600, 4 * 3600, 24 * 3600],
    });
    health.on('status', (c) => {
      if (c.offlineForMs !== undefined) offline.observe(c.offlineForMs / 1000);
    });
    mirror(reg, 'yiwang_gateway_disconnects_total', 'MQTT sessions of gateways that ended.', () => ({
      '': health.counters.disconnects,
    }));
    mirror(reg, 'yiwang_health_messages_total', 'Health messages received from gateways.', () => ({
      '': health.counters.healthMessages,
    }));
    mirror(reg, 'yiwang_events_pruned_total', 'Events deleted by retention (health.events_keep).', () => ({
      '': health.counters.eventsPruned,
    }));
    mirror(
      reg,
      'yiwang_devices_expired_total',
      'Devices that went offline because their expected reports did not arrive.',
      () => ({ '': health.counters.devicesExpired }),
    );
    mirror(
      reg,
      'yiwang_ingest_batches_total',
      "Batches received, by result (throttled: over the gateway's quota, not answered, resent later).",
      () => {
        const i = counters().ingest;
        return { stored: i.stored, duplicate: i.duplicates, rejected: i.rejected, throttled: i.throttled };
      },
      'result',
    );
    mirror(
      reg,
      'yiwang_ingest_quarantined_readings_total',
      'Readings of stored batches quarantined one by one, by error code.',
      () => ({ ...counters().ingest.quarantinedByCode }),
      'code',
    );
    mirror(reg, 'yiwang_ingest_readings_total', 'Readings durably stored.', () => ({ '': counters().ingest.readings }));
    mirror(reg, 'yiwang_ingest_store_errors_total', 'Batches not stored because the store failed.', () => ({
      '': counters().ingest.storeErrors,
    }));
    mirror(reg, 'yiwang_mqtt_auth_failures_total', 'Refused MQTT connections.', () => ({
      '': counters().broker.authFailures,
    }));
    mirror(reg, 'yiwang_mqtt_acl_denied_total', 'Publishes and subscriptions refused by the topic ACL.', () => ({
      '': counters().broker.aclDenied,
    }));
    new Gauge({
      name: 'yiwang_cluster_leader',
      help: 'Whether this node runs the cluster-wide jobs (rollout waves, retention, device time-outs): 1 on exactly one node.',
      registers: [reg],
      collect() {
        this.set(counters().cluster?.leader ? 1 : 0);
      },
    });
    mirror(reg, 'yiwang_retention_errors_total', 'Readings retention passes that failed (leader only).', () => ({
      '': counters().cluster?.retentionErrors ?? 0,
    }));
    new Gauge({
      name: 'yiwang_mqtt_clients_connected',
      help: 'Connected MQTT clients.',
      registers: [reg],
      collect() {
        this.set(counters().broker.connectedClients);
      },
    });
    mirror(
      reg,
      'yiwang_mqtt_refused_total',
      'MQTT connections and packets refused or closed by the broker\'s limits, by reason (docs/reference/limits.md, "Cloud: MQTT broker").',
      () => {
        const b = counters().broker;
        return {
          unauthenticated_limit: b.unauthenticatedRefused,
          connect_timeout: b.connectTimeouts,
          connect_too_large: b.connectTooLarge,
          packet_too_large: b.packetTooLarge,
          malformed_packet: b.malformedPackets,
          slow_client: b.slowClientsClosed,
          will: b.willRefused,
          persistent_session: b.persistentSessionRefused,
          client_id_in_use: b.clientIdInUse,
          connect_queue_full: b.connectQueueFull,
          revoked: b.revokedRefused,
        };
      },
      'reason',
    );
    new Gauge({
      name: 'yiwang_mqtt_unauthenticated_connections',
      help: 'MQTT connections open and not authenticated yet (mqtt.max_unauthenticated).',
      registers: [reg],
      collect() {
        this.set(counters().broker.unauthenticated);
      },
    });
    mirror(
      reg,
      'yiwang_claims_rate_limited_total',
      'Claim attempts refused by the claim rate limits, by scope (source: per client address; global: in all).',
      () => {
        const p = counters().provisioning;
        return { source: p.rateLimitedSource, global: p.rateLimitedGlobal };
      },
      'scope',
    );
    mirror(
      reg,
      'yiwang_log_suppressed_total',
      'Warn lines about peers left out by the log budget (counted, summarised in CLOUD_ERR_LOG_SUPPRESSED lines), by component.',
      () => ({ broker: counters().broker.logSuppressed, provisioning: counters().provisioning.logSuppressed }),
      'component',
    );
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text; the fleet summary is read once per scrape. */
  async render(): Promise<string> {
    this.summary = await this.health.summary();
    return this.registry.metrics();
  }
}
