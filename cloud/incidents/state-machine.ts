/**
 * The incident lifecycle: open → acknowledged → resolved → closed; an open or acknowledged
 * incident may be resolved or closed directly (a false alarm), and escalates while its deadline
 * has passed. A closed incident changes no more.
 */
import { YiwangError } from '../../common/errors.js';
import type { IncidentState } from './types.js';

export type IncidentAction = 'ack' | 'assign' | 'note' | 'resolve' | 'close' | 'escalate';

/** The states each action is allowed from. */
export const ALLOWED_FROM: Readonly<Record<IncidentAction, readonly IncidentState[]>> = {
  ack: ['open'],
  assign: ['open', 'acknowledged'],
  note: ['open', 'acknowledged', 'resolved'],
  resolve: ['open', 'acknowledged'],
  close: ['open', 'acknowledged', 'resolved'],
  escalate: ['open', 'acknowledged'],
};

/** The state an action leads to (undefined: the state stays). */
export const NEXT_STATE: Readonly<Partial<Record<IncidentAction, IncidentState>>> = {
  ack: 'acknowledged',
  resolve: 'resolved',
  close: 'closed',
};

export const mayDo = (action: IncidentAction, state: IncidentState): boolean => ALLOWED_FROM[action].includes(state);

export function stateError(id: number, action: IncidentAction, state: IncidentState): YiwangError {
  return new YiwangError(
    'CLOUD_ERR_INCIDENT_STATE',
    `incident ${id} is ${state}: ${action} needs it ${ALLOWED_FROM[action].join(' or ')}`,
  );
}
