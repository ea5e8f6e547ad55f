/** Runs a target's decode(encode(x)) == x properties with fast-check; failures come back shrunk. */
import fc from 'fast-check';
import type { FuzzTarget } from './target.js';

export interface RoundTripFailure {
  name: string;
  seed: number;
  counterexample: string;
  error: string;
}

export async function runRoundTrips(t: FuzzTarget, numRuns: number, seed: number): Promise<RoundTripFailure[]> {
  const failures: RoundTripFailure[] = [];
  for (const rt of t.roundTrips ?? []) {
    const r = await fc.check(
      fc.asyncProperty(rt.arbitrary, async (v) => {
        await rt.check(v);
      }),
      { numRuns, seed },
    );
    if (r.failed) {
      const err = r.errorInstance;
      failures.push({
        name: rt.name,
        seed,
        counterexample: fc.stringify(r.counterexample),
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      });
    }
  }
  return failures;
}

/** Deep equality for decoded values (Uint8Array by content, bigint, NaN equal to NaN, -0 equal to 0). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b) || a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Map && b instanceof Map)
    return a.size === b.size && [...a].every(([k, v]) => b.has(k) && sameValue(v, b.get(k)));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a)
      .filter((k) => (a as Record<string, unknown>)[k] !== undefined)
      .sort();
    const kb = Object.keys(b)
      .filter((k) => (b as Record<string, unknown>)[k] !== undefined)
      .sort();
    return (
      ka.length === kb.length &&
      ka.every((k, i) => k === kb[i] && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

/** Throws with both values shown when they differ. */
export function assertSame(what: string, got: unknown, want: unknown): void {
  if (!sameValue(got, want)) {
    const show = (v: unknown): string => fc.stringify(v).slice(0, 600);
    throw new Error(`${what}: decode(encode(x)) differs\n  got  ${show(got)}\n  want ${show(want)}`);
  }
}
