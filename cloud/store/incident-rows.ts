/** Rows of the incident tables, shared by the SQLite and PostgreSQL incident stores. */
import type { Severity } from '../health/types.js';
import type {
  DepartmentRow,
  Incident,
  IncidentNote,
  IncidentPatch,
  IncidentState,
  LinkedAlarm,
  RoutingRule,
} from '../incidents/types.js';

/** camelCase field → column of `incidents` (the group tag is `grp`: GROUP is an SQL keyword). */
export const INCIDENT_FIELDS = {
  id: 'id',
  title: 'title',
  state: 'state',
  departmentId: 'department_id',
  assignee: 'assignee',
  priority: 'priority',
  district: 'district',
  group: 'grp',
  gatewayId: 'gateway_id',
  deviceId: 'device_id',
  eventType: 'event_type',
  severity: 'severity',
  ruleId: 'rule_id',
  openedBy: 'opened_by',
  slaMinutes: 'sla_minutes',
  deadlineMs: 'deadline_ms',
  escalationLevel: 'escalation_level',
  linkedAlarms: 'linked_alarms',
  alarmCount: 'alarm_count',
  noteCount: 'note_count',
  resolution: 'resolution',
  createdMs: 'created_ms',
  updatedMs: 'updated_ms',
  ackedMs: 'acked_ms',
  ackedBy: 'acked_by',
  resolvedMs: 'resolved_ms',
  resolvedBy: 'resolved_by',
  closedMs: 'closed_ms',
  closedBy: 'closed_by',
  version: 'version',
} as const satisfies Record<keyof Incident, string>;

/** The columns of a new incident (the rest take their defaults) in insert order. */
export const NEW_INCIDENT_COLUMNS = [
  'title',
  'state',
  'department_id',
  'assignee',
  'priority',
  'district',
  'grp',
  'gateway_id',
  'device_id',
  'event_type',
  'severity',
  'rule_id',
  'opened_by',
  'sla_minutes',
  'deadline_ms',
  'escalation_level',
  'linked_alarms',
  'alarm_count',
  'note_count',
  'resolution',
  'created_ms',
  'updated_ms',
  'acked_by',
  'resolved_by',
  'closed_by',
  'version',
] as const;

export type IncidentRow = Record<(typeof INCIDENT_FIELDS)[keyof typeof INCIDENT_FIELDS], unknown>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function incidentOf(r: IncidentRow): Incident {
  return {
    id: num(r.id),
    title: String(r.title),
    state: r.state as IncidentState,
    departmentId: String(r.department_id),
    assignee: String(r.assignee),
    priority: num(r.priority),
    district: String(r.district),
    group: String(r.grp),
    gatewayId: String(r.gateway_id),
    deviceId: String(r.device_id),
    eventType: String(r.event_type),
    severity: r.severity as Severity,
    ruleId: String(r.rule_id),
    openedBy: String(r.opened_by),
    slaMinutes: num(r.sla_minutes),
    deadlineMs: num(r.deadline_ms),
    escalationLevel: num(r.escalation_level),
    linkedAlarms: num(r.linked_alarms),
    alarmCount: num(r.alarm_count),
    noteCount: num(r.note_count),
    resolution: String(r.resolution),
    createdMs: num(r.created_ms),
    updatedMs: num(r.updated_ms),
    ackedMs: numOrNull(r.acked_ms),
    ackedBy: String(r.acked_by),
    resolvedMs: numOrNull(r.resolved_ms),
    resolvedBy: String(r.resolved_by),
    closedMs: numOrNull(r.closed_ms),
    closedBy: String(r.closed_by),
    version: num(r.version),
  };
}

/** Values of NEW_INCIDENT_COLUMNS for a new incident. */
export function newIncidentValues(
  n: import('../incidents/types.js').NewIncident,
  linked: number,
  atMs: number,
): unknown[] {
  return [
    n.title,
    'open',
    n.departmentId,
    n.assignee,
    n.priority,
    n.district,
    n.group,
    n.gatewayId,
    n.deviceId,
    n.eventType,
    n.severity,
    n.ruleId,
    n.openedBy,
    n.slaMinutes,
    n.deadlineMs,
    0,
    linked,
    linked,
    0,
    '',
    atMs,
    atMs,
    '',
    '',
    '',
    1,
  ];
}

/** [column, value] of a patch (fields left out stay). */
export function patchColumns(p: IncidentPatch): [string, unknown][] {
  return Object.entries(p)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [INCIDENT_FIELDS[k as keyof IncidentPatch], v]);
}

export interface DepartmentDbRow {
  id: string;
  name: string;
  webhook_url: string;
  secret_sealed: string;
  created_ms: unknown;
  updated_ms: unknown;
}

export const departmentOf = (r: DepartmentDbRow): DepartmentRow => ({
  id: r.id,
  name: r.name,
  webhookUrl: r.webhook_url,
  secretSealed: r.secret_sealed,
  createdMs: num(r.created_ms),
  updatedMs: num(r.updated_ms),
});

export interface RuleDbRow {
  id: string;
  position: unknown;
  event_type: string;
  min_severity: string;
  district: string;
  grp: string;
  department_id: string;
  sla_minutes: unknown;
  priority: unknown;
  created_ms: unknown;
  updated_ms: unknown;
}

export const RULE_COLUMNS =
  'id, position, event_type, min_severity, district, grp, department_id, sla_minutes, priority, created_ms, updated_ms';

export const ruleValues = (r: RoutingRule): unknown[] => [
  r.id,
  r.position,
  r.eventType,
  r.minSeverity,
  r.district,
  r.group,
  r.departmentId,
  r.slaMinutes,
  r.priority,
  r.createdMs,
  r.updatedMs,
];

export const ruleOf = (r: RuleDbRow): RoutingRule => ({
  id: r.id,
  position: num(r.position),
  eventType: r.event_type,
  minSeverity: r.min_severity as Severity,
  district: r.district,
  group: r.grp,
  departmentId: r.department_id,
  slaMinutes: num(r.sla_minutes),
  priority: num(r.priority),
  createdMs: num(r.created_ms),
  updatedMs: num(r.updated_ms),
});

export const noteOf = (r: { at_ms: unknown; author: string; text: string }): IncidentNote => ({
  atMs: num(r.at_ms),
  author: r.author,
  text: r.text,
});

export const linkOf = (r: { event_id: unknown; linked_ms: unknown }): LinkedAlarm => ({
  eventId: num(r.event_id),
  linkedMs: num(r.linked_ms),
});

/** WHERE clauses of a listing, with `?` placeholders (the PostgreSQL store numbers them). */
export function incidentWhere(q: import('../incidents/types.js').IncidentQuery): { where: string; args: unknown[] } {
  const w: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown): void => {
    w.push(sql);
    args.push(v);
  };
  if (q.state !== undefined) add('state = ?', q.state);
  if (q.active) w.push("state IN ('open', 'acknowledged')");
  if (q.departmentId !== undefined) add('department_id = ?', q.departmentId);
  if (q.district !== undefined) add('district = ?', q.district);
  if (q.priority !== undefined) add('priority = ?', q.priority);
  if (q.assignee !== undefined) add('assignee = ?', q.assignee);
  if (q.beforeId !== undefined) add('id < ?', q.beforeId);
  return { where: w.length ? `WHERE ${w.join(' AND ')}` : '', args };
}

/** `?` → `$1, $2, …` (PostgreSQL), starting after `offset`. */
export function numbered(sql: string, offset = 0): string {
  let i = offset;
  return sql.replace(/\?/g, () => `$${++i}`);
}

/** Open and acknowledged incidents by state, place and deadline passed (one `?`: now). */
export const ACTIVE_COUNTS_SQL =
  "SELECT state, district, grp, (deadline_ms <= ?) AS overdue, count(*) AS n FROM incidents WHERE state IN ('open', 'acknowledged') GROUP BY state, district, grp, overdue";

export const activeCountOf = (r: {
  state: string;
  district: string;
  grp: string;
  overdue: unknown;
  n: unknown;
}): import('../incidents/incident-store.js').ActiveCount => ({
  state: r.state as IncidentState,
  district: r.district,
  group: r.grp,
  overdue: r.overdue === true || r.overdue === 1,
  n: num(r.n),
});
