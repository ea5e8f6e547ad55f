import t from 'tap';
import { ALL_VECTORS } from './fixtures/golden-vectors.js';
import { randomBytes, runFuzz, seedsOf, type FuzzTarget, type Mutator } from './fixtures/fuzz-harness.js';
import { unhex } from './fixtures/helpers.js';

const COUNT = 100_000;

/** No length fields in text/opaque: overwrite a run with high/invalid UTF-8 bytes instead. */
const corruptRun: Mutator = (b, rnd) => {
  const out = Uint8Array.from(b);
  const at = Math.floor(rnd() * (out.length + 1));
  for (let i = at; i < Math.min(out.length, at + 4); i++)
    out[i] = [0xc0, 0xff, 0xed, 0xa0, 0x80][Math.floor(rnd() * 5)] as number;
  return out;
};

const TEXT_TOKENS = [
  '-',
  '+',
  '.',
  'e',
  'E',
  '1e999',
  '=',
  ':',
  '65536',
  '00',
  'AQID',
  '\u00e9',
  '9223372036854775808',
  '18446744073709551616',
].map((s) => new TextEncoder().encode(s));

const targets: readonly [string, FuzzTarget, number][] = [
  [
    'text/plain (0)',
    {
      format: 0,
      seeds: seedsOf(ALL_VECTORS, [0]),
      tokens: TEXT_TOKENS,
      corruptLength: corruptRun,
      random: (rnd) => randomBytes(rnd, 24),
    },
    0x0,
  ],
  [
    'opaque (42)',
    {
      format: 42,
      seeds: seedsOf(ALL_VECTORS, [42]),
      tokens: [unhex('00'), unhex('ff')],
      corruptLength: corruptRun,
      random: (rnd) => randomBytes(rnd, 24),
    },
    0x42,
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
