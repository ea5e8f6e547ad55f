/** `yiwang-cloud departments …` and `yiwang-cloud incident-rules …`: where incidents go. */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import type { Department, RoutingRule } from '../incidents/types.js';
import { apiRequest } from './api-client.js';
import { jsonOut, table, withApi, type ApiOpts } from './options.js';

async function stdinSecret(): Promise<string> {
  let s = '';
  for await (const chunk of process.stdin) {
    s += String(chunk);
    if (s.length > 4096)
      throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'the secret on standard input is over 4096 bytes');
  }
  return s.split('\n')[0]!.replace(/\r$/, '');
}

const ruleBody = (o: Record<string, string | undefined>): Record<string, unknown> => {
  const b: Record<string, unknown> = {};
  if (o.type !== undefined) b.eventType = o.type;
  if (o.minSeverity !== undefined) b.minSeverity = o.minSeverity;
  if (o.district !== undefined) b.district = o.district;
  if (o.group !== undefined) b.group = o.group;
  if (o.department !== undefined) b.departmentId = o.department;
  if (o.sla !== undefined) b.slaMinutes = Number(o.sla);
  if (o.priority !== undefined) b.priority = Number(o.priority);
  if (o.position !== undefined) b.position = Number(o.position);
  return b;
};

const ruleOptions = (c: Command): Command =>
  c
    .option('--type <glob>', 'event type glob (* any run, ? one character), e.g. "cover_*"')
    .option('--min-severity <s>', 'info, warning or critical')
    .option('--district <name>', "only alarms of this district ('' any)")
    .option('--group <name>', "only alarms of this group ('' any)")
    .option('--department <id>', 'the department incidents go to')
    .option('--sla <minutes>', 'minutes to the deadline')
    .option('--priority <n>', '1 (most urgent) … 5')
    .option('--position <n>', 'order: lower first, the first rule that matches wins');

export function register(program: Command): void {
  const d = program.command('departments').description('departments incidents are dispatched to (with their webhooks)');
  withApi(d.command('list').description('departments')).action(async (o: ApiOpts) => {
    const r = await apiRequest<{ departments: Department[] }>(o.url, o.token, 'GET', '/api/v1/departments');
    if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
    console.log(
      table(
        ['ID', 'NAME', 'WEBHOOK', 'SIGNED'],
        r.departments.map((x) => [x.id, x.name, x.webhookUrl || '—', x.hasSecret ? 'yes' : 'no']),
      ),
    );
  });
  const dept = (c: Command): Command =>
    c
      .option('--name <name>', 'display name')
      .option('--webhook <url>', "http(s) URL incidents are POSTed to ('' none)")
      .option('--secret-stdin', 'read the webhook signing secret (16+ characters) from standard input');
  const deptBody = async (o: { name?: string; webhook?: string; secretStdin?: boolean }) => ({
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.webhook !== undefined ? { webhookUrl: o.webhook } : {}),
    ...(o.secretStdin ? { secret: await stdinSecret() } : {}),
  });
  withApi(dept(d.command('add <id>').description('add a department'))).action(
    async (id: string, o: ApiOpts & { name?: string; webhook?: string; secretStdin?: boolean }) => {
      const r = await apiRequest<Department>(o.url, o.token, 'POST', '/api/v1/departments', {
        id,
        name: o.name ?? id,
        ...(await deptBody(o)),
      });
      console.log(jsonOut(program) ? JSON.stringify(r) : `department ${r.id} added`);
    },
  );
  withApi(dept(d.command('set <id>').description('change a department'))).action(
    async (id: string, o: ApiOpts & { name?: string; webhook?: string; secretStdin?: boolean }) => {
      const r = await apiRequest<Department>(
        o.url,
        o.token,
        'PATCH',
        `/api/v1/departments/${encodeURIComponent(id)}`,
        await deptBody(o),
      );
      console.log(jsonOut(program) ? JSON.stringify(r) : `department ${r.id} changed`);
    },
  );
  withApi(d.command('remove <id>').description('remove a department no rule routes to')).action(
    async (id: string, o: ApiOpts) => {
      await apiRequest(o.url, o.token, 'DELETE', `/api/v1/departments/${encodeURIComponent(id)}`);
      console.log(jsonOut(program) ? JSON.stringify({ id, deleted: true }) : `department ${id} removed`);
    },
  );

  const r = program
    .command('incident-rules')
    .description('routing rules: which alarms open incidents for which department');
  withApi(r.command('list').description('rules in the order they are tried')).action(async (o: ApiOpts) => {
    const x = await apiRequest<{ rules: RoutingRule[] }>(o.url, o.token, 'GET', '/api/v1/incident-rules');
    if (jsonOut(program)) return console.log(JSON.stringify(x, null, 2));
    console.log(
      table(
        ['POS', 'ID', 'TYPE', 'MIN SEVERITY', 'DISTRICT', 'GROUP', 'DEPARTMENT', 'SLA MIN', 'P'],
        x.rules.map((u) => [
          u.position,
          u.id,
          u.eventType,
          u.minSeverity,
          u.district || '*',
          u.group || '*',
          u.departmentId,
          u.slaMinutes,
          u.priority,
        ]),
      ),
    );
  });
  withApi(ruleOptions(r.command('add [id]').description('add a rule (id made up when left out)'))).action(
    async (id: string | undefined, o: ApiOpts & Record<string, string | undefined>) => {
      const x = await apiRequest<RoutingRule>(o.url, o.token, 'POST', '/api/v1/incident-rules', {
        ...(id ? { id } : {}),
        ...ruleBody(o),
      });
      console.log(jsonOut(program) ? JSON.stringify(x) : `rule ${x.id} added at position ${x.position}`);
    },
  );
  withApi(ruleOptions(r.command('set <id>').description('change a rule'))).action(
    async (id: string, o: ApiOpts & Record<string, string | undefined>) => {
      const x = await apiRequest<RoutingRule>(
        o.url,
        o.token,
        'PATCH',
        `/api/v1/incident-rules/${encodeURIComponent(id)}`,
        ruleBody(o),
      );
      console.log(jsonOut(program) ? JSON.stringify(x) : `rule ${x.id} changed`);
    },
  );
  withApi(r.command('remove <id>').description('remove a rule')).action(async (id: string, o: ApiOpts) => {
    await apiRequest(o.url, o.token, 'DELETE', `/api/v1/incident-rules/${encodeURIComponent(id)}`);
    console.log(jsonOut(program) ? JSON.stringify({ id, deleted: true }) : `rule ${id} removed`);
  });
}
