/** `yiwang-cloud incidents list|show|open|ack|assign|note|resolve|close`: incidents and their handling. */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import type { Incident, IncidentDetail } from '../incidents/types.js';
import { apiRequest } from './api-client.js';
import { register as registerDispatch } from './dispatch.js';
import { ago, jsonOut, table, withApi, type ApiOpts } from './options.js';

const idArg = (id: string): string => {
  if (!/^\d+$/.test(id)) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `incident id ${id} is not a number`);
  return id;
};

const due = (i: Incident, now = Date.now()): string => {
  if (i.state === 'resolved' || i.state === 'closed') return '—';
  const m = Math.round((i.deadlineMs - now) / 60_000);
  return m >= 0 ? `in ${m}m` : `${-m}m overdue`;
};

function print(program: Command, i: Incident): void {
  console.log(
    jsonOut(program)
      ? JSON.stringify(i)
      : `incident ${i.id} ${i.state}: ${i.title} (department ${i.departmentId || '—'}, assignee ${i.assignee || '—'}, level ${i.escalationLevel})`,
  );
}

/** Registers `incidents`, `departments` and `incident-rules`. */
export function register(program: Command): void {
  const c = program.command('incidents').description('incidents: alarms dispatched to departments, handled and closed');
  withApi(c.command('list').description('incidents, newest first'))
    .option('--state <state>', 'open, acknowledged, resolved or closed')
    .option('--active', 'open and acknowledged ones only')
    .option('--department <id>', 'only this department')
    .option('--district <name>', 'only this district')
    .option('--priority <n>', 'only this priority (1 most urgent … 5)')
    .option('--assignee <name>', 'only this assignee')
    .option('--before <id>', 'the page after this id (paging)')
    .option('--limit <n>', 'rows', '50')
    .action(
      async (
        o: ApiOpts & {
          state?: string;
          active?: boolean;
          department?: string;
          district?: string;
          priority?: string;
          assignee?: string;
          before?: string;
          limit: string;
        },
      ) => {
        const q = new URLSearchParams({ limit: o.limit });
        if (o.state) q.set('state', o.state);
        if (o.active) q.set('active', 'true');
        if (o.department) q.set('department', o.department);
        if (o.district) q.set('district', o.district);
        if (o.priority) q.set('priority', o.priority);
        if (o.assignee) q.set('assignee', o.assignee);
        if (o.before) q.set('before', o.before);
        const r = await apiRequest<{ incidents: Incident[]; next: number | null }>(
          o.url,
          o.token,
          'GET',
          `/api/v1/incidents?${q}`,
        );
        if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
        console.log(
          table(
            ['ID', 'OPENED', 'STATE', 'P', 'LEVEL', 'DUE', 'DEPARTMENT', 'ASSIGNEE', 'DISTRICT', 'ALARMS', 'TITLE'],
            r.incidents.map((i) => [
              i.id,
              ago(i.createdMs),
              i.state,
              i.priority,
              i.escalationLevel,
              due(i),
              i.departmentId || '—',
              i.assignee || '—',
              i.district || '—',
              i.alarmCount,
              i.title,
            ]),
          ),
        );
        if (r.next !== null) console.log(`more: --before ${r.next}`);
      },
    );
  withApi(c.command('show <id>').description('an incident with its notes and linked alarms')).action(
    async (id: string, o: ApiOpts) => {
      const i = await apiRequest<IncidentDetail>(o.url, o.token, 'GET', `/api/v1/incidents/${idArg(id)}`);
      if (jsonOut(program)) return console.log(JSON.stringify(i, null, 2));
      const lines = [
        `incident ${i.id}: ${i.title}`,
        `state       ${i.state}${i.resolution ? ` — ${i.resolution}` : ''}`,
        `department  ${i.departmentId || '—'}   assignee ${i.assignee || '—'}   priority ${i.priority}`,
        `place       district ${i.district || '—'}, group ${i.group || '—'}, gateway ${i.gatewayId}, device ${i.deviceId || '—'}`,
        `alarm       ${i.eventType} (${i.severity}), ${i.alarmCount} in all, ${i.linkedAlarms} linked: ${i.alarms.map((a) => a.eventId).join(', ')}`,
        `deadline    ${new Date(i.deadlineMs).toISOString()} (${due(i)}), SLA ${i.slaMinutes} min, escalation level ${i.escalationLevel}`,
        `opened      ${new Date(i.createdMs).toISOString()} by ${i.openedBy}${i.ruleId ? ` (rule ${i.ruleId})` : ''}`,
        'notes:',
        ...i.notes.map((n) => `  ${new Date(n.atMs).toISOString()}  ${n.author}: ${n.text}`),
      ];
      console.log(lines.join('\n'));
    },
  );
  withApi(c.command('open <alarmId>').description('open an incident from an alarm by hand'))
    .option('--department <id>', 'the department (default: by the routing rules)')
    .option('--title <text>', 'title (default: from the alarm)')
    .option('--priority <n>', '1 (most urgent) … 5')
    .option('--sla <minutes>', 'minutes to the deadline (default: the rule\u2019s, else 60)')
    .action(
      async (
        alarmId: string,
        o: ApiOpts & { department?: string; title?: string; priority?: string; sla?: string },
      ) => {
        const body: Record<string, unknown> = { alarmId: Number(idArg(alarmId)) };
        if (o.department) body.departmentId = o.department;
        if (o.title) body.title = o.title;
        if (o.priority) body.priority = Number(o.priority);
        if (o.sla) body.slaMinutes = Number(o.sla);
        print(program, await apiRequest<Incident>(o.url, o.token, 'POST', '/api/v1/incidents', body));
      },
    );
  const post = async (o: ApiOpts, id: string, what: string, body: Record<string, unknown>): Promise<void> =>
    print(program, await apiRequest<Incident>(o.url, o.token, 'POST', `/api/v1/incidents/${idArg(id)}/${what}`, body));
  withApi(c.command('ack <id>').description('acknowledge: someone is on it')).action((id: string, o: ApiOpts) =>
    post(o, id, 'ack', {}),
  );
  withApi(c.command('assign <id>').description('assign to a person and/or another department'))
    .option('--to <name>', "the person ('' clears)")
    .option('--department <id>', 'hand over to this department (its webhook is told)')
    .action((id: string, o: ApiOpts & { to?: string; department?: string }) => {
      if (o.to === undefined && o.department === undefined)
        throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'give --to, --department or both');
      return post(o, id, 'assign', {
        ...(o.to !== undefined ? { assignee: o.to } : {}),
        ...(o.department !== undefined ? { departmentId: o.department } : {}),
      });
    });
  withApi(c.command('note <id> <text>').description('add a note')).action((id: string, text: string, o: ApiOpts) =>
    post(o, id, 'notes', { text }),
  );
  withApi(c.command('resolve <id> <resolution>').description('resolved: say what was done')).action(
    (id: string, resolution: string, o: ApiOpts) => post(o, id, 'resolve', { resolution }),
  );
  withApi(
    c.command('close <id> [resolution]').description('close (a resolution is needed unless it was resolved)'),
  ).action((id: string, resolution: string | undefined, o: ApiOpts) =>
    post(o, id, 'close', resolution !== undefined ? { resolution } : {}),
  );
  registerDispatch(program);
}
