/**
 * Sign-in lockout and back-off (issue 22, "Login"; 等保 level 3 asks for login-failure handling):
 *
 * - per account name: `maxFailures` failures within `windowMs` lock it for `lockMs`, doubling with
 *   each further lock up to `maxLockMs`; the lock count is forgotten `lockHistoryMs` after the last
 *   lock ended. A success clears the failures, not the lock count; `unlock` (an administrator)
 *   clears the lock and the failures, not the lock count.
 * - per source address: after `addressFreeFailures` failures each further attempt waits
 *   `addressDelayMs`, doubling up to `addressMaxDelayMs` (failures forgotten `addressWindowMs` after
 *   the last one; a success does not clear them, or one valid account would reset the back-off of
 *   guesses at others), and at most `addressMaxPerMinute` sign-ins (failed or not) per minute.
 *
 * Names are keys, never looked up: a name that is no account counts, locks and answers exactly like
 * one that is, so a lock tells nothing about which accounts exist. Both maps hold at most
 * `maxEntries` entries, the least recently written evicted first (counted in `evicted`).
 */
import { LoginRefusal } from './errors.js';

export interface LoginThrottleOptions {
  readonly now?: () => number;
  /** Failures of one account within windowMs that lock it, default 5. */
  readonly maxFailures?: number;
  /** Default 15 min. */
  readonly windowMs?: number;
  /** First lock, default 15 min; doubled for each further lock. */
  readonly lockMs?: number;
  /** Longest lock, default 24 h. */
  readonly maxLockMs?: number;
  /** Lock count forgotten this long after the last lock ended, default 24 h. */
  readonly lockHistoryMs?: number;
  /** Failures of one address before the back-off starts, default 3. */
  readonly addressFreeFailures?: number;
  /** First back-off, default 1 s; doubled for each further failure. */
  readonly addressDelayMs?: number;
  /** Longest back-off, default 30 s. */
  readonly addressMaxDelayMs?: number;
  /** Failures of an address forgotten this long after its last one, default 15 min. */
  readonly addressWindowMs?: number;
  /** Sign-ins (failed or succeeded) per address per minute, default 30. */
  readonly addressMaxPerMinute?: number;
  /** Entries per map (accounts, addresses), default 100 000. */
  readonly maxEntries?: number;
}

export interface LoginThrottleStats {
  /** Account names and addresses held now. */
  readonly accounts: number;
  readonly addresses: number;
  /** Locks imposed. */
  readonly locked: number;
  /** `check` refusals because the account was locked. */
  readonly refusedWhileLocked: number;
  /** `check` refusals because of the address's back-off or per-minute cap. */
  readonly throttled: number;
  /** Entries dropped to stay within maxEntries. */
  readonly evicted: number;
}

export interface AccountLockStatus {
  /** When the current lock ends (ms), undefined when not locked. */
  readonly lockedUntilMs: number | undefined;
  /** Failures within the window. */
  readonly failures: number;
  /** Locks remembered (the next one lasts lockMs · 2^locks, capped). */
  readonly locks: number;
}

interface AccountState {
  /** Times of the recent failures, at most maxFailures of them. */
  failures: number[];
  lockedUntil: number;
  locks: number;
}

interface AddressState {
  failures: number;
  lastFailureAt: number;
  minuteStart: number;
  minuteCount: number;
}

/** Longest name or address kept as a key (longer ones share the state of their first 256 characters). */
export const THROTTLE_KEY_MAX_CHARS = 256;
const MINUTE = 60_000;

const keyOf = (s: string): string => String(s).slice(0, THROTTLE_KEY_MAX_CHARS).toLowerCase();

/** "14 min 59 s", "2 h 0 min", "30 s" */
function duration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export class LoginThrottle {
  private readonly o: Required<LoginThrottleOptions>;
  private readonly accounts = new Map<string, AccountState>();
  private readonly addresses = new Map<string, AddressState>();
  private counts = { locked: 0, refusedWhileLocked: 0, throttled: 0, evicted: 0 };

  constructor(options: LoginThrottleOptions = {}) {
    const windowMs = options.windowMs ?? 15 * MINUTE;
    const maxLockMs = options.maxLockMs ?? 24 * 60 * MINUTE;
    this.o = {
      now: options.now ?? Date.now,
      maxFailures: options.maxFailures ?? 5,
      windowMs,
      lockMs: options.lockMs ?? 15 * MINUTE,
      maxLockMs,
      lockHistoryMs: options.lockHistoryMs ?? 24 * 60 * MINUTE,
      addressFreeFailures: options.addressFreeFailures ?? 3,
      addressDelayMs: options.addressDelayMs ?? 1000,
      addressMaxDelayMs: options.addressMaxDelayMs ?? 30_000,
      addressWindowMs: options.addressWindowMs ?? windowMs,
      addressMaxPerMinute: options.addressMaxPerMinute ?? 30,
      maxEntries: options.maxEntries ?? 100_000,
    };
    for (const [k, v] of Object.entries(this.o)) {
      if (k !== 'now' && (!Number.isSafeInteger(v) || (v as number) < (k === 'addressFreeFailures' ? 0 : 1))) {
        throw new RangeError(`LoginThrottle: ${k} must be a positive integer`);
      }
    }
  }

  /** Undefined when a sign-in may be tried now, else the refusal to answer (with retryAfterS). */
  check(account: string, address: string): LoginRefusal | undefined {
    const now = this.o.now();
    const a = this.accounts.get(keyOf(account));
    if (a && a.lockedUntil > now) {
      this.counts.refusedWhileLocked++;
      const left = a.lockedUntil - now;
      return new LoginRefusal(
        'CLOUD_ERR_LOGIN_LOCKED',
        `sign-in for this account is locked after too many failed attempts, for another ${duration(left)}`,
        Math.ceil(left / 1000),
      );
    }
    const wait = this.delayMs(address);
    if (wait > 0) {
      this.counts.throttled++;
      return new LoginRefusal(
        'CLOUD_ERR_LOGIN_THROTTLED',
        `too many sign-in attempts from this address: try again in ${duration(wait)}`,
        Math.ceil(wait / 1000),
      );
    }
    return undefined;
  }

  /**
   * Ms until `address` may try again: its back-off after failures (0 for the first
   * addressFreeFailures, then addressDelayMs doubling up to addressMaxDelayMs, counted from its last
   * failure) or the end of its per-minute cap, whichever is later.
   */
  delayMs(address: string): number {
    const now = this.o.now();
    const s = this.addresses.get(keyOf(address));
    if (!s) return 0;
    let wait = 0;
    const free = this.o.addressFreeFailures;
    if (s.failures > free && now - s.lastFailureAt <= this.o.addressWindowMs) {
      const backoff = Math.min(
        this.o.addressDelayMs * 2 ** Math.min(s.failures - free - 1, 30),
        this.o.addressMaxDelayMs,
      );
      wait = s.lastFailureAt + backoff - now;
    }
    if (s.minuteCount >= this.o.addressMaxPerMinute) wait = Math.max(wait, s.minuteStart + MINUTE - now);
    return Math.max(0, wait);
  }

  /** Records a failed sign-in (wrong password or second factor, or no such account). True when it locked the account. */
  failed(account: string, address: string): boolean {
    const now = this.o.now();
    const s = this.touchAddress(address, now);
    if (now - s.lastFailureAt > this.o.addressWindowMs) s.failures = 0;
    s.failures++;
    s.lastFailureAt = now;

    const a = this.touchAccount(account);
    if (a.lockedUntil > now) return false; // refused by check; the lock is not extended
    a.failures = a.failures.filter((t) => now - t < this.o.windowMs);
    a.failures.push(now);
    if (a.failures.length < this.o.maxFailures) return false;
    if (a.lockedUntil > 0 && now - a.lockedUntil > this.o.lockHistoryMs) a.locks = 0;
    a.locks++;
    a.failures = [];
    a.lockedUntil = now + Math.min(this.o.lockMs * 2 ** Math.min(a.locks - 1, 30), this.o.maxLockMs);
    this.counts.locked++;
    return true;
  }

  /** Records a successful sign-in: clears the account's failures (not its lock count). */
  succeeded(account: string, address: string): void {
    const now = this.o.now();
    this.touchAddress(address, now);
    const key = keyOf(account);
    const a = this.accounts.get(key);
    if (!a) return;
    a.failures = [];
    const remembered = a.lockedUntil > 0 && now - a.lockedUntil <= this.o.lockHistoryMs;
    if (!remembered) this.accounts.delete(key);
  }

  /** An administrator's unlock: ends the lock and clears the failures (the lock count stays). True when it was locked. */
  unlock(account: string): boolean {
    const now = this.o.now();
    const a = this.accounts.get(keyOf(account));
    if (!a) return false;
    const was = a.lockedUntil > now;
    a.failures = [];
    if (was) a.lockedUntil = now;
    return was;
  }

  /** The state of one account name, for an administrator's view. */
  status(account: string): AccountLockStatus {
    const now = this.o.now();
    const a = this.accounts.get(keyOf(account));
    if (!a) return { lockedUntilMs: undefined, failures: 0, locks: 0 };
    const forgotten = a.lockedUntil > 0 && now - a.lockedUntil > this.o.lockHistoryMs;
    return {
      lockedUntilMs: a.lockedUntil > now ? a.lockedUntil : undefined,
      failures: a.failures.filter((t) => now - t < this.o.windowMs).length,
      locks: forgotten ? 0 : a.locks,
    };
  }

  stats(): LoginThrottleStats {
    return { accounts: this.accounts.size, addresses: this.addresses.size, ...this.counts };
  }

  private touchAccount(account: string): AccountState {
    const key = keyOf(account);
    const a = this.accounts.get(key) ?? { failures: [], lockedUntil: 0, locks: 0 };
    this.accounts.delete(key);
    this.accounts.set(key, a);
    this.bound(this.accounts);
    return a;
  }

  /** The address's state, moved to the newest end, with this sign-in counted against its per-minute cap. */
  private touchAddress(address: string, now: number): AddressState {
    const key = keyOf(address);
    const s = this.addresses.get(key) ?? { failures: 0, lastFailureAt: now, minuteStart: now, minuteCount: 0 };
    this.addresses.delete(key);
    this.addresses.set(key, s);
    this.bound(this.addresses);
    if (now - s.minuteStart >= MINUTE) {
      s.minuteStart = now;
      s.minuteCount = 0;
    }
    s.minuteCount++;
    return s;
  }

  private bound(map: Map<string, unknown>): void {
    while (map.size > this.o.maxEntries) {
      map.delete(map.keys().next().value!);
      this.counts.evicted++;
    }
  }
}
