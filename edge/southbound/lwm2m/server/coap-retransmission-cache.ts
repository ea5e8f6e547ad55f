/**
 * Answers to recent CON requests to /rd and /dp, by `address:port#messageId`, so that a
 * retransmitted CON (its ACK was lost) gets the very same answer and is not handled twice
 * (RFC 7252 §4.5). Part of the LwM2M server's CoAP binding (coap-dispatcher.ts uses it).
 */

const EXCHANGE_LIFETIME_MS = 247_000;
/** Answers kept for retransmitted CONs, in both generations together. */
const MAX_CACHED = 50_000;

export class RetransmissionCache {
  /**
   * The packet as a latin1 string ('' while the request is being handled), which costs a sixth
   * of a Buffer per entry. Two generations swapped every EXCHANGE_LIFETIME (or when one holds half
   * of MAX_CACHED): an answer is kept at least one exchange lifetime, unless a flood fills the cache.
   */
  private cache = new Map<string, string>();
  private older = new Map<string, string>();
  private rotatedAt = Date.now();

  /** Swaps the generations when the current one is a lifetime old or half the cache. */
  rotate(now: number): void {
    if (now - this.rotatedAt >= EXCHANGE_LIFETIME_MS || this.cache.size >= MAX_CACHED / 2) {
      // After a long quiet spell both generations are older than a lifetime: drop both.
      this.older = now - this.rotatedAt >= 2 * EXCHANGE_LIFETIME_MS ? new Map() : this.cache;
      this.cache = new Map();
      this.rotatedAt = now;
    }
  }

  /** A seen exchange: its answer, or 'handling' while the request is being handled; undefined when it is new. */
  seen(exchange: string): Buffer | 'handling' | undefined {
    const seen = this.cache.get(exchange) ?? this.older.get(exchange);
    if (seen === undefined) return undefined;
    return seen === '' ? 'handling' : Buffer.from(seen, 'latin1');
  }

  /**
   * Marks a new exchange as being handled; the function returned keeps its answer (in the
   * generation that holds the mark, unless that was dropped meanwhile).
   */
  begin(exchange: string): (answer: Buffer) => void {
    const cache = this.cache;
    cache.set(exchange, '');
    return (answer) => {
      if (cache.has(exchange)) cache.set(exchange, answer.toString('latin1'));
    };
  }
}
