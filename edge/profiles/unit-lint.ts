/**
 * One canonical unit per metric name across a profile library (`yiwang-edge profile lint`): the
 * cloud, the dashboard and every query see `active_power` in one unit whichever device sent it.
 * A profile whose device reports another unit converts with `[metrics.<name>] scale`.
 */
import type { Profile } from './types.js';

/** A metric name whose profiles declare different units. */
export interface UnitDisagreement {
  metric: string;
  /** The unit most profiles use (first in file order on a tie), and who uses it. */
  canonical: string;
  /** Unit → the profile files declaring it. */
  units: Map<string, string[]>;
}

const shownUnit = (u: string): string => `"${u}"`;

/**
 * Every metric name declared with more than one unit by the profiles. A metric that declares no
 * unit takes its source's (layout field, register, wire) and is not compared: `unitWarnings` asks
 * for the unit instead.
 */
export function unitDisagreements(profiles: readonly Profile[]): UnitDisagreement[] {
  const out: UnitDisagreement[] = [];
  for (const [metric, units] of declared(profiles)) {
    if (units.size < 2) continue;
    out.push({ metric, canonical: majority(units), units });
  }
  return out;
}

function declared(profiles: readonly Profile[]): Map<string, Map<string, string[]>> {
  const byMetric = new Map<string, Map<string, string[]>>();
  for (const p of [...profiles].sort((a, b) => a.file.localeCompare(b.file))) {
    for (const d of p.metrics.values()) {
      if (d.unit === '') continue;
      const units = byMetric.get(d.name) ?? new Map<string, string[]>();
      units.set(d.unit, [...(units.get(d.unit) ?? []), p.file]);
      byMetric.set(d.name, units);
    }
  }
  return new Map([...byMetric].sort(([a], [b]) => a.localeCompare(b)));
}

function majority(units: ReadonlyMap<string, string[]>): string {
  let canonical = '';
  let most = -1;
  for (const [u, files] of units)
    if (files.length > most) {
      most = files.length;
      canonical = u;
    }
  return canonical;
}

/**
 * PROFILE_ERR_UNIT messages by profile file, for the profiles that differ from the canonical unit:
 * `<file>: metric "active_power" is in "kW" here but in "W" in <files> …` (on a tie, every side).
 * `checked` limits them to the files being linted (the others only vote).
 */
export function unitErrors(profiles: readonly Profile[], checked: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of unitDisagreements(profiles)) {
    const others = (u: string): string =>
      [...d.units]
        .filter(([x]) => x !== u)
        .map(([x, files]) => `${shownUnit(x)} in ${files.join(', ')}`)
        .join('; ');
    const tie = [...d.units.values()].filter((f) => f.length === d.units.get(d.canonical)!.length).length > 1;
    for (const [unit, files] of d.units) {
      if (unit === d.canonical && !tie) continue;
      const advice = tie
        ? `agree on one (${[...d.units.keys()].map(shownUnit).join(' or ')})`
        : `use ${shownUnit(d.canonical)} and, if the device sends another unit, convert with scale (value × scale)`;
      for (const file of files) {
        if (!checked.has(file)) continue;
        const msg = `${file}: metric "${d.metric}" is in ${shownUnit(unit)} here but in ${others(unit)}; one unit per metric name across the library: ${advice}`;
        out.set(file, [...(out.get(file) ?? []), msg]);
      }
    }
  }
  return out;
}

/** Lint warnings: metrics of the checked profiles that declare no unit where the library has one for the name. */
export function unitWarnings(profiles: readonly Profile[], checked: ReadonlySet<string>): Map<string, string[]> {
  const units = declared(profiles);
  const out = new Map<string, string[]>();
  for (const p of profiles) {
    if (!checked.has(p.file)) continue;
    for (const d of p.metrics.values()) {
      const known = units.get(d.name);
      if (d.unit !== '' || !known) continue;
      const canonical = majority(known);
      out.set(p.file, [
        ...(out.get(p.file) ?? []),
        `${p.file}: metrics.${d.name} declares no unit; the library's is ${shownUnit(canonical)}: declare unit = ${shownUnit(canonical)} so lint can check it`,
      ]);
    }
  }
  return out;
}
