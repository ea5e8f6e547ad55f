/**
 * Two cloud nodes on one PostgreSQL database take writes at once: their audit entries form one
 * chain (no sequence number twice, no fork), with checkpoints written by both, and either node's
 * API serves the whole log, which verifies.
 */
import t from 'tap';
import { join } from 'node:path';
import type { AuditEntry } from '../../../cloud/audit/audit-entry.js';
import { verifyAudit } from '../../../cloud/audit/audit-verify.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { tempPgDatabase } from '../../helpers/pg.js';

const TOKEN = 'tok-cluster-0123456789';

t.test('writes through two nodes at once keep one audit chain', async (t) => {
  const url = await tempPgDatabase(t, 'yw_audit_cl');
  const pki = join(tempDir('yw-audit-cl-'), 'pki');
  const o = {
    store: { backend: 'postgres', postgres_url: url },
    pki: { dir: pki },
    http: { api_token: TOKEN },
    audit: { checkpoint_every: 7 },
  };
  const a = await startCloud(undefined, o);
  t.teardown(() => a.cloud.stop());
  const b = await startCloud(undefined, o);
  t.teardown(() => b.cloud.stop());
  const bases = [a, b].map((n) => `http://127.0.0.1:${n.cloud.api.port}`);
  const n = 60;
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      fetch(`${bases[i % 2]}/api/v1/claims`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ note: `c${i}` }),
      }).then((r) => r.status),
    ),
  );
  t.same(new Set(answers), new Set([201]), 'every claim created');
  const get = async (base: string, path: string) =>
    (await (await fetch(base + path, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      entries: AuditEntry[];
    };
  const all = (await get(bases[1]!, '/api/v1/audit?limit=1000')).entries;
  t.same(
    all.map((e) => e.seq),
    Array.from({ length: n }, (_, i) => i + 1),
    'one sequence, no gaps, no duplicates',
  );
  t.ok(
    all.every((e) => e.action === 'claim.create'),
    'each write recorded once',
  );
  const src = {
    range: async (after: number, limit: number) =>
      (await get(bases[0]!, `/api/v1/audit?after=${after}&limit=${limit}`)).entries,
    checkpoints: async () => a.cloud.stores.audit.checkpoints(),
  };
  const r = await verifyAudit(src, { pageSize: 25 });
  t.match(r, { ok: true, entries: n, checkpoints: Math.floor(n / 7) });
  t.equal(r.keyIds.length, 1, 'both nodes sign with the key of the shared pki dir');
  t.equal(a.cloud.audit.counters.appended + b.cloud.audit.counters.appended, n, 'both nodes appended');
  t.ok(a.cloud.audit.counters.appended > 0 && b.cloud.audit.counters.appended > 0);
});
