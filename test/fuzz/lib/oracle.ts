/**
 * The oracle: one input either is accepted (the target returns) or refused with a coded error of
 * its area. Anything else is a finding:
 *   uncoded    any other exception (TypeError, RangeError, stack overflow, an internal code)
 *   invariant  the target returned a value that breaks the contract (InvariantError)
 *   slow       the input took longer than its time bound (confirmed by two more runs)
 *   alloc      the heap plus external memory grew by more than the allocation bound (confirmed)
 *   hang       an asynchronous target did not settle within the hang bound
 * A synchronous endless loop cannot be interrupted here: the runner's watchdog (run.ts) catches it.
 */
import { getHeapStatistics } from 'node:v8';
import { isYiwangError } from '../../../common/errors.js';
import { InvariantError, type FuzzTarget } from './target.js';

export type FindingKind = 'uncoded' | 'invariant' | 'slow' | 'alloc' | 'hang' | 'roundtrip';

export type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'coded'; readonly code: string }
  | { readonly kind: 'finding'; readonly finding: FindingKind; readonly detail: string; readonly error?: unknown };

/** Allocation bound: 64 MiB plus 512 bytes per input byte. */
export const allocBound = (len: number): number => 64 * 1024 * 1024 + 512 * len;
let timeScale = Number(process.env.FUZZ_TIME_SCALE ?? 1);
/** Multiplies every time bound (the short runs in `npm test` share the machine with other tests). */
export function scaleTimeBounds(k: number): void {
  timeScale = k;
}
/**
 * Time bound: 250 ms plus 10 µs per input byte (a 64 KiB input: 0.9 s), unless the target sets
 * its own (serial targets allow more per byte: a meter's bytes arrive at line rate).
 */
export const timeBound = (t: FuzzTarget, len: number): number =>
  timeScale * ((t.baseMs ?? 250) + ((t.usPerByte ?? 10) * len) / 1000);
const HANG_MS = 10_000;

const memNow = (): number => {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
};

function describe(err: unknown): string {
  if (isYiwangError(err)) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return `non-error thrown: ${String(err)}`;
}

/** The first frames of a stack, for finding reports. */
export function stackOf(err: unknown, frames = 8): string {
  const s = err instanceof Error ? (err.stack ?? '') : '';
  return s
    .split('\n')
    .slice(0, frames + 1)
    .join('\n');
}

function classify(t: FuzzTarget, err: unknown): Outcome {
  if (err instanceof InvariantError) return { kind: 'finding', finding: 'invariant', detail: err.message, error: err };
  if (t.isCoded(err)) return { kind: 'coded', code: (err as { code: string }).code };
  return { kind: 'finding', finding: 'uncoded', detail: describe(err), error: err };
}

interface Measured {
  outcome: Outcome;
  ms: number;
  grew: number;
}

function isPromise(v: unknown): v is Promise<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

async function settle(p: Promise<unknown>): Promise<{ ok: true } | { ok: false; err: unknown } | { hang: true }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<{ hang: true }>((resolve) => {
    timer = setTimeout(() => resolve({ hang: true }), HANG_MS);
  });
  try {
    return await Promise.race([
      p.then(
        () => ({ ok: true as const }),
        (err: unknown) => ({ ok: false as const, err }),
      ),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs once; synchronous targets stay synchronous (no promise per input). */
function measure(t: FuzzTarget, input: Uint8Array): Measured | Promise<Measured> {
  const m0 = memNow();
  const t0 = performance.now();
  let result: unknown;
  try {
    result = t.run(input);
  } catch (err) {
    return { outcome: classify(t, err), ms: performance.now() - t0, grew: memNow() - m0 };
  }
  if (!isPromise(result)) return { outcome: { kind: 'ok' }, ms: performance.now() - t0, grew: memNow() - m0 };
  return settle(result).then((s) => {
    const ms = performance.now() - t0;
    const grew = memNow() - m0;
    if ('hang' in s)
      return { outcome: { kind: 'finding', finding: 'hang', detail: `did not settle within ${HANG_MS} ms` }, ms, grew };
    return { outcome: s.ok ? { kind: 'ok' } : classify(t, s.err), ms, grew };
  });
}

function bounded(t: FuzzTarget, input: Uint8Array, m: Measured): boolean {
  return m.ms <= timeBound(t, input.length) && m.grew <= allocBound(input.length);
}

async function confirm(t: FuzzTarget, input: Uint8Array, first: Measured): Promise<Outcome> {
  // Timings and heap figures are noisy (GC, other processes): the best of three decides.
  let ms = first.ms,
    grew = first.grew;
  for (let i = 0; i < 2; i++) {
    const m = await measure(t, input);
    ms = Math.min(ms, m.ms);
    grew = Math.min(grew, m.grew);
  }
  if (ms > timeBound(t, input.length))
    return {
      kind: 'finding',
      finding: 'slow',
      detail: `${ms.toFixed(0)} ms for ${input.length} bytes (bound ${timeBound(t, input.length).toFixed(0)} ms)`,
    };
  if (grew > allocBound(input.length))
    return {
      kind: 'finding',
      finding: 'alloc',
      detail: `${(grew / 1048576).toFixed(0)} MiB for ${input.length} bytes (bound ${(allocBound(input.length) / 1048576).toFixed(0)} MiB)`,
    };
  return first.outcome;
}

/** Runs one input through the target and judges it. Synchronous when the target is. */
export function judge(t: FuzzTarget, input: Uint8Array): Outcome | Promise<Outcome> {
  const m = measure(t, input);
  if (isPromise(m)) return m.then((x) => (bounded(t, input, x) ? x.outcome : confirm(t, input, x)));
  return bounded(t, input, m) ? m.outcome : confirm(t, input, m);
}

export const isFinding = (o: Outcome): o is Extract<Outcome, { kind: 'finding' }> => o.kind === 'finding';
