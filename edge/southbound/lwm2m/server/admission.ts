/**
 * Rate limit of NEW endpoints per source address: a token bucket per source IP (NB-IoT NAT puts
 * many devices behind one address, so the bucket counts new endpoint names, never the updates
 * or re-registrations of endpoints already known). The map of buckets is bounded: a bucket that
 * has refilled completely is the same as no bucket and is dropped, and when `maxSources` buckets
 * are all busy, further sources draw from one shared bucket instead of each getting a fresh one
 * (so spoofing many addresses buys no more than one address does).
 */
export interface RateLimitOptions {
  /** Tokens added per second; 0 = no limit. */
  perSecond: number;
  /** Bucket size. */
  burst: number;
  /** Source addresses with a bucket of their own. */
  maxSources: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export type Admission = { ok: true } | { ok: false; retryAfterS: number; shared: boolean };

export class SourceRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly shared: Bucket;
  private prunedAt = 0;
  counters = { limited: 0, sharedBucket: 0 };

  constructor(private readonly o: RateLimitOptions) {
    this.shared = { tokens: o.burst, at: 0 };
  }

  /** Sources that have a bucket of their own now. */
  get sources(): number {
    return this.buckets.size;
  }

  private refill(b: Bucket, now: number): void {
    b.tokens = Math.min(this.o.burst, b.tokens + ((now - b.at) / 1000) * this.o.perSecond);
    b.at = now;
  }

  /** Takes one token for a new endpoint from `source`; refuses with the seconds until one is available. */
  take(source: string, now: number): Admission {
    if (this.o.perSecond <= 0) return { ok: true };
    let b = this.buckets.get(source);
    let shared = false;
    if (!b) {
      if (this.buckets.size >= this.o.maxSources) this.prune(now, true);
      if (this.buckets.size < this.o.maxSources) {
        b = { tokens: this.o.burst, at: now };
        this.buckets.set(source, b);
      } else {
        b = this.shared;
        shared = true;
        this.counters.sharedBucket++;
      }
    }
    this.refill(b, now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    this.counters.limited++;
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / this.o.perSecond)), shared };
  }

  /**
   * Drops buckets that have refilled completely: at most once a second, or every 100 ms when
   * `full` (the map is full and a new source waits), so a flood of new sources costs no scan each.
   */
  prune(now: number, full = false): void {
    if (now - this.prunedAt < (full ? 100 : 1000)) return;
    this.prunedAt = now;
    for (const [k, b] of this.buckets)
      if (b.tokens + ((now - b.at) / 1000) * this.o.perSecond >= this.o.burst) this.buckets.delete(k);
  }
}
