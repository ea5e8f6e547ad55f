import t from 'tap';
import { ALL_VECTORS } from './fixtures/golden-vectors.js';
import {
  JSON_TOKENS,
  corruptJsonFraming,
  mutateJsonTree,
  randomJson,
  runFuzz,
  seedsOf,
  type FuzzTarget,
} from './fixtures/fuzz-harness.js';

const COUNT = 100_000;

const targets: readonly [string, FuzzTarget, number][] = [
  [
    'SenML JSON (110)',
    {
      format: 110,
      seeds: seedsOf(ALL_VECTORS, [110]),
      tokens: JSON_TOKENS,
      corruptLength: corruptJsonFraming,
      semantic: mutateJsonTree,
      random: randomJson,
    },
    0x110,
  ],
  [
    'LwM2M JSON (11543/1543)',
    {
      format: 11543,
      seeds: seedsOf(ALL_VECTORS, [11543, 1543]),
      tokens: JSON_TOKENS,
      corruptLength: corruptJsonFraming,
      semantic: mutateJsonTree,
      random: randomJson,
    },
    0x11543,
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
