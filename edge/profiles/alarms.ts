/**
 * Rule alarms of profiles: thresholds with hysteresis, states and state changes → Events.
 * The state (which alarms are active, the last value of each metric) is kept per device and rule,
 * in memory: after an agent restart a still-active condition is raised once more.
 */
import type { Event } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';
import { profileEvent, type DecodeContext } from './readings.js';
import type { AlarmRule, Profile, ScalarValue } from './types.js';

interface RuleState { active: boolean; last?: ScalarValue }

function fill(template: string, r: Reading, rule: AlarmRule, active: boolean): string {
  if (template === '') return `${rule.event} ${active ? 'raised' : 'cleared'}: ${r.metric} = ${String(r.value)}${r.unit ? ` ${r.unit}` : ''}`;
  return template.replace(/\{value\}/g, String(r.value)).replace(/\{unit\}/g, r.unit).replace(/\{metric\}/g, r.metric).replace(/\{state\}/g, active ? 'raised' : 'cleared');
}

export class AlarmEngine {
  private readonly state = new Map<string, RuleState>();

  /** Forgets the state of one device (or of all). */
  reset(deviceId?: string): void {
    if (deviceId === undefined) { this.state.clear(); return; }
    for (const k of [...this.state.keys()]) if (k.startsWith(`${deviceId}\u0000`)) this.state.delete(k);
  }

  get size(): number {
    return this.state.size;
  }

  /** Evaluates the profile's rules on readings (in order) and appends the events they raise or clear. */
  evaluate(profile: Profile, readings: readonly Reading[], ctx: DecodeContext, events: Event[]): void {
    if (profile.alarms.length === 0) return;
    for (const r of readings) {
      for (const rule of profile.alarms) {
        if (rule.metric !== r.metric) continue;
        const key = `${r.deviceId}\u0000${profile.id}\u0000${rule.name}`;
        const s = this.state.get(key) ?? { active: false };
        const next = this.next(rule, s, r.value);
        const c = { ...ctx, deviceId: r.deviceId, ts: r.ts };
        const attrs = { rule: rule.name, metric: r.metric, value: String(r.value) };
        if (rule.kind === 'change') {
          if (s.last !== undefined && s.last !== r.value) events.push(profileEvent(c, profile, rule.event, rule.severity, true, fill(rule.message, r, rule, true), { ...attrs, previous: String(s.last) }));
        } else if (next !== s.active) {
          events.push(profileEvent(c, profile, rule.event, rule.severity, next, fill(rule.message, r, rule, next), attrs));
        }
        this.state.set(key, { active: next, last: r.value });
      }
    }
  }

  private next(rule: AlarmRule, s: RuleState, v: ScalarValue): boolean {
    switch (rule.kind) {
      case 'state': return rule.equals.includes(v);
      case 'change': return false;
      case 'threshold': {
        if (typeof v !== 'number') return s.active;
        if (rule.above !== undefined) return s.active ? v > rule.clear : v > rule.above;
        return s.active ? v < rule.clear : v < rule.below!;
      }
    }
  }
}
