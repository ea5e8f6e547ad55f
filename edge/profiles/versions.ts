/**
 * Firmware version ranges: `">=1.2 <2.0"` (comparators joined by spaces, all must hold), `"1.4.2"`
 * (exactly), `"*"` or absent (any). Versions compare by dotted numeric parts (`1.10` > `1.9`,
 * `1.2` = `1.2.0`); a leading `v` and a suffix after `-`/`+`/space are ignored (`V1.2.3-beta`).
 */
export interface Bound {
  readonly v: readonly number[];
  readonly inclusive: boolean;
}
export interface VersionRange {
  readonly text: string;
  readonly lo?: Bound;
  readonly hi?: Bound;
}

export const ANY_VERSION: VersionRange = { text: '*' };

/** Parses "1.2.3" → [1, 2, 3]; undefined when it is not a version. */
export function parseVersion(s: string): number[] | undefined {
  const m = /^\s*[vV]?(\d+(?:\.\d+)*)/.exec(s);
  if (!m) return undefined;
  return m[1]!.split('.').map(Number);
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Parses a range; returns an error text instead of throwing (the caller names file and key). */
export function parseRange(text: string): VersionRange | string {
  const t = text.trim();
  if (t === '' || t === '*') return ANY_VERSION;
  let lo: Bound | undefined;
  let hi: Bound | undefined;
  for (const part of t.split(/\s+/)) {
    const m = /^(>=|<=|>|<|=)?(.+)$/.exec(part)!;
    const op = m[1] ?? '=';
    const v = /^[vV]?\d+(\.\d+)*$/.test(m[2]!) ? parseVersion(m[2]!) : undefined;
    if (!v) return `"${part}" is not a comparator (>=, >, <=, <, = followed by a version like 1.2.3)`;
    if (op === '>=' || op === '>' || op === '=') {
      const b = { v, inclusive: op !== '>' };
      if (!lo || compareVersions(v, lo.v) > 0 || (compareVersions(v, lo.v) === 0 && !b.inclusive)) lo = b;
    }
    if (op === '<=' || op === '<' || op === '=') {
      const b = { v, inclusive: op !== '<' };
      if (!hi || compareVersions(v, hi.v) < 0 || (compareVersions(v, hi.v) === 0 && !b.inclusive)) hi = b;
    }
  }
  const r: VersionRange = { text: t, ...(lo ? { lo } : {}), ...(hi ? { hi } : {}) };
  if (lo && hi && isEmpty(lo, hi)) return `"${t}" contains no version`;
  return r;
}

function isEmpty(lo: Bound, hi: Bound): boolean {
  const c = compareVersions(lo.v, hi.v);
  return c > 0 || (c === 0 && !(lo.inclusive && hi.inclusive));
}

export function inRange(r: VersionRange, version: string): boolean {
  const v = parseVersion(version);
  if (!v) return r.lo === undefined && r.hi === undefined;
  if (r.lo) {
    const c = compareVersions(v, r.lo.v);
    if (c < 0 || (c === 0 && !r.lo.inclusive)) return false;
  }
  if (r.hi) {
    const c = compareVersions(v, r.hi.v);
    if (c > 0 || (c === 0 && !r.hi.inclusive)) return false;
  }
  return true;
}

/** True when some version lies in both ranges. */
export function rangesOverlap(a: VersionRange, b: VersionRange): boolean {
  const lo = !a.lo ? b.lo : !b.lo ? a.lo : pick(a.lo, b.lo, 1);
  const hi = !a.hi ? b.hi : !b.hi ? a.hi : pick(a.hi, b.hi, -1);
  return !(lo && hi && isEmpty(lo, hi));
}

/** The tighter of two bounds: the larger lower bound (dir 1) or the smaller upper bound (dir -1). */
function pick(x: Bound, y: Bound, dir: 1 | -1): Bound {
  const c = compareVersions(x.v, y.v) * dir;
  if (c !== 0) return c > 0 ? x : y;
  return x.inclusive ? y : x;
}
