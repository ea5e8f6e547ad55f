/**
 * MQTT uplink to the cloud: sealed batches go out at QoS 1 with their fixed idempotency key; a
 * batch leaves the store only when the cloud's BatchAck says STORED or DUPLICATE. After a
 * reconnect or a restart every unacknowledged batch is sent again, byte for byte.
 * Readings the cloud quarantined within a stored batch are recorded by reason (one log line per
 * batch). A batch the cloud rejects whole is bisected (edge/store/batch-split.ts): its halves go out
 * as new batches until the offending reading is alone; only that one becomes a dead letter.
 * With several brokers (cloud.urls) a failed, refused or lost connection moves to the next one
 * (edge/sync/broker-urls.ts); the resend after the reconnect then goes to the new node, whose
 * ingest dedupes by the batch's idempotency key like any other node's.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../../common/log.js';
import { pb, AckStatus, type BatchAck, type HealthInput } from '../../proto/index.js';
import { topics } from '../../proto/topics.js';
import type { OutboxStore, SealedBatch } from '../store/outbox-contract.js';
import type { Refusal } from '../store/reading-check.js';
import { AdaptiveBatchSize, DailyBudget, RateMeter, TokenBucket } from './pacing.js';
import { BrokerRing } from './broker-urls.js';

export interface UplinkOptions {
  gatewayId: string;
  secret: string;
  /** Cloud brokers in order (cloud.urls, else [cloud.url]); checked by edge/sync/broker-urls.ts checkBrokerUrls. */
  urls?: readonly string[];
  /** One broker (the same as `urls: [url]`). */
  url?: string;
  store: OutboxStore;
  log: Logger;
  batchMaxReadings: number;
  batchMinReadings: number;
  /** Bandwidth cap for batches (bytes/s, 0 = none) and daily byte budget (0 = none). */
  maxBytesPerS: number;
  dailyBytes: number;
  lingerMs: number;
  inflight: number;
  ackTimeoutMs: number;
  connectTimeoutMs: number;
  reconnectMs: number;
  agentVersion: string;
  /** Builds the periodic Health message. */
  health?: () => Omit<HealthInput, 'gatewayId' | 'tsMs'>;
  healthIntervalMs: number;
  /** PEM of the fleet CA for mqtts:// (cloud.ca_file). */
  ca?: string;
  /** A desired configuration arrived on down/config (edge/remote-config). */
  onConfig?: (envelope: Buffer) => void;
}

/** `revoked`: the cloud refused the gateway's credentials as revoked (CONNACK 5); it stays so until re-provisioned. */
export type UplinkState = 'connecting' | 'online' | 'offline' | 'revoked' | 'stopped';

/** CONNACK 5 (not authorized) for a gateway whose secret is right: an operator revoked it (cloud/broker/broker.ts). */
const CONNACK_NOT_AUTHORIZED = 5;
/** What `yiwang-edge status` and `diag` show for a revoked gateway. */
export const REVOKED_MESSAGE =
  "revoked by the cloud — re-provision: the cloud refused the gateway's credentials as revoked (CONNACK 5); " +
  'ask the operator for a claim token and run `yiwang-edge provision --force --token <token>`';

export class CloudUplink {
  state: UplinkState = 'connecting';
  lastAckAt: number | null = null;
  lastError: { code: string; message: string; at: number } | null = null;
  /** rejected: batches the cloud rejected whole; split: of those, bisected; deadLettered: single-item ones kept as dead letters. */
  /** revokedRefusals: connects the cloud refused because the gateway was revoked. */
  counters = {
    batchesSent: 0,
    batchesAcked: 0,
    resends: 0,
    duplicates: 0,
    rejected: 0,
    split: 0,
    deadLettered: 0,
    readingsAcked: 0,
    quarantinedByCloud: 0,
    timeouts: 0,
    revokedRefusals: 0,
    /** Moves to another broker (after a failed, refused or lost connection) while several are configured. */
    brokerSwitches: 0,
  };
  readonly batchSize: AdaptiveBatchSize;
  readonly budget: DailyBudget;
  readonly drain = new RateMeter();
  private readonly bucket: TokenBucket;
  private paceTimer: NodeJS.Timeout | undefined;
  private client: MqttClient | undefined;
  private readonly inflight = new Map<number, { timer: NodeJS.Timeout | undefined; sentAt: number; full: boolean }>();
  private lingerTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** The last connect was refused (credentials, revoked): retried at the longest backoff step. */
  private refused = false;
  private readonly log: Logger;
  private readonly brokers: BrokerRing;
  /** Last connect error logged per broker (one line per broker until its error changes). */
  private readonly loggedErrors: (string | undefined)[];
  /** The broker of the last session that was up (a connect elsewhere is logged as a failover). */
  private lastOnlineUrl: string | undefined;

  constructor(private readonly o: UplinkOptions) {
    this.log = o.log.child({ component: 'uplink', gatewayId: o.gatewayId });
    this.brokers = new BrokerRing(o.urls ?? (o.url !== undefined ? [o.url] : []));
    this.loggedErrors = this.brokers.urls.map(() => undefined);
    this.batchSize = new AdaptiveBatchSize(o.batchMinReadings, o.batchMaxReadings);
    this.bucket = new TokenBucket(o.maxBytesPerS);
    this.budget = new DailyBudget(o.dailyBytes);
    this.healthIntervalMs = o.healthIntervalMs;
  }

  /** The broker in use, or being tried now. */
  get url(): string {
    return this.brokers.current;
  }

  /** The configured brokers, in order. */
  get urls(): readonly string[] {
    return this.brokers.urls;
  }

  start(): void {
    const o = this.o;
    const client = mqtt.connect(this.brokers.current, {
      clientId: o.gatewayId,
      username: o.gatewayId,
      password: o.secret,
      clean: true,
      protocolVersion: 4,
      connectTimeout: o.connectTimeoutMs,
      reconnectPeriod: o.reconnectMs,
      // mqtt.js stops for good after a refused CONNACK unless told otherwise: a cloud that
      // answers 3 while its store restarts, or a gateway re-provisioned on the cloud side, would
      // then stay offline until someone restarts the agent. Refusals are retried, slowly.
      reconnectOnConnackError: true,
      keepalive: 30,
      ...(o.ca ? { ca: o.ca } : {}),
      will: {
        topic: topics.state(o.gatewayId),
        payload: Buffer.from(pb.Presence.encode({ online: false, agentVersion: o.agentVersion }).finish()),
        qos: 1,
        retain: true,
      },
    });
    this.client = client;
    client.on('connect', () => this.onConnect());
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('close', () => this.onClose());
    client.on('error', (err: Error & { code?: number }) => {
      this.refused = err.code === 4 || err.code === CONNACK_NOT_AUTHORIZED;
      if (this.refused) client.options.reconnectPeriod = this.backoffMs();
      if (err.code === CONNACK_NOT_AUTHORIZED) {
        this.counters.revokedRefusals++;
        if (this.lastError?.code !== 'EDGE_ERR_GATEWAY_REVOKED')
          this.log.error(
            { code: 'EDGE_ERR_GATEWAY_REVOKED', err: err.message },
            'the cloud revoked this gateway; re-provision it',
          );
        this.state = 'revoked';
        this.lastError = { code: 'EDGE_ERR_GATEWAY_REVOKED', message: REVOKED_MESSAGE, at: Date.now() };
        return;
      }
      const message = err.code === 4 ? `cloud refused the gateway's credentials (${err.message})` : err.message;
      const i = this.brokers.index;
      if (this.loggedErrors[i] !== message) {
        this.loggedErrors[i] = message;
        // the URL only matters (and is logged) when there are several
        this.log.error(
          { code: 'EDGE_ERR_CLOUD_CONNECT', err: message, ...(this.brokers.urls.length > 1 ? { url: this.url } : {}) },
          'cloud connection failed',
        );
      }
      this.lastError = { code: 'EDGE_ERR_CLOUD_CONNECT', message, at: Date.now() };
    });
    this.healthTimer = setInterval(() => this.sendHealth(), this.healthIntervalMs);
    this.healthTimer.unref();
  }

  private healthIntervalMs: number;

  /** Changes pacing and the Health interval while running (remote configuration, edge/remote-config/live.ts). */
  tune(t: { maxBytesPerS: number; dailyBytes: number; healthIntervalMs: number }): void {
    this.bucket.setRate(t.maxBytesPerS);
    this.budget.setBudget(t.dailyBytes);
    if (t.healthIntervalMs !== this.healthIntervalMs) {
      this.healthIntervalMs = t.healthIntervalMs;
      if (this.healthTimer && this.state !== 'stopped') {
        clearInterval(this.healthTimer);
        this.healthTimer = setInterval(() => this.sendHealth(), t.healthIntervalMs);
        this.healthTimer.unref();
      }
    }
    this.pump();
  }

  /** New readings are in the store. */
  notify(): void {
    this.pump();
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearInterval(this.healthTimer);
    clearTimeout(this.lingerTimer);
    clearTimeout(this.paceTimer);
    for (const f of this.inflight.values()) clearTimeout(f.timer);
    this.inflight.clear();
    const c = this.client;
    this.client = undefined;
    if (c) {
      // mqtt.js waits for the answer to every packet in flight (PUBACK, SUBACK) before it disconnects:
      // from a node that stopped answering, forever. The store keeps the batches; the next start resends them.
      dropInFlight(c, () => true);
      await c.endAsync();
    }
  }

  /**
   * Broker round trip for `yiwang-edge diag`: republishes the retained online Presence at QoS 1
   * (what every connect sends) and resolves with the milliseconds until the broker's PUBACK.
   */
  roundTrip(timeoutMs: number): Promise<number> {
    const c = this.client;
    if (!c || this.state !== 'online') return Promise.reject(new Error(`uplink is ${this.state}`));
    const t0 = Date.now();
    const payload = Buffer.from(
      pb.Presence.encode({ online: true, sinceMs: Date.now(), agentVersion: this.o.agentVersion }).finish(),
    );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no PUBACK within ${timeoutMs} ms`)), timeoutMs);
      c.publish(topics.state(this.o.gatewayId), payload, { qos: 1, retain: true }, (err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(Date.now() - t0);
      });
    });
  }

  private onConnect(): void {
    const o = this.o;
    this.state = 'online';
    this.failures = 0;
    this.refused = false;
    this.lastError = null;
    this.loggedErrors[this.brokers.index] = undefined;
    if (this.lastOnlineUrl !== undefined && this.lastOnlineUrl !== this.url)
      this.log.warn({ url: this.url, from: this.lastOnlineUrl }, 'cloud broker failover: connected to another broker');
    else this.log.info({ url: this.url }, 'connected to cloud');
    this.lastOnlineUrl = this.url;
    const c = this.client!;
    c.publish(
      topics.state(o.gatewayId),
      Buffer.from(pb.Presence.encode({ online: true, sinceMs: Date.now(), agentVersion: o.agentVersion }).finish()),
      { qos: 1, retain: true },
    );
    c.subscribe(topics.down(o.gatewayId, 'ack'), { qos: 1 }, (err) => {
      if (this.state === 'stopped') return;
      if (err) this.log.error({ err: err.message }, 'subscribe to acks failed');
      // Everything sealed and unacknowledged (from before a disconnect or a restart) goes first.
      for (const b of o.store.unackedBatches()) if (!this.inflight.has(b.seq)) this.send(b, true);
      this.pump();
    });
    this.sendHealth();
    if (o.onConfig) {
      c.subscribe(topics.down(o.gatewayId, 'config'), { qos: 1 }, (err) => {
        if (err && this.state !== 'stopped') this.log.error({ err: err.message }, 'subscribe to config failed');
      });
    }
  }

  /** Sends a ConfigStatus (QoS 1); dropped when offline (the next config message or connect reports again). */
  sendConfigStatus(payload: Buffer): void {
    const c = this.client;
    if (!c || this.state !== 'online') return;
    c.publish(topics.up(this.o.gatewayId, 'config-status'), payload, { qos: 1 });
  }

  private onClose(): void {
    if (this.state === 'stopped') return;
    if (this.state === 'online') this.log.warn('disconnected from cloud; buffering');
    if (this.state !== 'revoked') this.state = 'offline';
    for (const f of this.inflight.values()) clearTimeout(f.timer);
    this.inflight.clear();
    // The resend after the next connect (onConnect) is the only one: mqtt.js would also resend its
    // unacknowledged publishes, first, unpaced and uncounted, before the ack subscription is up.
    if (this.client) dropInFlight(this.client, (cmd) => cmd === 'publish');
    // Jittered, growing reconnect delay (mqtt.js reads reconnectPeriod at each attempt).
    this.failures++;
    if (this.client) {
      this.client.options.reconnectPeriod = this.backoffMs();
      this.nextBroker(this.client);
    }
  }

  /**
   * Points the client's next connect at the next broker (mqtt.js builds each stream from its options).
   * Its own `servers` option is not used: it keeps the first host's TLS server name for every node.
   */
  private nextBroker(c: MqttClient): void {
    const from = this.url;
    const t = this.brokers.next();
    if (!t) return;
    this.counters.brokerSwitches++;
    const opts = c.options as MqttClient['options'] & { hostname?: string; servername?: string };
    opts.protocol = t.protocol;
    opts.host = t.host;
    opts.hostname = t.host;
    opts.port = t.port;
    if (t.servername) opts.servername = t.servername;
    else delete opts.servername;
    this.log.debug({ url: t.url, from }, 'next cloud broker');
  }

  /** Jittered reconnect delay: doubling from reconnect_ms per failure, at most 32× or 30 s; a refused connect waits the longest step. */
  private backoffMs(): number {
    const step = this.refused ? 5 : Math.min(Math.max(this.failures - 1, 0), 5);
    return Math.min(30_000, this.o.reconnectMs * 2 ** step) * (0.5 + Math.random());
  }

  private send(b: SealedBatch, resend: boolean, full = false): void {
    const c = this.client;
    if (!c || this.state !== 'online') return;
    if (resend) this.counters.resends++;
    else this.counters.batchesSent++;
    // The window slot is taken now; the ack timer and the round-trip clock start when the batch leaves.
    const flight: { timer: NodeJS.Timeout | undefined; sentAt: number; full: boolean } = {
      timer: undefined,
      sentAt: 0,
      full,
    };
    this.inflight.set(b.seq, flight);
    this.bucket.spend(b.payload.length);
    // events travel inside the batch: their share is their encoded size (the body is compressed as a whole)
    const eventBytes = Math.min(b.eventBytes ?? 0, b.payload.length);
    this.budget.add('events', eventBytes);
    this.budget.add('telemetry', b.payload.length - eventBytes);
    // The seal must survive a power loss before the batch leaves: a batch the cloud has, whose
    // seal was lost, would come back as a new batch with the same readings.
    this.o.store.durable().then(
      () => {
        if (this.client !== c || this.state !== 'online' || this.inflight.get(b.seq) !== flight) return;
        flight.sentAt = Date.now();
        flight.timer = setTimeout(() => {
          if (this.inflight.get(b.seq) !== flight) return;
          this.inflight.delete(b.seq);
          this.counters.timeouts++;
          this.batchSize.timedOut();
          this.log.warn({ seq: b.seq, batchSize: this.batchSize.size }, 'no BatchAck in time; resending');
          this.send(b, true);
        }, this.o.ackTimeoutMs);
        c.publish(topics.up(this.o.gatewayId, 'batch'), Buffer.from(b.payload), { qos: 1 });
      },
      (err: Error) => {
        // Held until the agent restarts (the store is reopened and synced then); the slot stays taken.
        this.log.error({ code: 'EDGE_ERR_STORE', err: err.message, seq: b.seq }, 'store not durable; batch held back');
      },
    );
  }

  /** Seals and sends batches while the window, the bandwidth cap and the daily budget allow. */
  private pump(): void {
    if (this.state !== 'online') return;
    const o = this.o;
    while (this.inflight.size < o.inflight) {
      const wait = this.bucket.waitMs();
      if (wait > 0) {
        this.paceTimer ??= setTimeout(() => {
          this.paceTimer = undefined;
          this.pump();
        }, wait);
        return;
      }
      const pending = o.store.pendingCount();
      if (pending === 0) return;
      const size = this.batchSize.size;
      if (pending < size && o.lingerMs > 0 && !this.lingerDue && !o.store.hasUrgent()) {
        this.lingerTimer ??= setTimeout(() => {
          this.lingerTimer = undefined;
          this.lingerDue = true;
          this.pump();
          this.lingerDue = false;
        }, o.lingerMs);
        return;
      }
      const b = o.store.sealBatch(o.gatewayId, size, this.budget.exhausted());
      if (!b) return;
      this.send(b, false, b.readings >= size);
    }
  }
  private lingerDue = false;

  private onMessage(topic: string, payload: Buffer): void {
    if (topic === topics.down(this.o.gatewayId, 'config')) {
      this.o.onConfig?.(payload);
      return;
    }
    if (topic !== topics.down(this.o.gatewayId, 'ack')) return;
    let ack: BatchAck;
    try {
      ack = pb.BatchAck.decode(payload);
    } catch (err) {
      this.log.error({ code: 'WIRE_ERR_DECODE', err: (err as Error).message }, 'undecodable BatchAck ignored');
      return;
    }
    if (ack.epoch !== this.o.store.epoch) return; // for an earlier store; nothing of it is left here
    const flight = this.inflight.get(ack.seq);
    if (flight) {
      clearTimeout(flight.timer);
      if (flight.sentAt > 0) this.batchSize.acked(Date.now() - flight.sentAt, flight.full); // else: an ack for an earlier send of it
    }
    this.inflight.delete(ack.seq);
    this.lastAckAt = Date.now();
    if (ack.status === AckStatus.REJECTED) this.onRejected(ack);
    else {
      const quarantined = cloudQuarantine(ack);
      const n = this.o.store.ack(ack.seq, quarantined);
      const q =
        n > 0
          ? Math.min(
              n,
              quarantined.reduce((sum, r) => sum + (r.count ?? 1), 0),
            )
          : 0;
      this.counters.batchesAcked++;
      this.counters.readingsAcked += n - q;
      this.counters.quarantinedByCloud += q;
      this.drain.add(n - q);
      if (ack.status === AckStatus.DUPLICATE) this.counters.duplicates++;
      if (q > 0) {
        const reasons: Record<string, number> = {};
        for (const r of quarantined) reasons[r.code] = (reasons[r.code] ?? 0) + (r.count ?? 1);
        this.log.warn(
          { code: 'EDGE_ERR_CLOUD_QUARANTINE', seq: ack.seq, readings: q, stored: n - q, reasons },
          'cloud stored a batch but quarantined some of its readings',
        );
      }
    }
    this.pump();
  }

  /** A batch refused whole: bisect it (the halves go out now as new batches), or it was a single item: a dead letter. */
  private onRejected(ack: BatchAck): void {
    const out = this.o.store.reject(ack.seq, ack.errorCode, ack.detail, this.o.gatewayId);
    if (out.kind !== 'unknown') this.counters.rejected++; // else: a second answer for a batch already dealt with
    if (out.kind === 'split') {
      this.counters.split++;
      this.log.warn(
        {
          code: 'EDGE_ERR_BATCH_REJECTED',
          seq: ack.seq,
          cloudCode: ack.errorCode,
          detail: ack.detail,
          readings: out.readings,
          into: out.batches.map((b) => b.seq),
        },
        'cloud rejected a batch whole; resending it in two halves to isolate what it refuses',
      );
      for (const b of out.batches) this.send(b, false);
    } else if (out.kind === 'dead-letter') {
      this.counters.deadLettered++;
      this.log.error(
        {
          code: 'EDGE_ERR_DEAD_LETTER',
          seq: ack.seq,
          cloudCode: ack.errorCode,
          detail: ack.detail,
          readings: out.readings,
          events: out.events,
        },
        'cloud rejected a single reading or event; kept in the dead letters (yiwang-edge dead-letters)',
      );
    }
  }

  private sendHealth(): void {
    const c = this.client;
    if (!c || this.state !== 'online' || !this.o.health) return;
    const h = pb.Health.encode({ ...this.o.health(), gatewayId: this.o.gatewayId, tsMs: Date.now() }).finish();
    this.budget.add('health', h.length);
    c.publish(topics.up(this.o.gatewayId, 'health'), Buffer.from(h), { qos: 0 });
  }
}

/** Forgets packets mqtt.js holds for an answer, e.g. QoS 1 publishes (batches stay in the store until their BatchAck). */
function dropInFlight(c: MqttClient, which: (cmd: string) => boolean): void {
  for (const [id, o] of Object.entries(c.outgoing)) if (which(o.cmd)) c.removeOutgoingMessage(Number(id));
}

/** The readings a STORED (or DUPLICATE) BatchAck says the cloud quarantined, as refusals by reason. */
export function cloudQuarantine(ack: BatchAck): Refusal[] {
  const list: Refusal[] = (ack.quarantined ?? []).map((q) => ({
    deviceId: q.deviceId ?? '',
    metric: q.metric ?? '',
    code: q.errorCode || 'CLOUD_QUARANTINE',
    detail: q.detail ?? '',
    count: Math.max(0, Number(q.count) || 0),
  }));
  const listed = list.reduce((n, r) => n + (r.count ?? 0), 0);
  const total = Number(ack.quarantinedReadings) || 0;
  if (total > listed)
    list.push({
      deviceId: '',
      metric: '',
      code: 'CLOUD_QUARANTINE',
      detail: `${total - listed} readings quarantined without detail`,
      count: total - listed,
    });
  return list;
}
