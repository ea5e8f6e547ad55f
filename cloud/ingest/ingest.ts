/**
 * Ingest on the publish path: decode, validate, dedupe by idempotency key, durable write, and
 * the BatchAck to send back. Malformed batches are answered REJECTED (the gateway keeps them as
 * dead letters) and nothing is written.
 */
import type { Logger } from '../../common/log.js';
import { isYiwangError } from '../../common/errors.js';
import { decodeBatch, decodeEnvelope } from '../../proto/batch-codec.js';
import { AckStatus, pb } from '../../proto/index.js';
import type { CloudStore } from '../store/store.js';
import '../errors.js';

export interface IngestCounters { stored: number; duplicates: number; rejected: number; readings: number; storeErrors: number }

export class BatchIngest {
  readonly counters: IngestCounters = { stored: 0, duplicates: 0, rejected: 0, readings: 0, storeErrors: 0 };
  private readonly log: Logger;
  constructor(private readonly store: CloudStore, log: Logger) {
    this.log = log.child({ component: 'ingest' });
  }

  /**
   * Returns the encoded BatchAck to publish to the gateway, or undefined when the store failed
   * (no answer: the gateway resends after its ack timeout).
   */
  async handle(gatewayId: string, payload: Buffer): Promise<Uint8Array | undefined> {
    let key = { epoch: 0, seq: 0 };
    try {
      const env = decodeEnvelope(payload);
      key = { epoch: env.epoch, seq: env.seq };
    } catch { /* reported below with the full decode */ }
    const reject = (code: string, detail: string): Uint8Array => {
      this.counters.rejected++;
      this.log.warn({ code: 'CLOUD_ERR_BATCH_REJECTED', gatewayId, ...key, cause: code, detail }, 'batch rejected');
      return pb.BatchAck.encode({ gatewayId, ...key, status: AckStatus.REJECTED, errorCode: code, detail }).finish();
    };
    let batch;
    try {
      batch = decodeBatch(payload);
    } catch (err) {
      return reject(isYiwangError(err) ? err.code : 'WIRE_ERR_DECODE', (err as Error).message);
    }
    if (batch.gatewayId !== gatewayId) return reject('CLOUD_ERR_BATCH_GATEWAY', `batch names gateway ${batch.gatewayId}`);
    try {
      const r = await this.store.ingestBatch(batch);
      if (r.status === 'stored') { this.counters.stored++; this.counters.readings += r.readings; }
      else this.counters.duplicates++;
      return pb.BatchAck.encode({
        gatewayId, epoch: batch.epoch, seq: batch.seq, storedReadings: r.readings,
        status: r.status === 'stored' ? AckStatus.STORED : AckStatus.DUPLICATE,
      }).finish();
    } catch (err) {
      this.counters.storeErrors++;
      this.log.error({ code: isYiwangError(err) ? err.code : 'CLOUD_ERR_STORE', gatewayId, ...key, err: (err as Error).message }, 'batch not stored');
      return undefined;
    }
  }
}
