/**
 * Slims node-coap's exchange cache (its LRU of sent responses, which answers a retransmitted CON
 * with the same bytes). node-coap 1.5 stores each response Buffer with a RetrySend attached, and
 * that sender keeps two things an entry does not need:
 *  - its 'error' listener, `response.emit.bind(response, 'error')`, which holds the whole
 *    OutgoingMessage stream and through it the request packet (payload, options): ~3.7 KB;
 *  - for a piggybacked ACK, a 202 s (MAX_RTT) timer that can only emit 'timeout', which nothing
 *    listens to: an ACK is never retransmitted.
 * Under a flood every entry outlives a few young-generation GCs, so all of that was promoted to
 * the old generation and collected there by mark-compacts, the costliest GC under the agent's heap
 * caps (edge/runtime-flags.ts). Slimmed, an ACK entry is ~0.7 KB of heap instead of ~4.7 KB, and
 * `npm run bench -- edge-ingest` went from ratio 0.603 (rounds 0.560-0.703), RSS 144 MB, to medians
 * of 0.71-0.82 over three runs, RSS 120-126 MB (2026-11-29, same machine, within two hours).
 *
 * After node-coap has stored and sent an entry (same tick), the sender's 'error' listeners are
 * replaced by `onError` (the agent's one shared listener; RetrySend emits 'error' only for a failed
 * socket send); an ACK's sender is reset (its timers cleared) and detached from the entry, since an
 * ACK is never retransmitted. Observe notifications are left as they are. The cached Buffer itself, which answers
 * retransmissions, is untouched. This reaches into node-coap's private `_lru` (node-coap-internals.ts,
 * item 2): slimExchangeCache() returns false when that is not there (a node-coap upgrade changed
 * it), and the agent logs a warning and runs with the fat entries; node-coap-internals.test.ts and
 * exchange-cache.test.ts (test/edge/southbound/coap/) fail in that case, so an upgrade cannot slip
 * it in unnoticed.
 */
import type coap from 'coap';
import { exchangeCacheOf, type CachedResponse } from './node-coap-internals.js';

/** Bits 4-5 of a CoAP header's first byte: the message type (0 CON, 1 NON, 2 ACK, 3 RST). */
const TYPE_MASK = 0x30;
const ACK_TYPE = 0x20;

export function slimExchangeCache(server: coap.Server, onError: (err: Error) => void): boolean {
  const lru = exchangeCacheOf(server);
  if (!lru) return false;
  const set = lru.set.bind(lru);
  // node-coap attaches the sender right after set() and sends in the same call: slim the entries
  // of one tick together, in one microtask.
  let pending: CachedResponse[] = [];
  const slim = (): void => {
    const entries = pending;
    pending = [];
    for (const buf of entries) {
      const sender = buf.sender;
      // an Observe notification's entry carries its stream on purpose (a send error ends it): kept
      if (!sender || buf.response !== undefined) continue;
      sender.removeAllListeners('error');
      sender.on('error', onError);
      if ((buf[0]! & TYPE_MASK) === ACK_TYPE) {
        // an ACK is never retransmitted: its sender's timers are dead weight, and so is the sender
        // once the send is under way (node-coap's eviction only calls sender?.reset())
        sender.reset();
        buf.sender = undefined;
      }
    }
  };
  lru.set = (key: string, value: CachedResponse, ...rest: unknown[]): unknown => {
    const result = set(key, value, ...rest);
    if (pending.push(value) === 1) queueMicrotask(slim);
    return result;
  };
  return true;
}
