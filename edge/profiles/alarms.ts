/**
 * Rule alarms of profiles: thresholds with hysteresis, states and state changes → Events.
 * The state (which alarms are active, the last value of each metric) is kept per device and rule,
 * in memory and, in the agent, in its store file (alarm-state.ts): `flush` writes what changed, so an
 * alarm raised before a restart is not raised again after it, and one that clears is cleared.
 */
import type { Event } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';
import { profileEvent, type DecodeContext } from './readings.js';
import type { AlarmRule, Profile, ScalarValue } from './types.js';
import type { AlarmStateStore, RuleState } from './alarm-state.js';

function fill(template: string, r: Reading, rule: AlarmRule, active: boolean): string {
  if (template === '')
    return `${rule.event} ${active ? 'raised' : 'cleared'}: ${r.metric} = ${String(r.value)}${r.unit ? ` ${r.unit}` : ''}`;
  return template
    .replace(/\{value\}/g, String(r.value))
    .replace(/\{unit\}/g, r.unit)
    .replace(/\{metric\}/g, r.metric)
    .replace(/\{state\}/g, active ? 'raised' : 'cleared');
}

export class AlarmEngine {
  private readonly state: Map<string, RuleState>;
  /** States changed since the last flush (undefined: forgotten). */
  private readonly dirty = new Map<string, RuleState | undefined>();

  /** With a store, the state starts as stored and `flush` writes it back. */
  constructor(private readonly store?: AlarmStateStore) {
    this.state = store?.load() ?? new Map();
  }

  /** Forgets the state of one device (or of all). */
  reset(deviceId?: string): void {
    for (const k of [...this.state.keys()]) {
      if (deviceId !== undefined && !k.startsWith(`${deviceId}\u0000`)) continue;
      this.state.delete(k);
      if (this.store) this.dirty.set(k, undefined);
    }
  }

  /**
   * Forgets the states of rules that are no longer loaded: a rule gone from a loaded profile and,
   * when `complete` (every profile file loaded without error), a profile gone altogether. A profile
   * that failed to load (say, half-edited) keeps its states, so fixing it raises nothing twice.
   * Returns the keys forgotten with whether their alarm was active; `flush` writes the deletions.
   */
  prune(
    rulesOf: (profileId: string) => readonly { name: string }[] | undefined,
    complete: boolean,
  ): { key: string; active: boolean }[] {
    const gone: { key: string; active: boolean }[] = [];
    for (const [k, s] of this.state) {
      const ruleAt = k.lastIndexOf('\u0000');
      const profileAt = k.lastIndexOf('\u0000', ruleAt - 1);
      const rules = rulesOf(k.slice(profileAt + 1, ruleAt));
      if (rules === undefined ? !complete : rules.some((r) => r.name === k.slice(ruleAt + 1))) continue;
      this.state.delete(k);
      if (this.store) this.dirty.set(k, undefined);
      gone.push({ key: k, active: s.active });
    }
    return gone;
  }

  /** Writes the states changed since the last flush to the store (no-op without one). */
  flush(): void {
    if (!this.store || this.dirty.size === 0) return;
    const changes = new Map(this.dirty);
    this.dirty.clear();
    this.store.save(changes);
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
          if (s.last !== undefined && s.last !== r.value)
            events.push(
              profileEvent(c, profile, rule.event, rule.severity, true, fill(rule.message, r, rule, true), {
                ...attrs,
                previous: String(s.last),
              }),
            );
        } else if (next !== s.active) {
          events.push(
            profileEvent(c, profile, rule.event, rule.severity, next, fill(rule.message, r, rule, next), attrs),
          );
        }
        const changed = next !== s.active || (rule.kind === 'change' && s.last !== r.value);
        const ns: RuleState = { active: next, last: r.value };
        this.state.set(key, ns);
        // Only what a rule needs after a restart is stored: active threshold/state alarms, change rules' last value.
        if (changed && this.store)
          this.dirty.set(key, rule.kind === 'change' ? ns : next ? { active: true } : undefined);
      }
    }
  }

  private next(rule: AlarmRule, s: RuleState, v: ScalarValue): boolean {
    switch (rule.kind) {
      case 'state':
        return rule.equals.includes(v);
      case 'change':
        return false;
      case 'threshold': {
        if (typeof v !== 'number') return s.active;
        if (rule.above !== undefined) return s.active ? v > rule.clear : v > rule.above;
        return s.active ? v < rule.clear : v < rule.below!;
      }
    }
  }
}
