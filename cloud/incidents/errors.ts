import { defineErrors } from '../../common/errors.js';

/** Coded errors of incidents and dispatch (documented in docs/reference/errors.md, "Incidents"). */
export const INCIDENT_ERRORS = defineErrors({
  CLOUD_ERR_INCIDENT_STATE: {
    http: 409,
    summary:
      'The incident is not in a state that allows the request: acknowledge needs an open incident, resolve an open or acknowledged one, close an open, acknowledged or resolved one; a closed incident takes no more notes, assignments or changes. The message names the state it is in.',
    hint: 'Read the incident (`yiwang-cloud incidents show ID`) and follow its lifecycle: open → acknowledged → resolved → closed (an open or acknowledged incident may also be closed directly, with a resolution).',
  },
  CLOUD_ERR_INCIDENT_LIMIT: {
    http: 409,
    summary:
      'A bound of the incident data was reached: at most 200 notes per incident, 500 departments, 1000 routing rules (linked alarms past 1000 per incident are counted, not linked). The refusal is counted in /api/v1/stats (incidents).',
    hint: 'Summarise in the resolution instead of more notes, or open a follow-up incident; remove departments or rules no longer used.',
  },
  CLOUD_ERR_INCIDENT_ROUTE: {
    http: 422,
    summary:
      'An incident was asked to be opened by hand from an alarm without a department, and no routing rule matches the alarm (event type, severity, district and group of its gateway).',
    hint: 'Name the department (`--department`, body field departmentId) or add a routing rule that matches (`yiwang-cloud incident-rules add`).',
  },
});
