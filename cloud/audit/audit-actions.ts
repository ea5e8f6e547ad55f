/**
 * The audit action of every API route that changes something: `METHOD /path/{}` (the route's
 * pattern with each parameter as `{}`) → action name and how its target is named.
 * test/cloud/audit/audit-routes.test.ts enumerates the routes the API registers and fails when a
 * POST, PUT, PATCH or DELETE route is missing here. Adding a mutating route = adding a line.
 */

/** How the target is named: from the path's parameters, else from the answer (`body`). */
type TargetOf = (params: string[], body: Record<string, unknown>) => string;

export interface AuditAction {
  action: string;
  target: TargetOf;
}

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const param =
  (kind: string): TargetOf =>
  (p) =>
    `${kind}:${p[0] ?? ''}`;
const answerId =
  (kind: string, pick: (b: Record<string, unknown>) => unknown = (b) => b.id): TargetOf =>
  (_p, b) => {
    const id = str(pick(b));
    return id ? `${kind}:${id}` : kind;
  };

export const AUDIT_ACTIONS: Readonly<Record<string, AuditAction>> = {
  'POST /api/v1/gateways': { action: 'gateway.create', target: answerId('gateway') },
  'POST /api/v1/gateways/{}/revoke': { action: 'gateway.revoke', target: param('gateway') },
  'DELETE /api/v1/gateways/{}': { action: 'gateway.remove', target: param('gateway') },
  'PUT /api/v1/gateways/{}/tags': { action: 'gateway.tags.replace', target: param('gateway') },
  'PATCH /api/v1/gateways/{}/tags': { action: 'gateway.tags.change', target: param('gateway') },
  'POST /api/v1/claims': {
    action: 'claim.create',
    target: answerId('claim', (b) => (b.claim as Record<string, unknown> | undefined)?.id),
  },
  'DELETE /api/v1/claims/{}': { action: 'claim.revoke', target: param('claim') },
  'POST /api/v1/keys': { action: 'key.create', target: answerId('key') },
  'DELETE /api/v1/keys/{}': { action: 'key.revoke', target: param('key') },
  'PUT /api/v1/config/fleet': { action: 'config.fleet.set', target: () => 'config:fleet' },
  'PUT /api/v1/config/groups/{}': { action: 'config.group.set', target: param('config-group') },
  'PUT /api/v1/config/gateways/{}': { action: 'config.gateway.set', target: param('config-gateway') },
  'POST /api/v1/rollouts': { action: 'rollout.start', target: answerId('rollout') },
  'POST /api/v1/rollouts/{}/abort': { action: 'rollout.abort', target: param('rollout') },
  'PUT /api/v1/devices': { action: 'device.register', target: () => 'devices' },
  'POST /api/v1/devices/{}/move': { action: 'device.move', target: param('device') },
  'POST /api/v1/alarms/{}/ack': { action: 'alarm.ack', target: param('alarm') },
  'POST /api/v1/session': { action: 'session.sign_in', target: answerId('user', (b) => b.name) },
  'DELETE /api/v1/session': { action: 'session.sign_out', target: () => 'session' },
  'PUT /api/v1/session/password': { action: 'session.password.change', target: () => 'session' },
  'POST /api/v1/session/totp': { action: 'session.totp.begin', target: () => 'session' },
  'PUT /api/v1/session/totp': { action: 'session.totp.enable', target: () => 'session' },
  'DELETE /api/v1/session/totp': { action: 'session.totp.remove', target: () => 'session' },
  'POST /api/v1/users': { action: 'user.create', target: answerId('user', (b) => b.name) },
  'PATCH /api/v1/users/{}': { action: 'user.change', target: param('user') },
  'POST /api/v1/users/{}/unlock': { action: 'user.unlock', target: param('user') },
  'DELETE /api/v1/users/{}/sessions': { action: 'user.sessions.end', target: param('user') },
  'POST /api/v1/departments': { action: 'department.create', target: answerId('department') },
  'PATCH /api/v1/departments/{}': { action: 'department.change', target: param('department') },
  'DELETE /api/v1/departments/{}': { action: 'department.remove', target: param('department') },
  'POST /api/v1/incident-rules': { action: 'incident_rule.create', target: answerId('incident-rule') },
  'PATCH /api/v1/incident-rules/{}': { action: 'incident_rule.change', target: param('incident-rule') },
  'DELETE /api/v1/incident-rules/{}': { action: 'incident_rule.remove', target: param('incident-rule') },
  'POST /api/v1/incidents': { action: 'incident.open', target: answerId('incident') },
  'POST /api/v1/incidents/{}/ack': { action: 'incident.ack', target: param('incident') },
  'POST /api/v1/incidents/{}/assign': { action: 'incident.assign', target: param('incident') },
  'POST /api/v1/incidents/{}/notes': { action: 'incident.note', target: param('incident') },
  'POST /api/v1/incidents/{}/resolve': { action: 'incident.resolve', target: param('incident') },
  'POST /api/v1/incidents/{}/close': { action: 'incident.close', target: param('incident') },
};

/** `^\/api\/v1\/claims\/([^/]+)$` → `/api/v1/claims/{}` (the form of the table's keys and of http-api.md). */
export function templateOf(re: RegExp): string {
  return re.source
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .replace(/\\\//g, '/')
    .replace(/\([^)]*\)/g, '{}');
}

const compiled = (table: Readonly<Record<string, AuditAction>>) =>
  Object.entries(table).map(([key, a]) => {
    const sp = key.indexOf(' ');
    const path = key.slice(sp + 1);
    const re = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\}/g, '([^/]+)')}$`);
    return { method: key.slice(0, sp), re, ...a };
  });

const COMPILED = compiled(AUDIT_ACTIONS);

/** The action of a request (method and decoded path parameters), or undefined when no mutating route has that shape. */
export function actionOf(method: string, pathname: string): { a: AuditAction; params: string[] } | undefined {
  for (const c of COMPILED) {
    if (c.method !== method) continue;
    const m = c.re.exec(pathname);
    if (!m) continue;
    const params = m.slice(1).map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
    return { a: c, params };
  }
  return undefined;
}
