/**
 * Device management requests (the DM interface): their JSON form as the API takes them, checked
 * up front, and how each becomes one CoAP request (method, path, query, options, payload).
 */
import { CONTENT_FORMAT, encodeNode, encodePaths, parsePath, type Lwm2mPath, type ModelLookup } from '../core/index.js';
import { isYiwangError } from '../../../../common/errors.js';
import { serverError } from './errors.js';
import { createNode, jsonToNode, type JsonValue, type RecordView } from './values.js';

export const OPS = [
  'read',
  'write',
  'execute',
  'create',
  'delete',
  'discover',
  'write-attributes',
  'observe',
  'cancel-observe',
  'read-composite',
  'observe-composite',
  'cancel-observe-composite',
] as const;
export type Op = (typeof OPS)[number];

export interface RequestSpec {
  op: Op;
  /** Target path (all ops but the composite ones). */
  path?: string;
  /** Target paths of the composite ops. */
  paths?: string[];
  /** write: the new value (see values.ts); create: the new instance's resources. */
  value?: JsonValue;
  /** write: 'replace' (PUT, default) or 'update' (POST, partial update of an instance). */
  mode?: 'replace' | 'update';
  /** execute: arguments text, e.g. "0='3',1". */
  args?: string;
  /** create: id of the new instance (default 0). */
  instanceId?: number;
  /** write-attributes: pmin, pmax (s), gt, lt, st; null clears one. */
  attributes?: Record<string, number | null>;
  /** Content format for this request's payload or answer; default: the device's. */
  format?: number;
  /** How long a queued request may wait for the device (ms); default lwm2m.queue_ttl_ms. */
  ttlMs?: number;
}

export interface RequestResult {
  ok: boolean;
  /** CoAP response code (2.05, 4.04 …) when the device answered. */
  coapCode?: string;
  records?: RecordView[];
  /** Discover: link-format text. */
  links?: string;
  /** Create: where the device put the new instance. */
  location?: string;
  error?: { code: string; message: string };
}

const ATTRS = new Set(['pmin', 'pmax', 'gt', 'lt', 'st', 'epmin', 'epmax']);

function paths(spec: RequestSpec): Lwm2mPath[] {
  if (!Array.isArray(spec.paths) || spec.paths.length === 0 || spec.paths.length > 64)
    throw serverError('LWM2M_ERR_REQUEST', `${spec.op} needs "paths": 1 to 64 paths`);
  return spec.paths.map((p) => parsePath(p));
}

/** Attributes counted in whole seconds (OMA-TS-LightweightM2M_Core 1.1.1 §5.1.2, Table 5.1.2-1). */
const PERIODS = ['pmin', 'pmax', 'epmin', 'epmax'] as const;

/**
 * Write-Attributes values as Core §5.1.2 defines them: periods are non-negative integers (s),
 * pmin ≤ pmax and epmin ≤ epmax when both are set, st ≥ 0, and lt + 2·st < gt (so lt < gt)
 * when lt and gt are both set. Only what the request itself sets is compared.
 */
function checkAttributes(a: Record<string, number | null>): void {
  const bad = (detail: string): never => {
    throw serverError('LWM2M_ERR_REQUEST', `write-attributes: ${detail} (LwM2M Core §5.1.2)`);
  };
  for (const [k, v] of Object.entries(a)) if (v !== null && !Number.isFinite(v)) bad(`${k} must be a finite number`);
  for (const k of PERIODS) {
    const v = a[k];
    if (v !== undefined && v !== null && (!Number.isInteger(v) || v < 0))
      bad(`${k} must be a whole number of seconds ≥ 0, not ${v}`);
  }
  const num = (k: string): number | undefined => (typeof a[k] === 'number' ? a[k] : undefined);
  const [pmin, pmax, epmin, epmax, gt, lt, st] = ['pmin', 'pmax', 'epmin', 'epmax', 'gt', 'lt', 'st'].map(num);
  if (pmin !== undefined && pmax !== undefined && pmin > pmax) bad(`pmin ${pmin} is greater than pmax ${pmax}`);
  if (epmin !== undefined && epmax !== undefined && epmin > epmax) bad(`epmin ${epmin} is greater than epmax ${epmax}`);
  if (st !== undefined && st < 0) bad(`st must be ≥ 0, not ${st}`);
  if (lt !== undefined && gt !== undefined && !(lt + 2 * (st ?? 0) < gt))
    bad(
      st === undefined
        ? `lt ${lt} must be less than gt ${gt}`
        : `lt + 2·st (${lt + 2 * st}) must be less than gt ${gt}`,
    );
}

/**
 * Refuses a Write (`W`) or Execute (`E`) of a resource (or resource instance) whose operations in
 * the object model lack it (docs/reference/lwm2m-server.md: requests are checked against the
 * model; OMA-TS-LightweightM2M_Core 1.1.1 §5.4.3 Write, §5.4.5 Execute act on resources that
 * support them). Objects and resources not in the model (vendor objects) are let through, and so
 * is a Write of a whole instance (the device decides which of its resources it takes).
 */
function allowedByModel(path: Lwm2mPath, op: 'W' | 'E', model: ModelLookup): void {
  const { objectId, resourceId } = path;
  if (objectId === undefined || resourceId === undefined) return;
  const r = model.resource(objectId, resourceId);
  if (!r || r.operations.includes(op)) return;
  const target = path.level === 'resourceInstance' ? `/${objectId}/${path.instanceId}/${resourceId}` : path.toString();
  throw serverError(
    'LWM2M_ERR_OPERATION',
    `${op === 'W' ? 'write' : 'execute'} ${path.toString()}: ${target} (${r.name}) cannot be ${op === 'W' ? 'written' : 'executed'}: its operations in the object model are ${r.operations ? `"${r.operations}"` : 'none'}`,
  );
}

/** Checks a request; returns its target path key (for listing and write coalescing). */
export function validateSpec(spec: unknown, model: ModelLookup): { spec: RequestSpec; key: string; coalesce: boolean } {
  if (!spec || typeof spec !== 'object') throw serverError('LWM2M_ERR_REQUEST', 'a request is a JSON object with "op"');
  const s = spec as RequestSpec;
  if (!(OPS as readonly string[]).includes(s.op))
    throw serverError('LWM2M_ERR_REQUEST', `op must be one of ${OPS.join(', ')}`);
  if (s.ttlMs !== undefined && (!Number.isInteger(s.ttlMs) || s.ttlMs < 1))
    throw serverError('LWM2M_ERR_REQUEST', 'ttlMs must be a positive integer');
  // CoAP Content-Format and Accept are 0..65535 (RFC 7252 §5.10.3, §12.3): two bytes at most on the wire
  if (s.format !== undefined && (!Number.isInteger(s.format) || s.format < 0 || s.format > 65535))
    throw serverError('LWM2M_ERR_REQUEST', 'format must be a content-format number 0..65535');
  try {
    if (s.op.endsWith('composite')) return { spec: s, key: paths(s).map(String).join(','), coalesce: false };
    if (typeof s.path !== 'string') throw serverError('LWM2M_ERR_REQUEST', `${s.op} needs "path"`);
    const path = parsePath(s.path);
    switch (s.op) {
      case 'write':
        if (s.value === undefined) throw serverError('LWM2M_ERR_REQUEST', 'write needs "value"');
        if (s.mode !== undefined && s.mode !== 'replace' && s.mode !== 'update')
          throw serverError('LWM2M_ERR_REQUEST', 'mode is "replace" or "update"');
        jsonToNode(path, s.value, model);
        allowedByModel(path, 'W', model);
        return { spec: s, key: path.toString(), coalesce: true };
      case 'create':
        if (path.level !== 'object')
          throw serverError('LWM2M_ERR_REQUEST', 'create targets an object path such as /3303');
        createNode(path, s.instanceId ?? 0, s.value ?? {}, model);
        break;
      case 'execute':
        if (path.level !== 'resource') throw serverError('LWM2M_ERR_REQUEST', 'execute targets a resource path');
        if (s.args !== undefined && typeof s.args !== 'string')
          throw serverError('LWM2M_ERR_REQUEST', 'args is a string');
        allowedByModel(path, 'E', model);
        break;
      case 'write-attributes':
        if (!s.attributes || typeof s.attributes !== 'object')
          throw serverError('LWM2M_ERR_REQUEST', 'write-attributes needs "attributes"');
        for (const [k, v] of Object.entries(s.attributes)) {
          if (!ATTRS.has(k) || (v !== null && typeof v !== 'number'))
            throw serverError(
              'LWM2M_ERR_REQUEST',
              `attribute ${k} is not one of ${[...ATTRS].join(', ')} with a number or null`,
            );
        }
        checkAttributes(s.attributes);
        break;
      case 'delete':
        if (path.level !== 'instance' && path.level !== 'object')
          throw serverError('LWM2M_ERR_REQUEST', 'delete targets an object instance');
        break;
      default:
        break;
    }
    return { spec: s, key: path.toString(), coalesce: false };
  } catch (e) {
    if (
      isYiwangError(e) &&
      e.code.startsWith('LWM2M_ERR_') &&
      e.code !== 'LWM2M_ERR_REQUEST' &&
      e.code !== 'LWM2M_ERR_OPERATION'
    )
      throw serverError('LWM2M_ERR_REQUEST', `${e.code}: ${e.message}`, e);
    throw e;
  }
}

export interface CoapCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'FETCH';
  path: Lwm2mPath | undefined;
  query: string[];
  contentFormat?: number;
  accept?: number;
  observe?: 0 | 1;
  /** Block2 option value: ask for the answer from this block on (the rest of a large notification). */
  block2?: Buffer;
  payload?: Buffer;
}

const SENML = new Set<number>([CONTENT_FORMAT.SENML_JSON, CONTENT_FORMAT.SENML_CBOR]);

/** The CoAP call for a checked request, given the device's content format. */
export function toCoapCall(spec: RequestSpec, deviceFormat: number, model: ModelLookup): CoapCall {
  const format = spec.format ?? deviceFormat;
  const composite = SENML.has(format) ? format : CONTENT_FORMAT.SENML_JSON;
  const fmtAttr = (v: number): string => String(v);
  switch (spec.op) {
    case 'read':
      return { method: 'GET', path: parsePath(spec.path!), query: [], accept: format };
    case 'observe':
      return { method: 'GET', path: parsePath(spec.path!), query: [], accept: format, observe: 0 };
    case 'cancel-observe':
      return { method: 'GET', path: parsePath(spec.path!), query: [], accept: format, observe: 1 };
    case 'discover':
      return { method: 'GET', path: parsePath(spec.path!), query: [], accept: CONTENT_FORMAT.LINK };
    case 'delete':
      return { method: 'DELETE', path: parsePath(spec.path!), query: [] };
    case 'execute':
      return {
        method: 'POST',
        path: parsePath(spec.path!),
        query: [],
        ...(spec.args ? { payload: Buffer.from(spec.args), contentFormat: CONTENT_FORMAT.TEXT } : {}),
      };
    case 'write': {
      const path = parsePath(spec.path!);
      const payload = Buffer.from(encodeNode(format, jsonToNode(path, spec.value!, model), path));
      return { method: spec.mode === 'update' ? 'POST' : 'PUT', path, query: [], contentFormat: format, payload };
    }
    case 'create': {
      const path = parsePath(spec.path!);
      return {
        method: 'POST',
        path,
        query: [],
        contentFormat: format,
        payload: Buffer.from(encodeNode(format, createNode(path, spec.instanceId ?? 0, spec.value ?? {}, model), path)),
      };
    }
    case 'write-attributes':
      return {
        method: 'PUT',
        path: parsePath(spec.path!),
        query: Object.entries(spec.attributes ?? {}).map(([k, v]) => (v === null ? k : `${k}=${fmtAttr(v)}`)),
      };
    case 'read-composite':
    case 'observe-composite':
    case 'cancel-observe-composite': {
      const ps = (spec.paths ?? []).map((p) => parsePath(p));
      return {
        method: 'FETCH',
        path: undefined,
        query: [],
        contentFormat: composite,
        accept: composite,
        payload: Buffer.from(encodePaths(composite, ps)),
        ...(spec.op === 'read-composite' ? {} : { observe: spec.op === 'observe-composite' ? 0 : 1 }),
      };
    }
  }
}
