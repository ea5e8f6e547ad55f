/**
 * Property tests of the batch codec (fast-check): whatever bytes arrive — random, mutated from real
 * batches, or well-framed bodies with arbitrary column contents and timeline claims — decodeBatch
 * either returns, with every declared reading decoded or counted as quarantined, or throws a
 * YiwangError WIRE_ERR_*; never anything else, and never slowly. And encode → decode is the identity.
 */
import t from 'tap';
import fc from 'fast-check';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { encodeBatch, decodeBatch, type DecodeLimits } from '../../proto/batch-codec.js';
import { DICTIONARY_V1 } from '../../proto/dictionary.js';
import { pb, Priority, ClockQuality } from '../../proto/index.js';
import { UNIT_NAMES } from '../../proto/units.js';
import type { Reading } from '../../proto/reading.js';

const RUNS = Number(process.env.YW_PROPERTY_RUNS ?? 300);
const MAX_MS = 1000; // per decode, generous: the slowest legal input here decodes in a few ms
const key = { gatewayId: 'gw-prop', epoch: 3, seq: 9 };
const MAX_TS = 4_102_444_800_000; // 2100-01-01

const reading: fc.Arbitrary<Reading> = fc.record({
  deviceId: fc.stringMatching(/^[a-z0-9:._-]{1,24}$/),
  metric: fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/),
  unit: fc.constantFrom(...UNIT_NAMES.keys(), 'l/min', 'kPa', 'µS/cm'),
  ts: fc.integer({ min: -MAX_TS, max: MAX_TS }),
  value: fc.oneof(
    fc.integer({ min: -1e9, max: 1e9 }),
    fc.integer({ min: -1e9, max: 1e9 }).map((i) => i / 100),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
    fc.boolean(),
    fc.string({ maxLength: 40 }),
  ),
  clock: fc.constantFrom(
    ClockQuality.CLOCK_GATEWAY_SYNCED,
    ClockQuality.CLOCK_DEVICE,
    ClockQuality.CLOCK_GATEWAY_UNSYNCED,
    ClockQuality.CLOCK_GATEWAY_CORRECTED,
  ),
  priority: fc.constantFrom(Priority.PRIORITY_NORMAL, Priority.PRIORITY_ALARM, Priority.PRIORITY_BULK),
});

const canon = (rs: Reading[]): string[] =>
  rs.map((r) => JSON.stringify([r.deviceId, r.metric, r.unit, r.ts, r.value, r.clock, r.priority])).sort();

/** Decodes and checks the outcome; returns what happened for the caller's own assertions. */
function judge(bytes: Uint8Array, limits: Partial<DecodeLimits> = {}): 'ok' | string {
  const t0 = performance.now();
  let result: { value: 'ok' | string } | { error: unknown };
  try {
    result = { value: outcome(bytes, limits) };
  } catch (error) {
    result = { error };
  }
  // a slow decode fails even when it threw
  const ms = performance.now() - t0;
  if (ms > MAX_MS) throw new Error(`decode took ${ms.toFixed(0)} ms`);
  if ('error' in result) throw result.error;
  return result.value;
}

/** Decodes and checks the result: 'ok', or the WIRE_ERR_ code of a refusal; throws on anything else. */
function outcome(bytes: Uint8Array, limits: Partial<DecodeLimits>): 'ok' | string {
  try {
    const d = decodeBatch(bytes, limits);
    const declared = pb.Batch.decode(bytes).readingCount;
    const quarantined = d.quarantined.reduce((n, g) => n + g.count, 0);
    if (d.readings.length + quarantined !== declared)
      throw new Error(`accounting: ${d.readings.length} + ${quarantined} != ${declared}`);
    if (d.readings.length > (limits.maxReadings ?? 100_000)) throw new Error('more readings than the limit');
    for (const r of d.readings)
      if (!Number.isSafeInteger(r.ts) || (typeof r.value === 'number' && !Number.isFinite(r.value)))
        throw new Error(`bad reading ${JSON.stringify(r)}`);
    return 'ok';
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (!code?.startsWith('WIRE_ERR_')) throw err;
    return code;
  }
}

t.test('encode → decode is the identity', async (t) => {
  fc.assert(
    fc.property(fc.array(reading, { maxLength: 60 }), fc.constantFrom(0, 1), (rs, codec) => {
      const d = decodeBatch(encodeBatch(key, rs, [], { codec }));
      return d.quarantined.length === 0 && JSON.stringify(canon(d.readings)) === JSON.stringify(canon(rs));
    }),
    { numRuns: RUNS },
  );
  t.pass(`${RUNS} random batches round-trip`);
});

t.test('random bytes: only WIRE_ERR_* errors', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), (b) => {
      judge(b);
    }),
    { numRuns: RUNS * 3 },
  );
  t.pass();
});

/** A mutation of a byte string: flips, inserted or deleted bytes, truncation, a spliced run. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(src: Uint8Array, ms: Mutation[]): Buffer {
  let b = Buffer.from(src);
  for (const m of ms) {
    const at = b.length ? m.at % b.length : 0;
    if (m.kind === 'flip' && b.length) b[at]! ^= 1 << m.bit;
    else if (m.kind === 'set' && b.length) b[at] = m.byte;
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
    else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.n)]);
    else if (m.kind === 'truncate') b = b.subarray(0, at);
  }
  return b;
}

t.test('mutated envelopes and bodies: only WIRE_ERR_* errors, every reading accounted for', async (t) => {
  const outcomes = new Map<string, number>();
  fc.assert(
    fc.property(
      fc.array(reading, { minLength: 1, maxLength: 40 }),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      fc.constantFrom(0, 1),
      (rs, ms, inBody, codec) => {
        const good = encodeBatch(
          key,
          rs,
          [{ id: 'e', deviceId: rs[0]!.deviceId, type: 'smoke', severity: 2, tsMs: 1, attributes: { a: 'b' } }],
          { codec },
        );
        let bytes: Uint8Array;
        if (inBody) {
          // mutate the body itself (not its compressed form) and keep the envelope's count
          const env = pb.Batch.decode(good);
          const raw = codec === 1 ? inflateRawSync(env.body, { dictionary: DICTIONARY_V1 }) : Buffer.from(env.body);
          const body = mutate(raw, ms);
          bytes = pb.Batch.encode({
            ...env,
            body: codec === 1 ? deflateRawSync(body, { dictionary: DICTIONARY_V1 }) : body,
          }).finish();
        } else bytes = mutate(good, ms);
        const r = judge(bytes);
        outcomes.set(r, (outcomes.get(r) ?? 0) + 1);
      },
    ),
    { numRuns: RUNS * 3 },
  );
  t.ok((outcomes.get('ok') ?? 0) > 0, `outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
});

/** Well-framed bodies with arbitrary columns: the block logic, not the framing, is under test. */
const u32 = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
const timeline = fc.record(
  {
    startMs: fc.oneof(fc.integer({ min: 0, max: MAX_TS }), fc.constant(2 ** 62), fc.constant(-(2 ** 62))),
    stepMs: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(2 ** 50)),
    deltas: fc.array(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(2 ** 53)), { maxLength: 6 }),
    count: u32,
  },
  { requiredKeys: ['startMs'] },
);
const small = fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 6 });
const deviceData = fc.record(
  {
    deviceId: fc.oneof(fc.stringMatching(/^[a-z]{0,6}$/), fc.string({ maxLength: 8 })),
    timelines: fc.array(timeline, { maxLength: 4 }),
    metric: fc.array(fc.oneof(fc.constantFrom('m', 'n', ''), fc.string({ maxLength: 4 })), { maxLength: 4 }),
    unit: small,
    unitText: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
    kind: small,
    scale: small,
    timeline: small.map((a) => a.map(Math.abs)),
    absentCount: small.map((a) => a.map(Math.abs)),
    priority: small,
    clock: small,
    absent: fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 6 }),
    ints: fc.array(fc.oneof(fc.integer(), fc.constant(2 ** 62)), { maxLength: 8 }),
    floats: fc.array(fc.double(), { maxLength: 8 }),
    bools: fc.array(fc.boolean(), { maxLength: 8 }),
    strings: fc.array(fc.string({ maxLength: 6 }), { maxLength: 8 }),
  },
  { requiredKeys: [] },
);
const event = fc.record(
  {
    id: fc.string({ maxLength: 4 }),
    deviceId: fc.string({ maxLength: 6 }),
    type: fc.string({ maxLength: 6 }),
    severity: fc.integer({ min: -1, max: 4 }),
    tsMs: fc.oneof(fc.integer(), fc.constant(2 ** 62)),
    clock: fc.integer({ min: -1, max: 5 }),
  },
  { requiredKeys: [] },
);

t.test('arbitrary columns and timeline claims: bounded, coded, accounted for', async (t) => {
  const outcomes = new Map<string, number>();
  fc.assert(
    fc.property(
      fc.array(deviceData, { maxLength: 4 }),
      fc.array(event, { maxLength: 3 }),
      fc.constantFrom(0, 1),
      fc.boolean(),
      (devices, events, codec, windowed) => {
        const body = pb.BatchBody.encode({ devices, events } as pb.IBatchBody).finish();
        // the count the envelope must declare for the body to get past the batch-level check
        const values = devices.reduce(
          (n, d) =>
            n + (d.ints?.length ?? 0) + (d.floats?.length ?? 0) + (d.bools?.length ?? 0) + (d.strings?.length ?? 0),
          0,
        );
        const bytes = pb.Batch.encode({
          ...key,
          codec,
          body: codec === 1 ? deflateRawSync(body, { dictionary: DICTIONARY_V1 }) : body,
          readingCount: values,
        }).finish();
        const r = judge(bytes, windowed ? { minTsMs: 946_684_800_000, maxTsMs: MAX_TS } : {});
        outcomes.set(r, (outcomes.get(r) ?? 0) + 1);
      },
    ),
    { numRuns: RUNS * 3 },
  );
  t.ok((outcomes.get('ok') ?? 0) > RUNS, `outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
});
