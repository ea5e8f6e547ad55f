/**
 * Property tests (fast-check) of the SenML parser (edge/southbound/coap/senml.ts), JSON and CBOR:
 * random bytes, random SenML-shaped packs (valid and invalid field values mixed) and mutations of
 * valid packs never throw anything but a coded EDGE_ERR_* error; what they return holds only
 * readings the store's check accepts, and every record is either a reading or a coded refusal.
 */
import t from 'tap';
import fc from 'fast-check';
import { encode } from 'cborg';
import { parseSenml, METRIC_RE, type SenmlOptions, type SenmlResult } from '../../../../edge/southbound/coap/senml.js';
import { checkReading } from '../../../../edge/store/reading-check.js';
import { isYiwangError } from '../../../../common/errors.js';
import { ClockQuality } from '../../../../proto/index.js';

const NOW = Date.UTC(2025, 5, 1);
const T = NOW / 1000;
const RUNS = Number(process.env.SENML_PROPERTY_RUNS ?? 1000);
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Parses, and checks what comes back; throws (failing the property) on anything but a coded refusal. */
function check(bytes: Uint8Array, format: 'json' | 'cbor', o: Partial<SenmlOptions> = {}): SenmlResult | undefined {
  const opts: SenmlOptions = { now: NOW, gatewayClock: ClockQuality.CLOCK_GATEWAY_SYNCED, ...o };
  let r: SenmlResult;
  try {
    r = parseSenml(Buffer.from(bytes), format, opts);
  } catch (err) {
    if (isYiwangError(err) && err.code.startsWith('EDGE_ERR_')) {
      if (CONTROL.test(err.message))
        throw new Error(`control character in the diagnostic: ${JSON.stringify(err.message)}`);
      if (err.message.length > 2000) throw new Error(`diagnostic of ${err.message.length} characters`);
      return undefined;
    }
    throw err;
  }
  if (r.readings.length === 0) throw new Error('returned without readings');
  const ctx = { now: NOW, clockSynced: opts.gatewayClock !== ClockQuality.CLOCK_GATEWAY_UNSYNCED };
  for (const x of r.readings) {
    const bad = checkReading(x, ctx);
    if (bad) throw new Error(`a reading the store refuses came through: ${bad.code} ${bad.detail}`);
    if (!METRIC_RE.test(x.metric)) throw new Error(`metric ${JSON.stringify(x.metric)}`);
  }
  for (const f of r.refused) {
    if (!f.code.startsWith('EDGE_ERR_')) throw new Error(`refusal without an edge code: ${f.code}`);
    if (CONTROL.test(f.deviceId + f.metric + f.detail))
      throw new Error(`control character in a refusal: ${JSON.stringify(f)}`);
    if (f.deviceId.length > 160 || f.metric.length > 160) throw new Error('refusal names not cut');
  }
  return r;
}

const times = fc.oneof(
  fc.constantFrom(T, T * 1e3, T * 1e6, T * 1e9, 1e300, -1e300, 0, -60, 2 ** 28, 2 ** 53, T + 3 * 86400),
  fc.double(),
  fc.integer(),
);
const numbers = fc.oneof(fc.double(), fc.constantFrom(1e308, -1e308, 0, 21.5), fc.integer());
const texts = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('temp', 'urn:dev:x:', 'a b', '\u001b[2J', 'x'.repeat(200), ''),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const anyValue = fc.oneof(numbers, texts, fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }));
const FIELDS: Record<string, fc.Arbitrary<unknown>> = {
  bn: fc.oneof(texts, anyValue),
  bt: fc.oneof(times, anyValue),
  bu: fc.oneof(texts, anyValue),
  bv: fc.oneof(numbers, anyValue),
  bver: fc.oneof(fc.integer({ min: 0, max: 12 }), anyValue),
  n: fc.oneof(texts, anyValue),
  u: fc.oneof(texts, anyValue),
  v: fc.oneof(numbers, anyValue),
  vs: fc.oneof(texts, anyValue),
  vb: fc.oneof(fc.boolean(), anyValue),
  vd: fc.oneof(texts, anyValue),
  s: fc.oneof(numbers, anyValue),
  t: fc.oneof(times, anyValue),
  ut: numbers,
};
const junkRecord = fc.record(FIELDS, { requiredKeys: [] });
const defined = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
/** Records shaped like a device's: one value, mostly valid names, times and units, some bad ones. */
const deviceRecord = fc
  .record({
    n: fc.constantFrom('temp', 'hum', 'a.b/c', 'x', 'bad name', ''),
    value: fc.oneof(
      fc.record({ v: numbers }),
      fc.record({ vs: texts }),
      fc.record({ vb: fc.boolean() }),
      fc.record({ s: numbers }),
      fc.record({ vd: fc.constant('AQID') }),
    ),
    t: fc.option(times, { nil: undefined }),
    u: fc.option(fc.constantFrom('Cel', '%RH', 'µg/m³', 'x'.repeat(40), '\u0007'), { nil: undefined }),
    bn: fc.option(fc.constantFrom('urn:dev:a:', 'dev-2/', 'bad id:', '\u001b[0m:', 'd'.repeat(300)), {
      nil: undefined,
      freq: 3,
    }),
    bt: fc.option(times, { nil: undefined, freq: 6 }),
  })
  .map(({ value, ...rest }) => defined({ ...rest, ...value }));
const pack = fc.array(
  fc.oneof(
    { weight: 12, arbitrary: deviceRecord },
    { weight: 1, arbitrary: junkRecord },
    { weight: 1, arbitrary: anyValue },
  ),
  { minLength: 0, maxLength: 8 },
);
const LABEL: Record<string, number> = {
  bver: -1,
  bn: -2,
  bt: -3,
  bu: -4,
  bv: -5,
  n: 0,
  u: 1,
  v: 2,
  vs: 3,
  vb: 4,
  s: 5,
  t: 6,
  ut: 7,
  vd: 8,
};
const toCbor = (p: unknown[]): Uint8Array =>
  encode(
    p.map((r) =>
      r && typeof r === 'object' && !Array.isArray(r)
        ? new Map(Object.entries(r).map(([k, v]) => [LABEL[k] ?? k, v]))
        : r,
    ),
  );

const isBaseOnly = (r: unknown): boolean => {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return false;
  const o = r as Record<string, unknown>;
  const hasValue = ['v', 'vs', 'vb', 'vd', 's'].some((k) => o[k] !== undefined);
  return !hasValue && ['bn', 'bt', 'bu', 'bv', 'bver'].some((k) => o[k] !== undefined);
};

t.test('random bytes: a coded error or valid readings, never a crash', async (t) => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 256 }),
      fc.constantFrom<'json' | 'cbor'>('json', 'cbor'),
      (bytes, format) => {
        check(bytes, format);
      },
    ),
    { numRuns: RUNS },
  );
  t.pass(`${RUNS} inputs`);
});

t.test('SenML-shaped packs, valid and invalid fields mixed: every record a reading or a coded refusal', async (t) => {
  let accepted = 0,
    refusedRecords = 0;
  fc.assert(
    fc.property(pack, fc.boolean(), fc.boolean(), fc.boolean(), (p, cbor, inPath, unsynced) => {
      const bytes = cbor ? toCbor(p) : Buffer.from(JSON.stringify(p));
      const r = check(bytes, cbor ? 'cbor' : 'json', {
        ...(inPath ? { deviceId: 'dev-1' } : {}),
        ...(unsynced ? { gatewayClock: ClockQuality.CLOCK_GATEWAY_UNSYNCED } : {}),
      });
      if (!r) return;
      accepted++;
      refusedRecords += r.refused.length;
      // JSON.stringify turns undefined fields away and NaN into null: count records as the parser saw them
      const seen = cbor ? p : (JSON.parse(JSON.stringify(p)) as unknown[]);
      const records = seen.filter((x) => !isBaseOnly(x)).length;
      if (r.readings.length + r.refused.length !== records)
        throw new Error(`${records} records, ${r.readings.length} readings + ${r.refused.length} refused`);
    }),
    { numRuns: RUNS },
  );
  t.ok(accepted > 0, `${accepted} packs gave readings, ${refusedRecords} records refused in them`);
});

t.test('mutations of valid packs (bytes flipped, inserted, cut): coded errors only', async (t) => {
  const validPack = [
    { bn: 'urn:dev:m-1:', bt: T - 600, n: 'temp', u: 'Cel', v: 21.5 },
    { n: 'hum', v: 40, t: 60 },
    { n: 'on', vb: true },
    { n: 'fw', vs: '1.2.3' },
  ];
  const seeds: [Uint8Array, 'json' | 'cbor'][] = [
    [Buffer.from(JSON.stringify(validPack)), 'json'],
    [toCbor(validPack), 'cbor'],
  ];
  t.equal(check(seeds[0]![0], 'json')!.readings.length, 4, 'the JSON seed is valid');
  t.equal(check(seeds[1]![0], 'cbor')!.readings.length, 4, 'the CBOR seed is valid');
  const edit = fc.tuple(
    fc.constantFrom('flip', 'set', 'insert', 'delete', 'cut'),
    fc.nat(),
    fc.integer({ min: 0, max: 255 }),
  );
  fc.assert(
    fc.property(fc.constantFrom(0, 1), fc.array(edit, { minLength: 1, maxLength: 6 }), (which, edits) => {
      const [seed, format] = seeds[which]!;
      let b = Array.from(seed);
      for (const [op, at, byte] of edits) {
        const i = b.length ? at % b.length : 0;
        if (op === 'flip') b[i] = (b[i] ?? 0) ^ (1 << (byte % 8));
        else if (op === 'set') b[i] = byte;
        else if (op === 'insert') b.splice(i, 0, byte);
        else if (op === 'delete') b.splice(i, 1);
        else b = b.slice(0, i);
      }
      check(Uint8Array.from(b), format);
    }),
    { numRuns: RUNS },
  );
  t.pass(`${RUNS} mutants`);
});
