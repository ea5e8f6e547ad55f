/**
 * Protobuf batches as the cloud's ingest decodes them (proto/batch-codec.ts decodeBatch): each
 * input is decoded as a whole Batch envelope, and again as the plain body of an envelope that
 * declares 100 readings (so that mutations reach the body's columns without first breaking the
 * deflate stream). Findings: any non-WIRE_ERR exception, a time or memory bound exceeded (a
 * 389-byte batch once took the cloud down, issue 16 finding 1), and a decoded batch whose readings
 * and quarantined readings do not add up to its reading_count. Round trip: random readings,
 * encodeBatch → decodeBatch (both body codecs).
 */
import fc from 'fast-check';
import { decodeBatch, encodeBatch } from '../../../proto/batch-codec.js';
import { ClockQuality, pb, Priority } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { codedBy, InvariantError, roundTrip, type FuzzTarget, type Seed } from '../lib/target.js';
import { assertSame } from '../lib/roundtrip.js';
import { all, checkReadings } from './common.js';
import { reading as sampleReading, SAMPLE_BASE_MS, SAMPLE_READINGS } from '../../helpers/batch-sample.js';

const isCoded = codedBy(['WIRE_ERR_']);
const key = { gatewayId: 'gw-1', epoch: 42, seq: 7 };
const base = SAMPLE_BASE_MS;

interface Decoded {
  readings: Reading[];
  quarantined?: { count: number }[];
}

function decodeChecked(bytes: Uint8Array, declared: number | undefined): void {
  const d = decodeBatch(bytes) as Decoded;
  checkReadings(d.readings, 'decodeBatch');
  if (declared !== undefined && d.quarantined) {
    const q = d.quarantined.reduce((n, g) => n + g.count, 0);
    if (d.readings.length + q !== declared)
      throw new InvariantError(`reading_count ${declared}, but ${d.readings.length} readings and ${q} quarantined`);
  }
}

function declaredCount(bytes: Uint8Array): number | undefined {
  try {
    return pb.Batch.decode(bytes).readingCount;
  } catch {
    return undefined;
  }
}

function run(input: Uint8Array): unknown {
  const asBody = pb.Batch.encode({ ...key, codec: pb.BodyCodec.BODY_PLAIN, body: input, readingCount: 100 }).finish();
  all(isCoded, [() => decodeChecked(input, declaredCount(input)), () => decodeChecked(asBody, 100)]);
  return undefined;
}

/** The codec tests' sample plus two flow_rate readings: a later one, and a second value at the instant of the first. */
const SAMPLE: Reading[] = [
  ...SAMPLE_READINGS,
  sampleReading('meter-7', 'flow_rate', 'l/min', base + 7, 2.5),
  sampleReading('meter-7', 'flow_rate', 'l/min', base + 5, 2.75),
];

function seeds(): Seed[] {
  const event = {
    id: 'e-1',
    deviceId: 'meter-7',
    type: 'leak',
    severity: pb.Event.Severity.CRITICAL,
    tsMs: base,
    active: true,
    message: 'leak',
    attributes: { valve: 'closed' },
  };
  const out: Seed[] = [];
  for (const [name, codec] of [
    ['plain', pb.BodyCodec.BODY_PLAIN],
    ['deflate', pb.BodyCodec.BODY_DEFLATE_DICT1],
  ] as const) {
    out.push({ name: `batch-${name}`, bytes: encodeBatch(key, SAMPLE, [], { codec }) });
    out.push({ name: `batch-${name}-event`, bytes: encodeBatch(key, SAMPLE.slice(0, 3), [event], { codec }) });
    out.push({ name: `batch-${name}-one`, bytes: encodeBatch({ ...key, seq: 8 }, SAMPLE.slice(6, 7), [], { codec }) });
  }
  // plain bodies, for the second decoding
  const body = pb.Batch.decode(encodeBatch(key, SAMPLE, [event], { codec: pb.BodyCodec.BODY_PLAIN })).body;
  out.push({ name: 'body-sample', bytes: body });
  return out;
}

// ---- round trip --------------------------------------------------------------------------

const id = fc.stringMatching(/^[A-Za-z0-9_.:@-]{1,24}$/);
const reading: fc.Arbitrary<Reading> = fc.record({
  deviceId: fc.constantFrom('dev-1', 'dev-2', 'urn:imei:860000000000001'),
  metric: id,
  unit: fc.constantFrom('', 'Cel', '%RH', 'm3', 'l/min', 'kWh', 'x-custom'),
  ts: fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 }),
  value: fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
    fc.integer(),
    fc.boolean(),
    fc.string({ maxLength: 20 }),
  ),
  clock: fc.constantFrom(
    ClockQuality.CLOCK_DEVICE,
    ClockQuality.CLOCK_GATEWAY_SYNCED,
    ClockQuality.CLOCK_GATEWAY_UNSYNCED,
  ),
  priority: fc.constantFrom(Priority.PRIORITY_NORMAL, Priority.PRIORITY_ALARM, Priority.PRIORITY_BULK),
});

const sortKey = (x: Reading): string =>
  `${x.deviceId}|${x.metric}|${x.unit}|${x.priority}|${x.clock}|${typeof x.value}|${x.ts}|${String(x.value)}`;
const sorted = (xs: readonly Reading[]): Reading[] =>
  [...xs].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));

const target: FuzzTarget = {
  name: 'batch',
  description: 'protobuf Batch envelopes and plain bodies through the cloud decoder (decodeBatch)',
  seeds,
  dictionary: [
    [0x08],
    [0x10],
    [0x18],
    [0x20],
    [0x28],
    [0x0a],
    [0x12],
    [0x1a],
    [0x22],
    [0x2a],
    [0xff, 0xff, 0xff, 0xff, 0x0f],
    [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
    [0x80, 0xc2, 0xd7, 0x2f],
    [0x01],
    [0x00],
    [0x7f],
    [0xe8, 0x07],
    [0x88, 0x27],
  ].map((b) => Uint8Array.from(b)),
  maxLen: 16 * 1024,
  run,
  isCoded,
  roundTrips: [
    roundTrip(
      'decodeBatch(encodeBatch(readings))',
      fc.tuple(fc.array(reading, { minLength: 1, maxLength: 40 }), fc.boolean()),
      ([readings, deflate]) => {
        const codec = deflate ? pb.BodyCodec.BODY_DEFLATE_DICT1 : pb.BodyCodec.BODY_PLAIN;
        const d = decodeBatch(encodeBatch(key, readings, [], { codec }));
        assertSame('batch', sorted(d.readings), sorted(readings));
      },
    ),
  ],
};
export default target;
