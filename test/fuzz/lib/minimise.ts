/**
 * Minimises a failing input: removes whole lines, then chunks (halves down to single bytes, ddmin
 * style) while the input still fails the same way (same finding kind, and for exceptions the same error name and
 * throwing source line). Only removals: the result is a subsequence of the input, so text formats
 * stay readable.
 */
import { judge, isFinding, type Outcome } from './oracle.js';
import type { FuzzTarget } from './target.js';

/** What identifies "the same failure": kind, error name and the first project frame of the stack. */
export function signature(o: Outcome): string {
  if (!isFinding(o)) return o.kind;
  if (o.finding !== 'uncoded') return o.finding;
  const err = o.error;
  const name = err instanceof Error ? err.name : typeof err;
  const code = (err as { code?: unknown } | undefined)?.code;
  const frame =
    (err instanceof Error ? (err.stack ?? '') : '')
      .split('\n')
      .find((l) => /\/(edge|cloud|proto|common)\//.test(l) && !l.includes('/test/')) ?? '';
  const at = /\/((?:edge|cloud|proto|common)\/[^:)]+:\d+)/.exec(frame)?.[1] ?? '';
  return `uncoded ${name}${typeof code === 'string' ? ` ${code}` : ''} ${at}`;
}

/** Removes whole lines (units ending in '\n') while the input still fails: text formats shrink by lines first. */
async function dropLines(
  input: Uint8Array,
  fails: (b: Uint8Array) => Promise<boolean>,
  deadline: number,
): Promise<Uint8Array> {
  const lines: Uint8Array[] = [];
  for (let at = 0; at < input.length; ) {
    const nl = input.indexOf(0x0a, at);
    const end = nl < 0 ? input.length : nl + 1;
    lines.push(input.subarray(at, end));
    at = end;
  }
  if (lines.length < 2) return input;
  const join = (ls: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(ls.reduce((n, l) => n + l.length, 0));
    let at = 0;
    for (const l of ls) {
      out.set(l, at);
      at += l.length;
    }
    return out;
  };
  let cur = lines;
  for (let i = cur.length - 1; i >= 0 && Date.now() < deadline; i--) {
    const next = [...cur.slice(0, i), ...cur.slice(i + 1)];
    if (await fails(join(next))) cur = next;
  }
  return join(cur);
}

export async function minimise(t: FuzzTarget, input: Uint8Array, budgetMs = 30_000): Promise<Uint8Array> {
  const want = signature(await judge(t, input));
  if (want === 'ok' || want === 'coded') return input;
  const deadline = Date.now() + budgetMs;
  const fails = async (b: Uint8Array): Promise<boolean> => signature(await judge(t, b)) === want;
  let cur = await dropLines(input, fails, deadline);
  let chunk = Math.max(1, Math.floor(cur.length / 2));
  while (chunk >= 1 && Date.now() < deadline) {
    let removed = false;
    for (let at = 0; at < cur.length && Date.now() < deadline; ) {
      const next = new Uint8Array(cur.length - Math.min(chunk, cur.length - at));
      next.set(cur.subarray(0, at));
      next.set(cur.subarray(at + chunk), at);
      if (next.length < cur.length && (await fails(next))) {
        cur = next;
        removed = true;
      } else at += chunk;
    }
    if (!removed) chunk = Math.floor(chunk / 2);
  }
  return cur;
}
