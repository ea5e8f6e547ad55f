/**
 * Rate-limited, counted log lines for events a peer can repeat at will (a bad datagram, a
 * refused login, a malformed frame). Every event is counted by its reason; of each reason only
 * the first `perWindow` in a window are logged, and when a window had more, one summary line
 * says how many were suppressed, by reason. A flood of 200k bad datagrams costs a few lines and
 * counters instead of 200k lines, and nothing goes unseen: the counts are exposed by the
 * component (status, metrics) and the summary says that lines were left out.
 *
 *   const limited = new LogLimiter(log, { what: 'coap uplinks rejected' });
 *   limited.log('warn', 'EDGE_ERR_SENML', { peer, err: e.message }, 'uplink rejected');
 *   limited.counts(); // { EDGE_ERR_SENML: 1 }
 *
 * The reasons are the caller's (error codes, say); at most `maxReasons` distinct reasons are
 * counted one by one, later ones together under `other`, so a caller that passes peer-chosen
 * text cannot grow the map. `totalPerWindow` caps the lines of all reasons together as well (the
 * cloud broker and provisioning: 20 warn lines per 10 s whatever their codes), and `summaryFields`
 * are added to the summary line (the cloud's `code: 'CLOUD_ERR_LOG_SUPPRESSED'`).
 */
import type { Logger } from './log.js';

export interface LogLimiterOptions {
  /** Lines logged per reason and window (default 10). */
  perWindow?: number;
  /** Window length in ms (default 60,000). */
  windowMs?: number;
  /** Lines logged per window, all reasons together (default: no cap beyond perWindow per reason). */
  totalPerWindow?: number;
  /** Fields added to the summary line, e.g. { code: 'CLOUD_ERR_LOG_SUPPRESSED' }. */
  summaryFields?: Record<string, unknown>;
  /** Distinct reasons counted separately (default 64); more are counted as `other`. */
  maxReasons?: number;
  /** What the summary line is about, e.g. 'coap uplinks rejected'. */
  what?: string;
  /** Level of the summary line (default warn). */
  summaryLevel?: Level;
}

export type Level = 'debug' | 'info' | 'warn' | 'error';

export const OTHER_REASON = 'other';

export class LogLimiter {
  private readonly perWindow: number;
  private readonly windowMs: number;
  private readonly maxReasons: number;
  private readonly totalPerWindow: number;
  /** Lines logged in the current window, all reasons. */
  private loggedTotal = 0;
  private readonly totals = new Map<string, number>();
  /** Lines logged per reason in the current window. */
  private logged = new Map<string, number>();
  /** Lines left out per reason in the current window. */
  private suppressed = new Map<string, number>();
  private windowStart = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  /** Lines left out since the start, all reasons. */
  suppressedTotal = 0;

  constructor(
    private readonly logger: Logger,
    private readonly opts: LogLimiterOptions = {},
  ) {
    this.perWindow = opts.perWindow ?? 10;
    this.windowMs = opts.windowMs ?? 60_000;
    this.maxReasons = opts.maxReasons ?? 64;
    this.totalPerWindow = opts.totalPerWindow ?? Infinity;
  }

  /**
   * Counts one event of `reason` and logs `obj` + `msg` at `level` unless `perWindow` lines of
   * that reason (or `totalPerWindow` lines in all) were logged in this window already. Returns
   * true when the line was logged.
   */
  log(level: Level, reason: string, obj: Record<string, unknown>, msg: string): boolean {
    const key = this.totals.has(reason) || this.totals.size < this.maxReasons ? reason : OTHER_REASON;
    this.totals.set(key, (this.totals.get(key) ?? 0) + 1);
    const now = Date.now();
    if (now - this.windowStart >= this.windowMs) this.rollWindow(now);
    const n = this.logged.get(key) ?? 0;
    if (n < this.perWindow && this.loggedTotal < this.totalPerWindow) {
      this.logged.set(key, n + 1);
      this.loggedTotal++;
      const note =
        this.loggedTotal === this.totalPerWindow
          ? `further lines are suppressed for the rest of ${this.windowMs} ms`
          : n + 1 === this.perWindow
            ? `further ${key} lines are suppressed for the rest of ${this.windowMs} ms`
            : undefined;
      this.logger[level](note ? { ...obj, reason: key, note } : obj, msg);
      return true;
    }
    this.suppressedTotal++;
    this.suppressed.set(key, (this.suppressed.get(key) ?? 0) + 1);
    if (!this.timer) {
      // the summary must come even when the flood stops: a timer to the end of the window
      this.timer = setTimeout(() => this.rollWindow(Date.now()), Math.max(1, this.windowStart + this.windowMs - now));
      this.timer.unref();
    }
    return false;
  }

  /** Events by reason since the start (logged or not). */
  counts(): Record<string, number> {
    return Object.fromEntries(this.totals);
  }

  /** Logs the summary of the current window now, if anything was suppressed, and stops the timer. */
  close(): void {
    this.rollWindow(-Infinity);
  }

  private rollWindow(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.summarise();
    this.logged = new Map();
    this.loggedTotal = 0;
    this.windowStart = now;
  }

  private summarise(): void {
    if (this.suppressed.size === 0) return;
    const byReason = Object.fromEntries(this.suppressed);
    let total = 0;
    for (const v of this.suppressed.values()) total += v;
    this.suppressed = new Map();
    this.logger[this.opts.summaryLevel ?? 'warn'](
      { ...this.opts.summaryFields, suppressed: byReason, windowMs: this.windowMs },
      `${this.opts.what ?? 'log lines'}: ${total} similar lines suppressed`,
    );
  }
}
