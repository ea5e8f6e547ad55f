/**
 * What the rest of the agent sees of the edge outbox (edge/store/outbox.ts implements it): the
 * uplink, the status and the Health figures depend on this, not on SQLite.
 */
import type { Reading } from '../../proto/reading.js';
import type { Refusal } from './reading-check.js';
import type { QuarantineStats } from './quarantine.js';
import type { DeadLetterStats } from './dead-letters.js';
import type { RejectOutcome } from './batch-split.js';
import type { EventHistoryStats } from './event-history.js';

export interface SealedBatch {
  seq: number;
  payload: Uint8Array;
  readings: number;
  /** Encoded size of the events in it (before compression), for the per-kind byte counts. */
  eventBytes?: number;
}
export type AppendResult = 'stored' | 'duplicate';
export type { RejectOutcome };

export interface OutboxStats {
  /** Readings held (pending + in unacknowledged batches). */
  rows: number;
  /** Accounted bytes of those readings (what the cap limits). */
  bytes: number;
  capBytes: number;
  byPriority: Record<'alarm' | 'normal' | 'bulk', { rows: number; bytes: number }>;
  /** Items not sealed into a batch yet: readings (rows − batchedRows) plus events (pendingEvents). */
  pendingRows: number;
  /** Of `rows`: readings in batches sent and not acknowledged yet. */
  batchedRows: number;
  /** Events (alarms, state changes) waiting for the cloud: not sealed yet, and in unacknowledged batches. Not in `rows`, not under the byte cap. */
  pendingEvents: number;
  batchedEvents: number;
  /** Batches sent (sealed) and not acknowledged yet; they hold batchedRows readings and batchedEvents events. */
  unackedBatches: number;
  /** Wall-clock timestamp and monotonic age of the oldest held reading. */
  oldestTs: number | null;
  oldestAgeMs: number | null;
  heldUnsynced: number;
  dbBytes: number;
  /** Dead letters held (deadLettered has the totals and the caps). */
  deadLetters: number;
  deadLettered: DeadLetterStats;
  /** Readings refused one by one (edge and cloud), by reason. */
  quarantine: QuarantineStats;
  dropped: { cap: number; ttl: number; rejected: number };
  /** The local alarm history (`yiwang-edge events`). */
  eventHistory: EventHistoryStats;
  counters: Record<string, number>;
}

export interface OutboxStore {
  readonly epoch: number;
  /** Stores the valid readings and quarantines the rest (`refused`, and any failing reading-check.ts) in one commit. */
  append(readings: Reading[], uplinkKey?: string, refused?: readonly Refusal[]): Promise<AppendResult>;
  unackedBatches(): SealedBatch[];
  sealBatch(gatewayId: string, max: number, onlyAlarms?: boolean): SealedBatch | undefined;
  pendingCount(): number;
  hasUrgent(): boolean;
  /** The cloud stored batch `seq`, minus the readings it quarantined one by one; returns the readings released. */
  ack(seq: number, quarantined?: readonly Refusal[]): number;
  /** The cloud rejected batch `seq` whole: bisect it, or dead-letter it when it holds one item. */
  reject(seq: number, errorCode: string, detail: string, gatewayId: string): RejectOutcome;
  stats(): OutboxStats;
  /** Resolves when everything committed so far survives a power loss (await before publishing a batch). */
  durable(): Promise<void>;
  close(): void;
}
