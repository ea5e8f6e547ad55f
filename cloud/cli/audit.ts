/**
 * `yiwang-cloud audit list|export|verify`: the audit log (docs/reference/security.md, "Audit").
 * list and export read it through the API (admin keys); verify checks the hash chain and the
 * signed checkpoints through the API or straight from the store (--store FILE for a SQLite
 * cloud.db, --postgres-url URL, or --offline for the --config file's store), and exits 1 naming
 * the first broken sequence number.
 */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import type { AuditCheckpoint, AuditEntry } from '../audit/audit-entry.js';
import type { AuditSource, VerifyReport } from '../audit/audit-verify.js';
import { loadCloudConfig } from '../config.js';
import { apiRequest, useTarget } from './api-client.js';
import { jsonOut, sinceMs, table, withApi, type ApiOpts } from './options.js';
import { targetOf } from './target.js';

interface FilterOpts {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  target?: string;
  result?: string;
}

const filters = (c: Command): Command =>
  c
    .option('--from <when>', 'entries since: a duration back (30m, 6h, 7d), an ISO 8601 time or ms since the epoch')
    .option('--to <when>', 'entries until (the same forms)')
    .option('--actor <id>', 'an actor id or name (a key id such as k-1a2b3c4d, http.api_token)')
    .option('--action <name>', 'an action (gateway.revoke) or a prefix ending in * (gateway.*)')
    .option('--target <name>', 'a target (gateway:gw-0001) or a prefix ending in *')
    .option('--result <result>', 'ok, refused or error');

function query(o: FilterOpts): URLSearchParams {
  const q = new URLSearchParams();
  if (o.from !== undefined) q.set('from', String(sinceMs(o.from)));
  if (o.to !== undefined) q.set('to', String(sinceMs(o.to)));
  for (const k of ['actor', 'action', 'target', 'result'] as const) if (o[k] !== undefined) q.set(k, o[k]!);
  return q;
}

const actorText = (e: AuditEntry): string =>
  e.actor.kind === 'api_key'
    ? `key ${e.actor.id}${e.actor.name ? ` (${e.actor.name})` : ''}`
    : e.actor.kind === 'token'
      ? 'api_token'
      : `${e.actor.kind}${e.actor.id ? ` ${e.actor.id}` : ''}`;

/** The log as the API serves it. */
function apiSource(o: ApiOpts): AuditSource {
  return {
    range: async (after, limit) =>
      (
        await apiRequest<{ entries: AuditEntry[] }>(
          o.url,
          o.token,
          'GET',
          `/api/v1/audit?after=${after}&limit=${limit}`,
        )
      ).entries,
    checkpoints: async () =>
      (await apiRequest<{ checkpoints: AuditCheckpoint[] }>(o.url, o.token, 'GET', '/api/v1/audit/checkpoints'))
        .checkpoints,
  };
}

/** The log straight from a store, read-only; `close` when done. */
async function storeSource(o: {
  store?: string;
  postgresUrl?: string;
  config?: string;
}): Promise<AuditSource & { close(): Promise<void> }> {
  let sqlite = o.store,
    pgUrl = o.postgresUrl;
  if (!sqlite && !pgUrl) {
    const c = loadCloudConfig(o.config);
    if (c.store.backend === 'postgres') pgUrl = c.store.postgres_url;
    else sqlite = c.store.path;
  }
  if (pgUrl) {
    const { PgDatabase } = await import('../store/postgres/pg-database.js');
    const { PgAuditStore } = await import('../store/postgres/pg-audit-store.js');
    const db = new PgDatabase(pgUrl, { max: 1, name: 'yiwang-cloud-audit-verify' });
    const s = new PgAuditStore(db);
    return { range: (a, l) => s.range(a, l), checkpoints: () => s.checkpoints(), close: () => db.close() };
  }
  const { default: Database } = await import('better-sqlite3');
  const { SqliteAuditStore } = await import('../store/sqlite-audit-store.js');
  let db: InstanceType<typeof Database>;
  try {
    db = new Database(sqlite!, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new YiwangError('CLOUD_ERR_STORE', `${sqlite}: ${(err as Error).message}`, { cause: err });
  }
  const s = new SqliteAuditStore(db, { readonly: true });
  return {
    range: (a, l) => s.range(a, l),
    checkpoints: () => s.checkpoints(),
    close: async () => {
      db.close();
    },
  };
}

function printReport(r: VerifyReport): void {
  const lines = [
    `entries     ${r.entries} (seq ${r.entries ? `${r.firstSeq}..${r.lastSeq}` : '—'})`,
    `checkpoints ${r.checkpoints} signed by ${r.keyIds.join(', ') || '—'}`,
    `anchored    through seq ${r.anchoredThrough}; ${r.unanchored} newer entries chained but not yet checkpointed`,
  ];
  if (r.ok) lines.push('chain       OK');
  else {
    lines.push(`chain       BROKEN at seq ${r.firstBroken}`);
    for (const p of r.problems.slice(0, 20)) lines.push(`  seq ${p.seq}: ${p.reason}`);
  }
  console.log(lines.join('\n'));
}

export function register(program: Command): void {
  const a = program
    .command('audit')
    .description('the audit log: who changed what, refused requests; hash-chained with signed checkpoints');
  filters(withApi(a.command('list').description('audit entries, one page (admin key)')))
    .option('--after <seq>', 'entries after this sequence number (paging, oldest first)')
    .option('--newest', 'newest first')
    .option('--limit <n>', 'rows (at most 1000)', '50')
    .action(async (o: ApiOpts & FilterOpts & { after?: string; newest?: boolean; limit: string }) => {
      const q = query(o);
      q.set('limit', o.limit);
      if (o.after !== undefined) q.set('after', o.after);
      if (o.newest) q.set('order', 'desc');
      const r = await apiRequest<{ entries: AuditEntry[]; next: number | null }>(
        o.url,
        o.token,
        'GET',
        `/api/v1/audit?${q}`,
      );
      if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
      console.log(
        table(
          ['SEQ', 'TIME', 'ACTOR', 'ROLE', 'FROM', 'ACTION', 'TARGET', 'RESULT'],
          r.entries.map((e) => [
            e.seq,
            new Date(e.tsMs).toISOString(),
            actorText(e),
            e.actor.role || '—',
            e.source || '—',
            e.action,
            e.target || '—',
            e.result === 'ok' ? 'ok' : `${e.result} ${e.status}${e.code ? ` ${e.code}` : ''}`,
          ]),
        ),
      );
    });
  filters(
    withApi(a.command('export').description('matching entries oldest first as JSON lines on stdout (admin key)')),
  ).action(async (o: ApiOpts & FilterOpts) => {
    const q = query(o);
    q.set('limit', '1000');
    for (let after = 0; ; ) {
      q.set('after', String(after));
      const r = await apiRequest<{ entries: AuditEntry[] }>(o.url, o.token, 'GET', `/api/v1/audit?${q}`);
      if (r.entries.length) process.stdout.write(r.entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
      if (r.entries.length < 1000) break;
      after = r.entries.at(-1)!.seq;
    }
  });
  a.command('verify')
    .description(
      'check the hash chain and the checkpoint signatures (through the API, or the store itself with --store, --postgres-url or --offline); exit 1 naming the first broken sequence number',
    )
    .option('--store <file>', 'read this SQLite cloud store (cloud.db) directly, read-only')
    .option('--postgres-url <url>', 'read this PostgreSQL database directly')
    .option('--offline', "read the --config file's store (store.backend, store.path or store.postgres_url) directly")
    .option('--key-id <id...>', 'trust only checkpoints signed by these key ids (16 hex digits, from a past verify)')
    .action(
      async (
        o: { store?: string; postgresUrl?: string; offline?: boolean; keyId?: string[] },
        cmd: Command,
      ): Promise<void> => {
        const { verifyAudit } = await import('../audit/audit-verify.js');
        const direct = o.store !== undefined || o.postgresUrl !== undefined || o.offline === true;
        let src: AuditSource & { close?: () => Promise<void> };
        if (direct) {
          const { config } = cmd.optsWithGlobals<{ config?: string }>();
          src = await storeSource({ ...o, ...(config !== undefined ? { config } : {}) });
        } else {
          const t = targetOf(cmd);
          useTarget(t);
          src = apiSource(t);
        }
        let r: VerifyReport;
        try {
          r = await verifyAudit(src, o.keyId ? { trustedKeyIds: o.keyId } : {});
        } finally {
          await src.close?.();
        }
        if (jsonOut(program)) console.log(JSON.stringify(r, null, 2));
        else printReport(r);
        if (!r.ok)
          throw new YiwangError(
            'CLOUD_ERR_AUDIT_BROKEN',
            `first broken sequence number ${r.firstBroken}: ${r.problems[0]?.reason ?? ''}`,
          );
      },
    );
}
