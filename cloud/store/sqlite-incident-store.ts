/** SQLite implementation of IncidentStore (cloud/incidents/incident-store.ts), on the cloud store's connection. */
import type Database from 'better-sqlite3';
import type { ActiveCount, IncidentChange, IncidentStore } from '../incidents/incident-store.js';
import type {
  ChangeResult,
  DepartmentRow,
  Incident,
  IncidentNote,
  IncidentQuery,
  LinkedAlarm,
  NewIncident,
  RoutingRule,
} from '../incidents/types.js';
import { incidentDdl } from './incident-schema.js';
import {
  type DepartmentDbRow,
  departmentOf,
  type IncidentRow,
  incidentOf,
  incidentWhere,
  linkOf,
  NEW_INCIDENT_COLUMNS,
  newIncidentValues,
  noteOf,
  patchColumns,
  RULE_COLUMNS,
  type RuleDbRow,
  ruleOf,
  ruleValues,
  ACTIVE_COUNTS_SQL,
  activeCountOf,
} from './incident-rows.js';

export class SqliteIncidentStore implements IncidentStore {
  constructor(private readonly db: Database.Database) {
    db.exec(incidentDdl('sqlite'));
  }

  private row(id: number): Incident | undefined {
    const r = this.db.prepare('SELECT * FROM incidents WHERE id = ?').get(id) as IncidentRow | undefined;
    return r ? incidentOf(r) : undefined;
  }

  async listDepartments(): Promise<DepartmentRow[]> {
    return (this.db.prepare('SELECT * FROM incident_departments ORDER BY id').all() as DepartmentDbRow[]).map(
      departmentOf,
    );
  }

  async getDepartment(id: string): Promise<DepartmentRow | undefined> {
    const r = this.db.prepare('SELECT * FROM incident_departments WHERE id = ?').get(id) as DepartmentDbRow | undefined;
    return r ? departmentOf(r) : undefined;
  }

  async createDepartment(d: DepartmentRow): Promise<boolean> {
    return (
      this.db
        .prepare(
          'INSERT INTO incident_departments (id, name, webhook_url, secret_sealed, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
        )
        .run(d.id, d.name, d.webhookUrl, d.secretSealed, d.createdMs, d.updatedMs).changes === 1
    );
  }

  async updateDepartment(d: DepartmentRow): Promise<boolean> {
    return (
      this.db
        .prepare(
          'UPDATE incident_departments SET name = ?, webhook_url = ?, secret_sealed = ?, updated_ms = ? WHERE id = ?',
        )
        .run(d.name, d.webhookUrl, d.secretSealed, d.updatedMs, d.id).changes === 1
    );
  }

  async deleteDepartment(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM incident_departments WHERE id = ?').run(id).changes === 1;
  }

  async listRules(): Promise<RoutingRule[]> {
    return (
      this.db.prepare(`SELECT ${RULE_COLUMNS} FROM incident_rules ORDER BY position, id`).all() as RuleDbRow[]
    ).map(ruleOf);
  }

  async getRule(id: string): Promise<RoutingRule | undefined> {
    const r = this.db.prepare(`SELECT ${RULE_COLUMNS} FROM incident_rules WHERE id = ?`).get(id) as
      | RuleDbRow
      | undefined;
    return r ? ruleOf(r) : undefined;
  }

  async createRule(r: RoutingRule): Promise<boolean> {
    return (
      this.db
        .prepare(
          `INSERT INTO incident_rules (${RULE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        )
        .run(...ruleValues(r)).changes === 1
    );
  }

  async updateRule(r: RoutingRule): Promise<boolean> {
    const [id, ...rest] = ruleValues(r);
    return (
      this.db
        .prepare(
          'UPDATE incident_rules SET position = ?, event_type = ?, min_severity = ?, district = ?, grp = ?, department_id = ?, sla_minutes = ?, priority = ?, created_ms = ?, updated_ms = ? WHERE id = ?',
        )
        .run(...rest, id).changes === 1
    );
  }

  async deleteRule(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM incident_rules WHERE id = ?').run(id).changes === 1;
  }

  async openIncident(n: NewIncident, alarmId: number | null, atMs: number): Promise<Incident | undefined> {
    return this.db.transaction(() => {
      if (alarmId !== null && this.db.prepare('SELECT 1 FROM incident_alarms WHERE event_id = ?').get(alarmId))
        return undefined;
      const cols = NEW_INCIDENT_COLUMNS.join(', ');
      const id = Number(
        this.db
          .prepare(`INSERT INTO incidents (${cols}) VALUES (${NEW_INCIDENT_COLUMNS.map(() => '?').join(', ')})`)
          .run(...newIncidentValues(n, alarmId === null ? 0 : 1, atMs)).lastInsertRowid,
      );
      if (alarmId !== null)
        this.db
          .prepare('INSERT INTO incident_alarms (event_id, incident_id, linked_ms) VALUES (?, ?, ?)')
          .run(alarmId, id, atMs);
      return this.row(id);
    })();
  }

  async linkRepeat(
    a: { gatewayId: string; deviceId: string; type: string; eventId: number },
    maxLinks: number,
    atMs: number,
  ): Promise<{ incident: Incident; linked: boolean; already: boolean } | undefined> {
    return this.db.transaction(() => {
      const r = this.db
        .prepare(
          "SELECT * FROM incidents WHERE gateway_id = ? AND device_id = ? AND event_type = ? AND state IN ('open', 'acknowledged') ORDER BY id DESC LIMIT 1",
        )
        .get(a.gatewayId, a.deviceId, a.type) as IncidentRow | undefined;
      if (!r) return undefined;
      const inc = incidentOf(r);
      if (this.db.prepare('SELECT 1 FROM incident_alarms WHERE event_id = ?').get(a.eventId))
        return { incident: inc, linked: false, already: true };
      const linked = inc.linkedAlarms < maxLinks;
      if (linked)
        this.db
          .prepare('INSERT INTO incident_alarms (event_id, incident_id, linked_ms) VALUES (?, ?, ?)')
          .run(a.eventId, inc.id, atMs);
      this.db
        .prepare(
          'UPDATE incidents SET alarm_count = alarm_count + 1, linked_alarms = linked_alarms + ?, updated_ms = ?, version = version + 1 WHERE id = ?',
        )
        .run(linked ? 1 : 0, atMs, inc.id);
      return { incident: this.row(inc.id)!, linked, already: false };
    })();
  }

  async linkedAmong(eventIds: readonly number[]): Promise<Set<number>> {
    const out = new Set<number>();
    for (let i = 0; i < eventIds.length; i += 500) {
      const part = eventIds.slice(i, i + 500);
      const rows = this.db
        .prepare(`SELECT event_id FROM incident_alarms WHERE event_id IN (${part.map(() => '?').join(', ')})`)
        .all(...part) as { event_id: number }[];
      for (const r of rows) out.add(Number(r.event_id));
    }
    return out;
  }

  async getIncident(id: number): Promise<Incident | undefined> {
    return this.row(id);
  }

  async listIncidents(q: IncidentQuery): Promise<Incident[]> {
    const { where, args } = incidentWhere(q);
    const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
    return (
      this.db.prepare(`SELECT * FROM incidents ${where} ORDER BY id DESC LIMIT ?`).all(...args, limit) as IncidentRow[]
    ).map(incidentOf);
  }

  async changeIncident(id: number, c: IncidentChange): Promise<ChangeResult> {
    return this.db.transaction((): ChangeResult => {
      const cur = this.row(id);
      if (!cur) return { ok: false, why: 'missing' };
      if (!c.from.includes(cur.state)) return { ok: false, why: 'state' };
      if (c.version !== undefined && c.version !== cur.version) return { ok: false, why: 'version' };
      const cols = patchColumns(c.patch);
      let noteRefused = false;
      let notes = 0;
      if (c.note) {
        if (cur.noteCount < c.maxNotes) {
          this.insertNote(id, cur.noteCount + 1, c.note);
          notes = 1;
        } else noteRefused = true;
      }
      this.db
        .prepare(
          `UPDATE incidents SET ${[...cols.map(([k]) => `${k} = ?`), 'note_count = note_count + ?', 'updated_ms = ?', 'version = version + 1'].join(', ')} WHERE id = ?`,
        )
        .run(...cols.map(([, v]) => v), notes, c.atMs, id);
      return { ok: true, incident: this.row(id)!, noteRefused };
    })();
  }

  private insertNote(id: number, seq: number, n: IncidentNote): void {
    this.db
      .prepare('INSERT INTO incident_notes (incident_id, seq, at_ms, author, text) VALUES (?, ?, ?, ?, ?)')
      .run(id, seq, n.atMs, n.author, n.text);
  }

  async addNote(id: number, note: IncidentNote, maxNotes: number): Promise<boolean | undefined> {
    return this.db.transaction(() => {
      const cur = this.row(id);
      if (!cur) return undefined;
      if (cur.noteCount >= maxNotes) return false;
      this.insertNote(id, cur.noteCount + 1, note);
      this.db
        .prepare('UPDATE incidents SET note_count = note_count + 1, updated_ms = ?, version = version + 1 WHERE id = ?')
        .run(note.atMs, id);
      return true;
    })();
  }

  async notes(id: number, limit: number): Promise<IncidentNote[]> {
    return (
      this.db
        .prepare('SELECT at_ms, author, text FROM incident_notes WHERE incident_id = ? ORDER BY seq LIMIT ?')
        .all(id, limit) as { at_ms: number; author: string; text: string }[]
    ).map(noteOf);
  }

  async alarms(id: number, limit: number): Promise<LinkedAlarm[]> {
    return (
      this.db
        .prepare('SELECT event_id, linked_ms FROM incident_alarms WHERE incident_id = ? ORDER BY event_id LIMIT ?')
        .all(id, limit) as { event_id: number; linked_ms: number }[]
    ).map(linkOf);
  }

  async activeCounts(nowMs: number): Promise<ActiveCount[]> {
    return (
      this.db.prepare(ACTIVE_COUNTS_SQL).all(nowMs) as {
        state: string;
        district: string;
        grp: string;
        overdue: number;
        n: number;
      }[]
    ).map(activeCountOf);
  }

  async overdue(nowMs: number, limit: number): Promise<Incident[]> {
    return (
      this.db
        .prepare(
          "SELECT * FROM incidents WHERE state IN ('open', 'acknowledged') AND deadline_ms <= ? ORDER BY deadline_ms, id LIMIT ?",
        )
        .all(nowMs, limit) as IncidentRow[]
    ).map(incidentOf);
  }

  async getCursor(name: string): Promise<number | undefined> {
    const r = this.db.prepare('SELECT value FROM incident_cursors WHERE name = ?').get(name) as
      | { value: number }
      | undefined;
    return r ? Number(r.value) : undefined;
  }

  async setCursor(name: string, value: number): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO incident_cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      )
      .run(name, value);
  }
}
