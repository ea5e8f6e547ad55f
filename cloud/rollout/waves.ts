/**
 * Wave plans of a rollout (docs/reference/config-rollout.md, "Waves"). A plan is a list of
 * cumulative steps, each `N` (N gateways) or `P%` (P percent of the group's size when the rollout
 * started, rounded up): by the end of a wave that many gateways have been sent the revision.
 * `1,5,50%` on a group of 40 reaches 1, then 5, then 20 gateways, then all 40: a plan that does
 * not end with `100%` gets a final `100%` wave. Numbers given as JSON numbers are percentages
 * (the API's original form: `[1, 10, 50, 100]`).
 */
import { YiwangError } from '../../common/errors.js';

export const DEFAULT_WAVES = ['1', '10%', '50%', '100%'];
const MAX_WAVES = 100;

type Step = { kind: 'count'; n: number } | { kind: 'percent'; p: number };

const bad = (m: string): never => {
  throw new YiwangError(
    'CLOUD_ERR_BAD_REQUEST',
    `waves: ${m}; give cumulative steps, each N (gateways) or P% (of the group), e.g. 1,5,50%`,
  );
};

function step(s: string): Step {
  if (/^[0-9]+$/.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) && n >= 1 ? { kind: 'count', n } : bad(`${s} is not a count of gateways ≥ 1`);
  }
  const m = /^([0-9]+(?:\.[0-9]+)?)%$/.exec(s);
  if (!m) return bad(`${JSON.stringify(s)} is neither N nor P%`);
  const p = Number(m[1]);
  return p > 0 && p <= 100 ? { kind: 'percent', p } : bad(`${s} is not a percentage in (0, 100]`);
}

const canon = (st: Step): string => (st.kind === 'count' ? String(st.n) : `${st.p}%`);

/**
 * Checks and normalises a plan: strings `N` or `P%`, numbers as percentages; counts must
 * increase, and so must percentages; a final `100%` is added when missing.
 */
export function parseWaves(input: readonly (string | number)[] | undefined): string[] {
  if (input === undefined) return [...DEFAULT_WAVES];
  if (!input.length) bad('empty list');
  const steps = input.map((w) =>
    typeof w === 'number' ? (Number.isFinite(w) ? step(`${w}%`) : bad(`${w} is not a number`)) : step(w.trim()),
  );
  let lastCount = 0,
    lastPercent = 0;
  for (const st of steps) {
    if (st.kind === 'count') {
      if (st.n <= lastCount) bad(`${st.n} does not exceed the earlier count ${lastCount}`);
      lastCount = st.n;
    } else {
      if (st.p <= lastPercent) bad(`${st.p}% does not exceed the earlier ${lastPercent}%`);
      lastPercent = st.p;
    }
  }
  const specs = steps.map(canon);
  if (specs[specs.length - 1] !== '100%') specs.push('100%');
  if (specs.length > MAX_WAVES) bad(`more than ${MAX_WAVES} waves`);
  return specs;
}

/**
 * Gateways reached by the end of each wave for a group of `total`: N, or ceil(P × total / 100),
 * at most `total` and never fewer than the wave before (a wave that adds nobody is skipped).
 */
export function waveTargets(specs: readonly string[], total: number): number[] {
  let prev = 0;
  return specs.map((s) => {
    const st = step(s);
    const raw = st.kind === 'count' ? st.n : Math.ceil((st.p * total) / 100 - 1e-9);
    prev = Math.max(prev, Math.min(total, raw));
    return prev;
  });
}
