/** Glob patterns of match rules: `*` any run of characters, `?` one character; everything else literal. */

export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

export function globMatches(glob: string, s: string): boolean {
  return globToRegExp(glob).test(s);
}

/**
 * True when some string matches both globs (used to reject overlapping profiles). A walk over
 * pairs of positions: each `*` may stay (consume a character) or be skipped.
 */
export function globsIntersect(a: string, b: string): boolean {
  const seen = new Set<number>();
  const w = b.length + 1;
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const key = i * w + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const ca = a[i];
    const cb = b[j];
    if (ca === '*') stack.push([i + 1, j]);
    if (cb === '*') stack.push([i, j + 1]);
    if (i < a.length && j < b.length) {
      // Both consume one character: a star stays in place, a literal or ? moves on.
      const ok = ca === '*' || cb === '*' || ca === '?' || cb === '?' || ca === cb;
      if (ok) stack.push([ca === '*' ? i : i + 1, cb === '*' ? j : j + 1]);
      if (ca === '*' && cb === '*') stack.push([i + 1, j + 1]);
    }
  }
  return false;
}
