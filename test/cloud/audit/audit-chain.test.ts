/**
 * The audit chain on both store backends: appends chain and checkpoint, verify passes; an edited
 * row, a deleted middle row, a row edited and re-hashed, entries cut off the end and a forged
 * checkpoint are each found at the right sequence number; the append-only triggers refuse
 * UPDATE and DELETE; the retention prune removes a whole prefix and verify still passes; two
 * store instances appending at once keep one chain.
 */
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';
import { type AuditDraft, entryHash } from '../../../cloud/audit/audit-entry.js';
import { KeyVault } from '../../../cloud/keys/vault.js';
import { type AuditKey, loadAuditKey, signCheckpoint } from '../../../cloud/audit/audit-key.js';
import { AuditLog, DAY_MS } from '../../../cloud/audit/audit-log.js';
import { verifyAudit } from '../../../cloud/audit/audit-verify.js';
import type { AuditStore } from '../../../cloud/store/audit-store.js';
import { captureLog } from '../../helpers/log-capture.js';
import { tempDir } from '../../helpers/fleet.js';
import { BACKENDS } from './audit-backends.js';

const draft = (i: number): AuditDraft => ({
  actor: { kind: 'api_key', id: `k-${i % 3}`, name: `op${i % 3}`, role: 'admin' },
  source: '127.0.0.1',
  action: i % 2 ? 'gateway.revoke' : 'key.create',
  target: `gateway:gw-${i}`,
  result: 'ok',
  status: 200,
  code: '',
  details: { request: { sha256: 'ab'.repeat(32), bytes: i }, after: { id: `gw-${i}`, revoked: true } },
});

function logOf(store: AuditStore, key: AuditKey, now: () => number, every = 5): AuditLog {
  return new AuditLog({
    store,
    key,
    log: captureLog().log,
    checkpointEvery: every,
    checkpointIntervalMs: 60_000,
    retentionDays: 180,
    refusedPerMin: 1000,
    now,
  });
}

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'dist/cloud/cli/main.js'), '--json', 'audit', 'verify', ...args], {
    encoding: 'utf8',
  });

for (const [name, open] of Object.entries(BACKENDS)) {
  t.test(name, async (t: Test) => {
    const key = loadAuditKey(new KeyVault(tempDir('yw-audit-pki-'), undefined, 'aes-256-gcm'));

    t.test('appends chain, checkpoints are signed, verify passes (library and CLI)', async (t) => {
      const b = await open(t);
      let now = 1_700_000_000_000;
      const log = logOf(b.store, key, () => now);
      for (let i = 1; i <= 12; i++) {
        const e = await log.record(draft(i));
        t.equal(e?.seq, i);
        now += 1000;
      }
      const entries = await b.store.range(0, 100);
      t.equal(entries.length, 12);
      t.equal(entries[0]!.prevHash, '0'.repeat(64), 'the first entry chains to the genesis hash');
      for (let i = 1; i < entries.length; i++) t.equal(entries[i]!.prevHash, entries[i - 1]!.hash);
      for (const e of entries) t.equal(entryHash(e), e.hash, `entry ${e.seq} hashes to its hash`);
      t.same(
        (await b.store.checkpoints()).map((c) => [c.seq, c.kind, c.keyId]),
        [
          [5, 'periodic', key.keyId],
          [10, 'periodic', key.keyId],
        ],
      );
      t.equal(await log.checkpointNow(), 12, 'a checkpoint of the head on demand (the time-based one)');
      t.equal(await log.checkpointNow(), undefined, 'none when nothing was appended since');
      const r = await verifyAudit(b.store, { trustedKeyIds: [key.keyId] });
      t.match(r, { ok: true, entries: 12, lastSeq: 12, anchoredThrough: 12, unanchored: 0, checkpoints: 3 });
      const q = await b.store.query({ action: 'gateway.*', actor: 'op1', limit: 100 });
      t.same(
        q.map((e) => e.seq),
        [1, 7],
        'search by action prefix and actor name',
      );
      const page = await b.store.query({ fromMs: 1_700_000_003_000, toMs: 1_700_000_005_000, limit: 100 });
      t.same(
        page.map((e) => e.seq),
        [4, 5, 6],
        'search by time range',
      );
      const c = cli(...b.cliArgs);
      t.equal(c.status, 0, c.stderr);
      t.match(JSON.parse(c.stdout), { ok: true, entries: 12 });
      const untrusted = await verifyAudit(b.store, { trustedKeyIds: ['0000000000000000'] });
      t.equal(untrusted.ok, false, 'checkpoints of a key that is not trusted fail');
    });

    t.test('the append-only triggers refuse UPDATE and DELETE', async (t) => {
      const b = await open(t);
      const log = logOf(b.store, key, Date.now);
      for (let i = 1; i <= 3; i++) await log.record(draft(i));
      await log.checkpointNow();
      await t.rejects(b.direct("UPDATE audit_log SET action = 'x' WHERE seq = 2"), /append-only/);
      await t.rejects(b.direct('DELETE FROM audit_log WHERE seq = 2'), /append-only/);
      await t.rejects(b.direct("UPDATE audit_checkpoints SET hash = 'x'"), /append-only/);
      await t.rejects(b.direct('DELETE FROM audit_checkpoints'), /append-only/);
      if (name === 'postgres') {
        await t.rejects(b.direct('TRUNCATE audit_log'), /append-only/);
        await t.rejects(b.direct('TRUNCATE audit_checkpoints'), /append-only/);
      }
      t.equal((await verifyAudit(b.store)).ok, true, 'nothing changed');
    });

    t.test('an edited row is found at its sequence number', async (t) => {
      const b = await open(t);
      const log = logOf(b.store, key, Date.now);
      for (let i = 1; i <= 12; i++) await log.record(draft(i));
      await b.tamper("UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 7");
      const r = await verifyAudit(b.store);
      t.match(r, { ok: false, firstBroken: 7 });
      t.match(r.problems[0]!.reason, /content does not match its hash/);
      const c = cli(...b.cliArgs);
      t.equal(c.status, 1, 'the CLI exits 1');
      t.match(c.stderr, /CLOUD_ERR_AUDIT_BROKEN.*first broken sequence number 7/);
    });

    t.test('a deleted middle row is found', async (t) => {
      const b = await open(t);
      const log = logOf(b.store, key, Date.now);
      for (let i = 1; i <= 12; i++) await log.record(draft(i));
      await b.tamper('DELETE FROM audit_log WHERE seq = 4');
      t.match(await verifyAudit(b.store), { ok: false, firstBroken: 4 });
    });

    t.test('a row edited and re-hashed is found by its successor; a rewritten chain by its checkpoint', async (t) => {
      const b = await open(t);
      const log = logOf(b.store, key, Date.now);
      for (let i = 1; i <= 12; i++) await log.record(draft(i));
      const [e3] = await b.store.range(2, 1);
      const forged = { ...e3!, action: 'nothing.happened' };
      await b.tamper('UPDATE audit_log SET action = ?, hash = ? WHERE seq = 3', [forged.action, entryHash(forged)]);
      t.match(await verifyAudit(b.store), { ok: false, firstBroken: 3 });
    });

    t.test('entries cut off the end are found by a checkpoint past the end', async (t) => {
      const b = await open(t);
      const log = logOf(b.store, key, Date.now);
      for (let i = 1; i <= 12; i++) await log.record(draft(i));
      await log.checkpointNow();
      await b.tamper('DELETE FROM audit_log WHERE seq > 8');
      t.match(await verifyAudit(b.store), { ok: false, firstBroken: 9 });
    });

    t.test('a checkpoint with a forged signature is found', async (t) => {
      const b = await open(t);
      const log = logOf(b.store, key, Date.now, 100);
      for (let i = 1; i <= 3; i++) await log.record(draft(i));
      const [e2] = await b.store.range(1, 1);
      const good = signCheckpoint(key, { seq: 2, kind: 'periodic', hash: e2!.hash, tsMs: 1 });
      await b.store.addCheckpoint({ ...good, tsMs: 2 }); // signature no longer covers it
      t.match(await verifyAudit(b.store), { ok: false, firstBroken: 2, problems: [{ reason: /bad signature/ }] });
    });

    t.test('the prune removes a whole prefix past the retention; verify still passes; the minimum holds', async (t) => {
      const b = await open(t);
      let now = 1_700_000_000_000;
      const log = logOf(b.store, key, () => now);
      for (let i = 1; i <= 10; i++) {
        await log.record(draft(i));
        now += i === 6 ? 200 * DAY_MS : DAY_MS; // 1..6 are old by the end, 7..10 are not
      }
      await t.rejects(log.prune({ retentionDays: 30 }), { code: 'CLOUD_ERR_AUDIT_APPEND_ONLY' });
      const out = await log.prune(); // 180 days
      t.same(out, { removed: 6, throughSeq: 6 });
      t.same(
        (await b.store.range(0, 100)).map((e) => e.seq),
        [7, 8, 9, 10],
      );
      const cps = await b.store.checkpoints();
      t.ok(
        cps.some((c) => c.kind === 'prune' && c.seq === 6),
        'a signed prune checkpoint of the last removed entry',
      );
      t.match(await verifyAudit(b.store), { ok: true, entries: 4, firstSeq: 7 });
      await log.record(draft(11));
      t.equal((await b.store.head()).seq, 11, 'the chain goes on');
      t.equal((await verifyAudit(b.store)).ok, true);
      // everything old: the head is the prune checkpoint, and appends go on from it
      now += 400 * DAY_MS;
      t.same(await log.prune({ retentionDays: 1, allowShort: true }), { removed: 5, throughSeq: 11 });
      t.equal((await b.store.head()).seq, 11);
      t.match(await verifyAudit(b.store), { ok: true, entries: 0, lastSeq: 11 });
      t.equal((await log.record(draft(12)))?.seq, 12);
      t.match(await verifyAudit(b.store), { ok: true, entries: 1, firstSeq: 12 });
      await log.checkpointNow(); // anchors 12: cutting it off the end is found
      await b.tamper('DELETE FROM audit_log WHERE seq = 12');
      t.equal((await log.record(draft(13)))?.seq, 13, 'a sequence number is never reused');
      t.match(await verifyAudit(b.store), { ok: false, firstBroken: 12 }, 'a gap after a prune is still found');
    });

    t.test('two store instances appending at once keep one chain', async (t) => {
      const b = await open(t);
      const other = await b.another();
      const logs = [logOf(b.store, key, Date.now, 50), logOf(other, key, Date.now, 50)];
      const n = 200;
      const seqs = await Promise.all(
        Array.from({ length: n }, (_, i) => logs[i % 2]!.record(draft(i + 1)).then((e) => e?.seq)),
      );
      t.same(
        [...seqs].sort((x, y) => x! - y!),
        Array.from({ length: n }, (_, i) => i + 1),
        'every append got its own seq',
      );
      t.match(await verifyAudit(b.store), { ok: true, entries: n, checkpoints: 4 });
    });
  });
}
