/**
 * The long-run fuzz loop (npm run fuzz): inputs are corpus entries mutated by random operation
 * stacks (lib/mutate.ts), judged by the oracle (lib/oracle.ts). With coverage on, inputs that reach
 * new blocks join the pool of inputs to mutate (and, with `grow`, the corpus directory): the
 * coverage-guided loop of AFL/libFuzzer, with V8's block coverage as the feedback.
 */
import { judge, isFinding, type Outcome } from './oracle.js';
import { prng } from '../../helpers/prng.js';
import { applyOps, randomBytes, randomOps, utf8, type MutationContext } from './mutate.js';
import type { Coverage } from './coverage.js';
import type { FuzzTarget, Seed } from './target.js';
import { hashOf } from './corpus.js';

export interface EngineStats {
  execs: number;
  ok: number;
  coded: number;
  findings: number;
  pool: number;
  features: number;
  newCoverage: number;
  startedMs: number;
}

export interface EngineOptions {
  target: FuzzTarget;
  pool: Seed[];
  seed: number;
  /** Stop after this many inputs … */
  runs?: number;
  /** … or after this many seconds, whichever comes first. */
  seconds?: number;
  coverage?: Coverage;
  /** Called with every input before it runs (the runner's watchdog keeps the last one). */
  beforeInput?: (input: Uint8Array) => void;
  /** A finding (deduplicated by the caller); return true to stop. */
  onFinding: (input: Uint8Array, outcome: Extract<Outcome, { kind: 'finding' }>) => Promise<boolean>;
  /** An input that reached new code. */
  onNewCoverage?: (input: Uint8Array) => void;
  onProgress?: (s: EngineStats) => void;
}

const BATCH = 64;

export async function fuzzLoop(o: EngineOptions): Promise<EngineStats> {
  const t = o.target;
  const rnd = prng(o.seed);
  const maxLen = t.maxLen ?? 16 * 1024;
  const pool: Uint8Array[] = o.pool.map((s) => s.bytes);
  const known = new Set(pool.map(hashOf));
  const ctx: MutationContext = {
    pool,
    dictionary: (t.dictionary ?? []).map((d) => (typeof d === 'string' ? utf8(d) : d)),
    maxLen,
  };
  const stats: EngineStats = {
    execs: 0,
    ok: 0,
    coded: 0,
    findings: 0,
    pool: pool.length,
    features: 0,
    newCoverage: 0,
    startedMs: Date.now(),
  };
  const deadline = o.seconds !== undefined ? Date.now() + o.seconds * 1000 : Infinity;
  const runs = o.runs ?? Infinity;
  let lastProgress = Date.now();
  let stop = false;

  const next = (): Uint8Array => {
    if (pool.length === 0 || rnd() < 0.03) return randomBytes(rnd, Math.min(maxLen, 256));
    // favour recent pool entries (new coverage) a little
    const i =
      rnd() < 0.3 ? pool.length - 1 - Math.floor(rnd() * Math.min(pool.length, 32)) : Math.floor(rnd() * pool.length);
    return applyOps(pool[i]!, randomOps(rnd), ctx);
  };

  const one = async (input: Uint8Array): Promise<void> => {
    o.beforeInput?.(input);
    let out = judge(t, input);
    if (out instanceof Promise) out = await out;
    stats.execs++;
    if (out.kind === 'ok') stats.ok++;
    else if (out.kind === 'coded') stats.coded++;
    else if (isFinding(out)) {
      stats.findings++;
      if (await o.onFinding(input, out)) stop = true;
    }
  };

  if (o.coverage) {
    // the pool itself defines the starting coverage (what ran before, e.g. the round trips, does not count)
    o.coverage.features();
    for (const s of pool) await one(s);
    o.coverage.merge(o.coverage.features());
  }
  while (!stop && stats.execs < runs && Date.now() < deadline) {
    const batch: Uint8Array[] = [];
    for (let k = 0; k < BATCH && stats.execs + batch.length < runs; k++) batch.push(next());
    for (const input of batch) {
      await one(input);
      if (stop) break;
    }
    if (o.coverage && !stop) {
      const cov = o.coverage;
      const batchFeatures = cov.features();
      if (cov.hasNew(batchFeatures)) {
        // which inputs of the batch reached something new: run them again one by one
        for (const input of batch) {
          o.beforeInput?.(input);
          const r = judge(t, input);
          if (r instanceof Promise) await r;
          const f = cov.features();
          if (cov.merge(f) > 0) {
            const h = hashOf(input);
            if (!known.has(h)) {
              known.add(h);
              pool.push(input);
              stats.newCoverage++;
              o.onNewCoverage?.(input);
            }
          }
        }
        // what no single input reproduces (state left by earlier inputs) is not looked for again
        cov.merge(batchFeatures);
      }
      stats.features = cov.size;
    }
    stats.pool = pool.length;
    // a synchronous target never leaves the microtask queue: let the event loop turn (worker stdout, timers)
    await new Promise((resolve) => setImmediate(resolve));
    if (Date.now() - lastProgress > 10_000) {
      lastProgress = Date.now();
      o.onProgress?.(stats);
    }
  }
  return stats;
}
