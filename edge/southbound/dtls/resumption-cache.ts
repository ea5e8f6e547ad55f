/**
 * The server's session cache for resumption (RFC 5246 §7.3, abbreviated handshake by session ID):
 * per session ID the master secret, cipher suite, PSK identity, whether the extended master secret
 * was used, and a digest of the PSK it was made with (a key removed or changed since refuses the
 * resumption). Bounded by entries and estimated bytes (least recently used first, counted) and by
 * a lifetime from the full handshake (an expired entry is never used; it is dropped when looked up
 * or when it reaches the least recently used end, counted). The master secrets live in a slab
 * (slab.ts), not one Buffer each.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Slab } from './slab.js';

export const SESSION_ID_LENGTH = 32;
/** Slot layout: master secret, PSK digest, creation time (double), suite id, EMS flag. */
const MASTER = 48;
const DIGEST = 16;
const CREATED = MASTER + DIGEST;
const SUITE = CREATED + 8;
const EMS = SUITE + 2;
const SLOT_SIZE = EMS + 1;
/** Estimated bytes of an entry without its identity: slab slot, map entry and key, identity slot. */
export const RESUMPTION_ENTRY_BYTES = 176;

/** A cache entry as looked up (made per lookup; the cache keeps only a slot and the identity). */
export interface ResumptionEntry {
  readonly identity: string;
  readonly suiteId: number;
  readonly ems: boolean;
  readonly slot: number;
}

export interface ResumptionCounters {
  evicted: number;
  expired: number;
}

/** The digest kept instead of the PSK (the cache holds no key). */
export function pskDigest(psk: Buffer): Buffer {
  return createHash('sha256').update('dtls resumption psk').update(psk).digest().subarray(0, DIGEST);
}

export class ResumptionCache {
  /** Slot by session ID (a latin1 string); insertion order = recency (oldest first). */
  private readonly entries = new Map<string, number>();
  /** PSK identity by slot. */
  private readonly identities: (string | undefined)[] = [];
  private readonly slab = new Slab(SLOT_SIZE);
  private total = 0;
  readonly counters: ResumptionCounters = { evicted: 0, expired: 0 };

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly lifetimeMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.total;
  }

  /** Remembers a session; evicts the least recently used entries beyond the bounds. */
  add(id: Buffer, master: Buffer, psk: Buffer, identity: string, suiteId: number, ems: boolean, now: number): void {
    if (this.maxEntries === 0) return;
    const key = id.toString('latin1');
    this.delete(key);
    const slot = this.slab.alloc();
    const b = this.slab.chunk(slot);
    const o = this.slab.offset(slot);
    master.copy(b, o, 0, MASTER);
    pskDigest(psk).copy(b, o + MASTER);
    b.writeDoubleLE(now, o + CREATED);
    b.writeUInt16LE(suiteId, o + SUITE);
    b[o + EMS] = ems ? 1 : 0;
    this.identities[slot] = identity;
    this.entries.set(key, slot);
    this.total += this.bytesOf(identity);
    while (this.entries.size > this.maxEntries || this.total > this.maxBytes) {
      this.delete(this.entries.keys().next().value as string);
      this.counters.evicted++;
    }
  }

  /** The entry of a session ID, if known and within its lifetime (then the most recently used). */
  get(id: Buffer, now: number): ResumptionEntry | undefined {
    const key = id.toString('latin1');
    const slot = this.entries.get(key);
    if (slot === undefined) return undefined;
    const b = this.slab.chunk(slot);
    const o = this.slab.offset(slot);
    if (now - b.readDoubleLE(o + CREATED) >= this.lifetimeMs) {
      this.delete(key);
      this.counters.expired++;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, slot);
    return { identity: this.identities[slot]!, suiteId: b.readUInt16LE(o + SUITE), ems: b[o + EMS] === 1, slot };
  }

  /** A copy of the entry's master secret. */
  master(e: ResumptionEntry): Buffer {
    const o = this.slab.offset(e.slot);
    return Buffer.from(this.slab.chunk(e.slot).subarray(o, o + MASTER));
  }

  /** True if `psk` is the key the entry was made with. */
  sameKey(e: ResumptionEntry, psk: Buffer): boolean {
    const o = this.slab.offset(e.slot) + MASTER;
    return timingSafeEqual(this.slab.chunk(e.slot).subarray(o, o + DIGEST), pskDigest(psk));
  }

  remove(id: Buffer): void {
    this.delete(id.toString('latin1'));
  }

  /** Drops expired entries at the least recently used end (the caller's periodic sweep). */
  sweep(now: number): void {
    for (const [key, slot] of this.entries) {
      if (now - this.slab.chunk(slot).readDoubleLE(this.slab.offset(slot) + CREATED) < this.lifetimeMs) return;
      this.delete(key);
      this.counters.expired++;
    }
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.delete(key);
  }

  private bytesOf(identity: string): number {
    return RESUMPTION_ENTRY_BYTES + identity.length * 2;
  }

  private delete(key: string): void {
    const slot = this.entries.get(key);
    if (slot === undefined) return;
    this.entries.delete(key);
    this.total -= this.bytesOf(this.identities[slot]!);
    this.identities[slot] = undefined;
    this.slab.release(slot);
  }
}
