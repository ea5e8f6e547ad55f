/** Helpers for the formats that carry exactly one value: text/plain, opaque, CBOR (60). */
import { lwm2mError } from '../errors.js';
import {
  checkNodeAtPath,
  checkValue,
  modelType,
  type Lwm2mNode,
  type Lwm2mValue,
  type ResourceType,
} from '../nodes.js';
import type { ModelLookup } from '../objects/model.js';
import type { Lwm2mPath } from '../paths.js';

/** Checks that `path` names one value; returns the model type of that resource (if known). */
export function singleValueTarget(path: Lwm2mPath, model: ModelLookup, format: string): ResourceType | undefined {
  if (path.level !== 'resource' && path.level !== 'resourceInstance') {
    throw lwm2mError(
      'LWM2M_ERR_FORMAT_LEVEL',
      `${format} carries one resource value; ${path.toString()} is an ${path.level}`,
    );
  }
  const [objectId, , resourceId] = path.ids as [number, number, number];
  if (path.level === 'resource' && model.resource(objectId, resourceId)?.multiple) {
    throw lwm2mError(
      'LWM2M_ERR_FORMAT_LEVEL',
      `${format} cannot carry the multiple resource ${path.toString()}; address one instance`,
    );
  }
  return modelType(model, objectId, resourceId);
}

/** The node for one decoded value at a resource or resource-instance path. */
export function singleValueNode(path: Lwm2mPath, value: Lwm2mValue): Lwm2mNode {
  const id = path.lastId as number;
  return path.level === 'resource' ? { kind: 'resource', id, value } : { kind: 'resourceInstance', id, value };
}

/** The value to encode; the node must be a single resource or a resource instance at `path`. */
export function singleValueOf(node: Lwm2mNode, path: Lwm2mPath, format: string): Lwm2mValue {
  checkNodeAtPath(node, path);
  if (node.kind !== 'resource' && node.kind !== 'resourceInstance') {
    throw lwm2mError('LWM2M_ERR_FORMAT_LEVEL', `${format} carries one value; ${path.toString()} is a ${node.kind}`);
  }
  return checkValue(node.value, path.toString());
}
