/**
 * The SenML parser (edge/southbound/coap/senml.ts), JSON and CBOR: per-record refusal with coded
 * reasons (issue 16, finding 3 and the lower findings: µs timestamps, `t=1e300`, overflowing values,
 * `bn` ids of 20,000 characters or with terminal escapes).
 */
import t from 'tap';
import { encode } from 'cborg';
import { parseSenml, type SenmlOptions } from '../../../../edge/southbound/coap/senml.js';
import { isYiwangError } from '../../../../common/errors.js';
import { ClockQuality } from '../../../../proto/index.js';

const NOW = Date.UTC(2025, 5, 1);
const T = NOW / 1000 - 600; // seconds, ten minutes ago
const opts = (o: Partial<SenmlOptions> = {}): SenmlOptions => ({
  now: NOW,
  gatewayClock: ClockQuality.CLOCK_GATEWAY_SYNCED,
  ...o,
});
const json = (pack: unknown, o?: Partial<SenmlOptions>): ReturnType<typeof parseSenml> =>
  parseSenml(Buffer.from(JSON.stringify(pack)), 'json', opts(o));
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (isYiwangError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
};

t.test('a time in ms, µs or ns is refused as such, never rescaled; the other records are kept', async (t) => {
  const r = json(
    [
      { n: 'a', v: 1, t: T },
      { n: 'b', v: 2, t: T * 1e3 },
      { n: 'c', v: 3, t: T * 1e6 },
      { n: 'd', v: 4, t: T * 1e9 },
    ],
    { deviceId: 'dev-1' },
  );
  t.same(
    r.readings.map((x) => [x.metric, x.ts, x.clock]),
    [['a', T * 1000, ClockQuality.CLOCK_DEVICE]],
  );
  t.same(
    r.refused.map((x) => [x.deviceId, x.metric, x.code]),
    [
      ['dev-1', 'b', 'EDGE_ERR_READING_TIME_SCALE'],
      ['dev-1', 'c', 'EDGE_ERR_READING_TIME_SCALE'],
      ['dev-1', 'd', 'EDGE_ERR_READING_TIME_SCALE'],
    ],
  );
  t.match(
    r.refused[1]!.detail,
    /record 2: t=.* looks like microseconds since the epoch \(2025-05-31T23:50:00\.000Z\); SenML times are seconds — not rescaled/,
  );
  t.match(r.refused[0]!.detail, /milliseconds/);
  t.match(r.refused[2]!.detail, /nanoseconds/);
  // bt in µs, every record under it
  t.match(
    codeOf(() =>
      json([
        { bn: 'dev-2:', bt: T * 1e6, n: 'x', v: 1 },
        { n: 'y', v: 2, t: 1 },
      ]),
    ),
    /^EDGE_ERR_READING_TIME_SCALE: record 0: .*microseconds.* \(and 1 more records refused\)$/,
  );
});

t.test('t=1e300 and other impossible times are refused (was stored as ts 0)', async (t) => {
  for (const time of [1e300, -1e300, 2 ** 70, 5e12 * 1000, -(2 ** 28)]) {
    t.match(
      codeOf(() => json([{ n: 'x', v: 1, t: time }], { deviceId: 'd' })),
      /^EDGE_ERR_READING_TIME: record 0: x: timestamp /,
      String(time),
    );
  }
  // more than a day ahead of the synchronised gateway clock; fine while the gateway clock is unsynchronised
  const ahead = NOW / 1000 + 2 * 86400;
  t.match(
    codeOf(() => json([{ n: 'x', v: 1, t: ahead }], { deviceId: 'd' })),
    /more than a day ahead of the gateway clock/,
  );
  t.equal(
    json([{ n: 'x', v: 1, t: ahead }], { deviceId: 'd', gatewayClock: ClockQuality.CLOCK_GATEWAY_UNSYNCED })
      .readings[0]!.ts,
    ahead * 1000,
  );
  t.match(
    codeOf(() => json([{ n: 'x', v: 1, t: 915_148_800 }], { deviceId: 'd' })),
    /before 2000-01-01/,
    '1999',
  );
  // relative times: a device time below 2^28 s is an offset from now
  t.equal(json([{ n: 'x', v: 1, t: -60 }], { deviceId: 'd' }).readings[0]!.ts, NOW - 60_000);
  t.match(
    codeOf(() => json([{ n: 'x', v: 1, t: 2 ** 27 }], { deviceId: 'd' })),
    /EDGE_ERR_READING_TIME/,
    'four years ahead',
  );
  // a gateway with an unsynchronised clock (1970) still stamps readings: they are corrected on sync
  const early = json([{ n: 'x', v: 1 }], {
    deviceId: 'd',
    now: 5000,
    gatewayClock: ClockQuality.CLOCK_GATEWAY_UNSYNCED,
  });
  t.same([early.readings[0]!.ts, early.readings[0]!.clock], [5000, ClockQuality.CLOCK_GATEWAY_UNSYNCED]);
});

t.test('values: an overflow is refused (was stored as null); text length is bounded', async (t) => {
  t.match(
    codeOf(() => json([{ bv: 1e308 }, { n: 'x', v: 1e308 }], { deviceId: 'd' })),
    /^EDGE_ERR_READING_VALUE: record 1: v \+ bv overflows a double/,
  );
  t.match(
    codeOf(() => parseSenml(Buffer.from('[{"n":"x","v":1e309}]'), 'json', opts({ deviceId: 'd' }))),
    /^EDGE_ERR_SENML: record 0: v must be a finite number/,
  );
  t.match(
    codeOf(() => json([{ n: 'x', vs: 'y'.repeat(4097) }], { deviceId: 'd' })),
    /^EDGE_ERR_READING_VALUE: .*text value of 4097 characters/,
  );
  t.equal(json([{ n: 'x', vs: 'y'.repeat(4096) }], { deviceId: 'd' }).readings.length, 1);
  t.equal(
    json([{ n: 'x', v: 1.7976931348623157e308 }], { deviceId: 'd' }).readings[0]!.value,
    1.7976931348623157e308,
    'the largest double is a value',
  );
});

t.test('bn ids follow the device-id rule: length and charset, refused with a code', async (t) => {
  const long = 'd'.repeat(20_000);
  const e1 = codeOf(() => json([{ bn: long, n: 'x', v: 1 }]));
  t.match(e1, /^EDGE_ERR_READING_DEVICE: record 0: device id from bn "d{64}…\(20000 chars\)" is not 1–128 of/);
  t.ok(e1.length < 300, 'the diagnostic is short');
  const esc = codeOf(() => json([{ bn: 'x\u001b[2J\u001b]0;pwned\u0007:', n: 'x', v: 1 }]));
  t.match(esc, /^EDGE_ERR_READING_DEVICE/);
  t.notMatch(esc, /\u001b|\u0007/, 'no control character in the diagnostic');
  t.match(esc, /\\u001b\[2J/, 'escaped instead');
  t.equal(
    json([{ bn: `${'d'.repeat(128)}:`, n: 'x', v: 1 }]).readings[0]!.deviceId,
    'd'.repeat(128),
    '128 characters are fine',
  );
  t.match(
    codeOf(() => json([{ bn: 'a b', n: 'x', v: 1 }])),
    /^EDGE_ERR_READING_DEVICE/,
  );
  // a second base name changes the device of the records after it: good ones are kept
  const mixed = json([
    { bn: 'ok-1:', n: 'x', v: 1 },
    { bn: 'bad\u0000:', n: 'x', v: 2 },
    { bn: 'ok-2:', n: 'x', v: 3 },
  ]);
  t.same(
    mixed.readings.map((r) => r.deviceId),
    ['ok-1', 'ok-2'],
  );
  t.same(
    mixed.refused.map((r) => [r.deviceId, r.code]),
    [['bad\\u0000', 'EDGE_ERR_READING_DEVICE']],
  );
});

t.test('record-level faults cost only their record; pack-level faults refuse the pack', async (t) => {
  const r = json(
    [
      { n: 'ok', v: 1 },
      { n: 'two', v: 1, vs: 'x' },
      { n: 'none' },
      7,
      { n: 'bad name!', v: 1 },
      { n: 'vb', vb: 'yes' },
      { n: 'u', v: 1, u: 'u'.repeat(33) },
    ],
    { deviceId: 'd' },
  );
  t.same(
    r.readings.map((x) => x.metric),
    ['ok'],
  );
  t.same(
    r.refused.map((x) => x.code),
    [
      'EDGE_ERR_SENML',
      'EDGE_ERR_SENML',
      'EDGE_ERR_SENML',
      'EDGE_ERR_READING_NAME',
      'EDGE_ERR_SENML',
      'EDGE_ERR_READING_NAME',
    ],
  );
  t.match(
    r.refused.map((x) => x.detail),
    [
      /record 1 has more than one value/,
      /record 2 has no value/,
      /record 3 is not an object/,
      /record 4: bad metric name/,
      /record 5: vb must be a boolean/,
      /unit/,
    ],
  );
  t.match(
    codeOf(() => json({ n: 'x' })),
    /^EDGE_ERR_SENML: a SenML pack is a JSON array/,
  );
  t.match(
    codeOf(() => json([])),
    /^EDGE_ERR_SENML: empty pack/,
  );
  t.match(
    codeOf(() => json([{ bn: 5, n: 'x', v: 1 }])),
    /^EDGE_ERR_SENML: record 0: bn must be a string/,
  );
  t.match(
    codeOf(() => json([{ bver: 11, n: 'x', v: 1 }], { deviceId: 'd' })),
    /unsupported bver/,
  );
  t.match(
    codeOf(() => json([{ bn: 'd:' }])),
    /^EDGE_ERR_SENML: pack holds no readings/,
  );
  t.match(
    codeOf(() =>
      json(
        Array.from({ length: 5001 }, () => ({ n: 'x', v: 1 })),
        { deviceId: 'd' },
      ),
    ),
    /more than 5000 records/,
  );
});

t.test('SenML CBOR (RFC 8428 §6): integer labels, the same checks', async (t) => {
  const pack = [
    new Map<number, unknown>([
      [-2, 'urn:dev:cbor-1:'],
      [-3, T],
      [0, 'temp'],
      [1, 'Cel'],
      [2, 21.5],
    ]),
    new Map<number, unknown>([
      [0, 'on'],
      [4, true],
      [6, 60],
    ]),
    new Map<number, unknown>([
      [0, 'blob'],
      [8, new Uint8Array([1, 2, 255])],
    ]),
    new Map<number, unknown>([
      [0, 'usec'],
      [2, 1],
      [6, T * 1e6],
    ]),
  ];
  const r = parseSenml(Buffer.from(encode(pack)), 'cbor', opts());
  t.same(
    r.readings.map((x) => [x.deviceId, x.metric, x.unit, x.value, x.ts]),
    [
      ['urn:dev:cbor-1', 'temp', 'Cel', 21.5, T * 1000],
      ['urn:dev:cbor-1', 'on', '', true, (T + 60) * 1000],
      ['urn:dev:cbor-1', 'blob', '', 'AQL_', T * 1000],
    ],
  );
  t.same(
    r.refused.map((x) => [x.metric, x.code]),
    [['usec', 'EDGE_ERR_READING_TIME_SCALE']],
  );
  t.match(
    codeOf(() => parseSenml(Buffer.from([0xff, 0x00]), 'cbor', opts())),
    /^EDGE_ERR_SENML: not CBOR/,
  );
  t.match(
    codeOf(() => parseSenml(Buffer.from(encode({ a: 1 })), 'cbor', opts())),
    /^EDGE_ERR_SENML: a SenML CBOR pack is an array/,
  );
  t.match(
    codeOf(() => parseSenml(Buffer.from(encode([[1, 2]])), 'cbor', opts({ deviceId: 'd' }))),
    /^EDGE_ERR_SENML: record 0 is not a CBOR map/,
  );
  t.match(
    codeOf(() =>
      parseSenml(
        Buffer.from(
          encode([
            new Map<number, unknown>([
              [0, 'x'],
              [2, 'text'],
            ]),
          ]),
        ),
        'cbor',
        opts({ deviceId: 'd' }),
      ),
    ),
    /^EDGE_ERR_SENML: record 0: v must be a finite number/,
  );
  t.match(
    codeOf(() =>
      parseSenml(
        Buffer.from(
          encode([
            new Map<unknown, unknown>([
              [0, 'x'],
              [2, 1],
              ['n', 'y'],
            ]),
          ]),
        ),
        'cbor',
        opts({ deviceId: 'd' }),
      ),
    ),
    /label n appears twice/,
  );
  const deep = Buffer.from(
    encode([
      new Map<number, unknown>([
        [0, 'x'],
        [2, [[[1]]]],
      ]),
    ]),
  );
  t.match(
    codeOf(() => parseSenml(deep, 'cbor', opts({ deviceId: 'd' }))),
    /^EDGE_ERR_SENML: not CBOR: CBOR nested deeper than 2 levels/,
  );
});
