/**
 * The profile runtime's upkeep of rule alarm state (alarms.ts, stored by alarm-state.ts): writing
 * what changed once readings are committed, and forgetting the states of removed rules at a reload.
 * A store failure is logged, never thrown: the readings it follows are already stored.
 */
import type { Logger } from '../../common/log.js';
import type { AlarmEngine } from './alarms.js';
import type { ProfileIndex } from './index-match.js';

/** Writes the alarm states changed since the last flush. */
export function flushAlarms(alarms: AlarmEngine, log: Logger): void {
  try {
    alarms.flush();
  } catch (err) {
    log.error({ err: (err as Error).message }, 'profile alarm state not stored');
  }
}

/** Drops the alarm states of rules that are gone (see AlarmEngine.prune), logging active ones. */
export function pruneAlarmStates(alarms: AlarmEngine, index: ProfileIndex, complete: boolean, log: Logger): void {
  const gone = alarms.prune((id) => index.byId.get(id)?.alarms, complete);
  if (gone.length === 0) return;
  const active = gone.filter((g) => g.active).map((g) => g.key.replace(/\u0000/g, ' '));
  log.info({ states: gone.length, active }, 'alarm states of removed rules forgotten');
  flushAlarms(alarms, log);
}
