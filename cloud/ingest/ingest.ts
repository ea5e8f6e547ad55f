/**
 * Ingest on the publish path: quota, bounded decode, validate, dedupe by idempotency key, durable
 * write, and the BatchAck to send back.
 *  - A batch that can't be read at all (envelope or body not protobuf, over a batch limit, a
 *    reading_count other than what the body holds, another gateway's id) is answered REJECTED and
 *    nothing is written; the gateway keeps it as a dead letter.
 *  - Anything smaller that is wrong — a reading's timestamp or value, a series, a device block, an
 *    event, a device that belongs to another gateway — is quarantined: the rest is stored and the
 *    ack (STORED) lists the quarantined groups; counted here and kept in the store.
 *  - Over its quota (ingest.gateway_readings_per_s) a gateway's batch waits until its readings are
 *    due, up to ingest.gateway_max_delay_ms (paced: its connection is not read meanwhile); past
 *    that it is neither stored nor answered: the gateway sends it again after its ack timeout, so
 *    nothing is lost (THROTTLED, done with the existing statuses).
 */
import type { Logger } from '../../common/log.js';
import { LogLimiter } from '../../common/log-limiter.js';
import { isYiwangError } from '../../common/errors.js';
import { decodeBatch, decodeEnvelope, type DecodeLimits, type QuarantineGroup } from '../../proto/batch-codec.js';
import { AckStatus, pb } from '../../proto/index.js';
import type { CloudStore } from '../store/cloud-store.js';
import { GatewayQuota } from './quota.js';

export interface IngestOptions {
  maxReadingsPerBatch: number;
  maxBodyBytes: number;
  /** Readings per second per gateway (0 = no quota) and the bucket size. */
  gatewayReadingsPerS: number;
  gatewayBurstReadings: number;
  /** Longest a batch waits for its quota before it is throttled instead (0 = never waits). */
  gatewayMaxDelayMs: number;
  /** Accepted reading timestamps: from minReadingTsMs to now + maxFutureMs. */
  minReadingTsMs: number;
  maxFutureMs: number;
}

export const DEFAULT_INGEST_OPTIONS: IngestOptions = {
  maxReadingsPerBatch: 100_000,
  maxBodyBytes: 16 * 1024 * 1024,
  gatewayReadingsPerS: 50_000,
  gatewayBurstReadings: 500_000,
  gatewayMaxDelayMs: 1000,
  minReadingTsMs: Date.UTC(2000, 0, 1),
  maxFutureMs: 86_400_000,
};

/** What went wrong for one gateway (since start). */
export interface GatewayIngestCounters {
  quarantined: number;
  quarantinedEvents: number;
  paced: number;
  throttled: number;
  throttledReadings: number;
  rejected: number;
}

export interface IngestCounters {
  stored: number;
  duplicates: number;
  rejected: number;
  readings: number;
  storeErrors: number;
  /** Batches delayed for their gateway's quota, and the ms they waited in all. */
  paced: number;
  pacedMs: number;
  /** Batches not answered because their gateway was over its quota for longer, and their readings. */
  throttled: number;
  throttledReadings: number;
  /** Readings and events quarantined in stored batches, and readings by code. */
  quarantined: number;
  quarantinedEvents: number;
  quarantinedByCode: Record<string, number>;
  /** Per gateway, only gateways with something to show (bounded by the registered gateways). */
  byGateway: Record<string, GatewayIngestCounters>;
}

export class BatchIngest {
  readonly counters: IngestCounters = {
    stored: 0,
    duplicates: 0,
    rejected: 0,
    readings: 0,
    storeErrors: 0,
    paced: 0,
    pacedMs: 0,
    throttled: 0,
    throttledReadings: 0,
    quarantined: 0,
    quarantinedEvents: 0,
    quarantinedByCode: Object.create(null) as Record<string, number>,
    byGateway: Object.create(null) as Record<string, GatewayIngestCounters>,
  };
  private readonly log: Logger;
  private readonly limited: LogLimiter;
  private readonly quota: GatewayQuota;
  private readonly o: IngestOptions;

  constructor(
    private readonly store: CloudStore,
    log: Logger,
    options: Partial<IngestOptions> = {},
  ) {
    this.log = log.child({ component: 'ingest' });
    this.o = { ...DEFAULT_INGEST_OPTIONS, ...options };
    this.limited = new LogLimiter(this.log, { what: 'ingest', perWindow: 10 });
    this.quota = new GatewayQuota({ perS: this.o.gatewayReadingsPerS, burst: this.o.gatewayBurstReadings });
  }

  /** The decoder's limits now (the timestamp window moves with the clock). */
  limits(nowMs = Date.now()): Partial<DecodeLimits> {
    return {
      maxReadings: this.o.maxReadingsPerBatch,
      maxBodyBytes: this.o.maxBodyBytes,
      minTsMs: this.o.minReadingTsMs,
      maxTsMs: nowMs + this.o.maxFutureMs,
    };
  }

  private gw(id: string): GatewayIngestCounters {
    this.counters.byGateway[id] ??= {
      quarantined: 0,
      quarantinedEvents: 0,
      paced: 0,
      throttled: 0,
      throttledReadings: 0,
      rejected: 0,
    };
    return this.counters.byGateway[id];
  }

  /**
   * Returns the encoded BatchAck to publish to the gateway, or undefined when nothing is to be
   * answered: the store failed or the gateway is over its quota (it resends after its ack timeout).
   */
  async handle(gatewayId: string, payload: Buffer): Promise<Uint8Array | undefined> {
    let key = { epoch: 0, seq: 0 };
    const reject = (code: string, detail: string): Uint8Array => {
      this.counters.rejected++;
      this.gw(gatewayId).rejected++;
      this.limited.log(
        'warn',
        'CLOUD_ERR_BATCH_REJECTED',
        { code: 'CLOUD_ERR_BATCH_REJECTED', gatewayId, ...key, cause: code, detail },
        'batch rejected',
      );
      return pb.BatchAck.encode({ gatewayId, ...key, status: AckStatus.REJECTED, errorCode: code, detail }).finish();
    };
    let declared = 0;
    try {
      const env = decodeEnvelope(payload);
      key = { epoch: env.epoch, seq: env.seq };
      declared = env.readingCount;
    } catch {
      /* reported below with the full decode */
    }
    let now = Date.now();
    // the quota is taken before the body is inflated or decoded: a gateway over it costs no decoding
    const waitMs =
      declared <= this.o.maxReadingsPerBatch
        ? this.quota.reserve(gatewayId, Math.max(1, declared), now, this.o.gatewayMaxDelayMs)
        : 0;
    if (waitMs < 0) {
      this.counters.throttled++;
      this.counters.throttledReadings += declared;
      const g = this.gw(gatewayId);
      g.throttled++;
      g.throttledReadings += declared;
      this.limited.log(
        'warn',
        'CLOUD_ERR_INGEST_THROTTLED',
        { code: 'CLOUD_ERR_INGEST_THROTTLED', gatewayId, ...key, readings: declared, perS: this.o.gatewayReadingsPerS },
        'gateway over its ingest quota: batch not stored, not answered (it will be resent)',
      );
      return undefined;
    }
    if (waitMs > 0) {
      this.counters.paced++;
      this.counters.pacedMs += waitMs;
      this.gw(gatewayId).paced++;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      now = Date.now();
    }
    let batch: ReturnType<typeof decodeBatch>;
    try {
      batch = decodeBatch(payload, this.limits(now));
    } catch (err) {
      return reject(isYiwangError(err) ? err.code : 'WIRE_ERR_DECODE', (err as Error).message);
    }
    if (batch.gatewayId !== gatewayId)
      return reject('CLOUD_ERR_BATCH_GATEWAY', `batch names gateway ${batch.gatewayId}`);
    this.quota.charge(gatewayId, batch.events.length, now);
    try {
      const r = await this.store.ingestBatch(batch);
      if (r.status === 'stored') {
        this.counters.stored++;
        this.counters.readings += r.readings;
        this.count(gatewayId, key, r.quarantined);
      } else this.counters.duplicates++;
      return pb.BatchAck.encode({
        gatewayId,
        epoch: batch.epoch,
        seq: batch.seq,
        storedReadings: r.readings,
        status: r.status === 'stored' ? AckStatus.STORED : AckStatus.DUPLICATE,
        quarantinedReadings: r.quarantinedReadings,
        quarantined: r.quarantined.map((g) => ({
          deviceId: g.deviceId,
          metric: g.metric,
          errorCode: g.code,
          detail: g.detail,
          count: g.count,
        })),
      }).finish();
    } catch (err) {
      this.counters.storeErrors++;
      this.log.error(
        { code: isYiwangError(err) ? err.code : 'CLOUD_ERR_STORE', gatewayId, ...key, err: (err as Error).message },
        'batch not stored',
      );
      return undefined;
    }
  }

  private count(gatewayId: string, key: { epoch: number; seq: number }, groups: QuarantineGroup[]): void {
    if (groups.length === 0) return;
    let readings = 0,
      events = 0;
    for (const q of groups) {
      readings += q.count;
      events += q.events ?? 0;
      if (q.count) this.counters.quarantinedByCode[q.code] = (this.counters.quarantinedByCode[q.code] ?? 0) + q.count;
    }
    this.counters.quarantined += readings;
    this.counters.quarantinedEvents += events;
    const g = this.gw(gatewayId);
    g.quarantined += readings;
    g.quarantinedEvents += events;
    const first = groups[0]!;
    this.limited.log(
      'warn',
      'CLOUD_ERR_READINGS_QUARANTINED',
      {
        code: 'CLOUD_ERR_READINGS_QUARANTINED',
        gatewayId,
        ...key,
        readings,
        events,
        groups: groups.length,
        first: {
          deviceId: first.deviceId,
          metric: first.metric,
          code: first.code,
          detail: first.detail,
          count: first.count,
        },
      },
      'readings quarantined, the rest of the batch stored',
    );
  }

  close(): void {
    this.limited.close();
  }
}
