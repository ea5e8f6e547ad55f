/**
 * The edge agent's composition root: store ← southbound adapters, store → cloud uplink,
 * local API for the CLI. `EdgeAgent.start(config)` wires and starts everything; `stop()` undoes it.
 */
import { dirname, join } from 'node:path';
import type { Logger } from '../common/log.js';
import { createLogger } from '../common/log.js';
import { YiwangError } from '../common/errors.js';
import { VERSION } from '../common/version.js';
import type { EdgeConfig } from './config.js';
import { SqliteOutboxStore } from './store/outbox.js';
import { CoapUplinkServer } from './southbound/coap/server.js';
import { CloudUplink } from './sync/uplink.js';
import { DeviceTracker } from './devices.js';
import { LocalApiServer } from './api/server.js';
import type { Reading } from '../proto/reading.js';
import type { AgentStatus } from './api/status.js';
import type { SouthboundAdapter } from './southbound/types.js';
import './errors.js';

/** A device counts as online in Health when heard within this window (profiles refine it later). */
const DEVICE_ONLINE_WINDOW_MS = 3600_000;

export class EdgeAgent {
  readonly startedAt = Date.now();
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
  ) {}

  static async start(config: EdgeConfig, log: Logger = createLogger({ level: config.log.level as 'info', name: 'yiwang-edge' })): Promise<EdgeAgent> {
    if (!config.gateway.id || !config.gateway.secret) {
      throw new YiwangError('CONFIG_ERR_INVALID', 'gateway.id and gateway.secret are required (provision the gateway first)');
    }
    const store = new SqliteOutboxStore({ path: config.store.path, commitMs: config.store.commit_ms });
    const devices = new DeviceTracker();
    let agent: EdgeAgent | undefined;
    const uplink = new CloudUplink({
      gatewayId: config.gateway.id, secret: config.gateway.secret, url: config.cloud.url, store, log,
      batchMaxReadings: config.sync.batch_max_readings, lingerMs: config.sync.linger_ms, inflight: config.sync.inflight,
      ackTimeoutMs: config.sync.ack_timeout_ms, connectTimeoutMs: config.cloud.connect_timeout_ms, reconnectMs: config.cloud.reconnect_ms,
      agentVersion: VERSION, healthIntervalMs: config.sync.health_interval_ms,
      health: () => agent!.health(),
    });
    const sink = {
      accept: async (readings: Reading[], uplinkKey?: string): Promise<'stored' | 'duplicate'> => {
        const r = await store.append(readings, uplinkKey);
        if (r === 'stored') uplink.notify();
        return r;
      },
    };
    const coap = new CoapUplinkServer({
      host: config.coap.host, port: config.coap.port, exchangeCacheBytes: config.coap.exchange_cache_bytes,
      maxPayloadBytes: config.coap.max_payload_bytes, recvBufferBytes: config.coap.recv_buffer_bytes, sink, log,
      onUplink: (deviceId, n) => devices.touch(deviceId, n),
    });
    // Adapters that share the CoAP endpoint (LwM2M …) register resources on `coap` here, before it starts.
    const adapters: SouthboundAdapter[] = [coap];
    const socket = config.api.socket || join(dirname(config.store.path), 'agent.sock');
    const api = new LocalApiServer(socket, () => agent!.status(), log);
    agent = new EdgeAgent(config, log, store, coap, uplink, devices, api, adapters);
    const started: SouthboundAdapter[] = [];
    try {
      for (const a of adapters) { await a.start(); started.push(a); }
      await api.start();
    } catch (err) {
      for (const a of started.reverse()) await a.stop();
      store.close();
      throw err;
    }
    uplink.start();
    log.info({ gatewayId: config.gateway.id, coapPort: coap.port, epoch: store.epoch, backlog: store.pendingCount() }, 'edge agent started');
    return agent;
  }

  status(): AgentStatus {
    const s = this.store.stats();
    return {
      gatewayId: this.config.gateway.id,
      version: VERSION,
      uptimeS: Math.round((Date.now() - this.startedAt) / 1000),
      uplink: { state: this.uplink.state, url: this.config.cloud.url, lastAckAt: this.uplink.lastAckAt, lastError: this.uplink.lastError, ...this.uplink.counters },
      store: { path: this.config.store.path, epoch: this.store.epoch, ...s },
      coap: { port: this.coap.port, ...this.coap.counters },
      devices: this.devices.list(),
    };
  }

  health(): ReturnType<NonNullable<ConstructorParameters<typeof CloudUplink>[0]['health']>> {
    const s = this.store.stats();
    return {
      uptimeS: Math.round((Date.now() - this.startedAt) / 1000),
      rssBytes: process.memoryUsage.rss(),
      storeRows: s.rows,
      storeBytes: s.dbBytes,
      oldestAgeMs: s.oldestTs === null ? 0 : Math.max(0, Date.now() - s.oldestTs),
      dropped: { rejected: s.counters.dropped_rejected ?? 0 },
      devicesOnline: this.devices.online(DEVICE_ONLINE_WINDOW_MS),
      devicesTotal: this.devices.size,
      clockSynced: true,
      agentVersion: VERSION,
      readingsAccepted: s.counters.readings_accepted ?? 0,
      batchesAcked: this.uplink.counters.batchesAcked,
    };
  }

  async stop(): Promise<void> {
    for (const a of [...this.adapters].reverse()) await a.stop();
    await this.api.stop();
    await this.uplink.stop();
    this.store.close();
    this.log.info('edge agent stopped');
  }
}
