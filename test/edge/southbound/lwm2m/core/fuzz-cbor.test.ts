import t from 'tap';
import { ALL_VECTORS } from './fixtures/golden-vectors.js';
import { decode, encode } from 'cborg';
import {
  cborTreeMutator,
  corruptCborLength,
  randomBytes,
  runFuzz,
  seedsOf,
  type FuzzTarget,
} from './fixtures/fuzz-harness.js';
import { unhex } from './fixtures/helpers.js';

const COUNT = 100_000;
const CBOR_TOKENS = [
  '9f',
  'bf',
  'ff',
  'c1',
  'c0',
  'd818',
  'f7',
  'f6',
  'f818',
  '5a7fffffff',
  '7bffffffffffffffff',
  '9bffffffffffffffff',
  '1bffffffffffffffff',
  '3bffffffffffffffff',
  'fb7ff8000000000000',
  '21',
  '22',
  '63766c6f',
  'a0',
  '80',
].map(unhex);

const semantic = cborTreeMutator(
  (b) => decode(b, { useMaps: true, tags: Object.assign([], { 1: (inner: () => unknown) => inner() }) }),
  (v) => encode(v),
);

const targets: readonly [string, FuzzTarget, number][] = [
  [
    'CBOR (60)',
    {
      format: 60,
      seeds: seedsOf(ALL_VECTORS, [60]),
      tokens: CBOR_TOKENS,
      corruptLength: corruptCborLength,
      semantic,
      random: (rnd) => randomBytes(rnd, 24),
    },
    0xc60,
  ],
  [
    'SenML CBOR (112)',
    {
      format: 112,
      seeds: seedsOf(ALL_VECTORS, [112]),
      tokens: CBOR_TOKENS,
      corruptLength: corruptCborLength,
      semantic,
      random: (rnd) => randomBytes(rnd, 64),
    },
    0x5112,
  ],
];

for (const [name, target, seed] of targets) {
  t.test(`${name}: 100k random and mutated inputs decode or fail with LWM2M_ERR_*`, async (t) => {
    const started = Date.now();
    const result = runFuzz(target, COUNT, seed);
    t.same(result.failures, [], 'no uncoded exception');
    t.equal(result.decoded + result.rejected, COUNT, `${COUNT} inputs`);
    t.ok(
      result.decoded > 1000 && result.rejected > 1000,
      `both outcomes exercised (decoded ${result.decoded}, rejected ${result.rejected})`,
    );
    t.comment(
      `${name} fuzz: ${COUNT} inputs in ${Date.now() - started} ms; codes ${JSON.stringify(Object.fromEntries(result.codes))}`,
    );
  });
}
