/**
 * Connection slots of the HJ 212 server (issue 16, finding 8): a total cap and a cap per source
 * address. When a cap is reached the new connection takes the place of the idlest connection
 * (longest without a byte) that has never sent a valid frame; only when every connection under
 * that cap belongs to a proven instrument is the new one refused. So a flood of slow or silent
 * connections can delay an honest instrument by one connect, never lock it out.
 */

export interface Slot {
  /** Source address (IPv4-mapped IPv6 written as IPv4). */
  readonly source: string;
  /** Has sent a valid frame (CRC, MN and PW accepted). */
  readonly proven: boolean;
  /** When its last byte arrived (or it connected), ms. */
  readonly lastByteAt: number;
}

export type Admission<S extends Slot> =
  | { admit: true; evict?: S; reason?: 'total' | 'source' }
  | { admit: false; reason: 'total' | 'source' };

export const sourceOf = (address: string | undefined): string =>
  (address ?? '?').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

export class ConnectionSlots<S extends Slot> {
  private readonly all = new Set<S>();
  private readonly bySource = new Map<string, Set<S>>();

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerSource: number,
  ) {}

  get size(): number {
    return this.all.size;
  }

  /** Whether a new connection from `source` may enter, and which connection must leave for it. */
  admit(source: string): Admission<S> {
    const mine = this.bySource.get(source);
    if (mine && mine.size >= this.maxPerSource) {
      const victim = idlestUnproven(mine);
      // The victim leaves a slot of the total as well, so the total cap needs nothing more.
      return victim ? { admit: true, evict: victim, reason: 'source' } : { admit: false, reason: 'source' };
    }
    if (this.all.size >= this.maxTotal) {
      const victim = idlestUnproven(this.all);
      return victim ? { admit: true, evict: victim, reason: 'total' } : { admit: false, reason: 'total' };
    }
    return { admit: true };
  }

  add(s: S): void {
    this.all.add(s);
    let set = this.bySource.get(s.source);
    if (!set) {
      set = new Set();
      this.bySource.set(s.source, set);
    }
    set.add(s);
  }

  delete(s: S): void {
    this.all.delete(s);
    const set = this.bySource.get(s.source);
    if (!set) return;
    set.delete(s);
    if (set.size === 0) this.bySource.delete(s.source);
  }
}

function idlestUnproven<S extends Slot>(set: Iterable<S>): S | undefined {
  let best: S | undefined;
  for (const s of set) if (!s.proven && (!best || s.lastByteAt < best.lastByteAt)) best = s;
  return best;
}
