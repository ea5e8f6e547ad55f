/** The cloud's composition root: store, ingest, broker, HTTP API. */
import type { Logger } from '../common/log.js';
import { createLogger } from '../common/log.js';
import type { CloudConfig } from './config.js';
import { SqliteCloudStore } from './store/sqlite-store.js';
import type { CloudStore } from './store/store.js';
import { BatchIngest } from './ingest/ingest.js';
import { CloudBroker } from './broker/broker.js';
import { HttpApi } from './http/api.js';
import { hashSecret, newSecret } from './registry/secrets.js';
import { HealthService } from './health/health-service.js';
import { CloudMetrics } from './health/metrics.js';
import { LiveHub } from './http/live.js';
import { healthRoutes } from './http/health-routes.js';
import { webRoutes } from './http/web-routes.js';

export class CloudServer {
  private constructor(
    readonly config: CloudConfig, readonly log: Logger, readonly store: CloudStore, readonly ingest: BatchIngest, readonly broker: CloudBroker, readonly api: HttpApi,
    readonly health: HealthService, readonly metrics: CloudMetrics, readonly live: LiveHub,
  ) {}

  static async start(config: CloudConfig, log: Logger = createLogger({ level: config.log.level as 'info', name: 'yiwang-cloud' })): Promise<CloudServer> {
    const h = config.health;
    const store = new SqliteCloudStore(config.store.path, config.store.commit_ms, { defaultIntervalS: h.device_interval_s, missedReports: h.device_missed_reports });
    const ingest = new BatchIngest(store, log);
    const health = new HealthService({
      store, log, flushMs: h.flush_ms, sweepMs: h.sweep_ms, historyPointMs: h.history_point_ms, historyKeepMs: h.history_keep_ms,
      policy: { silenceMs: h.silence_ms, backlogAgeMs: h.backlog_age_ms, storeNearCapRatio: h.store_near_cap, diskLowRatio: h.disk_low },
    });
    await health.start();
    const broker = await CloudBroker.start({ host: config.mqtt.host, port: config.mqtt.port, store, ingest, log, health });
    const counters = () => ({ ingest: ingest.counters, broker: { ...broker.counters, connectedClients: broker.aedes.connectedClients } });
    const metrics = new CloudMetrics(health, counters);
    const live = new LiveHub(health, store, h.live_ms, log);
    const api = new HttpApi({
      host: config.http.host, port: config.http.port, token: config.http.api_token, store, log,
      stats: counters, routes: healthRoutes(store, health), raw: webRoutes(metrics, live),
    });
    try {
      await api.start();
      live.start();
    } catch (err) {
      await broker.stop();
      await health.stop();
      await store.close();
      throw err;
    }
    log.info({ mqttPort: broker.port, httpPort: api.port }, 'cloud started');
    return new CloudServer(config, log, store, ingest, broker, api, health, metrics, live);
  }

  /** Registers a gateway and returns its secret (shown once; only its hash is kept). */
  async createGateway(id: string): Promise<string> {
    const secret = newSecret();
    await this.store.createGateway(id, await hashSecret(secret));
    return secret;
  }

  async stop(): Promise<void> {
    this.live.stop();
    await this.api.stop();
    await this.broker.stop();
    await this.health.stop();
    await this.store.close();
    this.log.info('cloud stopped');
  }
}
