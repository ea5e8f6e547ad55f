/**
 * Auditing in the HTTP layer: every mutating route the API registers has an audit action (the
 * enumeration fails on one that has none), each one called is recorded with its action, actor
 * and result, refused requests (401, 403) are recorded with who tried what, no secret reaches the
 * log, the audit API is admin-only, searches and exports, and `audit verify` through the API
 * passes. Refused requests past audit.refused_per_min are counted and summarised.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';
import { AUDIT_ACTIONS, templateOf } from '../../../cloud/audit/audit-actions.js';
import type { AuditEntry } from '../../../cloud/audit/audit-entry.js';
import { KeyVault } from '../../../cloud/keys/vault.js';
import { loadAuditKey } from '../../../cloud/audit/audit-key.js';
import { AuditLog } from '../../../cloud/audit/audit-log.js';
import { SqliteAuditStore } from '../../../cloud/store/sqlite-audit-store.js';
import Database from 'better-sqlite3';
import { samplePath } from '../../helpers/route-paths.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { captureLog } from '../../helpers/log-capture.js';

const TOKEN = 'tok-admin-0123456789';
/** The CLI in a child process, waited for without blocking this process (the cloud under test runs in it). */
const cli = (...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [join(REPO_ROOT, 'dist/cloud/cli/main.js'), ...args], (err, stdout, stderr) =>
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

t.test('every mutating route the API registers has an audit action, and every action a route', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const writes = cloud.api.routeTable().filter((r) => WRITES.has(r.method));
  t.ok(writes.length >= 15, `${writes.length} mutating routes`);
  const served = new Set(writes.map((r) => `${r.method} ${templateOf(r.path)}`));
  for (const s of served) t.ok(AUDIT_ACTIONS[s], `audited: ${s} → ${AUDIT_ACTIONS[s]?.action}`);
  for (const k of Object.keys(AUDIT_ACTIONS)) t.ok(served.has(k), `served: ${k}`);
});

t.test('writes and refusals are audited in the HTTP layer; the audit API is for admins', async (t) => {
  const { cloud, dir } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const call = async (method: string, path: string, bearer?: string, body: unknown = {}) => {
    const r = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const entries = async (q = ''): Promise<AuditEntry[]> =>
    (await call('GET', `/api/v1/audit?limit=1000${q}`, TOKEN)).body.entries as AuditEntry[];

  const admin = (await call('POST', '/api/v1/keys', TOKEN, { name: 'ops', scope: 'admin' })).body as {
    id: string;
    key: string;
  };
  const read = (await call('POST', '/api/v1/keys', TOKEN, { name: 'wall', scope: 'read' })).body as {
    id: string;
    key: string;
  };
  const gw = await call('POST', '/api/v1/gateways', admin.key, { id: 'gw-audit-1' });
  t.equal(gw.status, 201);
  let all = await entries();
  t.match(all.slice(0, 3), [
    {
      seq: 1,
      action: 'key.create',
      target: `key:${admin.id}`,
      actor: { kind: 'token', id: 'http.api_token', role: 'admin' },
      result: 'ok',
      status: 201,
    },
    { seq: 2, action: 'key.create', target: `key:${read.id}` },
    {
      seq: 3,
      action: 'gateway.create',
      target: 'gateway:gw-audit-1',
      actor: { kind: 'api_key', id: admin.id, name: 'ops', role: 'admin' },
      source: '127.0.0.1',
      details: { request: { sha256: /^[0-9a-f]{64}$/ }, after: { id: 'gw-audit-1' } },
    },
  ]);
  const text = JSON.stringify(all);
  for (const secret of [admin.key, read.key, gw.body.secret as string, TOKEN])
    t.notOk(text.includes(secret), 'no secret in the audit log');

  // refusals: no token, an unknown key, a read key writing, a read key reading the audit log
  t.equal((await call('POST', '/api/v1/gateways/gw-audit-1/revoke')).status, 401);
  t.equal((await call('DELETE', '/api/v1/keys/k-x', 'ywk_not-a-key-at-all-0000000')).status, 401);
  t.equal((await call('POST', '/api/v1/gateways/gw-audit-1/revoke', read.key)).status, 403);
  t.equal((await call('GET', '/api/v1/audit', read.key)).status, 403, 'a read key may not read the audit log');
  t.equal((await call('GET', '/api/v1/audit/checkpoints', read.key)).status, 403);
  const refused = await entries('&result=refused');
  t.match(refused, [
    {
      action: 'auth.refused',
      actor: { kind: 'anonymous', id: '' },
      status: 401,
      code: 'CLOUD_ERR_UNAUTHORIZED',
      target: 'gateway:gw-audit-1',
      details: { route: 'POST /api/v1/gateways/gw-audit-1/revoke', wouldBe: 'gateway.revoke' },
    },
    { action: 'auth.refused', actor: { kind: 'anonymous', id: /^sha256:[0-9a-f]{12}$/ }, target: 'key:k-x' },
    {
      action: 'access.refused',
      actor: { kind: 'api_key', id: read.id, role: 'viewer' }, // a key made before accounts: scope read = role viewer
      status: 403,
      code: 'CLOUD_ERR_FORBIDDEN',
    },
    { action: 'access.refused', details: { route: 'GET /api/v1/audit' } },
    { action: 'access.refused', details: { route: 'GET /api/v1/audit/checkpoints' } },
  ]);
  t.notOk(JSON.stringify(refused).includes('ywk_not-a-key'), 'a presented key is kept only as a digest');

  // every mutating route, called once by the admin key (most with an empty body: 400), is recorded with its action
  const before = (await entries()).length;
  const writes = cloud.api.routeTable().filter((r) => WRITES.has(r.method));
  for (const r of writes) await call(r.method, samplePath(r.path), admin.key);
  all = await entries();
  const got = all.slice(before);
  t.equal(got.length, writes.length, 'one entry per write');
  t.same(
    got.map((e) => e.action),
    writes.map((r) => AUDIT_ACTIONS[`${r.method} ${templateOf(r.path)}`]!.action),
  );
  t.ok(
    got.every((e, i) =>
      // a sign-in is recorded as the name it tried (none here), not as the credential it came with
      `${writes[i]!.method} ${templateOf(writes[i]!.path)}` === 'POST /api/v1/session'
        ? e.actor.kind === 'anonymous' && e.result === 'refused' && e.action === 'session.sign_in'
        : e.actor.id === admin.id && (e.result === 'ok' || e.result === 'error'),
    ),
    'each by the admin key (a sign-in: by the name it tried), ok or error',
  );
  // GETs are not audited (only refused ones)
  const n = all.length;
  await call('GET', '/api/v1/gateways', admin.key);
  t.equal((await entries()).length, n + 0, 'a read is not audited');

  // search, paging, export
  const revokes = await entries('&action=gateway.*&actor=ops');
  t.ok(
    revokes.length >= 3 && revokes.every((e) => e.action.startsWith('gateway.')),
    'filter by action prefix and actor name',
  );
  const p1 = (await call('GET', '/api/v1/audit?limit=2', TOKEN)).body as { entries: AuditEntry[]; next: number };
  t.same([p1.entries.length, p1.next], [2, 2]);
  const p2 = (await call('GET', `/api/v1/audit?limit=2&after=${p1.next}`, TOKEN)).body as { entries: AuditEntry[] };
  t.equal(p2.entries[0]!.seq, 3);
  const desc = (await call('GET', '/api/v1/audit?limit=1&order=desc', TOKEN)).body as { entries: AuditEntry[] };
  t.equal(desc.entries[0]!.seq, all.at(-1)!.seq, 'newest first (reads are not audited)');
  const ex = await fetch(`${base}/api/v1/audit/export?result=refused`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  t.equal(ex.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
  const lines = (await ex.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditEntry);
  t.ok(lines.length >= 5 && lines.every((e) => e.result === 'refused'), `export as JSON lines (${lines.length})`);
  t.equal((await call('GET', '/api/v1/audit?limit=0', TOKEN)).status, 400);

  // verify through the API (CLI)
  const v = await cli('--url', base, '--token', TOKEN, '--json', 'audit', 'verify');
  t.equal(v.status, 0, v.stderr);
  t.match(JSON.parse(v.stdout), { ok: true, firstSeq: 1 });
  const ls = await cli('--url', base, '--token', TOKEN, 'audit', 'list', '--action', 'gateway.create');
  t.equal(ls.status, 0, ls.stderr);
  t.match(ls.stdout, /gateway\.create\s+gateway:gw-audit-1\s+ok/);
  t.ok(dir);
});

t.test('refused requests past audit.refused_per_min are counted, then summarised in one entry', async (t) => {
  const db = new Database(join(tempDir('yw-audit-cap-'), 'cloud.db'));
  t.teardown(() => db.close());
  const store = new SqliteAuditStore(db);
  let now = 1_700_000_000_000;
  const log = new AuditLog({
    store,
    key: loadAuditKey(new KeyVault(tempDir('yw-audit-pki-'), undefined, 'aes-256-gcm')),
    log: captureLog().log,
    checkpointEvery: 1000,
    checkpointIntervalMs: 300_000,
    retentionDays: 180,
    refusedPerMin: 3,
    now: () => now,
  });
  const refusal = {
    actor: { kind: 'anonymous' as const, id: '', name: '', role: '' },
    source: '10.0.0.9',
    action: 'auth.refused',
    target: '',
    result: 'refused' as const,
    status: 401,
    code: 'CLOUD_ERR_UNAUTHORIZED',
    details: {},
  };
  for (let i = 0; i < 10; i++) await log.recordRefused(refusal);
  t.equal(log.counters.refusedSuppressed, 7, 'past the limit: counted');
  t.equal((await store.range(0, 100)).length, 3, 'only the limit recorded one by one');
  now += 60_000;
  await log.maintain();
  const all = await store.range(0, 100);
  t.match(all.at(-1), { action: 'audit.refused_suppressed', details: { suppressed: 7, limitPerMin: 3 } });
  await log.recordRefused(refusal);
  t.equal((await store.range(0, 100)).length, 5, 'a new minute records again');
  t.same(await store.checkpoints(), [], 'no checkpoint before audit.checkpoint_interval_s');
  now += 300_000;
  await log.maintain();
  t.match(await store.checkpoints(), [{ seq: 5, kind: 'periodic' }], 'the time-based checkpoint of the head');
});

t.test('an append that fails is logged and counted, never thrown', async (t) => {
  const logs = captureLog();
  const store = new SqliteAuditStore(new Database(':memory:'));
  store.append = async () => {
    throw new Error('disk on fire');
  };
  const log = new AuditLog({
    store,
    key: loadAuditKey(new KeyVault(tempDir('yw-audit-pki-'), undefined, 'aes-256-gcm')),
    log: logs.log,
    checkpointEvery: 1000,
    checkpointIntervalMs: 300_000,
    retentionDays: 180,
    refusedPerMin: 3,
  });
  const e = await log.record({
    actor: { kind: 'token', id: 'http.api_token', name: '', role: 'admin' },
    source: '',
    action: 'gateway.revoke',
    target: 'gateway:gw-1',
    result: 'ok',
    status: 200,
    code: '',
    details: {},
  });
  t.equal(e, undefined);
  t.equal(log.counters.appendErrors, 1);
  t.match(logs.lines, [{ msg: 'audit entry could not be written', action: 'gateway.revoke', err: 'disk on fire' }]);
});
