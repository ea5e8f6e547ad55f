/**
 * Uplink pacing: an adaptive batch size (grows on a fast link, halves on a timeout), a token
 * bucket for the bandwidth cap, the daily byte budget by kind, and the drain rate.
 */
export class AdaptiveBatchSize {
  size: number;
  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {
    this.size = Math.min(max, Math.max(min, 500));
  }
  /** A full batch was acknowledged; grow when the round trip was short. */
  acked(rttMs: number, wasFull: boolean): void {
    if (wasFull && rttMs < 1000) this.size = Math.min(this.max, Math.ceil(this.size * 1.5));
  }
  timedOut(): void {
    this.size = Math.max(this.min, Math.floor(this.size / 2));
  }
}

export class TokenBucket {
  private tokens: number;
  private last = Date.now();
  constructor(private ratePerS: number) {
    this.tokens = ratePerS;
  }
  /** Changes the rate from now on (remote configuration); 0 = unlimited. */
  setRate(ratePerS: number): void {
    this.refill();
    this.ratePerS = ratePerS;
    this.tokens = Math.min(this.tokens, ratePerS);
  }
  /** Milliseconds to wait before the next send (0 = now). Unlimited when the rate is 0. */
  waitMs(): number {
    if (this.ratePerS <= 0) return 0;
    this.refill();
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerS) * 1000);
  }
  /** Spends `bytes` (may go into debt by one batch; the wait pays it back). */
  spend(bytes: number): void {
    if (this.ratePerS <= 0) return;
    this.refill();
    this.tokens -= bytes;
  }
  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.ratePerS, this.tokens + ((now - this.last) / 1000) * this.ratePerS);
    this.last = now;
  }
}

export type TrafficKind = 'telemetry' | 'events' | 'health';

/** Bytes sent per UTC day and kind, against an optional budget. */
export class DailyBudget {
  private day = '';
  private sent: Record<TrafficKind, number> = { telemetry: 0, events: 0, health: 0 };
  constructor(
    private budget: number,
    private readonly now: () => number = Date.now,
  ) {}
  /** Changes the budget; what was sent today still counts (remote configuration). */
  setBudget(bytes: number): void {
    this.budget = bytes;
  }
  private roll(): void {
    const d = new Date(this.now()).toISOString().slice(0, 10);
    if (d !== this.day) {
      this.day = d;
      this.sent = { telemetry: 0, events: 0, health: 0 };
    }
  }
  add(kind: TrafficKind, bytes: number): void {
    this.roll();
    this.sent[kind] += bytes;
  }
  /** True when the budget for today is spent (only alarms go then). */
  exhausted(): boolean {
    this.roll();
    return this.budget > 0 && this.sent.telemetry + this.sent.events + this.sent.health >= this.budget;
  }
  today(): Record<TrafficKind, number> {
    this.roll();
    return { ...this.sent };
  }
}

/** Readings acknowledged per second over a sliding minute. */
export class RateMeter {
  private readonly events: [number, number][] = [];
  constructor(private readonly windowMs = 60_000) {}
  add(n: number, at = Date.now()): void {
    this.events.push([at, n]);
  }
  perSecond(at = Date.now()): number {
    while (this.events.length && this.events[0]![0] < at - this.windowMs) this.events.shift();
    if (this.events.length === 0) return 0;
    const span = Math.max(1000, at - this.events[0]![0]);
    return (this.events.reduce((s, [, n]) => s + n, 0) / span) * 1000;
  }
}
