/**
 * Local API routes of what the agent kept instead of delivering (never silent):
 *   GET /v1/quarantine?limit=&before=     readings refused one by one (edge and cloud), newest first, with totals by reason
 *   GET /v1/dead-letters?limit=&before=   batches the cloud rejected whole once isolated, with their content
 */
import type { QuarantineEntry, QuarantineStats } from '../store/quarantine.js';
import type { DeadLetterEntry, DeadLetterStats } from '../store/dead-letters.js';
import type { ApiRoute } from './technician-routes.js';

export interface FaultSource {
  quarantine: { list(limit: number, before?: number): QuarantineEntry[]; stats(): QuarantineStats };
  deadLetters: { list(limit: number, before?: number): DeadLetterEntry[]; stats(): DeadLetterStats };
}

export interface QuarantineView {
  totals: QuarantineStats;
  entries: QuarantineEntry[];
}
export interface DeadLettersView {
  totals: DeadLetterStats;
  entries: DeadLetterEntry[];
}

const DEFAULT_LIMIT = 50;

function paging(qs: string | undefined): { limit: number; before: number | undefined } {
  const q = new URLSearchParams(qs ?? '');
  const limit = Number(q.get('limit') ?? DEFAULT_LIMIT);
  const before = Number(q.get('before') ?? NaN);
  return {
    limit: Number.isSafeInteger(limit) && limit >= 0 ? Math.min(limit, 1000) : DEFAULT_LIMIT,
    before: Number.isSafeInteger(before) ? before : undefined,
  };
}

export function faultRoutes(store: FaultSource): ApiRoute {
  return async (method, url) => {
    if (method !== 'GET') return undefined;
    const [path, qs] = url.split('?') as [string, string | undefined];
    if (path === '/v1/quarantine') {
      const { limit, before } = paging(qs);
      const view: QuarantineView = { totals: store.quarantine.stats(), entries: store.quarantine.list(limit, before) };
      return [200, view];
    }
    if (path === '/v1/dead-letters') {
      const { limit, before } = paging(qs);
      const view: DeadLettersView = {
        totals: store.deadLetters.stats(),
        entries: store.deadLetters.list(limit, before),
      };
      return [200, view];
    }
    return undefined;
  };
}
