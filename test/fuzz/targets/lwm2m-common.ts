/**
 * The LwM2M content-format targets (TLV, SenML JSON/CBOR, LwM2M JSON, text/opaque/CBOR single
 * values). An input is a payload; it is decoded as the server decodes answers, notifications and
 * Sends: decodeNode and decodeRecords at each path of PATHS (object, instance, resource, resource
 * instance levels of the objects the golden vectors use; four of them for inputs over 4 KiB, so
 * that the time bound still means something for large inputs), decodeRecords at the root with no
 * object model, decodePaths for SenML, and the records turned into readings (recordsToReadings)
 * whose contract is checked. Refusals must be LWM2M_ERR_* other than LWM2M_ERR_INTERNAL.
 * Round trip: random instances of the built-in objects, encodeNode → decodeNode.
 */
import fc from 'fast-check';
import {
  BUILTIN_OBJECTS,
  decodeNode,
  decodePaths,
  decodeRecords,
  EMPTY_MODEL,
  encodeNode,
  Lwm2mPath,
  nodeToRecords,
  parsePath,
  recordsToNode,
  type Lwm2mRecord,
  type Lwm2mValue,
  type ObjectModel,
  type ResourceModel,
} from '../../../edge/southbound/lwm2m/core/index.js';
import { recordsToReadings } from '../../../edge/southbound/lwm2m/server/readings.js';
import { ALL_VECTORS } from '../../edge/southbound/lwm2m/core/fixtures/golden-vectors.js';
import { MODEL, payload, toExpected } from '../../edge/southbound/lwm2m/core/fixtures/helpers.js';
import { codedBy, roundTrip, type FuzzTarget, type RoundTrip, type Seed } from '../lib/target.js';
import { assertSame } from '../lib/roundtrip.js';
import { all, checkReadings } from './common.js';

export const isLwm2mCoded = codedBy(['LWM2M_ERR_'], ['LWM2M_ERR_INTERNAL']);

export const PATHS: readonly Lwm2mPath[] = [
  '/',
  '/3',
  '/3/0',
  '/3/0/0',
  '/3/0/6',
  '/3/0/6/1',
  '/3/0/13',
  '/1',
  '/1/0',
  '/2',
  '/65/0',
  '/66',
  '/72',
  '/3303/0/5700',
  '/5/0/0',
  '/19/0/0/0',
  '/4000/1/2',
].map(parsePath);

const NOW = 1_714_557_600_000;
const BINARY = new Set(['/19/0/0', '/19/1/0']);

/** Seeds: the golden vectors of the formats, as payloads. */
export function goldenSeeds(formats: readonly number[]): Seed[] {
  return ALL_VECTORS.filter((v) => formats.includes(v.format)).map((v) => ({
    name: `golden-${v.id}`,
    bytes: payload(v),
  }));
}

/** Paths for inputs over LARGE bytes: every level once (so that a large input costs a few decodes, not 34). */
const FEW_PATHS: readonly Lwm2mPath[] = ['/', '/3/0', '/3/0/6', '/3303/0/5700'].map(parsePath);
const LARGE = 4096;

/** Everything the server does with a payload of `format`. */
export function decodeAll(format: number, input: Uint8Array, composite: boolean): void {
  const steps: (() => unknown)[] = [];
  for (const p of input.length > LARGE ? FEW_PATHS : PATHS) {
    steps.push(() => decodeNode(format, input, p, MODEL));
    steps.push(() => {
      const records = decodeRecords(format, input, p, MODEL);
      checkReadings(
        recordsToReadings('dev-1', records, NOW, { model: MODEL, binaryPaths: BINARY }),
        `format ${format} at ${p.toString()}`,
      );
    });
  }
  steps.push(() => decodeRecords(format, input, Lwm2mPath.ROOT, EMPTY_MODEL));
  if (composite) steps.push(() => decodePaths(format, input));
  all(isLwm2mCoded, steps);
}

// ---- round trip: random instances of the built-in objects --------------------------------------

function resourceValue(r: ResourceModel, exactJson: boolean): fc.Arbitrary<Lwm2mValue> {
  const safeInt = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
  switch (r.type) {
    case 'integer':
      return (
        exactJson
          ? safeInt
          : fc.oneof(
              safeInt,
              fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((b) => b < -(2n ** 53n) || b > 2n ** 53n),
            )
      ).map((value) => ({ type: 'integer', value }));
    case 'unsigned':
      return (
        exactJson
          ? fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })
          : fc.oneof(
              fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
              fc.bigInt({ min: 2n ** 53n + 1n, max: 2n ** 64n - 1n }),
            )
      ).map((value) => ({ type: 'unsigned', value }));
    case 'float':
      return fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .map((value) => ({ type: 'float', value: Object.is(value, -0) ? 0 : value }));
    case 'time':
      return fc.integer({ min: 0, max: 2 ** 32 }).map((value) => ({ type: 'time', value }));
    case 'boolean':
      return fc.boolean().map((value) => ({ type: 'boolean', value }));
    case 'string':
    case 'corelnk':
      return fc.string({ unit: 'grapheme', maxLength: 20 }).map((value) => ({ type: r.type, value }) as Lwm2mValue);
    case 'opaque':
      return fc.uint8Array({ maxLength: 40 }).map((value) => ({ type: 'opaque', value }));
    case 'objlnk':
      return fc
        .record({ objectId: fc.nat(65535), instanceId: fc.nat(65535) })
        .map((value) => ({ type: 'objlnk', value }));
    default:
      return fc.constant({ type: 'string', value: '' });
  }
}

const objects = BUILTIN_OBJECTS.filter((o) => o.resources.some((r) => r.type !== 'none'));

function instanceRecords(o: ObjectModel, iid: number, exactJson: boolean): fc.Arbitrary<Lwm2mRecord[]> {
  const perResource = o.resources
    .filter((r) => r.type !== 'none')
    .map((r) => {
      const base = Lwm2mPath.of(o.id, iid, r.id);
      if (!r.multiple)
        return fc.option(
          resourceValue(r, exactJson).map((value): Lwm2mRecord[] => [{ path: base, value }]),
          { nil: undefined },
        );
      return fc.option(
        fc
          .uniqueArray(fc.tuple(fc.nat(65535), resourceValue(r, exactJson)), {
            selector: ([id]) => id,
            minLength: 1,
            maxLength: 3,
          })
          .map((xs) => xs.map(([id, value]): Lwm2mRecord => ({ path: base.child(id), value }))),
        { nil: undefined },
      );
    });
  return fc.tuple(...perResource).map((xs) => xs.flatMap((x) => x ?? []));
}

/** encodeNode → decodeNode of random object instances (and objects) in `format`. */
export function nodeRoundTrip(format: number, exactJson: boolean): RoundTrip<never> {
  const arb = fc.constantFrom(...objects).chain((o) =>
    fc.record({
      o: fc.constant(o),
      objectLevel: fc.boolean(),
      records: fc.tuple(instanceRecords(o, 0, exactJson), instanceRecords(o, 7, exactJson)),
    }),
  );
  return roundTrip(`decodeNode(${format}, encodeNode(${format}, node))`, arb, ({ o, objectLevel, records }) => {
    const multi = objectLevel && o.multiple;
    const recs = multi ? [...records[0], ...records[1]] : records[0];
    if (recs.length === 0) return;
    const path = objectLevel ? Lwm2mPath.of(o.id) : Lwm2mPath.of(o.id, 0);
    const node = recordsToNode(recs, path, MODEL);
    const back = decodeNode(format, encodeNode(format, node, path), path, MODEL);
    assertSame(
      `format ${format} object ${o.id}`,
      toExpected(nodeToRecords(back, path)),
      toExpected(nodeToRecords(node, path)),
    );
  });
}

/** encodeNode → decodeNode of one random single-resource value in `format` (text, opaque, CBOR). */
export function singleRoundTrip(format: number, types?: readonly string[]): RoundTrip<never> {
  const pairs = objects.flatMap((o) =>
    o.resources
      .filter((r) => !r.multiple && r.type !== 'none' && (!types || types.includes(r.type)))
      .map((r) => [o, r] as const),
  );
  const arb = fc
    .constantFrom(...pairs)
    .chain(([o, r]) => fc.record({ o: fc.constant(o), r: fc.constant(r), value: resourceValue(r, false) }));
  return roundTrip(`decodeNode(${format}, encodeNode(${format}, resource))`, arb, ({ o, r, value }) => {
    const path = Lwm2mPath.of(o.id, 0, r.id);
    const node = { kind: 'resource', id: r.id, value } as const;
    const back = decodeNode(format, encodeNode(format, node, path), path, MODEL);
    assertSame(
      `format ${format} ${path.toString()} (${r.type})`,
      toExpected(nodeToRecords(back, path)),
      toExpected(nodeToRecords(node, path)),
    );
  });
}

export interface CodecTargetOptions {
  name: string;
  description: string;
  /** Content formats every input is decoded as. */
  formats: readonly number[];
  /** Formats whose golden vectors seed the corpus (default: `formats`). */
  seedFormats?: readonly number[];
  composite?: boolean;
  dictionary?: readonly (string | Uint8Array)[];
  roundTrips?: readonly RoundTrip<never>[];
  extraSeeds?: readonly Seed[];
}

export function codecTarget(o: CodecTargetOptions): FuzzTarget {
  const format = o.formats[0]!;
  return {
    name: o.name,
    description: o.description,
    seeds: () => [...goldenSeeds(o.seedFormats ?? o.formats), ...(o.extraSeeds ?? [])],
    ...(o.dictionary ? { dictionary: o.dictionary } : {}),
    maxLen: 64 * 1024,
    run: (input) => {
      for (const f of o.formats) decodeAll(f, input, o.composite ?? false);
      return format;
    },
    isCoded: isLwm2mCoded,
    ...(o.roundTrips ? { roundTrips: o.roundTrips } : {}),
  };
}
