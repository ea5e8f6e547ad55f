/**
 * The replay window kept in 16 bytes (two 32-bit halves) against a plain BigInt model of the
 * 64-bit sliding window (RFC 6347 §4.1.2.6), over random walks that cross the halves' boundary,
 * jump beyond the window and reach 48-bit sequence numbers.
 */
import t from 'tap';
import { ReplayWindow } from '../../../../edge/southbound/dtls/replay-window.js';

class Model {
  top = -1;
  bits = 0n;
  check(seq: number): boolean {
    if (seq > this.top) return true;
    const diff = this.top - seq;
    return diff < 64 && ((this.bits >> BigInt(diff)) & 1n) === 0n;
  }
  mark(seq: number): void {
    if (seq > this.top) {
      const shift = this.top < 0 ? 64 : seq - this.top;
      this.bits = shift >= 64 ? 1n : ((this.bits << BigInt(shift)) | 1n) & 0xffff_ffff_ffff_ffffn;
      this.top = seq;
    } else if (this.top - seq < 64) this.bits |= 1n << BigInt(this.top - seq);
  }
}

t.test('matches the 64-bit model on random walks', async (t) => {
  let rnd = 12345;
  const next = (n: number): number => {
    rnd = (rnd * 1103515245 + 12345) & 0x7fffffff;
    return rnd % n;
  };
  let mismatches = 0;
  for (let walk = 0; walk < 200; walk++) {
    const w = new ReplayWindow();
    const m = new Model();
    let base = walk % 2 === 0 ? 0 : 2 ** 48 - 5_000;
    for (let i = 0; i < 500; i++) {
      const step = next(10);
      // mostly near the top (inside the window, across bit 32), sometimes far ahead
      base += step === 0 ? 64 + next(100) : step === 1 ? 31 + next(3) : next(2);
      const seq = Math.max(0, Math.min(2 ** 48 - 1, base - next(70)));
      if (w.check(seq) !== m.check(seq)) mismatches++;
      if (next(4) !== 0) {
        w.mark(seq);
        m.mark(seq);
      }
      if (w.highest !== m.top) mismatches++;
    }
  }
  t.equal(mismatches, 0, 'no difference from the model');
});

t.test('bits across the 32-bit halves', async (t) => {
  const w = new ReplayWindow();
  w.mark(100);
  w.mark(100 - 40); // in the high half
  w.mark(100 - 31); // the low half's top bit
  t.notOk(w.check(60), '60 marked (high half)');
  t.notOk(w.check(69), '69 marked (bit 31)');
  t.ok(w.check(68), '68 not marked');
  w.mark(133); // shift by 33: 100 moves into the high half
  t.notOk(w.check(100), '100 still marked after the shift');
  t.notOk(w.check(69), '69 (diff 64) too old now');
  t.ok(w.check(70), '70 (diff 63) inside, not marked');
});
