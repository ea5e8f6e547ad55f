/**
 * CBOR (content format 60, LwM2M 1.1 §7.4.6): one resource or resource-instance value as one
 * CBOR item. Integers as major types 0/1, floats as float64, time as tag 1 + seconds, object
 * links as "oid:iid" text, opaque as a byte string.
 */
import type { Lwm2mNode } from '../nodes.js';
import type { ModelLookup } from '../objects/model.js';
import type { Lwm2mPath } from '../paths.js';
import { decodeCbor, encodeCbor } from './cbor-items.js';
import { cborToValue, valueToCbor } from './cbor-values.js';
import { singleValueNode, singleValueOf, singleValueTarget } from './single.js';
import type { Codec } from './types.js';

export const cborCodec: Codec = {
  formats: [60],
  mediaType: 'application/cbor',
  decode(bytes: Uint8Array, path: Lwm2mPath, model: ModelLookup): Lwm2mNode {
    const type = singleValueTarget(path, model, 'application/cbor');
    // Depth 1: a value may carry one tag (time), nothing nests deeper.
    return singleValueNode(path, cborToValue(type, decodeCbor(bytes, 1), path.toString()));
  },
  encode(node: Lwm2mNode, path: Lwm2mPath): Uint8Array {
    return encodeCbor(valueToCbor(singleValueOf(node, path, 'application/cbor')));
  },
};
