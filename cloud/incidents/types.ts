/**
 * Incidents and dispatch (issue 23, item 5): departments, routing rules and incidents as the
 * store keeps them and the API answers them. A department's webhook secret is stored sealed and
 * never leaves the store through the API (`Department.hasSecret` says whether one is set).
 */
import type { Severity } from '../health/types.js';

export const INCIDENT_STATES = ['open', 'acknowledged', 'resolved', 'closed'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];
/** States in which an incident is still being worked on: its SLA clock runs, repeats link to it. */
export const ACTIVE_STATES: readonly IncidentState[] = ['open', 'acknowledged'];

/** Bounds of the incident data (each refusal is counted, cloud/incidents/incident-service.ts). */
export const INCIDENT_LIMITS = {
  notesPerIncident: 200,
  alarmsPerIncident: 1000,
  noteChars: 4000,
  resolutionChars: 4000,
  departments: 500,
  rules: 1000,
} as const;

export interface Department {
  id: string;
  name: string;
  webhookUrl: string;
  /** A webhook secret is set (the secret itself is never answered). */
  hasSecret: boolean;
  createdMs: number;
  updatedMs: number;
}

/** A department as stored: the secret sealed (or plain when no sealer is configured). */
export interface DepartmentRow extends Omit<Department, 'hasSecret'> {
  secretSealed: string;
}

export interface RoutingRule {
  id: string;
  /** Rules are tried by position (then id); the first that matches routes the alarm. */
  position: number;
  /** Glob on the event type: `*` any run of characters, `?` one character. */
  eventType: string;
  /** Alarms of at least this severity match. */
  minSeverity: Severity;
  /** '' = any district / group (the gateway's tags). */
  district: string;
  group: string;
  departmentId: string;
  slaMinutes: number;
  /** 1 (most urgent) … 5. */
  priority: number;
  createdMs: number;
  updatedMs: number;
}

export interface Incident {
  id: number;
  title: string;
  state: IncidentState;
  departmentId: string;
  assignee: string;
  priority: number;
  district: string;
  group: string;
  gatewayId: string;
  deviceId: string;
  eventType: string;
  severity: Severity;
  /** The rule that opened it ('' when opened by hand without one). */
  ruleId: string;
  openedBy: string;
  slaMinutes: number;
  deadlineMs: number;
  escalationLevel: number;
  /** Alarms linked (at most INCIDENT_LIMITS.alarmsPerIncident are kept as links). */
  linkedAlarms: number;
  /** Every alarm that came for it, the first one and its repeats (counted past the link bound too). */
  alarmCount: number;
  noteCount: number;
  resolution: string;
  createdMs: number;
  updatedMs: number;
  ackedMs: number | null;
  ackedBy: string;
  resolvedMs: number | null;
  resolvedBy: string;
  closedMs: number | null;
  closedBy: string;
  /** Optimistic concurrency: +1 with every change. */
  version: number;
}

export interface IncidentNote {
  atMs: number;
  author: string;
  text: string;
}

export interface LinkedAlarm {
  eventId: number;
  linkedMs: number;
}

export interface IncidentDetail extends Incident {
  notes: IncidentNote[];
  alarms: LinkedAlarm[];
}

/** What a new incident is made of (the store gives id, times, counts). */
export type NewIncident = Pick<
  Incident,
  | 'title'
  | 'departmentId'
  | 'assignee'
  | 'priority'
  | 'district'
  | 'group'
  | 'gatewayId'
  | 'deviceId'
  | 'eventType'
  | 'severity'
  | 'ruleId'
  | 'openedBy'
  | 'slaMinutes'
  | 'deadlineMs'
>;

export interface IncidentQuery {
  state?: IncidentState;
  /** Only incidents still worked on (open or acknowledged). */
  active?: boolean;
  departmentId?: string;
  district?: string;
  priority?: number;
  assignee?: string;
  /** Paging: newest first, ids below this one. */
  beforeId?: number;
  limit?: number;
}

/** Fields a transition may change. */
export type IncidentPatch = Partial<
  Pick<
    Incident,
    | 'state'
    | 'departmentId'
    | 'assignee'
    | 'priority'
    | 'deadlineMs'
    | 'escalationLevel'
    | 'resolution'
    | 'ackedMs'
    | 'ackedBy'
    | 'resolvedMs'
    | 'resolvedBy'
    | 'closedMs'
    | 'closedBy'
  >
>;

/** The outcome of a change asked of the store. */
export type ChangeResult =
  | { ok: true; incident: Incident; noteRefused: boolean }
  | { ok: false; why: 'missing' | 'state' | 'version' };
