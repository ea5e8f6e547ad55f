/**
 * Anti-replay sliding window (RFC 6347 §4.1.2.6) over 48-bit record sequence numbers of one epoch.
 * Sequence numbers are plain numbers (2^48 fits a double exactly); the window is 64 bits wide.
 */
export const REPLAY_WINDOW_SIZE = 64;

export class ReplayWindow {
  /** Highest sequence number accepted so far (-1: none). */
  private top = -1;
  /** Bit i set: top - i was received (bit 0 is top itself). */
  private bits = 0n;

  /** Highest sequence number marked so far (-1: none). */
  get highest(): number {
    return this.top;
  }

  /** True if `seq` is new and not too old; does not mark it (mark only after the MAC checks). */
  check(seq: number): boolean {
    if (seq > this.top) return true;
    const diff = this.top - seq;
    if (diff >= REPLAY_WINDOW_SIZE) return false;
    return ((this.bits >> BigInt(diff)) & 1n) === 0n;
  }

  /** Marks `seq` as received (after the record authenticated). */
  mark(seq: number): void {
    if (seq > this.top) {
      const shift = this.top < 0 ? REPLAY_WINDOW_SIZE : seq - this.top;
      this.bits = shift >= REPLAY_WINDOW_SIZE ? 1n : ((this.bits << BigInt(shift)) | 1n) & 0xffff_ffff_ffff_ffffn;
      this.top = seq;
    } else {
      const diff = this.top - seq;
      if (diff < REPLAY_WINDOW_SIZE) this.bits |= 1n << BigInt(diff);
    }
  }
}
