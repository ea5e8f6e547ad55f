/**
 * The HTTP layer's audit hook (cloud/http/api.ts calls it once per request, after the answer is
 * known and before it is sent): every POST, PUT, PATCH or DELETE that reached a route of
 * AUDIT_ACTIONS (whatever its outcome), and every request refused 401 or 403, becomes one entry.
 * Details are secret-free: a SHA-256 of the request body (http-util.ts readJson keeps it), the
 * query with credential parameters redacted, and a small after-image (the answer without
 * secrets, when it is at most AFTER_MAX_BYTES; else its digest).
 */
import { isPublicRoute } from '../http/access.js';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bodyDigestOf, redactUrl } from '../http/http-util.js';
import type { AuditActor, AuditDraft, AuditResult } from './audit-entry.js';
import { actionOf } from './audit-actions.js';
import type { AuditLog } from './audit-log.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Largest answer kept as the after-image (JSON bytes, secrets removed). */
export const AFTER_MAX_BYTES = 1024;
/** Longest target and path kept from a request (attacker-chosen). */
const TEXT_MAX = 256;
/** Keys never written to the audit log, at any depth of an answer. */
/** Answer fields never written to the log: credentials, and a second factor being enrolled (its otpauth URI and sealed pending value). */
const SECRET_KEY = /secret|^key$|token|password|toml|envelope|hash|^uri$|pending/i;

export interface HttpAuditEvent {
  req: IncomingMessage;
  method: string;
  /** The request path (no query); '' when the URL could not be parsed. */
  pathname: string;
  /** A route's handler ran (its outcome is the answer). */
  routed: boolean;
  actor: AuditActor;
  status: number;
  code: string;
  /** The JSON answer. */
  body: unknown;
}

function scrub(v: unknown, depth = 0): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (depth > 4) return '…';
  if (Array.isArray(v)) return v.slice(0, 20).map((x) => scrub(x, depth + 1));
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>)
      .filter(([k]) => !SECRET_KEY.test(k))
      .map(([k, x]) => [k, scrub(x, depth + 1)]),
  );
}

export const resultOf = (status: number): AuditResult =>
  status === 401 || status === 403 || status === 429 ? 'refused' : status >= 400 ? 'error' : 'ok';

/** The anonymous actor of a request that presented `credential` ('' when none): only a short digest of it is kept. */
export function anonymousActor(credential: string): AuditActor {
  return {
    kind: 'anonymous',
    id: credential ? `sha256:${createHash('sha256').update(credential).digest('hex').slice(0, 12)}` : '',
    name: '',
    role: '',
  };
}

export class HttpAuditor {
  constructor(private readonly log: AuditLog) {}

  /** The entry of a request, or undefined when it is not audited (a read, or a write to no route). */
  draftOf(ev: HttpAuditEvent): AuditDraft | undefined {
    const refused = ev.status === 401 || ev.status === 403;
    const hit = actionOf(ev.method, ev.pathname);
    const write = WRITES.has(ev.method);
    if (!refused && !(write && (hit || ev.routed))) return undefined;
    const answer = (typeof ev.body === 'object' && ev.body !== null ? ev.body : {}) as Record<string, unknown>;
    const route = `${ev.method} ${ev.pathname}`.slice(0, TEXT_MAX);
    const details: Record<string, unknown> = {};
    const query = redactUrl(ev.req.url).split('?')[1];
    if (query) details.query = query.slice(0, TEXT_MAX);
    const digest = bodyDigestOf(ev.req);
    if (digest) details.request = digest;
    if (refused) {
      details.route = route;
      if (hit) details.wouldBe = hit.a.action;
    } else if (ev.status < 400) {
      const after = JSON.stringify(scrub(answer));
      details.after =
        Buffer.byteLength(after) <= AFTER_MAX_BYTES
          ? JSON.parse(after)
          : { sha256: createHash('sha256').update(after).digest('hex'), bytes: Buffer.byteLength(after) };
    }
    // a route anyone may call (signing in) answers 401 itself: recorded as that action, refused
    const own = refused && hit !== undefined && isPublicRoute(ev.method, ev.pathname);
    const action = own
      ? hit.a.action
      : refused
        ? ev.status === 401
          ? 'auth.refused'
          : 'access.refused'
        : (hit?.a.action ?? `unmapped.${ev.method.toLowerCase()}`);
    const target = own
      ? `user:${ev.actor.id}`
      : refused
        ? hit
          ? hit.a.target(hit.params, {})
          : ''
        : hit
          ? hit.a.target(hit.params, answer)
          : route;
    return {
      actor: ev.actor,
      source: ev.req.socket.remoteAddress ?? '',
      action,
      target: target.slice(0, TEXT_MAX),
      result: resultOf(ev.status),
      status: ev.status,
      code: ev.code,
      details,
    };
  }

  /** Records a request (never throws; the log counts failures). */
  async after(ev: HttpAuditEvent): Promise<void> {
    const d = this.draftOf(ev);
    if (!d) return;
    if (d.result === 'refused') await this.log.recordRefused(d);
    else await this.log.record(d);
  }
}
