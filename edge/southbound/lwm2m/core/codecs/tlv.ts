/**
 * TLV (content formats 11542 and the pre-registration 1542): node tree ↔ TLV entries.
 * Decoding follows the request path and accepts the variants clients send: an instance with or
 * without its object-instance wrapper, a multiple resource as a multiple-resource TLV or as bare
 * resource-instance TLVs, and (Read on an object) a single-instance object without wrapper.
 * Encoding writes an object instance as its resources (LwM2M 1.1 §7.4.3.1) and an object as
 * object-instance TLVs (§7.4.3.2).
 */
import { lwm2mError } from '../errors.js';
import {
  checkNodeAtPath,
  checkValue,
  claimId,
  modelMultiple,
  modelType,
  type Lwm2mNode,
  type ObjectInstanceNode,
  type ResourceInstanceNode,
  type ResourceNode,
} from '../nodes.js';
import type { ModelLookup } from '../objects/model.js';
import type { Lwm2mPath } from '../paths.js';
import { parseTlv, serializeTlv, tlvToValue, valueToTlv, type TlvEntry } from './tlv-format.js';
import type { Codec } from './types.js';

function structure(detail: string): never {
  throw lwm2mError('LWM2M_ERR_STRUCTURE', detail);
}

/** Drops an object-instance wrapper whose id must be the path's instance id. */
function unwrapInstance(entries: readonly TlvEntry[], path: Lwm2mPath): readonly TlvEntry[] {
  const first = entries[0];
  if (entries.length !== 1 || first?.kind !== 'instance') return entries;
  if (first.id !== path.instanceId)
    structure(`asked for ${path.toString()} but the payload holds object instance ${first.id}`);
  return first.children ?? [];
}

function decodeResourceInstances(
  entries: readonly TlvEntry[],
  path: Lwm2mPath,
  model: ModelLookup,
): ResourceInstanceNode[] {
  const [objectId, , resourceId] = path.ids as [number, number, number];
  const type = modelType(model, objectId, resourceId);
  const seen = new Set<number>();
  return entries.map((e) => {
    if (e.kind !== 'resourceInstance')
      structure(`${path.toString()}: expected resource instances, got a ${e.kind} TLV`);
    claimId(seen, e.id, `${path.toString()}/${e.id}`);
    const where = `${path.toString()}/${e.id}`;
    return { kind: 'resourceInstance', id: e.id, value: tlvToValue(type, e.value ?? new Uint8Array(0), where) };
  });
}

/** One resource or multiple-resource entry at `path` (a resource path). */
function decodeResource(e: TlvEntry, path: Lwm2mPath, model: ModelLookup): ResourceNode {
  const [objectId, , resourceId] = path.ids as [number, number, number];
  const declared = modelMultiple(model, objectId, resourceId);
  if (e.kind === 'resource') {
    if (declared === true) structure(`${path.toString()} is a multiple resource but the payload has a single value`);
    return {
      kind: 'resource',
      id: e.id,
      value: tlvToValue(modelType(model, objectId, resourceId), e.value ?? new Uint8Array(0), path.toString()),
    };
  }
  if (e.kind === 'multipleResource') {
    if (declared === false) structure(`${path.toString()} is a single resource but the payload has resource instances`);
    return { kind: 'multipleResource', id: e.id, instances: decodeResourceInstances(e.children ?? [], path, model) };
  }
  return structure(`${path.toString()}: expected a resource TLV, got a ${e.kind} TLV`);
}

function decodeInstance(entries: readonly TlvEntry[], path: Lwm2mPath, model: ModelLookup): ObjectInstanceNode {
  const seen = new Set<number>();
  const resources = entries.map((e) => {
    const p = path.child(e.id);
    claimId(seen, e.id, p.toString());
    return decodeResource(e, p, model);
  });
  return { kind: 'instance', id: path.instanceId as number, resources };
}

function decodeAt(entries: readonly TlvEntry[], path: Lwm2mPath, model: ModelLookup): Lwm2mNode {
  const objectId = path.objectId as number;
  switch (path.level) {
    case 'root':
      throw lwm2mError('LWM2M_ERR_FORMAT_LEVEL', 'TLV cannot carry the root path /');
    case 'object': {
      if (entries.length > 0 && entries.every((e) => e.kind === 'resource' || e.kind === 'multipleResource')) {
        // Read on a single-instance object answered without the instance wrapper.
        if (model.object(objectId)?.multiple !== false) {
          structure(
            `${path.toString()}: resources without an object-instance TLV are only accepted for single-instance objects`,
          );
        }
        return { kind: 'object', id: objectId, instances: [decodeInstance(entries, path.child(0), model)] };
      }
      const seen = new Set<number>();
      const instances = entries.map((e) => {
        if (e.kind !== 'instance') structure(`${path.toString()}: expected object-instance TLVs, got a ${e.kind} TLV`);
        claimId(seen, e.id, path.child(e.id).toString());
        return decodeInstance(e.children ?? [], path.child(e.id), model);
      });
      return { kind: 'object', id: objectId, instances };
    }
    case 'instance':
      return decodeInstance(unwrapInstance(entries, path), path, model);
    case 'resource': {
      const inner = unwrapInstance(entries, path);
      const first = inner[0];
      const resourceId = path.resourceId as number;
      if (inner.length === 1 && first && first.kind !== 'resourceInstance') {
        if (first.id !== resourceId)
          structure(`asked for ${path.toString()} but the payload holds resource ${first.id}`);
        return decodeResource(first, path, model);
      }
      // Bare resource instances (or nothing): a multiple resource, unless the model says single.
      if (modelMultiple(model, objectId, resourceId) === false) {
        structure(
          inner.length
            ? `${path.toString()} is a single resource but the payload has resource instances`
            : `no value for ${path.toString()}`,
        );
      }
      return { kind: 'multipleResource', id: resourceId, instances: decodeResourceInstances(inner, path, model) };
    }
    case 'resourceInstance': {
      let inner = unwrapInstance(entries, path);
      const wrapper = inner[0];
      if (inner.length === 1 && wrapper?.kind === 'multipleResource') {
        if (wrapper.id !== path.resourceId)
          structure(`asked for ${path.toString()} but the payload holds resource ${wrapper.id}`);
        inner = wrapper.children ?? [];
      }
      const parent = path.parent() as Lwm2mPath;
      const [node] = decodeResourceInstances(inner, parent, model);
      if (inner.length !== 1 || !node)
        structure(`expected exactly one resource instance for ${path.toString()}, got ${inner.length}`);
      if (node.id !== path.resourceInstanceId)
        structure(`asked for ${path.toString()} but the payload holds instance ${node.id}`);
      return node;
    }
  }
}

function resourceEntry(r: ResourceNode, path: Lwm2mPath): TlvEntry {
  if (r.kind === 'resource')
    return { kind: 'resource', id: r.id, value: valueToTlv(checkValue(r.value, path.toString()), path.toString()) };
  return {
    kind: 'multipleResource',
    id: r.id,
    children: r.instances.map((ri) => {
      const where = `${path.toString()}/${ri.id}`;
      return { kind: 'resourceInstance' as const, id: ri.id, value: valueToTlv(checkValue(ri.value, where), where) };
    }),
  };
}

function instanceEntries(i: ObjectInstanceNode, path: Lwm2mPath): TlvEntry[] {
  return i.resources.map((r) => resourceEntry(r, path.child(r.id)));
}

function encodeAt(node: Lwm2mNode, path: Lwm2mPath): TlvEntry[] {
  switch (node.kind) {
    case 'object':
      return node.instances.map((i) => ({
        kind: 'instance' as const,
        id: i.id,
        children: instanceEntries(i, path.child(i.id)),
      }));
    case 'instance':
      return instanceEntries(node, path);
    case 'resource':
    case 'multipleResource':
      return [resourceEntry(node, path)];
    case 'resourceInstance':
      return [
        {
          kind: 'resourceInstance',
          id: node.id,
          value: valueToTlv(checkValue(node.value, path.toString()), path.toString()),
        },
      ];
  }
}

export const tlvCodec: Codec = {
  formats: [11542, 1542],
  mediaType: 'application/vnd.oma.lwm2m+tlv',
  decode(bytes: Uint8Array, path: Lwm2mPath, model: ModelLookup): Lwm2mNode {
    return decodeAt(parseTlv(bytes), path, model);
  },
  encode(node: Lwm2mNode, path: Lwm2mPath): Uint8Array {
    checkNodeAtPath(node, path);
    return serializeTlv(encodeAt(node, path));
  },
};
