/**
 * Long fuzz runs: `npm run fuzz -- <target> [options]` (docs/reference/fuzzing.md).
 *
 *   --runs N          stop after N inputs            --seconds S     stop after S seconds
 *   --seed N          PRNG seed (default: random)   --no-coverage   blind mutation (faster per input)
 *   --grow            save inputs that reach new code into the corpus (cov-<hash>)
 *   --replay [pending|FILE…]   judge the corpus (or its pending/ cases, or files) once and exit
 *   --write-seeds     write the target's built-in seeds into its corpus (seed-<source>)
 *   --cmin            corpus minimisation: keep the cov-* files of at most 8 KiB that add coverage (smallest first), delete the rest
 *   --findings DIR    where findings go (default: $TMPDIR/yiwang-fuzz/<target>)
 *   --list            the targets and their corpus sizes
 *
 * The fuzzing runs in a worker thread under a heap limit; the main thread is a watchdog: an input
 * that hangs (no progress for --hang-ms, default 10 s) or exhausts the heap is saved as a finding.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Coverage } from './lib/coverage.js';
import { corpusDir, dedupe, hashOf, readCorpus, saveInput, slug } from './lib/corpus.js';
import { fuzzLoop } from './lib/engine.js';
import { minimise, signature } from './lib/minimise.js';
import { isFinding, judge, stackOf } from './lib/oracle.js';
import { runRoundTrips } from './lib/roundtrip.js';
import type { FuzzTarget, Seed } from './lib/target.js';
import { loadTarget, TARGET_NAMES } from './targets/index.js';
import { definedProps } from '../../common/defined.js';

interface Args {
  target: string;
  runs?: number;
  seconds?: number;
  seed: number;
  coverage: boolean;
  grow: boolean;
  replay?: string[];
  writeSeeds: boolean;
  cmin: boolean;
  findings: string;
  hangMs: number;
  heapMb: number;
}

const MAX_INPUT = 1024 * 1024;
/** Largest cov-* file --cmin keeps. */
const CMIN_MAX_BYTES = 8 * 1024;
// heartbeat layout (Int32): [0] inputs started, [1] current input length, [2] busy (minimising: no watchdog)
const HEADER = 16;

function parseArgs(argv: string[]): Args | 'list' {
  const a = [...argv];
  if (a.includes('--list')) return 'list';
  const target = a.shift();
  if (!target || target.startsWith('--'))
    throw new Error(`usage: npm run fuzz -- <target> [--runs N] [--seconds S] …; targets: ${TARGET_NAMES.join(', ')}`);
  if (!TARGET_NAMES.includes(target)) throw new Error(`unknown target ${target}; targets: ${TARGET_NAMES.join(', ')}`);
  const out: Args = {
    target,
    seed: Math.floor(Math.random() * 2 ** 31),
    coverage: true,
    grow: false,
    writeSeeds: false,
    cmin: false,
    findings: join(tmpdir(), 'yiwang-fuzz', target),
    hangMs: 10_000,
    heapMb: 1536,
  };
  const num = (v: string | undefined, flag: string): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number`);
    return n;
  };
  while (a.length) {
    const f = a.shift()!;
    switch (f) {
      case '--runs':
        out.runs = num(a.shift(), f);
        break;
      case '--seconds':
        out.seconds = num(a.shift(), f);
        break;
      case '--seed':
        out.seed = num(a.shift(), f);
        break;
      case '--hang-ms':
        out.hangMs = num(a.shift(), f);
        break;
      case '--heap-mb':
        out.heapMb = num(a.shift(), f);
        break;
      case '--no-coverage':
        out.coverage = false;
        break;
      case '--grow':
        out.grow = true;
        break;
      case '--write-seeds':
        out.writeSeeds = true;
        break;
      case '--cmin':
        out.cmin = true;
        break;
      case '--findings':
        out.findings = a.shift() ?? out.findings;
        break;
      case '--replay': {
        out.replay = [];
        while (a.length && !a[0]!.startsWith('--')) out.replay.push(a.shift()!);
        break;
      }
      default:
        throw new Error(`unknown option ${f}`);
    }
  }
  if (out.runs === undefined && out.seconds === undefined) out.seconds = 60;
  return out;
}

// ---------------------------------------------------------------- main thread: watchdog

function saveFinding(args: Args, kind: string, bytes: Uint8Array): string {
  mkdirSync(args.findings, { recursive: true });
  const file = join(args.findings, `${kind}-${hashOf(bytes).slice(0, 12)}`);
  writeFileSync(file, bytes);
  return file;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args === 'list') {
    for (const n of TARGET_NAMES) {
      const t = await loadTarget(n);
      console.log(
        `${n.padEnd(16)} corpus ${String(readCorpus(n).length).padStart(4)}  pending ${String(readCorpus(n, 'pending').length).padStart(2)}  ${t.description}`,
      );
    }
    return 0;
  }
  const shared = new SharedArrayBuffer(HEADER + MAX_INPUT);
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { args, shared },
    resourceLimits: { maxOldGenerationSizeMb: args.heapMb },
  });
  const head = new Int32Array(shared, 0, 4);
  const current = (): Uint8Array => new Uint8Array(shared, HEADER, Math.min(Atomics.load(head, 1), MAX_INPUT)).slice();
  return new Promise<number>((resolve) => {
    let last = -1,
      lastChange = Date.now();
    const timer = setInterval(() => {
      const n = Atomics.load(head, 0);
      if (n !== last || Atomics.load(head, 2) === 1) {
        last = n;
        lastChange = Date.now();
        return;
      }
      if (Date.now() - lastChange > args.hangMs) {
        const file = saveFinding(args, 'hang', current());
        console.error(`HANG: input ${n} made no progress for ${args.hangMs} ms; saved ${file}`);
        clearInterval(timer);
        void worker.terminate().then(() => resolve(1));
      }
    }, 250);
    worker.on('error', (err: Error & { code?: string }) => {
      clearInterval(timer);
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const file = saveFinding(args, 'oom', current());
        console.error(`OUT OF MEMORY (heap limit ${args.heapMb} MB) on input ${Atomics.load(head, 0)}; saved ${file}`);
      } else console.error(err);
      resolve(1);
    });
    worker.on('exit', (code) => {
      clearInterval(timer);
      resolve(code);
    });
  });
}

// ---------------------------------------------------------------- worker: the fuzzing

async function work(args: Args, shared: SharedArrayBuffer): Promise<number> {
  const head = new Int32Array(shared, 0, 4);
  const data = new Uint8Array(shared, HEADER, MAX_INPUT);
  Atomics.store(head, 2, 1); // loading and round trips: no watchdog until the first input
  // Block coverage is exact only for code compiled after it starts: start it before the target loads.
  const coverage = (args.coverage && !args.writeSeeds && !args.replay) || args.cmin ? new Coverage() : undefined;
  const t = await loadTarget(args.target);
  const builtin = await t.seeds();
  if (args.writeSeeds) {
    const have = new Set(readCorpus(t.name).map((s) => hashOf(s.bytes)));
    let n = 0;
    for (const s of builtin)
      if (!have.has(hashOf(s.bytes))) {
        saveInput(t.name, `seed-${slug(s.name)}`, s.bytes);
        have.add(hashOf(s.bytes));
        n++;
      }
    console.log(`${t.name}: ${n} seeds written to ${corpusDir(t.name)}`);
    return 0;
  }
  if (args.replay) return replay(args, t.name, builtin);
  if (args.cmin) return cmin(t, coverage!);

  console.log(
    `fuzz ${t.name}: seed ${args.seed}, ${args.coverage ? 'coverage-guided' : 'blind'}, ${args.runs !== undefined ? `${args.runs} runs` : ''}${args.seconds !== undefined ? ` ${args.seconds} s` : ''}`,
  );
  const rt = await runRoundTrips(t, 300, args.seed);
  for (const f of rt)
    console.error(
      `ROUNDTRIP ${f.name} (seed ${f.seed}): ${f.error}\n  counterexample ${f.counterexample.slice(0, 2000)}`,
    );
  const pool = dedupe([...readCorpus(t.name), ...builtin]);
  const signatures = new Map<string, number>();
  const stats = await fuzzLoop({
    target: t,
    pool,
    seed: args.seed,
    ...definedProps({ runs: args.runs, seconds: args.seconds, coverage }),
    beforeInput: (input) => {
      const n = Math.min(input.length, MAX_INPUT);
      data.set(input.subarray(0, n));
      Atomics.store(head, 1, n);
      Atomics.add(head, 0, 1);
      Atomics.store(head, 2, 0);
    },
    onFinding: async (input, outcome) => {
      const sig = signature(outcome);
      const seen = signatures.get(sig) ?? 0;
      signatures.set(sig, seen + 1);
      if (seen > 0) return false;
      Atomics.store(head, 2, 1);
      const small = await minimise(t, input);
      Atomics.store(head, 2, 0);
      const file = join(args.findings, `${outcome.finding}-${hashOf(small).slice(0, 12)}`);
      mkdirSync(args.findings, { recursive: true });
      writeFileSync(file, small);
      console.error(
        `FINDING ${sig}\n  ${outcome.detail.slice(0, 300)}\n  input ${input.length} bytes, minimised ${small.length} bytes: ${file}\n  ${JSON.stringify(Buffer.from(small).toString('latin1').slice(0, 200))}\n${stackOf(outcome.error).split('\n').slice(1).join('\n')}`,
      );
      return false;
    },
    ...(args.grow
      ? { onNewCoverage: (input: Uint8Array) => saveInput(t.name, `cov-${hashOf(input).slice(0, 12)}`, input) }
      : {}),
    onProgress: (s) =>
      console.log(
        `  … ${s.execs} inputs, ${Math.round(s.execs / ((Date.now() - s.startedMs) / 1000))}/s, ${s.features} blocks, pool ${s.pool}, findings ${s.findings}`,
      ),
  });
  coverage?.close();
  const secs = (Date.now() - stats.startedMs) / 1000;
  console.log(
    `fuzz ${t.name}: ${stats.execs} inputs in ${secs.toFixed(0)} s (${Math.round(stats.execs / secs)}/s): ${stats.ok} accepted, ${stats.coded} refused with a coded error; ` +
      `${stats.features} blocks covered, pool ${stats.pool} (+${stats.newCoverage}); roundtrip failures ${rt.length}; distinct findings ${signatures.size} (${stats.findings} inputs)`,
  );
  for (const [sig, n] of signatures) console.log(`  ${n}× ${sig}`);
  return signatures.size > 0 || rt.length > 0 ? 1 : 0;
}

/**
 * Keeps the corpus small: every input runs under coverage, seeds and regression cases first, then
 * the cov-* files smallest first; a cov-* file whose blocks are all covered already is deleted.
 */
async function cmin(t: FuzzTarget, cov: Coverage): Promise<number> {
  const all = readCorpus(t.name);
  let removed = 0;
  // large inputs stay out of the repository: the mutator's amplification makes them again
  for (const s of all)
    if (s.name.startsWith('cov-') && s.bytes.length > CMIN_MAX_BYTES) {
      unlinkSync(join(corpusDir(t.name), s.name));
      removed++;
    }
  const order = [
    ...all.filter((s) => !s.name.startsWith('cov-')),
    ...all
      .filter((s) => s.name.startsWith('cov-') && s.bytes.length <= CMIN_MAX_BYTES)
      .sort((a, b) => a.bytes.length - b.bytes.length),
  ];
  for (const s of order) {
    cov.features(); // reset the counters
    await judge(t, s.bytes);
    const added = cov.merge(cov.features());
    if (added === 0 && s.name.startsWith('cov-')) {
      unlinkSync(join(corpusDir(t.name), s.name));
      removed++;
    }
  }
  cov.close();
  console.log(`${t.name}: ${all.length - removed} of ${all.length} corpus files kept (${cov.size} blocks)`);
  return 0;
}

async function replay(args: Args, target: string, builtin: Seed[]): Promise<number> {
  const t = await loadTarget(target);
  const which = args.replay ?? [];
  const inputs: Seed[] =
    which.length === 0
      ? dedupe([...readCorpus(target), ...builtin])
      : which.length === 1 && which[0] === 'pending'
        ? readCorpus(target, 'pending')
        : which.map((f) => ({ name: basename(f), bytes: new Uint8Array(readFileSync(f)) }));
  let bad = 0;
  for (const s of inputs) {
    const o = await judge(t, s.bytes);
    if (isFinding(o)) {
      bad++;
      console.error(
        `FAIL ${s.name}: ${o.finding}: ${o.detail.slice(0, 300)}\n${stackOf(o.error).split('\n').slice(1).join('\n')}`,
      );
    } else console.log(`ok   ${s.name}: ${o.kind === 'coded' ? o.code : 'accepted'}`);
  }
  console.log(
    `${target}: ${inputs.length - bad} of ${inputs.length} inputs pass (${which.length ? which.join(' ') : corpusDir(target)})`,
  );
  return bad ? 1 : 0;
}

if (isMainThread) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error((err as Error).message);
      process.exitCode = 2;
    },
  );
} else {
  const { args, shared } = workerData as { args: Args; shared: SharedArrayBuffer };
  work(args, shared).then(
    (code) => {
      parentPort?.close();
      process.exit(code);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(2);
    },
  );
}
