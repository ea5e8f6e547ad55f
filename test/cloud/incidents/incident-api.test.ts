/**
 * Incidents through the HTTP API and the CLI, end to end on a real cloud: departments and rules
 * configured, a simulated manhole alarm becomes an incident routed to its department (signed
 * webhook to a real receiver), handled to closed; everything audited, the secret never answered;
 * an account scoped to one district sees only its incidents.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';
import type { NewEvent } from '../../../cloud/health/types.js';
import type { SqliteCloudStore } from '../../../cloud/store/sqlite-cloud-store.js';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { startReceiver } from './webhook-receiver.js';

// biome-ignore lint/suspicious/noExplicitAny: answers of many shapes
type Json = Record<string, any>;
const TOKEN = 'tok-admin-0123456789';
const SECRET = 'roads-webhook-secret-42';
const PW = 'Correct-Horse-9-Battery';

const cliIn = (input: string, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(REPO_ROOT, 'dist/cloud/cli/main.js'), ...args],
      (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
const cli = (...args: string[]) => cliIn('', ...args);

t.test('a manhole alarm becomes an incident, routed, handled and closed through the API and the CLI', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const rx = await startReceiver(SECRET);
  t.teardown(() => rx.close());
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const call = async (method: string, path: string, body?: unknown, bearer = TOKEN) => {
    const r = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, json: (await r.json()) as Json };
  };
  for (const [gw, district] of [
    ['gw-east', 'east'],
    ['gw-west', 'west'],
  ] as const) {
    await cloud.createGateway(gw);
    t.equal((await call('PUT', `/api/v1/gateways/${gw}/tags`, { district, site: '', group: 'covers' })).status, 200);
  }
  await cloud.incidents.engine.tick(); // the cursor starts at the newest event

  // configuration
  const d = await call('POST', '/api/v1/departments', {
    id: 'roads',
    name: 'Roads and manholes',
    webhookUrl: rx.url,
    secret: SECRET,
  });
  t.equal(d.status, 201);
  t.same([d.json.hasSecret, d.json.secret], [true, undefined], 'the secret is not answered');
  t.equal((await call('POST', '/api/v1/departments', { id: 'water', name: 'Water' })).status, 201);
  t.equal(
    (await call('POST', '/api/v1/departments', { id: 'roads', name: 'again' })).json.error.code,
    'CLOUD_ERR_CONFLICT',
  );
  t.equal(
    (await call('POST', '/api/v1/departments', { id: 'bad', name: 'x', webhookUrl: 'ftp://x' })).json.error.code,
    'CLOUD_ERR_BAD_REQUEST',
  );
  const rule = await call('POST', '/api/v1/incident-rules', {
    id: 'manholes-east',
    eventType: 'cover_*',
    minSeverity: 'warning',
    district: 'east',
    departmentId: 'roads',
    slaMinutes: 15,
    priority: 1,
  });
  t.equal(rule.status, 201);
  t.equal((await call('POST', '/api/v1/incident-rules', { eventType: '*', departmentId: 'nope' })).status, 404);
  t.equal((await call('POST', '/api/v1/incident-rules', { departmentId: 'water', position: 100 })).status, 201);
  t.equal((await call('PATCH', '/api/v1/incident-rules/manholes-east', { slaMinutes: 20 })).json.slaMinutes, 20);
  t.equal(
    (await call('DELETE', '/api/v1/departments/roads')).json.error.code,
    'CLOUD_ERR_CONFLICT',
    'a rule routes to it',
  );
  const raw = (cloud.store as SqliteCloudStore).database
    .prepare("SELECT secret_sealed AS s FROM incident_departments WHERE id = 'roads'")
    .get() as { s: string };
  t.match(raw.s, /^v1:/, 'stored sealed under the key vault');
  t.notOk(raw.s.includes(SECRET));
  const depts = await call('GET', '/api/v1/departments');
  t.notOk(JSON.stringify(depts.json).includes(SECRET), 'never in a listing');
  t.equal((await call('GET', '/api/v1/incident-rules')).json.rules[0].id, 'manholes-east');

  // a simulated manhole alarm (as the edge reports it)
  const ev = (gatewayId: string, deviceId: string, type = 'cover_open'): NewEvent => ({
    gatewayId,
    deviceId,
    type,
    severity: 'critical',
    tsMs: Date.now(),
    message: 'manhole cover opened',
    attributes: {},
    active: true,
    sourceId: '',
  });
  const [alarm] = await cloud.store.addEvents([ev('gw-east', 'cover-17')], Date.now());
  await cloud.incidents.engine.tick();
  const list = await call('GET', '/api/v1/incidents?state=open');
  t.equal(list.json.incidents.length, 1);
  const inc = list.json.incidents[0];
  t.same(
    [inc.departmentId, inc.district, inc.priority, inc.deviceId, inc.ruleId],
    ['roads', 'east', 1, 'cover-17', 'manholes-east'],
  );
  t.equal(inc.deadlineMs - inc.createdMs, 20 * 60_000);
  await until('the department is told (signed)', () => rx.good().length === 1);
  t.equal(rx.got[0]!.body.kind, 'incident.opened');

  // handling
  const id = inc.id as number;
  t.equal((await call('POST', `/api/v1/incidents/${id}/ack`, {})).json.state, 'acknowledged');
  t.equal((await call('POST', `/api/v1/incidents/${id}/ack`, {})).json.error.code, 'CLOUD_ERR_INCIDENT_STATE');
  t.equal((await call('POST', `/api/v1/incidents/${id}/assign`, { assignee: 'wang.wei' })).json.assignee, 'wang.wei');
  t.equal((await call('POST', `/api/v1/incidents/${id}/notes`, { text: 'crew on the way' })).status, 200);
  t.equal((await call('POST', `/api/v1/incidents/${id}/resolve`, {})).json.error.code, 'CLOUD_ERR_BAD_REQUEST');
  const cliEnv = ['--url', base, '--token', TOKEN];
  const shown = await cli(...cliEnv, 'incidents', 'show', String(id));
  t.equal(shown.status, 0, shown.stderr);
  t.match(shown.stdout, /crew on the way/);
  t.match(shown.stdout, /department\s+roads\s+assignee wang\.wei/);
  const res = await cli(...cliEnv, 'incidents', 'resolve', String(id), 'cover secured and locked');
  t.equal(res.status, 0, res.stderr);
  t.match(res.stdout, new RegExp(`incident ${id} resolved`));
  const cl = await cli(...cliEnv, 'incidents', 'close', String(id));
  t.equal(cl.status, 0, cl.stderr);
  const listed = await cli(...cliEnv, 'incidents', 'list', '--state', 'closed');
  t.match(listed.stdout, /closed/);
  t.match((await cli(...cliEnv, 'departments', 'list')).stdout, /roads\s+Roads and manholes\s+http:\S+\s+yes/);
  t.match((await cli(...cliEnv, 'incident-rules', 'list')).stdout, /manholes-east\s+cover_\*/);
  const fire = await cliIn(
    'fire-secret-0123456789\n',
    ...cliEnv,
    'departments',
    'add',
    'fire',
    '--name',
    'Fire',
    '--webhook',
    rx.url,
    '--secret-stdin',
  );
  t.equal(fire.status, 0, fire.stderr);
  t.equal((await call('GET', '/api/v1/departments/fire')).json.hasSecret, true, 'the secret came from stdin');
  const added = await cli(
    ...cliEnv,
    '--json',
    'incident-rules',
    'add',
    'smoke',
    '--type',
    'smoke*',
    '--department',
    'fire',
    '--sla',
    '10',
    '--position',
    '5',
  );
  t.equal(added.status, 0, added.stderr);
  t.match(JSON.parse(added.stdout), {
    id: 'smoke',
    eventType: 'smoke*',
    slaMinutes: 10,
    position: 5,
    minSeverity: 'warning',
  });
  t.equal((await cli(...cliEnv, 'incident-rules', 'remove', 'smoke')).status, 0);
  const detail = await call('GET', `/api/v1/incidents/${id}`);
  t.equal(detail.json.state, 'closed');
  t.same(
    detail.json.alarms.map((a: Json) => a.eventId),
    [alarm!.id],
  );
  t.same(
    detail.json.notes.map((n: Json) => n.author),
    ['http.api_token', 'http.api_token', 'http.api_token', 'http.api_token', 'http.api_token'],
    'the author is the signed-in actor',
  );

  // by hand, before the engine saw it: to the department named (the catch-all rule would have said water)
  const [w] = await cloud.store.addEvents([ev('gw-west', 'cover-3', 'smoke')], Date.now());
  await cloud.store.addEvents([{ ...ev('gw-west', 'x'), severity: 'info' }], Date.now());
  const byHand = await call('POST', '/api/v1/incidents', {
    alarmId: w!.id,
    departmentId: 'roads',
    title: 'smoke at cover 3',
  });
  t.equal(byHand.status, 201);
  t.same(
    [byHand.json.openedBy, byHand.json.title, byHand.json.departmentId],
    ['http.api_token', 'smoke at cover 3', 'roads'],
  );
  t.equal(
    (await call('POST', '/api/v1/incidents', { alarmId: w!.id })).json.error.code,
    'CLOUD_ERR_CONFLICT',
    'one incident per alarm',
  );
  await cloud.incidents.engine.tick();
  t.equal((await call('GET', '/api/v1/incidents')).json.incidents.length, 2, 'the engine does not open it again');
  t.equal((await call('GET', '/api/v1/incidents/999')).status, 404);

  // audit: every write, secret-free
  const audit = (await call('GET', '/api/v1/audit?limit=1000')).json.entries as Json[];
  const actions = audit.map((e) => e.action);
  for (const a of [
    'department.create',
    'incident_rule.create',
    'incident_rule.change',
    'incident.ack',
    'incident.assign',
    'incident.note',
    'incident.resolve',
    'incident.close',
    'incident.open',
  ])
    t.ok(actions.includes(a), `audited: ${a}`);
  t.ok(
    audit.some((e) => e.action === 'incident.resolve' && e.target === `incident:${id}`),
    'target names the incident',
  );
  t.notOk(JSON.stringify(audit).includes(SECRET), 'the secret never reaches the audit log');

  // stats
  const stats = await call('GET', '/api/v1/stats');
  t.equal(stats.json.incidents.opened, 2);

  // a scoped operator sees and handles only its district
  t.equal(
    (await call('POST', '/api/v1/users', { name: 'west-op', password: PW, role: 'operator', districts: ['west'] }))
      .status,
    201,
  );
  const s = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'west-op', password: PW, client: 'cli' }),
  });
  const op = ((await s.json()) as Json).token as string;
  const [e2] = await cloud.store.addEvents([ev('gw-west', 'cover-9')], Date.now());
  await cloud.incidents.engine.tick();
  const seen = (await call('GET', '/api/v1/incidents', undefined, op)).json.incidents as Json[];
  t.same(
    seen.map((i) => i.district),
    ['west', 'west'],
    'only the west incidents',
  );
  t.ok(
    seen.some((i) => i.deviceId === 'cover-9' && i.departmentId === 'water'),
    'the catch-all rule routed it',
  );
  t.same(
    (await call('GET', '/api/v1/incidents', undefined, op)).json.counts,
    { open: 2, acknowledged: 0, overdue: 0 },
    'the counters are scoped too',
  );
  t.equal((await call('GET', `/api/v1/incidents/${id}`, undefined, op)).status, 403, 'an east incident: 403');
  t.equal((await call('POST', `/api/v1/incidents/${id}/notes`, { text: 'x' }, op)).status, 403);
  t.equal((await call('GET', '/api/v1/incidents/99999', undefined, op)).status, 403, 'an unknown one too (no probing)');
  t.equal(
    (await call('POST', '/api/v1/departments', { id: 'x1', name: 'x' }, op)).json.error.code,
    'CLOUD_ERR_FORBIDDEN',
    'configuration is city-wide',
  );
  const mine = seen.find((i) => i.deviceId === 'cover-9')!;
  const ack = await call('POST', `/api/v1/incidents/${mine.id}/ack`, {}, op);
  t.same([ack.json.state, ack.json.ackedBy], ['acknowledged', 'west-op']);
  const linked = await call('GET', `/api/v1/incidents/${mine.id}`, undefined, op);
  t.same(
    (linked.json.alarms as { eventId: number }[]).map((a) => a.eventId),
    [e2!.id],
    'its incident links the alarm raised in its district',
  );
});
