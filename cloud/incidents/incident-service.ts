/**
 * Incidents: opened from an alarm (by rule or by hand), acknowledged, assigned, annotated,
 * resolved, closed; escalated when their deadline passed; departments told through signed
 * webhooks (webhook.ts). One incident per alarm; a repeat of the same event type on the same
 * device while an incident is open or acknowledged is linked to it and counted.
 */
import { YiwangError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { EventRecord } from '../health/types.js';
import type { DispatchConfig } from './dispatch-config.js';
import type { IncidentChange, IncidentStore } from './incident-store.js';
import { routeAlarm } from './routing.js';
import { type IncidentAction, mayDo, NEXT_STATE, stateError, ALLOWED_FROM } from './state-machine.js';
import {
  type Incident,
  type IncidentDetail,
  INCIDENT_LIMITS,
  type IncidentPatch,
  type IncidentQuery,
  type RoutingRule,
} from './types.js';
import type { WebhookSender } from './webhook.js';

export type PlaceOf = (gatewayId: string) => Promise<{ district: string; group: string } | undefined>;

export interface IncidentServiceOptions {
  store: IncidentStore;
  config: DispatchConfig;
  webhooks: WebhookSender;
  placeOf: PlaceOf;
  log: Logger;
  now?: () => number;
}

export interface IncidentCounts {
  open: number;
  acknowledged: number;
  /** Open or acknowledged past their deadline. */
  overdue: number;
}

export type WebhookKind = 'incident.opened' | 'incident.escalated' | 'incident.reassigned';

const bad = (msg: string): never => {
  throw new YiwangError('CLOUD_ERR_BAD_REQUEST', msg);
};

export class IncidentService {
  readonly counters = {
    /** Webhook notices that could not be queued (the department could not be read). */
    notifyErrors: 0,
    opened: 0,
    repeatsLinked: 0,
    linksRefused: 0,
    notesRefused: 0,
    escalations: 0,
    webhooksNoUrl: 0,
    webhookSecretErrors: 0,
  };
  readonly now: () => number;

  constructor(private readonly o: IncidentServiceOptions) {
    this.now = o.now ?? Date.now;
  }

  /**
   * The engine's handling of a new alarm: linked to the active incident of its device and type
   * (a repeat), else routed by the rules; undefined when no rule matches or it is linked already.
   */
  async onAlarm(e: EventRecord): Promise<{ incident: Incident; how: 'opened' | 'repeat' } | undefined> {
    if (!e.alarm) return undefined;
    const now = this.now();
    const rep = await this.o.store.linkRepeat(
      { gatewayId: e.gatewayId, deviceId: e.deviceId, type: e.type, eventId: e.id },
      INCIDENT_LIMITS.alarmsPerIncident,
      now,
    );
    if (rep) {
      if (rep.already) return undefined;
      if (rep.linked) this.counters.repeatsLinked++;
      else this.counters.linksRefused++;
      return { incident: rep.incident, how: 'repeat' };
    }
    const place = (await this.o.placeOf(e.gatewayId)) ?? { district: '', group: '' };
    const rule = routeAlarm(await this.o.config.rules(), { type: e.type, severity: e.severity, ...place });
    if (!rule) return undefined;
    const incident = await this.open(e, place, rule, 'engine', {});
    return incident ? { incident, how: 'opened' } : undefined;
  }

  private async open(
    e: EventRecord,
    place: { district: string; group: string },
    rule: RoutingRule | undefined,
    by: string,
    o: { departmentId?: string; title?: string; priority?: number; slaMinutes?: number },
  ): Promise<Incident | undefined> {
    const now = this.now();
    const departmentId = o.departmentId ?? rule?.departmentId ?? '';
    const slaMinutes = o.slaMinutes ?? rule?.slaMinutes ?? 60;
    const inc = await this.o.store.openIncident(
      {
        title: o.title ?? `${e.type} at ${e.deviceId || e.gatewayId}${e.message ? `: ${e.message}` : ''}`.slice(0, 200),
        departmentId,
        assignee: '',
        priority: o.priority ?? rule?.priority ?? 3,
        district: place.district,
        group: place.group,
        gatewayId: e.gatewayId,
        deviceId: e.deviceId,
        eventType: e.type,
        severity: e.severity,
        ruleId: rule?.id ?? '',
        openedBy: by,
        slaMinutes,
        deadlineMs: now + slaMinutes * 60_000,
      },
      e.id,
      now,
    );
    if (!inc) return undefined;
    this.counters.opened++;
    await this.notify(inc, 'incident.opened');
    return inc;
  }

  /** Opens an incident by hand from an alarm (department given, else by the rules). */
  async openByHand(
    e: EventRecord,
    by: string,
    o: { departmentId?: string; title?: string; priority?: number; slaMinutes?: number },
  ): Promise<Incident> {
    if (!e.alarm)
      throw new YiwangError('CLOUD_ERR_CONFLICT', `event ${e.id} is not an alarm (severity info or a clear)`);
    if (o.departmentId !== undefined) await this.o.config.department(o.departmentId);
    const place = (await this.o.placeOf(e.gatewayId)) ?? { district: '', group: '' };
    const rule = routeAlarm(await this.o.config.rules(), { type: e.type, severity: e.severity, ...place });
    if (!rule && o.departmentId === undefined)
      throw new YiwangError(
        'CLOUD_ERR_INCIDENT_ROUTE',
        `no routing rule matches alarm ${e.id} (${e.type}, ${e.severity}, district ${place.district || '(none)'}): name the department`,
      );
    const inc = await this.open(e, place, rule, by, o);
    if (!inc) {
      const linked = await this.o.store.linkedAmong([e.id]);
      throw new YiwangError(
        'CLOUD_ERR_CONFLICT',
        `alarm ${e.id} is linked to an incident already${linked.size ? '' : ' (or was meanwhile)'}`,
      );
    }
    return inc;
  }

  /** Open, acknowledged and overdue (of those) incidents, of the places `keep` accepts. */
  async counts(keep: (p: { district: string; group: string }) => boolean): Promise<IncidentCounts> {
    const out: IncidentCounts = { open: 0, acknowledged: 0, overdue: 0 };
    for (const c of await this.o.store.activeCounts(this.now())) {
      if (!keep(c)) continue;
      if (c.state === 'open' || c.state === 'acknowledged') out[c.state] += c.n;
      if (c.overdue) out.overdue += c.n;
    }
    return out;
  }

  list(q: IncidentQuery): Promise<Incident[]> {
    return this.o.store.listIncidents(q);
  }

  async get(id: number): Promise<Incident> {
    const inc = await this.o.store.getIncident(id);
    if (!inc) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no incident ${id}`);
    return inc;
  }

  async detail(id: number): Promise<IncidentDetail> {
    const inc = await this.get(id);
    const [notes, alarms] = await Promise.all([
      this.o.store.notes(id, INCIDENT_LIMITS.notesPerIncident),
      this.o.store.alarms(id, INCIDENT_LIMITS.alarmsPerIncident),
    ]);
    return { ...inc, notes, alarms };
  }

  private async change(
    id: number,
    action: IncidentAction,
    patch: IncidentPatch,
    note?: { author: string; text: string },
    version?: number,
  ): Promise<Incident> {
    const now = this.now();
    const c: IncidentChange = {
      from: ALLOWED_FROM[action],
      patch: { ...patch, ...(NEXT_STATE[action] ? { state: NEXT_STATE[action] } : {}) },
      maxNotes: INCIDENT_LIMITS.notesPerIncident,
      atMs: now,
      ...(note ? { note: { ...note, atMs: now } } : {}),
      ...(version !== undefined ? { version } : {}),
    };
    const r = await this.o.store.changeIncident(id, c);
    if (r.ok) {
      if (r.noteRefused) this.counters.notesRefused++;
      return r.incident;
    }
    if (r.why === 'missing') throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no incident ${id}`);
    const cur = await this.get(id);
    if (r.why === 'state' || !mayDo(action, cur.state)) throw stateError(id, action, cur.state);
    throw new YiwangError('CLOUD_ERR_CONFLICT', `incident ${id} changed meanwhile: read it again`);
  }

  ack(id: number, by: string): Promise<Incident> {
    return this.change(id, 'ack', { ackedMs: this.now(), ackedBy: by }, { author: by, text: 'acknowledged' });
  }

  async assign(id: number, by: string, o: { assignee?: string; departmentId?: string }): Promise<Incident> {
    if (o.assignee === undefined && o.departmentId === undefined) bad('give assignee, departmentId or both');
    if (o.departmentId !== undefined) await this.o.config.department(o.departmentId);
    const before = await this.get(id);
    const what = [
      o.departmentId !== undefined ? `department ${o.departmentId}` : '',
      o.assignee !== undefined ? `assignee ${o.assignee || '(none)'}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const inc = await this.change(
      id,
      'assign',
      {
        ...(o.assignee !== undefined ? { assignee: o.assignee } : {}),
        ...(o.departmentId !== undefined ? { departmentId: o.departmentId } : {}),
      },
      { author: by, text: `assigned: ${what}` },
    );
    if (o.departmentId !== undefined && o.departmentId !== before.departmentId)
      await this.notify(inc, 'incident.reassigned');
    return inc;
  }

  async note(id: number, by: string, text: string): Promise<Incident> {
    const cur = await this.get(id);
    if (!mayDo('note', cur.state)) throw stateError(id, 'note', cur.state);
    const ok = await this.o.store.addNote(id, { atMs: this.now(), author: by, text }, INCIDENT_LIMITS.notesPerIncident);
    if (ok === undefined) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no incident ${id}`);
    if (!ok) {
      this.counters.notesRefused++;
      throw new YiwangError(
        'CLOUD_ERR_INCIDENT_LIMIT',
        `incident ${id} has ${INCIDENT_LIMITS.notesPerIncident} notes, the most it keeps`,
      );
    }
    return this.get(id);
  }

  async resolve(id: number, by: string, resolution: string): Promise<Incident> {
    if (!resolution.trim()) bad('resolution is required: say what was done');
    const now = this.now();
    return this.change(
      id,
      'resolve',
      { resolution, resolvedMs: now, resolvedBy: by },
      { author: by, text: `resolved: ${resolution}`.slice(0, INCIDENT_LIMITS.noteChars) },
    );
  }

  async close(id: number, by: string, resolution?: string): Promise<Incident> {
    const cur = await this.get(id);
    if (!mayDo('close', cur.state)) throw stateError(id, 'close', cur.state);
    if (cur.state !== 'resolved' && !resolution?.trim())
      bad('closing an incident that was not resolved needs a resolution (e.g. "false alarm")');
    const now = this.now();
    return this.change(
      id,
      'close',
      { ...(resolution?.trim() ? { resolution } : {}), closedMs: now, closedBy: by },
      { author: by, text: resolution?.trim() ? `closed: ${resolution}`.slice(0, INCIDENT_LIMITS.noteChars) : 'closed' },
      cur.version,
    );
  }

  /**
   * Escalates incidents whose deadline passed (at most `limit`): level +1, a new deadline one SLA
   * period on, a note, the webhook again with the level. Returns how many.
   */
  async escalateOverdue(limit = 100): Promise<number> {
    const now = this.now();
    let n = 0;
    for (const inc of await this.o.store.overdue(now, limit)) {
      const level = inc.escalationLevel + 1;
      const r = await this.o.store.changeIncident(inc.id, {
        from: ALLOWED_FROM.escalate,
        version: inc.version,
        patch: { escalationLevel: level, deadlineMs: now + inc.slaMinutes * 60_000 },
        note: { atMs: now, author: 'engine', text: `escalated to level ${level}: deadline passed` },
        maxNotes: INCIDENT_LIMITS.notesPerIncident,
        atMs: now,
      });
      if (!r.ok) continue; // changed meanwhile (acknowledged, resolved): the next pass sees it again
      if (r.noteRefused) this.counters.notesRefused++;
      this.counters.escalations++;
      n++;
      // the escalation is committed: a failing notice costs only itself, not the incidents after it
      try {
        await this.notify(r.incident, 'incident.escalated');
      } catch (err) {
        this.counters.notifyErrors++;
        this.o.log.error({ incident: r.incident.id, err: (err as Error).message }, 'escalation notice not queued');
      }
    }
    return n;
  }

  /** Queues the webhook of the incident's department (never waits for the delivery). */
  async notify(inc: Incident, kind: WebhookKind): Promise<void> {
    const d = inc.departmentId ? await this.o.config.departmentRow(inc.departmentId) : undefined;
    if (!d?.webhookUrl) {
      this.counters.webhooksNoUrl++;
      return;
    }
    let secret = '';
    try {
      secret = this.o.config.secretOf(d);
    } catch (err) {
      this.counters.webhookSecretErrors++;
      this.o.log.error({ department: d.id, err: (err as Error).message }, 'department webhook secret cannot be opened');
      return;
    }
    this.o.webhooks.send(
      { departmentId: d.id, url: d.webhookUrl, secret },
      {
        kind,
        sentMs: this.now(),
        level: inc.escalationLevel,
        department: { id: d.id, name: d.name },
        incident: {
          id: inc.id,
          title: inc.title,
          state: inc.state,
          priority: inc.priority,
          district: inc.district,
          group: inc.group,
          gatewayId: inc.gatewayId,
          deviceId: inc.deviceId,
          eventType: inc.eventType,
          severity: inc.severity,
          assignee: inc.assignee,
          deadlineMs: inc.deadlineMs,
          escalationLevel: inc.escalationLevel,
          alarmCount: inc.alarmCount,
          createdMs: inc.createdMs,
        },
      },
    );
  }
}
