/**
 * Departments and routing rules as the operator manages them: validation of what the API and CLI
 * send, the secret sealed before it is stored (and never answered), the bounds on how many.
 */
import { randomBytes } from 'node:crypto';
import { YiwangError } from '../../common/errors.js';
import type { Sealer } from '../keys/vault-sealer.js';
import type { Severity } from '../health/types.js';
import type { IncidentStore } from './incident-store.js';
import { type Department, type DepartmentRow, INCIDENT_LIMITS, type RoutingRule } from './types.js';

const bad = (msg: string): never => {
  throw new YiwangError('CLOUD_ERR_BAD_REQUEST', msg);
};
const notFound = (what: string): never => {
  throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no ${what}`);
};

export const DEPARTMENT_ID_RE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const TEXT_RE = /^[^\u0000-\u001f]*$/;
const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

type Body = Record<string, unknown>;

function str(b: Body, k: string, max: number, min = 0): string | undefined {
  const v = b[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > max || v.length < min || !TEXT_RE.test(v))
    bad(`${k} must be a string of ${min ? `${min}..` : 'at most '}${max} characters without control characters`);
  return v as string;
}

function int(b: Body, k: string, lo: number, hi: number): number | undefined {
  const v = b[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    bad(`${k} must be a whole number ${lo}..${hi}`);
  return v as number;
}

function only(b: Body, keys: readonly string[]): void {
  const unknown = Object.keys(b).filter((k) => !keys.includes(k));
  if (unknown.length) bad(`unknown field ${unknown.join(', ')}: the fields are ${keys.join(', ')}`);
}

function webhookUrl(v: string | undefined): string | undefined {
  if (v === undefined || v === '') return v;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return bad('webhookUrl must be an http or https URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') bad('webhookUrl must be an http or https URL');
  if (u.username || u.password) bad('webhookUrl must not carry credentials: the secret signs the requests');
  return v;
}

const DEPARTMENT_KEYS = ['id', 'name', 'webhookUrl', 'secret'] as const;
const RULE_KEYS = [
  'id',
  'position',
  'eventType',
  'minSeverity',
  'district',
  'group',
  'departmentId',
  'slaMinutes',
  'priority',
] as const;

export const publicDepartment = (d: DepartmentRow): Department => ({
  id: d.id,
  name: d.name,
  webhookUrl: d.webhookUrl,
  hasSecret: d.secretSealed !== '',
  createdMs: d.createdMs,
  updatedMs: d.updatedMs,
});

export class DispatchConfig {
  readonly counters = { limitRefused: 0 };

  constructor(
    private readonly store: IncidentStore,
    private readonly sealer: Sealer,
    private readonly now: () => number,
  ) {}

  private limit(what: string, n: number): void {
    this.counters.limitRefused++;
    throw new YiwangError('CLOUD_ERR_INCIDENT_LIMIT', `at most ${n} ${what}`);
  }

  /** The secret in clear ('' when none or when it cannot be opened). */
  secretOf(d: DepartmentRow): string {
    if (!d.secretSealed) return '';
    return this.sealer.open(d.secretSealed);
  }

  async departments(): Promise<Department[]> {
    return (await this.store.listDepartments()).map(publicDepartment);
  }

  async department(id: string): Promise<Department> {
    return publicDepartment((await this.store.getDepartment(id)) ?? notFound(`department ${id}`));
  }

  async createDepartment(b: Body): Promise<Department> {
    only(b, DEPARTMENT_KEYS);
    const id = str(b, 'id', 64) ?? bad('id is required');
    if (!DEPARTMENT_ID_RE.test(id)) bad('id must be 1..64 of a-z 0-9 . _ - (starting with a letter or digit)');
    const name = str(b, 'name', 128, 1) ?? bad('name is required');
    const url = webhookUrl(str(b, 'webhookUrl', 2048)) ?? '';
    const secret = str(b, 'secret', 256) ?? '';
    if (secret && secret.length < 16) bad('secret must be at least 16 characters');
    if ((await this.store.listDepartments()).length >= INCIDENT_LIMITS.departments)
      this.limit('departments', INCIDENT_LIMITS.departments);
    const now = this.now();
    const row: DepartmentRow = {
      id,
      name,
      webhookUrl: url,
      secretSealed: secret ? this.sealer.seal(secret) : '',
      createdMs: now,
      updatedMs: now,
    };
    if (!(await this.store.createDepartment(row)))
      throw new YiwangError('CLOUD_ERR_CONFLICT', `department ${id} exists`);
    return publicDepartment(row);
  }

  /** Changes the fields given (secret '' removes it). */
  async updateDepartment(id: string, b: Body): Promise<Department> {
    only(
      b,
      DEPARTMENT_KEYS.filter((k) => k !== 'id'),
    );
    const cur = (await this.store.getDepartment(id)) ?? notFound(`department ${id}`);
    const name = str(b, 'name', 128, 1);
    const url = webhookUrl(str(b, 'webhookUrl', 2048));
    const secret = str(b, 'secret', 256);
    if (secret && secret.length < 16) bad('secret must be at least 16 characters');
    const row: DepartmentRow = {
      ...cur,
      name: name ?? cur.name,
      webhookUrl: url ?? cur.webhookUrl,
      secretSealed: secret === undefined ? cur.secretSealed : secret ? this.sealer.seal(secret) : '',
      updatedMs: this.now(),
    };
    if (!(await this.store.updateDepartment(row))) notFound(`department ${id}`);
    return publicDepartment(row);
  }

  async deleteDepartment(id: string): Promise<{ id: string; deleted: true }> {
    const used = (await this.store.listRules()).filter((r) => r.departmentId === id).map((r) => r.id);
    if (used.length)
      throw new YiwangError('CLOUD_ERR_CONFLICT', `department ${id} is the target of rules ${used.join(', ')}`);
    if (!(await this.store.deleteDepartment(id))) notFound(`department ${id}`);
    return { id, deleted: true };
  }

  /** The stored row (secret sealed), for the webhook sender. */
  departmentRow(id: string): Promise<DepartmentRow | undefined> {
    return this.store.getDepartment(id);
  }

  async rules(): Promise<RoutingRule[]> {
    return this.store.listRules();
  }

  async rule(id: string): Promise<RoutingRule> {
    return (await this.store.getRule(id)) ?? notFound(`routing rule ${id}`);
  }

  private async fields(b: Body, cur: RoutingRule | undefined): Promise<Omit<RoutingRule, 'id' | 'createdMs'>> {
    const minSeverity = b.minSeverity;
    if (minSeverity !== undefined && !SEVERITIES.includes(minSeverity as Severity))
      bad(`minSeverity must be one of ${SEVERITIES.join(', ')}`);
    const departmentId = str(b, 'departmentId', 64) ?? cur?.departmentId ?? bad('departmentId is required');
    if (!(await this.store.getDepartment(departmentId))) notFound(`department ${departmentId}`);
    const rules = cur ? [] : await this.store.listRules();
    return {
      position: int(b, 'position', 0, 1_000_000) ?? cur?.position ?? (rules.at(-1)?.position ?? 0) + 10,
      eventType: str(b, 'eventType', 128, 1) ?? cur?.eventType ?? '*',
      minSeverity: (minSeverity as Severity | undefined) ?? cur?.minSeverity ?? 'warning',
      district: str(b, 'district', 64) ?? cur?.district ?? '',
      group: str(b, 'group', 64) ?? cur?.group ?? '',
      departmentId,
      slaMinutes: int(b, 'slaMinutes', 1, 43_200) ?? cur?.slaMinutes ?? 60,
      priority: int(b, 'priority', 1, 5) ?? cur?.priority ?? 3,
      updatedMs: this.now(),
    };
  }

  async createRule(b: Body): Promise<RoutingRule> {
    only(b, RULE_KEYS);
    const id = str(b, 'id', 64) ?? `r-${randomBytes(4).toString('hex')}`;
    if (!DEPARTMENT_ID_RE.test(id)) bad('id must be 1..64 of a-z 0-9 . _ -');
    if ((await this.store.listRules()).length >= INCIDENT_LIMITS.rules)
      this.limit('routing rules', INCIDENT_LIMITS.rules);
    const f = await this.fields(b, undefined);
    const rule: RoutingRule = { id, ...f, createdMs: f.updatedMs };
    if (!(await this.store.createRule(rule))) throw new YiwangError('CLOUD_ERR_CONFLICT', `routing rule ${id} exists`);
    return rule;
  }

  async updateRule(id: string, b: Body): Promise<RoutingRule> {
    only(
      b,
      RULE_KEYS.filter((k) => k !== 'id'),
    );
    const cur = (await this.store.getRule(id)) ?? notFound(`routing rule ${id}`);
    const rule: RoutingRule = { ...cur, ...(await this.fields(b, cur)) };
    if (!(await this.store.updateRule(rule))) notFound(`routing rule ${id}`);
    return rule;
  }

  async deleteRule(id: string): Promise<{ id: string; deleted: true }> {
    if (!(await this.store.deleteRule(id))) notFound(`routing rule ${id}`);
    return { id, deleted: true };
  }
}
