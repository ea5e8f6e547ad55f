/**
 * API routes of the audit log (docs/reference/http-api.md, "Audit"): search, checkpoints and an
 * export as JSON lines. Reading them needs the admin role (cloud/http/access.ts); nothing in the
 * API changes or deletes entries.
 */
import { YiwangError } from '../../common/errors.js';
import { definedProps } from '../../common/defined.js';
import type { AuditQuery, AuditStore } from '../store/audit-store.js';
import { AUDIT_PAGE_MAX } from '../store/audit-store.js';
import { choiceParam, intParam, strParam, type RawRoute, type Route } from '../http/http-util.js';

/** Entries an export writes at most (a bigger export is asked for in time ranges). */
export const EXPORT_MAX = 1_000_000;

/** A time parameter: ms since the epoch or an ISO 8601 time. */
function timeParam(u: URL, name: string): number | undefined {
  const v = u.searchParams.get(name);
  if (v === null || v === '') return undefined;
  if (/^-?\d+$/.test(v)) return intParam(u, name);
  const t = Date.parse(v);
  if (!Number.isFinite(t))
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `${name} must be ms since the epoch or an ISO 8601 time`);
  return t;
}

/** The filters of a search or an export. */
export function auditQueryOf(u: URL, defaultLimit: number): AuditQuery {
  const limit = intParam(u, 'limit') ?? defaultLimit;
  if (limit < 1 || limit > AUDIT_PAGE_MAX)
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `limit must be 1..${AUDIT_PAGE_MAX}`);
  const order = choiceParam(u, 'order', ['asc', 'desc'] as const) ?? 'asc';
  return definedProps({
    fromMs: timeParam(u, 'from'),
    toMs: timeParam(u, 'to'),
    actor: strParam(u, 'actor') || undefined,
    action: strParam(u, 'action') || undefined,
    target: strParam(u, 'target') || undefined,
    result: choiceParam(u, 'result', ['ok', 'refused', 'error'] as const),
    afterSeq: intParam(u, 'after'),
    beforeSeq: intParam(u, 'before'),
    newestFirst: order === 'desc',
    limit,
  });
}

export function auditRoutes(store: AuditStore): Route[] {
  return [
    [
      'GET',
      /^\/api\/v1\/audit$/,
      async (_m, u) => {
        const q = auditQueryOf(u, 100);
        const entries = await store.query(q);
        const last = entries.at(-1);
        return [200, { entries, next: entries.length === q.limit && last ? last.seq : null }];
      },
    ],
    ['GET', /^\/api\/v1\/audit\/checkpoints$/, async () => [200, { checkpoints: await store.checkpoints() }]],
  ];
}

/** GET /api/v1/audit/export: the matching entries oldest first, one JSON object a line (at most EXPORT_MAX). */
export function auditExportRoute(store: AuditStore): RawRoute {
  return [
    'GET',
    /^\/api\/v1\/audit\/export$/,
    async (_m, u, _req, res) => {
      const q = { ...auditQueryOf(u, AUDIT_PAGE_MAX), newestFirst: false, limit: AUDIT_PAGE_MAX };
      const first = await store.query(q);
      res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
      let page = first,
        written = 0;
      while (page.length > 0 && written < EXPORT_MAX) {
        const text = page.map((e) => `${JSON.stringify(e)}\n`).join('');
        written += page.length;
        if (!res.write(text))
          await new Promise<void>((r) => {
            res.once('drain', r);
            res.once('close', r);
          });
        if (page.length < q.limit || res.destroyed) break;
        page = await store.query({ ...q, afterSeq: page.at(-1)!.seq });
      }
      res.end();
    },
  ];
}
