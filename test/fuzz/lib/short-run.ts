/**
 * The short run of a target inside `npm test`: every corpus input is replayed (regression cases
 * included, pending/ excluded), then fast-check drives mutated corpus inputs through the oracle
 * (a failure is shrunk to the fewest, smallest mutations), then the round-trip properties run.
 * Deterministic: fixed seed (FUZZ_SEED overrides); FUZZ_RUNS_SCALE scales the number of inputs.
 */
import fc from 'fast-check';
import type { Test } from 'tap';
import { dedupe, readCorpus } from './corpus.js';
import { applyOps, OP_COUNT, utf8, type MutationContext, type MutationOp } from './mutate.js';
import { isFinding, judge, scaleTimeBounds, stackOf, type Outcome } from './oracle.js';
import { runRoundTrips } from './roundtrip.js';
import { loadTarget } from '../targets/index.js';

export interface ShortRunOptions {
  /** Mutated inputs (before FUZZ_RUNS_SCALE). */
  runs: number;
  /** Round-trip values per property. */
  roundTripRuns?: number;
  /** Cap on the mutation phase, in ms (the run stops early, without failing, on a loaded machine). */
  timeLimitMs?: number;
}

const SEED = Number(process.env.FUZZ_SEED ?? 0x16f022);
const SCALE = Number(process.env.FUZZ_RUNS_SCALE ?? 1);
// npm test runs files in parallel with the rest of the suite: time bounds get four times the room
// (a hang or a super-linear blow-up still shows; the long runs judge speed with the plain bounds)
scaleTimeBounds(Number(process.env.FUZZ_TIME_SCALE ?? 4));

const show = (b: Uint8Array): string => JSON.stringify(Buffer.from(b).toString('latin1').slice(0, 400));
const report = (o: Extract<Outcome, { kind: 'finding' }>): string =>
  `${o.finding}: ${o.detail.slice(0, 400)}\n${stackOf(o.error, 6)}`;

export async function shortRun(t: Test, name: string, o: ShortRunOptions): Promise<void> {
  const target = await loadTarget(name);
  const corpus = readCorpus(name);
  const pool = dedupe([...corpus, ...(await target.seeds())]);
  t.ok(pool.length > 0, `${name}: ${corpus.length} corpus files, ${pool.length} distinct inputs`);

  const started = Date.now();
  const failed: string[] = [];
  for (const s of pool) {
    const out = await judge(target, s.bytes);
    if (isFinding(out)) failed.push(`${s.name}: ${report(out)}`);
  }
  t.same(failed, [], `${name}: every corpus input is accepted or refused with a coded error`);

  const ctx: MutationContext = {
    pool: pool.map((s) => s.bytes),
    maxLen: target.maxLen ?? 16 * 1024,
    dictionary: (target.dictionary ?? []).map((d) => (typeof d === 'string' ? utf8(d) : d)),
  };
  const op: fc.Arbitrary<MutationOp> = fc.record({ kind: fc.nat(OP_COUNT - 1), a: fc.nat(), b: fc.nat(), c: fc.nat() });
  const input = fc
    .tuple(fc.nat(pool.length - 1), fc.array(op, { minLength: 1, maxLength: 8 }))
    .map(([i, ops]) => applyOps(pool[i]!.bytes, ops, ctx));
  const counts = { ok: 0, coded: 0 };
  const check = (out: Outcome): boolean => {
    if (out.kind === 'ok') counts.ok++;
    if (out.kind === 'coded') counts.coded++;
    return !isFinding(out);
  };
  const runs = Math.max(1, Math.round(o.runs * SCALE));
  const params = {
    numRuns: runs,
    seed: SEED,
    interruptAfterTimeLimit: o.timeLimitMs ?? 20_000,
    markInterruptAsFailure: false,
  };
  const result = await fc.check(
    fc.asyncProperty(input, async (b) => check(await judge(target, b))),
    params,
  );
  if (result.failed) {
    const cx = result.counterexample?.[0];
    const again = cx ? await judge(target, cx) : undefined;
    t.fail(
      `${name}: ${cx ? `input ${cx.length} bytes ${show(cx)}` : 'input'} (seed ${SEED}, path ${result.counterexamplePath ?? ''}) → ${again && isFinding(again) ? report(again) : String(result.errorInstance)}`,
    );
  } else {
    t.pass(
      `${name}: ${result.numRuns} mutated inputs, ${counts.ok} accepted, ${counts.coded} refused with a coded error${result.interrupted ? ' (time limit hit)' : ''}`,
    );
  }

  const rt = await runRoundTrips(target, o.roundTripRuns ?? 100, SEED);
  t.same(rt, [], `${name}: ${(target.roundTrips ?? []).length} round-trip properties hold`);
  t.comment(`${name}: ${Date.now() - started} ms`);
}
