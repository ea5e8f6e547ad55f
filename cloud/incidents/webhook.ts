/**
 * Signed webhooks to departments: each notification is POSTed as JSON with
 * `X-Yiwang-Timestamp: <unix seconds>` and `X-Yiwang-Signature: sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<body>" under the department's secret>`, so a receiver can check both the body and
 * its age (replay protection). Deliveries run in the background (the engine never waits), each
 * attempt times out after `timeoutMs`, failures retry with doubling back-off up to `maxAttempts`;
 * the queue is bounded and every drop and give-up is counted.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-yiwang-signature';
export const TIMESTAMP_HEADER = 'x-yiwang-timestamp';
export const DELIVERY_HEADER = 'x-yiwang-delivery';

export function signBody(secret: string, timestampS: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex')}`;
}

/** A receiver's check: the signature matches and the timestamp is within `toleranceS` of `nowS`. */
export function verifySignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowS: number,
  toleranceS = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts) || Math.abs(nowS - ts) > toleranceS) return false;
  const want = Buffer.from(signBody(secret, ts, body));
  const got = Buffer.from(headers.signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

export interface WebhookTarget {
  departmentId: string;
  url: string;
  /** '' sends unsigned (a department without a secret). */
  secret: string;
}

export interface WebhookOptions {
  timeoutMs?: number;
  maxAttempts?: number;
  /** Back-off before the 2nd attempt; doubles each time up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Deliveries waiting or in flight at most; more are dropped (counted). */
  maxQueue?: number;
  /** Attempts in flight at once. */
  concurrency?: number;
  now?: () => number;
}

interface Delivery {
  id: string;
  target: WebhookTarget;
  body: string;
  attempt: number;
}

export class WebhookSender {
  readonly counters = { queued: 0, delivered: 0, attemptsFailed: 0, retried: 0, dropped: 0, gaveUp: 0 };
  private readonly o: Required<WebhookOptions>;
  private readonly ready: Delivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private pending = 0;
  private inFlight = 0;
  private stopped = false;

  constructor(o: WebhookOptions = {}) {
    this.o = {
      timeoutMs: o.timeoutMs ?? 5000,
      maxAttempts: o.maxAttempts ?? 5,
      baseDelayMs: o.baseDelayMs ?? 1000,
      maxDelayMs: o.maxDelayMs ?? 60_000,
      maxQueue: o.maxQueue ?? 1000,
      concurrency: o.concurrency ?? 4,
      now: o.now ?? Date.now,
    };
  }

  /** Deliveries waiting or in flight. */
  get queued(): number {
    return this.pending;
  }

  /** Queues a notification; false (counted as dropped) when the queue is full or the sender stopped. */
  send(target: WebhookTarget, payload: Record<string, unknown>): boolean {
    if (this.stopped || this.pending >= this.o.maxQueue) {
      this.counters.dropped++;
      return false;
    }
    this.pending++;
    this.counters.queued++;
    this.ready.push({ id: randomUUID(), target, body: JSON.stringify(payload), attempt: 0 });
    this.pump();
    return true;
  }

  private pump(): void {
    while (!this.stopped && this.inFlight < this.o.concurrency && this.ready.length) {
      const d = this.ready.shift()!;
      this.inFlight++;
      void this.attempt(d).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async attempt(d: Delivery): Promise<void> {
    d.attempt++;
    const ts = Math.floor(this.o.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: String(ts),
      [DELIVERY_HEADER]: d.id,
      'user-agent': 'yiwang-cloud-incidents',
    };
    if (d.target.secret) headers[SIGNATURE_HEADER] = signBody(d.target.secret, ts, d.body);
    let ok = false;
    try {
      const res = await fetch(d.target.url, {
        method: 'POST',
        headers,
        body: d.body,
        signal: AbortSignal.timeout(this.o.timeoutMs),
        redirect: 'manual',
      });
      await res.arrayBuffer().catch(() => undefined);
      ok = res.status >= 200 && res.status < 300;
    } catch {
      ok = false;
    }
    if (ok) {
      this.counters.delivered++;
      this.pending--;
      return;
    }
    this.counters.attemptsFailed++;
    if (this.stopped || d.attempt >= this.o.maxAttempts) {
      this.counters.gaveUp++;
      this.pending--;
      return;
    }
    this.counters.retried++;
    const delay = Math.min(this.o.baseDelayMs * 2 ** (d.attempt - 1), this.o.maxDelayMs);
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.stopped) {
        this.counters.dropped++;
        this.pending--;
        return;
      }
      this.ready.push(d);
      this.pump();
    }, delay);
    t.unref();
    this.timers.add(t);
  }

  /** Stops sending: waiting retries and queued deliveries are dropped (counted). */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.counters.dropped += this.timers.size + this.ready.length;
    this.pending -= this.timers.size + this.ready.length;
    this.timers.clear();
    this.ready.length = 0;
  }
}
