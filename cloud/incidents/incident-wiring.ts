/**
 * Incidents as the cloud server wires them (cloud/server.ts): the dispatch configuration, the
 * service, the webhook sender and the engine (leader only), with one start/stop
 * and one counters object for /api/v1/stats.
 */
import type { Logger } from '../../common/log.js';
import { type Sealer, vaultSealer } from '../keys/vault-sealer.js';
import type { KeyVault } from '../keys/vault.js';
import type { HealthStore } from '../store/health-store.js';
import { DispatchConfig } from './dispatch-config.js';
import { IncidentEngine } from './incident-engine.js';
import { type PlaceOf, IncidentService } from './incident-service.js';
import type { IncidentStore } from './incident-store.js';
import { type WebhookOptions, WebhookSender } from './webhook.js';

export const INCIDENT_SECRETS_KEY = 'incident-secrets.key';

/** Seals department webhook secrets under `incident-secrets.key` of the key vault (cloud/keys/vault-sealer.ts). */
export const incidentSealer = (vault: Pick<KeyVault, 'read' | 'write'>): Sealer =>
  vaultSealer(vault, INCIDENT_SECRETS_KEY, 'yiwang-incidents', 'incident-secrets-v1');

export interface IncidentsOptions {
  store: IncidentStore;
  events: Pick<HealthStore, 'listEvents' | 'getEvent'>;
  placeOf: PlaceOf;
  sealer: Sealer;
  isLeader: () => boolean;
  log: Logger;
  now?: () => number;
  intervalMs?: number;
  lookbackIds?: number;
  webhooks?: WebhookOptions;
}

export class Incidents {
  readonly config: DispatchConfig;
  readonly service: IncidentService;
  readonly webhooks: WebhookSender;
  readonly engine: IncidentEngine;

  constructor(o: IncidentsOptions) {
    const now = o.now ?? Date.now;
    this.config = new DispatchConfig(o.store, o.sealer, now);
    this.webhooks = new WebhookSender({ now, ...o.webhooks });
    this.service = new IncidentService({
      store: o.store,
      config: this.config,
      webhooks: this.webhooks,
      placeOf: o.placeOf,
      log: o.log,
      now,
    });
    this.engine = new IncidentEngine({
      service: this.service,
      store: o.store,
      events: o.events,
      isLeader: o.isLeader,
      log: o.log,
      ...(o.intervalMs !== undefined ? { intervalMs: o.intervalMs } : {}),
      ...(o.lookbackIds !== undefined ? { lookbackIds: o.lookbackIds } : {}),
    });
  }

  start(): void {
    this.engine.start();
  }

  async stop(): Promise<void> {
    await this.engine.stop();
    this.webhooks.stop();
  }

  counters(): Record<string, number> {
    return {
      ...this.service.counters,
      ...this.config.counters,
      ...Object.fromEntries(Object.entries(this.engine.counters).map(([k, v]) => [`engine_${k}`, v])),
      ...Object.fromEntries(Object.entries(this.webhooks.counters).map(([k, v]) => [`webhook_${k}`, v])),
      webhook_pending: this.webhooks.queued,
    };
  }
}
