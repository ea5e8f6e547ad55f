/**
 * Rate limits for what outside peers can trigger: token buckets (one, or one per key with a
 * bounded table) for claim attempts per source address and in all (provisioning), and the log
 * budget of the broker's and provisioning's warn lines about peers (refused connections, oversized
 * packets, ACL denials, claim refusals), applied by common/log-limiter.ts.
 * docs/reference/limits.md lists the limits.
 */
import type { LogLimiterOptions } from '../../common/log-limiter.js';

/**
 * Warn lines about peers (broker, provisioning): 20 per 10 s in all, whatever their codes; the rest
 * counted (`logSuppressed`) and summed up by code in one CLOUD_ERR_LOG_SUPPRESSED line per window.
 */
export const PEER_LOG_BUDGET = {
  perWindow: 20,
  totalPerWindow: 20,
  windowMs: 10_000,
  what: 'warnings about peers',
  summaryFields: { code: 'CLOUD_ERR_LOG_SUPPRESSED' },
} as const satisfies LogLimiterOptions;

/** `perMin` tokens a minute, at most `perMin` saved up (a burst of one minute's worth); perMin 0 = unlimited. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly perMin: number,
    now = Date.now(),
  ) {
    this.tokens = perMin;
    this.last = now;
  }
  /** Takes one token; false when there is none (the caller refuses). */
  take(now = Date.now()): boolean {
    if (this.perMin <= 0) return true;
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  /** Whether the bucket has refilled completely (it then behaves like a new one and may be forgotten). */
  full(now = Date.now()): boolean {
    this.refill(now);
    return this.tokens >= this.perMin;
  }
  /** Milliseconds until the next token. */
  waitMs(now = Date.now()): number {
    if (this.perMin <= 0) return 0;
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 60_000) / this.perMin);
  }
  private refill(now: number): void {
    this.tokens = Math.min(this.perMin, this.tokens + ((now - this.last) * this.perMin) / 60_000);
    this.last = now;
  }
}

/**
 * One bucket per key (a client address), at most `maxKeys` of them: a new key beyond that evicts
 * the key seen least recently (its next attempt starts with a full bucket; the global limit still holds).
 */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  /** Keys forgotten to keep the table within maxKeys. */
  evicted = 0;
  constructor(
    private readonly perMin: number,
    readonly maxKeys: number,
  ) {}

  take(key: string, now = Date.now()): boolean {
    if (this.perMin <= 0) return true;
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key); // re-insert: the map's order is least recently seen first
    } else {
      if (this.buckets.size >= this.maxKeys) this.evictOne(now);
      b = new TokenBucket(this.perMin, now);
    }
    this.buckets.set(key, b);
    return b.take(now);
  }

  waitMs(key: string, now = Date.now()): number {
    return this.buckets.get(key)?.waitMs(now) ?? 0;
  }

  get size(): number {
    return this.buckets.size;
  }

  private evictOne(now: number): void {
    const oldest = this.buckets.keys().next();
    if (oldest.done) return;
    if (!this.buckets.get(oldest.value)!.full(now)) this.evicted++; // a full bucket is forgotten at no cost
    this.buckets.delete(oldest.value);
  }
}
