/**
 * Block1Assembler on a synthetic clock: the budget, the caps and expiry hold for any sequence of
 * blocks (fast-check), and a budget freed by expiry takes new uploads again.
 */
import t from 'tap';
import fc from 'fast-check';
import {
  Block1Assembler,
  TRANSFER_OVERHEAD,
  type Block1Limits,
  type BlockOption,
} from '../../../../edge/southbound/coap/block1.js';

const RUNS = Number(process.env.YW_PROPERTY_RUNS ?? 300);
const block = (num: number, more: boolean, szx = 2): BlockOption => ({ num, more, szx });
const bytes = (n: number): Buffer => Buffer.alloc(n, 0x61);

t.test('full, then freed by expiry: 5.03 with the seconds until the idlest expires, then taken again', async (t) => {
  const a = new Block1Assembler({
    maxPayloadBytes: 4096,
    budgetBytes: 1 << 20,
    maxTransfers: 2,
    maxPerAddress: 10,
    idleMs: 10_000,
  });
  const t0 = 1_000_000;
  t.equal(a.offer('10.0.0.1', 1, 'x', 1, block(0, true), bytes(64), undefined, t0).kind, 'continue');
  t.equal(a.offer('10.0.0.1', 2, 'x', 2, block(0, true), bytes(64), undefined, t0 + 4000).kind, 'continue');
  const full = a.offer('10.0.0.2', 3, 'x', 3, block(0, true), bytes(64), undefined, t0 + 4500);
  t.match(
    full,
    { kind: 'refuse', code: '5.03', reason: 'transfersFull', maxAgeS: 6 },
    'Max-Age: the idlest expires 5.5 s later, rounded up',
  );
  t.equal(
    a.offer('10.0.0.2', 3, 'x', 4, block(0, true), bytes(64), undefined, t0 + 10_000).kind,
    'continue',
    'the idlest expired: room again',
  );
  t.same([a.stats.transfers, a.stats.expired, a.stats.transfersFull], [2, 1, 1]);
  a.sweep(t0 + 30_000);
  t.same([a.stats.transfers, a.stats.bytes], [0, 0], 'all expired, nothing held');
});

t.test('the per-address cap counts every port of an address', async (t) => {
  const a = new Block1Assembler({
    maxPayloadBytes: 4096,
    budgetBytes: 1 << 20,
    maxTransfers: 100,
    maxPerAddress: 3,
    idleMs: 10_000,
  });
  for (let port = 1; port <= 3; port++)
    t.equal(a.offer('10.0.0.1', port, 'x', port, block(0, true), bytes(64), undefined, 0).kind, 'continue');
  t.match(a.offer('10.0.0.1', 4, 'x', 4, block(0, true), bytes(64), undefined, 0), {
    code: '4.29',
    reason: 'perAddressFull',
  });
  t.equal(
    a.offer('10.0.0.2', 4, 'x', 5, block(0, true), bytes(64), undefined, 0).kind,
    'continue',
    'another address is not affected',
  );
  // a finished upload frees its place
  t.equal(a.offer('10.0.0.1', 1, 'x', 6, block(1, false), bytes(10), undefined, 1).kind, 'complete');
  t.equal(a.offer('10.0.0.1', 4, 'x', 7, block(0, true), bytes(64), undefined, 2).kind, 'continue');
});

t.test('completed uploads kept for retransmissions give way to new ones when the budget is short', async (t) => {
  const per = 128 + 'a:1|x'.length + TRANSFER_OVERHEAD; // capacity of a 64-byte block 0 is 128
  const a = new Block1Assembler({
    maxPayloadBytes: 4096,
    budgetBytes: 3 * per,
    maxTransfers: 100,
    maxPerAddress: 100,
    idleMs: 10_000,
  });
  for (let i = 1; i <= 3; i++) {
    t.equal(a.offer('a', i, 'x', i * 10, block(0, true), bytes(64), undefined, 0).kind, 'continue');
    t.equal(a.offer('a', i, 'x', i * 10 + 1, block(1, false), bytes(5), undefined, 0).kind, 'complete');
  }
  t.equal(a.stats.bytes, 3 * per, 'three completed uploads kept');
  t.match(
    a.offer('a', 1, 'x', 11, block(1, false), bytes(5), undefined, 0),
    { kind: 'complete', payload: Buffer.concat([bytes(64), bytes(5)]) },
    'a retransmitted last block gets the whole payload again',
  );
  for (let i = 4; i <= 6; i++)
    t.equal(
      a.offer('a', i, 'x', i * 10, block(0, true), bytes(64), undefined, 0).kind,
      'continue',
      `new upload ${i} takes a completed one's place`,
    );
  t.equal(a.stats.transfers, 3);
  t.match(
    a.offer('a', 7, 'x', 70, block(0, true), bytes(64), undefined, 0),
    { code: '5.03', reason: 'budgetFull' },
    'unfinished ones are never evicted',
  );
  t.equal(
    a.offer('a', 1, 'x', 11, block(1, false), bytes(5), undefined, 0).kind,
    'unknown',
    'the forgotten one falls back to the exchange cache',
  );
});

t.test(
  'for any sequence of blocks: bytes within the budget, caps held, accounting exact, all freed after idleMs',
  async (t) => {
    const limits: Block1Limits = {
      maxPayloadBytes: 2048,
      budgetBytes: 16 * 1024,
      maxTransfers: 12,
      maxPerAddress: 5,
      idleMs: 5000,
    };
    const step = fc.record({
      address: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'),
      port: fc.integer({ min: 1, max: 4 }),
      target: fc.constantFrom('a', 'b', 'c'),
      mid: fc.integer({ min: 0, max: 20 }),
      num: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })),
      more: fc.boolean(),
      szx: fc.integer({ min: 0, max: 6 }),
      fill: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1.2, noNaN: true })),
      size1: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
      dt: fc.integer({ min: 0, max: 2000 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const a = new Block1Assembler(limits);
        let now = 0;
        for (const s of steps) {
          now += s.dt;
          const size = 16 << s.szx;
          const len = Math.min(1024, Math.floor(size * s.fill));
          const out = a.offer(
            s.address,
            s.port,
            s.target,
            s.mid,
            block(s.num, s.more, s.szx),
            bytes(len),
            s.size1,
            now,
          );
          if (out.kind === 'complete' && out.payload.length > limits.maxPayloadBytes) return false;
          const internal = a as unknown as {
            transfers: Map<string, { address: string; held: number }>;
            recent: Map<string, { held: number }>;
            perAddress: Map<string, number>;
          };
          let held = 0;
          const perAddress = new Map<string, number>();
          for (const tr of internal.transfers.values()) {
            held += tr.held;
            perAddress.set(tr.address, (perAddress.get(tr.address) ?? 0) + 1);
          }
          for (const r of internal.recent.values()) held += r.held;
          if (a.stats.bytes !== held || a.stats.bytes > limits.budgetBytes || a.stats.bytes < 0) return false;
          if (a.stats.transfers !== internal.transfers.size || a.stats.transfers > limits.maxTransfers) return false;
          for (const [addr, n] of perAddress)
            if (n > limits.maxPerAddress || internal.perAddress.get(addr) !== n) return false;
          if (internal.perAddress.size !== perAddress.size) return false;
        }
        a.sweep(now + limits.idleMs);
        return a.stats.bytes === 0 && a.stats.transfers === 0;
      }),
      { numRuns: RUNS },
    );
    t.pass(`${RUNS} sequences`);
  },
);
