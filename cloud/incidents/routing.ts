/** Routing of alarms to departments: ordered rules, the first that matches wins. */
import type { Severity } from '../health/types.js';
import type { RoutingRule } from './types.js';

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export const severityAtLeast = (s: Severity, min: Severity): boolean => RANK[s] >= RANK[min];

const globCache = new Map<string, RegExp>();

/** `*` any run of characters, `?` one character, everything else literal (whole string). */
export function globMatch(glob: string, s: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 's');
    if (globCache.size > 2000) globCache.clear();
    globCache.set(glob, re);
  }
  return re.test(s);
}

/** What a rule is matched against: the alarm and its gateway's tags. */
export interface RoutedAlarm {
  type: string;
  severity: Severity;
  district: string;
  group: string;
}

export const byPosition = (a: RoutingRule, b: RoutingRule): number =>
  a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function ruleMatches(r: RoutingRule, a: RoutedAlarm): boolean {
  return (
    globMatch(r.eventType, a.type) &&
    severityAtLeast(a.severity, r.minSeverity) &&
    (r.district === '' || r.district === a.district) &&
    (r.group === '' || r.group === a.group)
  );
}

/** The first rule (by position, then id) that matches, or undefined. */
export function routeAlarm(rules: readonly RoutingRule[], a: RoutedAlarm): RoutingRule | undefined {
  return [...rules].sort(byPosition).find((r) => ruleMatches(r, a));
}
