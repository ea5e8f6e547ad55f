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

export class CloudServer {
  private constructor(readonly config: CloudConfig, readonly log: Logger, readonly store: CloudStore, readonly ingest: BatchIngest, readonly broker: CloudBroker, readonly api: HttpApi) {}

  static async start(config: CloudConfig, log: Logger = createLogger({ level: config.log.level as 'info', name: 'yiwang-cloud' })): Promise<CloudServer> {
    const store = new SqliteCloudStore(config.store.path, config.store.commit_ms);
    const ingest = new BatchIngest(store, log);
    const broker = await CloudBroker.start({ host: config.mqtt.host, port: config.mqtt.port, store, ingest, log });
    const api = new HttpApi({
      host: config.http.host, port: config.http.port, token: config.http.api_token, store, log,
      stats: () => ({ ingest: ingest.counters, broker: { ...broker.counters, connectedClients: broker.aedes.connectedClients } }),
    });
    try {
      await api.start();
    } catch (err) {
      await broker.stop();
      await store.close();
      throw err;
    }
    log.info({ mqttPort: broker.port, httpPort: api.port }, 'cloud started');
    return new CloudServer(config, log, store, ingest, broker, api);
  }

  /** Registers a gateway and returns its secret (shown once; only its hash is kept). */
  async createGateway(id: string): Promise<string> {
    const secret = newSecret();
    await this.store.createGateway(id, await hashSecret(secret));
    return secret;
  }

  async stop(): Promise<void> {
    await this.api.stop();
    await this.broker.stop();
    await this.store.close();
    this.log.info('cloud stopped');
  }
}
