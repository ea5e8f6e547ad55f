/**
 * Stateless HelloVerifyRequest cookies (RFC 6347 §4.2.1): an HMAC-SHA256 over the client's address
 * and port and its ClientHello (every field but the cookie), keyed by a secret that rotates every
 * `lifetimeMs`. The secret of a period is derived from the master secret and the period number, so
 * nothing is stored per client and a cookie stays valid for one to two periods.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const COOKIE_LENGTH = 16;

export class CookieJar {
  private readonly master: Buffer;

  constructor(
    master: Buffer | undefined,
    private readonly lifetimeMs: number,
    private readonly now: () => number,
  ) {
    this.master = master ?? randomBytes(32);
  }

  private secret(period: number): Buffer {
    return createHmac('sha256', this.master).update(`dtls cookie ${period}`).digest();
  }

  private compute(period: number, address: string, port: number, hello: readonly Buffer[]): Buffer {
    const h = createHmac('sha256', this.secret(period)).update(`${address}|${port}|`);
    for (const part of hello) h.update(part);
    return h.digest().subarray(0, COOKIE_LENGTH);
  }

  /** The cookie for this client and ClientHello in the current period. */
  make(address: string, port: number, hello: readonly Buffer[]): Buffer {
    return this.compute(Math.floor(this.now() / this.lifetimeMs), address, port, hello);
  }

  /** True if `cookie` was made for this client and hello in this period or the one before. */
  verify(cookie: Buffer, address: string, port: number, hello: readonly Buffer[]): boolean {
    if (cookie.length !== COOKIE_LENGTH) return false;
    const period = Math.floor(this.now() / this.lifetimeMs);
    for (const p of [period, period - 1]) {
      if (timingSafeEqual(cookie, this.compute(p, address, port, hello))) return true;
    }
    return false;
  }
}
