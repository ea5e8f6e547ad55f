/**
 * Fixed-size slots in a few large buffers, with a free list: the per-session bytes of the DTLS
 * server (keys, salts, sequence numbers, replay window, CID) and of the resumption cache (master
 * secrets) live here instead of in one Buffer or KeyObject per session, each of which costs a JS
 * wrapper, a backing store and a native handle (several hundred bytes) for a few dozen bytes of
 * data. A slot is a number; `chunk(slot)` and `offset(slot)` locate its bytes. Released slots are
 * wiped and reused first; chunks are kept once allocated (the peak is what the bounds allow).
 */
export class Slab {
  private readonly chunks: Buffer[] = [];
  private readonly free: number[] = [];
  private highWater = 0;
  private readonly shift: number;
  private readonly mask: number;

  /** `slotSize` bytes per slot, 2^`chunkBits` slots per chunk. */
  constructor(
    readonly slotSize: number,
    chunkBits = 8,
  ) {
    this.shift = chunkBits;
    this.mask = (1 << chunkBits) - 1;
  }

  /** Slots in use. */
  get used(): number {
    return this.highWater - this.free.length;
  }

  /** A zeroed slot. */
  alloc(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const slot = this.highWater++;
    if (slot >> this.shift >= this.chunks.length) this.chunks.push(Buffer.alloc(this.slotSize * (this.mask + 1)));
    return slot;
  }

  /** Wipes a slot and makes it free (the caller releases each slot once). */
  release(slot: number): void {
    const o = this.offset(slot);
    this.chunk(slot).fill(0, o, o + this.slotSize);
    this.free.push(slot);
  }

  chunk(slot: number): Buffer {
    return this.chunks[slot >>> this.shift]!;
  }

  offset(slot: number): number {
    return (slot & this.mask) * this.slotSize;
  }
}
