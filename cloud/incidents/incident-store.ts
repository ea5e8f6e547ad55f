/**
 * Where incidents, departments, routing rules and the engine's cursor are kept: SQLite
 * (cloud/store/sqlite-incident-store.ts) or PostgreSQL (cloud/store/postgres/pg-incident-store.ts,
 * migration 4). Every method is one transaction.
 */
import type {
  ChangeResult,
  DepartmentRow,
  Incident,
  IncidentNote,
  IncidentPatch,
  IncidentQuery,
  IncidentState,
  LinkedAlarm,
  NewIncident,
  RoutingRule,
} from './types.js';

/** A change of an incident: allowed only from `from` (and at `version` when given), with an optional note. */
export interface IncidentChange {
  from: readonly IncidentState[];
  version?: number;
  patch: IncidentPatch;
  note?: IncidentNote;
  /** Notes past this many are refused (the change is made, `noteRefused` says the note was not). */
  maxNotes: number;
  atMs: number;
}

export interface ActiveCount {
  state: IncidentState;
  district: string;
  group: string;
  overdue: boolean;
  n: number;
}

export interface IncidentStore {
  listDepartments(): Promise<DepartmentRow[]>;
  getDepartment(id: string): Promise<DepartmentRow | undefined>;
  /** Creates (false when the id exists). */
  createDepartment(d: DepartmentRow): Promise<boolean>;
  /** Replaces name, URL, secret, updatedMs (false when missing). */
  updateDepartment(d: DepartmentRow): Promise<boolean>;
  deleteDepartment(id: string): Promise<boolean>;

  /** By position, then id. */
  listRules(): Promise<RoutingRule[]>;
  getRule(id: string): Promise<RoutingRule | undefined>;
  createRule(r: RoutingRule): Promise<boolean>;
  updateRule(r: RoutingRule): Promise<boolean>;
  deleteRule(id: string): Promise<boolean>;

  /**
   * Opens an incident, linked to `alarmId` when given; undefined when that alarm is linked to an
   * incident already (one incident per alarm).
   */
  openIncident(n: NewIncident, alarmId: number | null, atMs: number): Promise<Incident | undefined>;
  /**
   * Links a repeat alarm to the open or acknowledged incident of the same gateway, device and
   * event type (the newest): counted always, linked while under `maxLinks`. undefined when there
   * is no such incident; `linked` false when refused by the bound or linked already.
   */
  linkRepeat(
    a: { gatewayId: string; deviceId: string; type: string; eventId: number },
    maxLinks: number,
    atMs: number,
  ): Promise<{ incident: Incident; linked: boolean; already: boolean } | undefined>;
  /** Which of these alarms are linked to an incident. */
  linkedAmong(eventIds: readonly number[]): Promise<Set<number>>;

  getIncident(id: number): Promise<Incident | undefined>;
  /** Newest first. */
  listIncidents(q: IncidentQuery): Promise<Incident[]>;
  changeIncident(id: number, c: IncidentChange): Promise<ChangeResult>;
  /** Adds a note (false when the incident has `maxNotes` already); undefined when missing. */
  addNote(id: number, note: IncidentNote, maxNotes: number): Promise<boolean | undefined>;
  notes(id: number, limit: number): Promise<IncidentNote[]>;
  alarms(id: number, limit: number): Promise<LinkedAlarm[]>;
  /** Open and acknowledged incidents counted by state, place and whether their deadline passed (`nowMs`). */
  activeCounts(nowMs: number): Promise<ActiveCount[]>;
  /** Open or acknowledged incidents whose deadline is at or before `nowMs`, earliest first. */
  overdue(nowMs: number, limit: number): Promise<Incident[]>;

  /** A durable cursor (undefined when never set). */
  getCursor(name: string): Promise<number | undefined>;
  setCursor(name: string, value: number): Promise<void>;
}
