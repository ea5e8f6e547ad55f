/** PostgreSQL implementation of IncidentStore (../../incidents/incident-store.ts); tables from migration 4. */
import type { ActiveCount, IncidentChange, IncidentStore } from '../../incidents/incident-store.js';
import type {
  ChangeResult,
  DepartmentRow,
  Incident,
  IncidentNote,
  IncidentQuery,
  LinkedAlarm,
  NewIncident,
  RoutingRule,
} from '../../incidents/types.js';
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
  numbered,
  patchColumns,
  RULE_COLUMNS,
  type RuleDbRow,
  ruleOf,
  ruleValues,
  ACTIVE_COUNTS_SQL,
  activeCountOf,
} from '../incident-rows.js';
import { type PgDatabase, type PgQueryable, storeError } from './pg-database.js';

type Q = PgQueryable;

export class PgIncidentStore implements IncidentStore {
  constructor(private readonly db: PgDatabase) {}

  private async q<R extends object>(what: string, sql: string, params: unknown[] = [], c?: Q): Promise<R[]> {
    try {
      return c ? ((await c.query(sql, params)).rows as R[]) : ((await this.db.query(sql, params)) as R[]);
    } catch (err) {
      throw storeError(what, err);
    }
  }

  private async tx<T>(what: string, fn: (c: Q) => Promise<T>): Promise<T> {
    try {
      return await this.db.tx(fn);
    } catch (err) {
      throw storeError(what, err);
    }
  }

  private async row(id: number, c?: Q, lock = false): Promise<Incident | undefined> {
    const r = (
      await this.q<IncidentRow>(
        'read incident',
        `SELECT * FROM incidents WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
        [id],
        c,
      )
    )[0];
    return r ? incidentOf(r) : undefined;
  }

  async listDepartments(): Promise<DepartmentRow[]> {
    return (
      await this.q<DepartmentDbRow>('list departments', 'SELECT * FROM incident_departments ORDER BY id COLLATE "C"')
    ).map(departmentOf);
  }

  async getDepartment(id: string): Promise<DepartmentRow | undefined> {
    const r = (
      await this.q<DepartmentDbRow>('read department', 'SELECT * FROM incident_departments WHERE id = $1', [id])
    )[0];
    return r ? departmentOf(r) : undefined;
  }

  async createDepartment(d: DepartmentRow): Promise<boolean> {
    const r = await this.q(
      'create department',
      'INSERT INTO incident_departments (id, name, webhook_url, secret_sealed, created_ms, updated_ms) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id',
      [d.id, d.name, d.webhookUrl, d.secretSealed, d.createdMs, d.updatedMs],
    );
    return r.length === 1;
  }

  async updateDepartment(d: DepartmentRow): Promise<boolean> {
    const r = await this.q(
      'update department',
      'UPDATE incident_departments SET name = $1, webhook_url = $2, secret_sealed = $3, updated_ms = $4 WHERE id = $5 RETURNING id',
      [d.name, d.webhookUrl, d.secretSealed, d.updatedMs, d.id],
    );
    return r.length === 1;
  }

  async deleteDepartment(id: string): Promise<boolean> {
    return (
      (await this.q('delete department', 'DELETE FROM incident_departments WHERE id = $1 RETURNING id', [id]))
        .length === 1
    );
  }

  async listRules(): Promise<RoutingRule[]> {
    return (
      await this.q<RuleDbRow>(
        'list rules',
        `SELECT ${RULE_COLUMNS} FROM incident_rules ORDER BY position, id COLLATE "C"`,
      )
    ).map(ruleOf);
  }

  async getRule(id: string): Promise<RoutingRule | undefined> {
    const r = (
      await this.q<RuleDbRow>('read rule', `SELECT ${RULE_COLUMNS} FROM incident_rules WHERE id = $1`, [id])
    )[0];
    return r ? ruleOf(r) : undefined;
  }

  async createRule(r: RoutingRule): Promise<boolean> {
    return (
      (
        await this.q(
          'create rule',
          `INSERT INTO incident_rules (${RULE_COLUMNS}) VALUES (${numbered('?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?')}) ON CONFLICT (id) DO NOTHING RETURNING id`,
          ruleValues(r),
        )
      ).length === 1
    );
  }

  async updateRule(r: RoutingRule): Promise<boolean> {
    const [id, ...rest] = ruleValues(r);
    return (
      (
        await this.q(
          'update rule',
          'UPDATE incident_rules SET position = $1, event_type = $2, min_severity = $3, district = $4, grp = $5, department_id = $6, sla_minutes = $7, priority = $8, created_ms = $9, updated_ms = $10 WHERE id = $11 RETURNING id',
          [...rest, id],
        )
      ).length === 1
    );
  }

  async deleteRule(id: string): Promise<boolean> {
    return (await this.q('delete rule', 'DELETE FROM incident_rules WHERE id = $1 RETURNING id', [id])).length === 1;
  }

  async openIncident(n: NewIncident, alarmId: number | null, atMs: number): Promise<Incident | undefined> {
    return this.tx('open incident', async (c) => {
      const cols = NEW_INCIDENT_COLUMNS.join(', ');
      const [r] = (
        await c.query(
          `INSERT INTO incidents (${cols}) VALUES (${numbered(NEW_INCIDENT_COLUMNS.map(() => '?').join(', '))}) RETURNING *`,
          newIncidentValues(n, alarmId === null ? 0 : 1, atMs),
        )
      ).rows as IncidentRow[];
      const inc = incidentOf(r!);
      if (alarmId !== null) {
        const linked = await c.query(
          'INSERT INTO incident_alarms (event_id, incident_id, linked_ms) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING RETURNING event_id',
          [alarmId, inc.id, atMs],
        );
        // linked already: undo the insert (the sequence value is spent, nothing else)
        if (linked.rowCount === 0) {
          await c.query('DELETE FROM incidents WHERE id = $1', [inc.id]);
          return undefined;
        }
      }
      return inc;
    });
  }

  async linkRepeat(
    a: { gatewayId: string; deviceId: string; type: string; eventId: number },
    maxLinks: number,
    atMs: number,
  ): Promise<{ incident: Incident; linked: boolean; already: boolean } | undefined> {
    return this.tx('link repeat alarm', async (c) => {
      const [r] = (
        await c.query(
          "SELECT * FROM incidents WHERE gateway_id = $1 AND device_id = $2 AND event_type = $3 AND state IN ('open', 'acknowledged') ORDER BY id DESC LIMIT 1 FOR UPDATE",
          [a.gatewayId, a.deviceId, a.type],
        )
      ).rows as IncidentRow[];
      if (!r) return undefined;
      const inc = incidentOf(r);
      const had = await c.query('SELECT 1 FROM incident_alarms WHERE event_id = $1', [a.eventId]);
      if (had.rowCount) return { incident: inc, linked: false, already: true };
      const linked = inc.linkedAlarms < maxLinks;
      if (linked)
        await c.query('INSERT INTO incident_alarms (event_id, incident_id, linked_ms) VALUES ($1, $2, $3)', [
          a.eventId,
          inc.id,
          atMs,
        ]);
      const [u] = (
        await c.query(
          'UPDATE incidents SET alarm_count = alarm_count + 1, linked_alarms = linked_alarms + $1, updated_ms = $2, version = version + 1 WHERE id = $3 RETURNING *',
          [linked ? 1 : 0, atMs, inc.id],
        )
      ).rows as IncidentRow[];
      return { incident: incidentOf(u!), linked, already: false };
    });
  }

  async linkedAmong(eventIds: readonly number[]): Promise<Set<number>> {
    if (eventIds.length === 0) return new Set();
    const rows = await this.q<{ event_id: number }>(
      'read linked alarms',
      'SELECT event_id FROM incident_alarms WHERE event_id = ANY($1::bigint[])',
      [eventIds],
    );
    return new Set(rows.map((r) => Number(r.event_id)));
  }

  async getIncident(id: number): Promise<Incident | undefined> {
    return this.row(id);
  }

  async listIncidents(q: IncidentQuery): Promise<Incident[]> {
    const { where, args } = incidentWhere(q);
    const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
    return (
      await this.q<IncidentRow>(
        'list incidents',
        numbered(`SELECT * FROM incidents ${where} ORDER BY id DESC LIMIT ?`),
        [...args, limit],
      )
    ).map(incidentOf);
  }

  async changeIncident(id: number, ch: IncidentChange): Promise<ChangeResult> {
    return this.tx('change incident', async (c): Promise<ChangeResult> => {
      const cur = await this.row(id, c, true);
      if (!cur) return { ok: false, why: 'missing' };
      if (!ch.from.includes(cur.state)) return { ok: false, why: 'state' };
      if (ch.version !== undefined && ch.version !== cur.version) return { ok: false, why: 'version' };
      const cols = patchColumns(ch.patch);
      let noteRefused = false;
      let notes = 0;
      if (ch.note) {
        if (cur.noteCount < ch.maxNotes) {
          await this.insertNote(c, id, cur.noteCount + 1, ch.note);
          notes = 1;
        } else noteRefused = true;
      }
      const sets = [
        ...cols.map(([k]) => `${k} = ?`),
        'note_count = note_count + ?',
        'updated_ms = ?',
        'version = version + 1',
      ];
      const [u] = (
        await c.query(numbered(`UPDATE incidents SET ${sets.join(', ')} WHERE id = ? RETURNING *`), [
          ...cols.map(([, v]) => v),
          notes,
          ch.atMs,
          id,
        ])
      ).rows as IncidentRow[];
      return { ok: true, incident: incidentOf(u!), noteRefused };
    });
  }

  private async insertNote(c: Q, id: number, seq: number, n: IncidentNote): Promise<void> {
    await c.query('INSERT INTO incident_notes (incident_id, seq, at_ms, author, text) VALUES ($1, $2, $3, $4, $5)', [
      id,
      seq,
      n.atMs,
      n.author,
      n.text,
    ]);
  }

  async addNote(id: number, note: IncidentNote, maxNotes: number): Promise<boolean | undefined> {
    return this.tx('add note', async (c) => {
      const cur = await this.row(id, c, true);
      if (!cur) return undefined;
      if (cur.noteCount >= maxNotes) return false;
      await this.insertNote(c, id, cur.noteCount + 1, note);
      await c.query(
        'UPDATE incidents SET note_count = note_count + 1, updated_ms = $1, version = version + 1 WHERE id = $2',
        [note.atMs, id],
      );
      return true;
    });
  }

  async notes(id: number, limit: number): Promise<IncidentNote[]> {
    return (
      await this.q<{ at_ms: number; author: string; text: string }>(
        'read notes',
        'SELECT at_ms, author, text FROM incident_notes WHERE incident_id = $1 ORDER BY seq LIMIT $2',
        [id, limit],
      )
    ).map(noteOf);
  }

  async alarms(id: number, limit: number): Promise<LinkedAlarm[]> {
    return (
      await this.q<{ event_id: number; linked_ms: number }>(
        'read linked alarms',
        'SELECT event_id, linked_ms FROM incident_alarms WHERE incident_id = $1 ORDER BY event_id LIMIT $2',
        [id, limit],
      )
    ).map(linkOf);
  }

  async activeCounts(nowMs: number): Promise<ActiveCount[]> {
    return (
      await this.q<{ state: string; district: string; grp: string; overdue: boolean; n: unknown }>(
        'count incidents',
        numbered(ACTIVE_COUNTS_SQL),
        [nowMs],
      )
    ).map(activeCountOf);
  }

  async overdue(nowMs: number, limit: number): Promise<Incident[]> {
    return (
      await this.q<IncidentRow>(
        'read overdue incidents',
        "SELECT * FROM incidents WHERE state IN ('open', 'acknowledged') AND deadline_ms <= $1 ORDER BY deadline_ms, id LIMIT $2",
        [nowMs, limit],
      )
    ).map(incidentOf);
  }

  async getCursor(name: string): Promise<number | undefined> {
    const r = (
      await this.q<{ value: number }>('read cursor', 'SELECT value FROM incident_cursors WHERE name = $1', [name])
    )[0];
    return r ? Number(r.value) : undefined;
  }

  async setCursor(name: string, value: number): Promise<void> {
    await this.q(
      'write cursor',
      'INSERT INTO incident_cursors (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      [name, value],
    );
  }
}
