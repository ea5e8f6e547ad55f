/**
 * The LwM2M node tree (object → object instance → resource → resource instance) and typed
 * values. Integers are `number` when they are safe integers and `bigint` otherwise (LwM2M
 * integers are 64-bit). Time is seconds since the Unix epoch. Opaque is a Uint8Array.
 *
 * A flat form, `Lwm2mRecord` (leaf path + value + optional SenML time), is what SenML/JSON
 * carry and what Read-Composite, Send and timestamped notifications produce.
 */
import { lwm2mError } from './errors.js';
import { type Lwm2mPath, isValidId } from './paths.js';
import type { ModelLookup, ResourceType } from './objects/model.js';

export type { ResourceType } from './objects/model.js';

export interface ObjLnk {
  readonly objectId: number;
  readonly instanceId: number;
}

export type Lwm2mValue =
  | { readonly type: 'integer'; readonly value: number | bigint }
  | { readonly type: 'unsigned'; readonly value: number | bigint }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'opaque'; readonly value: Uint8Array }
  | { readonly type: 'time'; readonly value: number }
  | { readonly type: 'objlnk'; readonly value: ObjLnk }
  | { readonly type: 'corelnk'; readonly value: string };

export interface ResourceInstanceNode {
  readonly kind: 'resourceInstance';
  readonly id: number;
  readonly value: Lwm2mValue;
}
export interface SingleResourceNode {
  readonly kind: 'resource';
  readonly id: number;
  readonly value: Lwm2mValue;
}
export interface MultipleResourceNode {
  readonly kind: 'multipleResource';
  readonly id: number;
  readonly instances: readonly ResourceInstanceNode[];
}
export type ResourceNode = SingleResourceNode | MultipleResourceNode;
export interface ObjectInstanceNode {
  readonly kind: 'instance';
  readonly id: number;
  readonly resources: readonly ResourceNode[];
}
export interface ObjectNode {
  readonly kind: 'object';
  readonly id: number;
  readonly instances: readonly ObjectInstanceNode[];
}
export type Lwm2mNode = ObjectNode | ObjectInstanceNode | ResourceNode | ResourceInstanceNode;

/** One leaf value at a resource or resource-instance path; `time` is the SenML time (seconds). */
export interface Lwm2mRecord {
  readonly path: Lwm2mPath;
  readonly value: Lwm2mValue;
  readonly time?: number;
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const UINT64_MAX = 2n ** 64n - 1n;

/** `number` when safe, `bigint` otherwise. */
export function normalizeInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Value constructors; they check ranges and throw LWM2M_ERR_ENCODE on bad input. */
export const val = {
  integer: (v: number | bigint): Lwm2mValue => checkValue({ type: 'integer', value: v }),
  unsigned: (v: number | bigint): Lwm2mValue => checkValue({ type: 'unsigned', value: v }),
  float: (v: number): Lwm2mValue => checkValue({ type: 'float', value: v }),
  boolean: (v: boolean): Lwm2mValue => checkValue({ type: 'boolean', value: v }),
  string: (v: string): Lwm2mValue => checkValue({ type: 'string', value: v }),
  opaque: (v: Uint8Array): Lwm2mValue => checkValue({ type: 'opaque', value: v }),
  time: (seconds: number): Lwm2mValue => checkValue({ type: 'time', value: seconds }),
  objlnk: (objectId: number, instanceId: number): Lwm2mValue =>
    checkValue({ type: 'objlnk', value: { objectId, instanceId } }),
  corelnk: (v: string): Lwm2mValue => checkValue({ type: 'corelnk', value: v }),
};

function intInRange(v: unknown, min: bigint, max: bigint): boolean {
  if (typeof v === 'bigint') return v >= min && v <= max;
  return typeof v === 'number' && Number.isSafeInteger(v) && BigInt(v) >= min && BigInt(v) <= max;
}

/** Throws LWM2M_ERR_ENCODE unless the value fits its declared type; returns it otherwise. */
export function checkValue(value: Lwm2mValue, where = 'value'): Lwm2mValue {
  const bad = (want: string): never => {
    throw lwm2mError('LWM2M_ERR_ENCODE', `${where}: a ${value.type} value must be ${want}`);
  };
  switch (value.type) {
    case 'integer':
      return intInRange(value.value, INT64_MIN, INT64_MAX) ? value : bad('a 64-bit signed integer');
    case 'unsigned':
      return intInRange(value.value, 0n, UINT64_MAX) ? value : bad('a 64-bit unsigned integer');
    case 'float':
      return typeof value.value === 'number' ? value : bad('a number');
    case 'time':
      return typeof value.value === 'number' && Number.isFinite(value.value) ? value : bad('finite seconds since 1970');
    case 'boolean':
      return typeof value.value === 'boolean' ? value : bad('true or false');
    case 'string':
    case 'corelnk':
      return typeof value.value === 'string' ? value : bad('a string');
    case 'opaque':
      return value.value instanceof Uint8Array ? value : bad('a Uint8Array');
    case 'objlnk':
      return isValidId(value.value?.objectId) && isValidId(value.value?.instanceId) ? value : bad('two ids 0..65535');
    default:
      throw lwm2mError(
        'LWM2M_ERR_ENCODE',
        `${where}: unknown value type ${String((value as { type?: unknown }).type)}`,
      );
  }
}

const KIND_AT: Record<string, readonly Lwm2mNode['kind'][]> = {
  object: ['object'],
  instance: ['instance'],
  resource: ['resource', 'multipleResource'],
  resourceInstance: ['resourceInstance'],
};

/** Throws LWM2M_ERR_ENCODE unless `node` is the node that lives at `path` (kind and id). */
export function checkNodeAtPath(node: Lwm2mNode, path: Lwm2mPath): void {
  const kinds = KIND_AT[path.level];
  if (!kinds?.includes(node.kind) || node.id !== path.lastId) {
    throw lwm2mError(
      'LWM2M_ERR_ENCODE',
      `a ${node.kind} node with id ${node.id} cannot be encoded at ${path.toString()}`,
    );
  }
}

/** Flattens a node into leaf records, in tree order. */
export function nodeToRecords(node: Lwm2mNode, path: Lwm2mPath): Lwm2mRecord[] {
  checkNodeAtPath(node, path);
  const out: Lwm2mRecord[] = [];
  const resource = (r: ResourceNode, p: Lwm2mPath): void => {
    if (r.kind === 'resource') out.push({ path: p, value: checkValue(r.value, p.toString()) });
    else
      for (const ri of r.instances)
        out.push({ path: p.child(ri.id), value: checkValue(ri.value, p.child(ri.id).toString()) });
  };
  const instance = (i: ObjectInstanceNode, p: Lwm2mPath): void => {
    for (const r of i.resources) resource(r, p.child(r.id));
  };
  switch (node.kind) {
    case 'object':
      for (const i of node.instances) instance(i, path.child(i.id));
      break;
    case 'instance':
      instance(node, path);
      break;
    case 'resource':
    case 'multipleResource':
      resource(node, path);
      break;
    case 'resourceInstance':
      out.push({ path, value: checkValue(node.value, path.toString()) });
      break;
  }
  return out;
}

/** Adds `id` to `seen`; throws LWM2M_ERR_DUPLICATE if it was there. */
export function claimId(seen: Set<number>, id: number, where: string): void {
  if (seen.has(id)) throw lwm2mError('LWM2M_ERR_DUPLICATE', `${where} appears twice in the payload`);
  seen.add(id);
}

/** Multiplicity of a resource: from the model when known, else from the payload. */
export function modelMultiple(model: ModelLookup, objectId: number, resourceId: number): boolean | undefined {
  return model.resource(objectId, resourceId)?.multiple;
}

/** Model type of a resource, or undefined for unknown and executable resources. */
export function modelType(model: ModelLookup, objectId: number, resourceId: number): ResourceType | undefined {
  const t = model.resource(objectId, resourceId)?.type;
  return t === undefined || t === 'none' ? undefined : t;
}

/**
 * Builds the node at `path` from leaf records (SenML/JSON decoders). All records must lie under
 * `path`; a resource is multiple when the model says so, or (unknown model) when its records
 * carry resource-instance paths. Throws LWM2M_ERR_STRUCTURE / LWM2M_ERR_DUPLICATE.
 */
export function recordsToNode(records: readonly Lwm2mRecord[], path: Lwm2mPath, model: ModelLookup): Lwm2mNode {
  for (const r of records) {
    if (!r.path.startsWith(path)) {
      throw lwm2mError(
        'LWM2M_ERR_STRUCTURE',
        `record ${r.path.toString()} is not under the requested path ${path.toString()}`,
      );
    }
    if (r.path.level !== 'resource' && r.path.level !== 'resourceInstance') {
      throw lwm2mError(
        'LWM2M_ERR_STRUCTURE',
        `record ${r.path.toString()} is not a resource or resource-instance path`,
      );
    }
  }
  switch (path.level) {
    case 'root':
      throw lwm2mError('LWM2M_ERR_FORMAT_LEVEL', 'a payload for / has no single node; decode it as records');
    case 'object': {
      const instances = [...groupBy(records, 1)].map(([id, rs]) => buildInstance(rs, path.child(id), model));
      return { kind: 'object', id: path.ids[0] as number, instances };
    }
    case 'instance':
      return buildInstance(records, path, model);
    case 'resource':
      return buildResource(records, path, model);
    case 'resourceInstance': {
      if (records.length !== 1) {
        throw lwm2mError(
          records.length ? 'LWM2M_ERR_DUPLICATE' : 'LWM2M_ERR_STRUCTURE',
          `expected one value for ${path.toString()}, got ${records.length}`,
        );
      }
      return { kind: 'resourceInstance', id: path.ids[3] as number, value: (records[0] as Lwm2mRecord).value };
    }
  }
}

/** Groups records by their id at `depth`, keeping first-seen order (one pass, no quadratic scans). */
function groupBy(records: readonly Lwm2mRecord[], depth: number): Map<number, Lwm2mRecord[]> {
  const groups = new Map<number, Lwm2mRecord[]>();
  for (const r of records) {
    const id = r.path.ids[depth] as number;
    const g = groups.get(id);
    if (g) g.push(r);
    else groups.set(id, [r]);
  }
  return groups;
}

function buildInstance(records: readonly Lwm2mRecord[], path: Lwm2mPath, model: ModelLookup): ObjectInstanceNode {
  const resources = [...groupBy(records, 2)].map(([id, rs]) => buildResource(rs, path.child(id), model));
  return { kind: 'instance', id: path.ids[1] as number, resources };
}

/** `records` are exactly the records under `path` (a resource path). */
function buildResource(records: readonly Lwm2mRecord[], path: Lwm2mPath, model: ModelLookup): ResourceNode {
  const [objectId, , resourceId] = path.ids as [number, number, number];
  const deep = records.filter((r) => r.path.level === 'resourceInstance');
  const flat = records.length - deep.length;
  const multiple = modelMultiple(model, objectId, resourceId) ?? flat === 0;
  if (multiple) {
    if (flat > 0)
      throw lwm2mError(
        'LWM2M_ERR_STRUCTURE',
        `${path.toString()} is a multiple resource; a value needs a resource-instance path`,
      );
    const seen = new Set<number>();
    const instances = deep.map((r) => {
      const id = r.path.ids[3] as number;
      claimId(seen, id, r.path.toString());
      return { kind: 'resourceInstance' as const, id, value: r.value };
    });
    return { kind: 'multipleResource', id: resourceId, instances };
  }
  if (deep.length > 0)
    throw lwm2mError(
      'LWM2M_ERR_STRUCTURE',
      `${path.toString()} is a single resource but the payload has resource instances`,
    );
  if (flat !== 1) {
    throw lwm2mError(
      flat ? 'LWM2M_ERR_DUPLICATE' : 'LWM2M_ERR_STRUCTURE',
      `expected one value for ${path.toString()}, got ${flat}`,
    );
  }
  return { kind: 'resource', id: resourceId, value: (records[0] as Lwm2mRecord).value };
}

/**
 * A value as a Reading value (number, boolean or string): 64-bit integers beyond 2^53 become
 * decimal strings so that no digit is lost, opaque becomes base64, object links "oid:iid".
 */
export function readingValue(value: Lwm2mValue): number | boolean | string {
  switch (value.type) {
    case 'integer':
    case 'unsigned':
      return typeof value.value === 'bigint' ? value.value.toString() : value.value;
    case 'opaque':
      return Buffer.from(value.value.buffer, value.value.byteOffset, value.value.byteLength).toString('base64');
    case 'objlnk':
      return `${value.value.objectId}:${value.value.instanceId}`;
    default:
      return value.value;
  }
}
