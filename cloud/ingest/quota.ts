/**
 * Per-gateway ingest quota: a token bucket of readings per gateway (ingest.gateway_readings_per_s,
 * size ingest.gateway_burst_readings). A batch passes when the bucket is full or holds its
 * readings; it may take the bucket below zero (a batch larger than the bucket still gets through,
 * then the gateway waits its debt off), so the long-run rate is the quota whatever the batch size.
 * `reserve` paces instead of refusing when the wait is short: the batch takes its readings now and
 * is processed after the wait (the gateway's connection is not read meanwhile), so a gateway
 * draining a backlog slows to its quota instead of waiting for its ack timeout.
 *
 * Buckets exist only for gateways that authenticated; a full bucket is the same as none, so the
 * map is pruned of full buckets when it grows past `maxTracked`.
 */
export interface QuotaOptions {
  perS: number;
  burst: number;
  maxTracked?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class GatewayQuota {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxTracked: number;

  constructor(private readonly o: QuotaOptions) {
    this.maxTracked = o.maxTracked ?? 10_000;
  }

  get enabled(): boolean {
    return this.o.perS > 0;
  }

  /**
   * Takes `n` readings now if the gateway can have them within `maxWaitMs`: returns the ms to wait
   * before processing (0: at once), or -1 (nothing taken) when over the quota for longer.
   */
  reserve(gatewayId: string, n: number, nowMs: number, maxWaitMs: number): number {
    if (!this.enabled) return 0;
    const b = this.refill(gatewayId, nowMs);
    const need = Math.min(n, this.o.burst);
    const waitMs = b.tokens >= need ? 0 : Math.ceil(((need - b.tokens) * 1000) / this.o.perS);
    if (waitMs > maxWaitMs) return -1;
    b.tokens -= n;
    return waitMs;
  }

  /** Charges `n` more readings (or events) found after decoding; may go below zero. */
  charge(gatewayId: string, n: number, nowMs: number): void {
    if (this.enabled && n > 0) this.refill(gatewayId, nowMs).tokens -= n;
  }

  get tracked(): number {
    return this.buckets.size;
  }

  private refill(gatewayId: string, nowMs: number): Bucket {
    let b = this.buckets.get(gatewayId);
    if (!b) {
      if (this.buckets.size >= this.maxTracked) this.prune(nowMs);
      b = { tokens: this.o.burst, at: nowMs };
      this.buckets.set(gatewayId, b);
      return b;
    }
    b.tokens = Math.min(this.o.burst, b.tokens + (Math.max(0, nowMs - b.at) * this.o.perS) / 1000);
    b.at = nowMs;
    return b;
  }

  private prune(nowMs: number): void {
    for (const [id, b] of this.buckets) {
      if (b.tokens + (Math.max(0, nowMs - b.at) * this.o.perS) / 1000 >= this.o.burst) this.buckets.delete(id);
    }
  }
}
