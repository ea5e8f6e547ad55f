/**
 * JSON forms of LwM2M values for the request API, and their conversion to typed nodes with the
 * object model: integers as numbers (or decimal strings beyond 2^53), opaque as {"hex": …} or
 * {"base64": …}, object links as "3:0", time as epoch seconds. An instance or object value is an
 * object keyed by resource id; a multiple resource is an object keyed by resource-instance id.
 */
import { isYiwangError } from '../../../../common/errors.js';
import {
  val,
  readingValue,
  type Lwm2mNode,
  type Lwm2mPath,
  type Lwm2mValue,
  type ModelLookup,
  type ResourceNode,
  type Lwm2mRecord,
  type ObjectInstanceNode,
  type ResourceType,
} from '../core/index.js';
import { serverError } from './errors.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

function fail(where: string, detail: string): never {
  throw serverError('LWM2M_ERR_REQUEST', `${where}: ${detail}`);
}

function bytesOf(v: JsonValue, where: string): Uint8Array {
  if (typeof v === 'string' && /^([0-9a-fA-F]{2})*$/.test(v)) return new Uint8Array(Buffer.from(v, 'hex'));
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    if (typeof v.hex === 'string' && /^([0-9a-fA-F]{2})*$/.test(v.hex))
      return new Uint8Array(Buffer.from(v.hex, 'hex'));
    if (typeof v.base64 === 'string') return new Uint8Array(Buffer.from(v.base64, 'base64'));
  }
  return fail(where, 'opaque values are a hex string, {"hex": …} or {"base64": …}');
}

function intOf(v: JsonValue, where: string): number | bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?[0-9]{1,20}$/.test(v)) return BigInt(v);
  return fail(where, `expected an integer, got ${JSON.stringify(v)}`);
}

/** Infers a type for resources the model does not know. */
function inferType(v: JsonValue): ResourceType {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'float';
  if (v && typeof v === 'object') return 'opaque';
  return 'string';
}

export function jsonToValue(v: JsonValue, type: ResourceType | undefined, where: string): Lwm2mValue {
  const t = type ?? inferType(v);
  try {
    switch (t) {
      case 'integer':
        return val.integer(intOf(v, where));
      case 'unsigned':
        return val.unsigned(intOf(v, where));
      case 'float':
        return typeof v === 'number' ? val.float(v) : fail(where, 'expected a number');
      case 'boolean':
        return typeof v === 'boolean' ? val.boolean(v) : fail(where, 'expected true or false');
      case 'string':
        return typeof v === 'string' ? val.string(v) : fail(where, 'expected a string');
      case 'corelnk':
        return typeof v === 'string' ? val.corelnk(v) : fail(where, 'expected a string');
      case 'opaque':
        return val.opaque(bytesOf(v, where));
      case 'time':
        return typeof v === 'number' ? val.time(v) : fail(where, 'expected seconds since 1970');
      case 'objlnk': {
        const m = typeof v === 'string' ? /^([0-9]{1,5}):([0-9]{1,5})$/.exec(v) : null;
        return m ? val.objlnk(Number(m[1]), Number(m[2])) : fail(where, 'expected "object:instance"');
      }
    }
  } catch (e) {
    if (isYiwangError(e) && e.code !== 'LWM2M_ERR_REQUEST')
      throw serverError('LWM2M_ERR_REQUEST', `${where}: ${e.message}`, e);
    throw e;
  }
}

function idMap(v: JsonValue, where: string): [number, JsonValue][] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(where, 'expected an object keyed by ids');
  return Object.entries(v).map(([k, x]) => {
    if (!/^(0|[1-9][0-9]{0,4})$/.test(k) || Number(k) > 65535) fail(where, `key ${JSON.stringify(k)} is not an id`);
    return [Number(k), x];
  });
}

function resourceNode(
  objectId: number,
  resourceId: number,
  v: JsonValue,
  model: ModelLookup,
  where: string,
): ResourceNode {
  const m = model.resource(objectId, resourceId);
  if (m && m.type === 'none') fail(where, 'is executable; use op "execute"');
  const type = m?.type === 'none' ? undefined : m?.type;
  const multiple = m
    ? m.multiple
    : v !== null && typeof v === 'object' && !Array.isArray(v) && !('hex' in v) && !('base64' in v);
  if (multiple) {
    return {
      kind: 'multipleResource',
      id: resourceId,
      instances: idMap(v, where).map(([id, x]) => ({
        kind: 'resourceInstance',
        id,
        value: jsonToValue(x, type, `${where}/${id}`),
      })),
    };
  }
  return { kind: 'resource', id: resourceId, value: jsonToValue(v, type, where) };
}

function instanceNode(
  objectId: number,
  instanceId: number,
  v: JsonValue,
  model: ModelLookup,
  where: string,
): ObjectInstanceNode {
  return {
    kind: 'instance',
    id: instanceId,
    resources: idMap(v, where).map(([rid, x]) => resourceNode(objectId, rid, x, model, `${where}/${rid}`)),
  };
}

/** The node a Write at `path` carries. */
export function jsonToNode(path: Lwm2mPath, v: JsonValue, model: ModelLookup): Lwm2mNode {
  const ids = path.ids as number[];
  const where = path.toString();
  switch (path.level) {
    case 'resourceInstance': {
      const type = model.resource(ids[0]!, ids[2]!)?.type;
      return {
        kind: 'resourceInstance',
        id: ids[3]!,
        value: jsonToValue(v, type === 'none' ? undefined : type, where),
      };
    }
    case 'resource':
      return resourceNode(ids[0]!, ids[2]!, v, model, where);
    case 'instance':
      return instanceNode(ids[0]!, ids[1]!, v, model, where);
    default:
      return fail(where, 'Write needs an instance, resource or resource-instance path');
  }
}

/** The object node a Create at /object carries (one instance, id given or 0). */
export function createNode(path: Lwm2mPath, instanceId: number, v: JsonValue, model: ModelLookup): Lwm2mNode {
  const objectId = path.ids[0] as number;
  return {
    kind: 'object',
    id: objectId,
    instances: [instanceNode(objectId, instanceId, v, model, `${path.toString()}/${instanceId}`)],
  };
}

export interface RecordView {
  path: string;
  value: number | boolean | string;
  type: string;
  time?: number;
}

export function recordView(r: Lwm2mRecord): RecordView {
  const out: RecordView = { path: r.path.toString(), value: readingValue(r.value), type: r.value.type };
  if (r.value.type === 'opaque') out.value = Buffer.from(r.value.value).toString('hex');
  if (r.time !== undefined) out.time = r.time;
  return out;
}
