/** The fixed-header scanner in front of Aedes (cloud/broker/packet-guard.ts), and the rate limiters beside it. */
import t from 'tap';
import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { FrameScanner, meterReads, type FrameVerdict } from '../../../cloud/broker/packet-guard.js';
import { KeyedBuckets, PEER_LOG_BUDGET, TokenBucket } from '../../../cloud/broker/rate-limit.js';
import { LogLimiter } from '../../../common/log-limiter.js';
import { captureLog } from '../../helpers/log-capture.js';
import { until } from '../../helpers/wait.js';

const varint = (n: number): Buffer => {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
};
const frame = (type: number, len: number): Buffer =>
  Buffer.concat([Buffer.from([type << 4]), varint(len), Buffer.alloc(len, 0x5a)]);

/** Splits a buffer at the given cut points (any positions). */
function chunks(b: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, b.length]) {
    out.push(b.subarray(prev, c));
    prev = c;
  }
  return out;
}

t.test('packets of any size, cut anywhere: counted exactly; the first one over the limit is named', async () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 0, max: 3000 })), {
        minLength: 1,
        maxLength: 20,
      }),
      fc.array(fc.nat(), { maxLength: 30 }),
      fc.integer({ min: 2, max: 3100 }),
      (packets, cuts, limit) => {
        const s = new FrameScanner(limit);
        const stream = Buffer.concat(packets.map(([type, len]) => frame(type, len)));
        const firstOver = packets.findIndex(([, len]) => 1 + varint(len).length + len > limit);
        let verdict: FrameVerdict | undefined;
        for (const c of chunks(stream, cuts)) {
          verdict = s.feed(c);
          if (verdict) break;
        }
        if (firstOver < 0) return verdict === undefined && s.packets === packets.length;
        const [type, len] = packets[firstOver]!;
        return (
          verdict?.reason === 'too_large' &&
          verdict.packetType === type &&
          verdict.bytes === 1 + varint(len).length + len &&
          s.packets === firstOver
        );
      },
    ),
    { numRuns: 500 },
  );
});

t.test('the largest remaining length is seen from its header alone; five length bytes are malformed', async (t) => {
  const s = new FrameScanner(4096);
  t.same(s.feed(Buffer.from([0x10, 0xff])), undefined, 'not known yet');
  t.same(s.feed(Buffer.from([0xff, 0xff, 0x7f])), {
    reason: 'too_large',
    bytes: 268_435_460,
    limit: 4096,
    packetType: 1,
  });
  t.same(new FrameScanner(4096).feed(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01])), { reason: 'malformed' });
  const big = new FrameScanner(10);
  t.equal(big.feed(frame(3, 8)), undefined);
  big.limit = 100; // raised between packets (after authentication)
  t.equal(big.feed(frame(3, 90)), undefined);
  t.equal(big.packets, 2);
});

t.test('meterReads hands the consumer nothing once the check fails, and destroys the stream', async (t) => {
  const p = new PassThrough();
  const seen: number[] = [];
  meterReads(p, (c) => {
    seen.push(c.length);
    return c[0] !== 0xff;
  });
  p.write(Buffer.from([1, 2, 3]));
  t.same(p.read(), Buffer.from([1, 2, 3]));
  p.write(Buffer.from([0xff, 0]));
  t.equal(p.read(), null);
  t.ok(p.destroyed);
  t.same(seen, [3, 2]);
});

t.test("token buckets: a minute's worth at once, then the rate; per-key table stays bounded", async (t) => {
  const b = new TokenBucket(6, 0);
  t.same(
    Array.from({ length: 8 }, () => b.take(0)),
    [true, true, true, true, true, true, false, false],
  );
  t.equal(b.waitMs(0), 10_000, 'one token every 10 s');
  t.ok(b.take(10_000));
  t.ok(new TokenBucket(0).take(), '0 = unlimited');
  const k = new KeyedBuckets(2, 100);
  for (let i = 0; i < 1000; i++) k.take(`10.0.${i >> 8}.${i & 255}`, 0);
  t.equal(k.size, 100, 'at most maxKeys addresses remembered');
  t.equal(k.evicted, 900, 'forgetting an address that still had a debt is counted');
  t.ok(k.take('a', 0) && k.take('a', 0) && !k.take('a', 0), 'per key');
  t.ok(k.take('b', 0), 'another key has its own bucket');
});

t.test(
  'the peer log budget writes the first lines of a window, whatever their codes, and a summary of the rest',
  async (t) => {
    const logs = captureLog();
    let suppressed = 0;
    // the broker's budget (common/log-limiter.ts with PEER_LOG_BUDGET), smaller and shorter
    const lb = new LogLimiter(logs.log, { ...PEER_LOG_BUDGET, perWindow: 3, totalPerWindow: 3, windowMs: 200 });
    for (let i = 0; i < 50; i++) {
      const code = i % 2 ? 'CLOUD_ERR_A' : 'CLOUD_ERR_B';
      if (!lb.log('warn', code, { code, i }, 'bad thing')) suppressed++;
    }
    t.equal(logs.lines.filter((l) => l.msg === 'bad thing').length, 3, 'three lines in all, not three per code');
    t.equal(suppressed, 47);
    t.equal(lb.suppressedTotal, 47);
    await until('summary line', () => logs.withCode('CLOUD_ERR_LOG_SUPPRESSED').length > 0);
    const summary = logs.withCode('CLOUD_ERR_LOG_SUPPRESSED');
    t.equal(summary.length, 1, 'one summary line when the window ends');
    t.same(
      summary[0]!.suppressed,
      { CLOUD_ERR_A: 24, CLOUD_ERR_B: 23 },
      'the summary counts the lines left out by code',
    );
    t.ok(lb.log('warn', 'CLOUD_ERR_A', { code: 'CLOUD_ERR_A' }, 'bad thing'));
    t.equal(logs.lines.filter((l) => l.msg === 'bad thing').length, 4, 'a new window writes again');
    lb.close();
  },
);
