import t from 'tap';
import { ALL_VECTORS } from './fixtures/golden-vectors.js';
import { corruptTlvLength, randomBytes, runFuzz, seedsOf, type FuzzTarget } from './fixtures/fuzz-harness.js';
import { unhex } from './fixtures/helpers.js';

const COUNT = 100_000;

const TLV: FuzzTarget = {
  format: 11542,
  seeds: seedsOf(ALL_VECTORS, [11542, 1542]),
  tokens: ['08ffffff', 'c8ffff', '88070f', '3fffffffff', 'e8ffff07', '00', 'c1', '41ff', '80', 'ff'].map(unhex),
  corruptLength: corruptTlvLength,
  random: (rnd) => randomBytes(rnd, 48),
};

t.test('TLV (11542/1542): 100k random and mutated inputs decode or fail with LWM2M_ERR_*', async (t) => {
  const started = Date.now();
  const result = runFuzz(TLV, COUNT, 0x7115);
  t.same(result.failures, [], 'no uncoded exception');
  t.equal(result.decoded + result.rejected, COUNT, `${COUNT} inputs`);
  t.ok(
    result.decoded > 1000 && result.rejected > 1000,
    `both outcomes exercised (decoded ${result.decoded}, rejected ${result.rejected})`,
  );
  t.comment(
    `TLV fuzz: ${COUNT} inputs in ${Date.now() - started} ms; codes ${JSON.stringify(Object.fromEntries(result.codes))}`,
  );
});
