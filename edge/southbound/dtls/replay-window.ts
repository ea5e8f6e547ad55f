/**
 * Anti-replay sliding window (RFC 6347 §4.1.2.6) over 48-bit record sequence numbers of one epoch.
 * Sequence numbers are plain numbers (2^48 fits a double exactly); the window is 64 bits wide.
 * The state is 16 bytes in a buffer (the highest sequence number as a double, then the window as
 * two 32-bit halves, little-endian), so that a session keeps it in its slab slot (slab.ts) and
 * not in objects of its own. `replayInit` must run on fresh bytes before use.
 */
export const REPLAY_WINDOW_SIZE = 64;
/** Bytes of replay state. */
export const REPLAY_STATE_BYTES = 16;

export function replayInit(b: Buffer, o: number): void {
  b.writeDoubleLE(-1, o);
  b.writeUInt32LE(0, o + 8);
  b.writeUInt32LE(0, o + 12);
}

/** Highest sequence number marked so far (-1: none). */
export function replayHighest(b: Buffer, o: number): number {
  return b.readDoubleLE(o);
}

/** True if `seq` is new and not too old; does not mark it (mark only after the MAC checks). */
export function replayCheck(b: Buffer, o: number, seq: number): boolean {
  const top = b.readDoubleLE(o);
  if (seq > top) return true;
  const diff = top - seq;
  if (diff >= REPLAY_WINDOW_SIZE) return false;
  const word = diff < 32 ? b.readUInt32LE(o + 8) : b.readUInt32LE(o + 12);
  return ((word >>> (diff % 32)) & 1) === 0;
}

/** Marks `seq` as received (after the record authenticated). Bit i set: top - i was received. */
export function replayMark(b: Buffer, o: number, seq: number): void {
  const top = b.readDoubleLE(o);
  let lo = b.readUInt32LE(o + 8);
  let hi = b.readUInt32LE(o + 12);
  if (seq > top) {
    const shift = top < 0 ? REPLAY_WINDOW_SIZE : seq - top;
    if (shift >= REPLAY_WINDOW_SIZE) {
      hi = 0;
      lo = 1;
    } else if (shift >= 32) {
      hi = lo << (shift - 32);
      lo = 1;
    } else {
      hi = (hi << shift) | (lo >>> (32 - shift));
      lo = (lo << shift) | 1;
    }
    b.writeDoubleLE(seq, o);
  } else {
    const diff = top - seq;
    if (diff >= REPLAY_WINDOW_SIZE) return;
    if (diff < 32) lo |= 1 << diff;
    else hi |= 1 << (diff - 32);
  }
  b.writeUInt32LE(lo >>> 0, o + 8);
  b.writeUInt32LE(hi >>> 0, o + 12);
}

/** A window with bytes of its own (tests, clients). */
export class ReplayWindow {
  private readonly state = Buffer.alloc(REPLAY_STATE_BYTES);

  constructor() {
    replayInit(this.state, 0);
  }

  get highest(): number {
    return replayHighest(this.state, 0);
  }

  check(seq: number): boolean {
    return replayCheck(this.state, 0, seq);
  }

  mark(seq: number): void {
    replayMark(this.state, 0, seq);
  }
}
